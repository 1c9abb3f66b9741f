"""What both anomaly rules share: parameters, the robust statistic, the message, the sparkline.

An anomaly rule compares today's value of one metric with the dataset's own history: the
last ``window`` values of that metric (records flagged as anomalies for it are left out).
The distance from the window's median is measured in units of the scaled MAD
(1.4826 x the median absolute deviation: the standard deviation, for normal data, that one
outlier cannot move). The unit has a floor (:func:`unit_floor`), so a perfectly steady history
(MAD 0) does not flag noise. With fewer than ``min_history`` past values the rule passes and
says it is still learning. ``min_change``/``max_change`` bound the relative change from the
median instead (or as well): ``min_change: -0.5`` allows at most 50% fewer.

The verdict reads the history from the ``CheckContext``: the base fills it from the check's
``metrics_store`` and ``dataset``; without them the base reports the rule not evaluated.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, cast

from truthound_dq._params import is_number, plain_value
from truthound_dq._rule import CheckContext, Fail, Rule, RuleKind

if TYPE_CHECKING:
    from truthound_dq._metrics import MetricsRecord
    from truthound_dq.sdk._view import ViewColumn

__all__ = [
    "AnomalyRule",
    "Judgement",
    "MAD_SCALE",
    "DEFAULT_WINDOW",
    "DEFAULT_MAX_DEVIATION",
    "DEFAULT_MIN_HISTORY",
    "RELATIVE_FLOOR",
    "ABSOLUTE_FLOORS",
    "past_values",
    "judge",
    "sparkline",
    "unit_floor",
]

MAD_SCALE = 1.4826
"""Scales the MAD to a standard deviation for normally distributed values."""
DEFAULT_WINDOW = 14
DEFAULT_MAX_DEVIATION = 3.0
DEFAULT_MIN_HISTORY = 5
RELATIVE_FLOOR = 0.01
"""The unit is at least 1% of the window's median (absolute value)..."""
ABSOLUTE_FLOORS: Mapping[str, float] = {
    "row_count": 1.0,
    "distinct_count": 1.0,
    "null_rate": 0.001,
    "pass_rate": 0.001,
    "mean": 1e-9,
}
"""... and at least this, per metric (one row; a tenth of a percentage point for rates)."""
_BARS = "▁▂▃▄▅▆▇█"


def unit_floor(metric: str, median: float) -> float:
    """The smallest unit of deviation for ``metric`` around ``median``."""
    return max(RELATIVE_FLOOR * abs(median), ABSOLUTE_FLOORS.get(metric, 1e-9))


def past_values(records: Sequence[MetricsRecord], key: str, window: int) -> tuple[float, ...]:
    """The last ``window`` values of ``key`` (oldest first), leaving out flagged anomalies."""
    values: list[float] = []
    for record in reversed(records):
        if len(values) >= window:
            break
        if key in record.anomalies:
            continue
        value = record.value(key)
        if value is not None and math.isfinite(value):
            values.append(value)
    return tuple(reversed(values))


@dataclass(frozen=True, slots=True, kw_only=True)
class Judgement:
    """How today's value compares with its window.

    Attributes:
        today: Today's value.
        window: The past values compared with (oldest first).
        learning: Fewer past values than ``min_history``: passed, still learning.
        median: The window's median (None while learning).
        unit: The scaled MAD, at least its floor (None while learning).
        deviation: ``(today - median) / unit`` (None while learning).
        change: ``today / median - 1`` (None while learning, or when the median is 0).
        passed: The verdict.
    """

    today: float
    window: tuple[float, ...]
    learning: bool
    median: float | None
    unit: float | None
    deviation: float | None
    change: float | None
    passed: bool


def judge(rule: AnomalyRule, today: float, records: Sequence[MetricsRecord]) -> Judgement:
    """Judge ``today`` against the rule's window of ``records``."""
    window = past_values(records, rule.metric_key(), rule.window)
    if len(window) < rule.min_history:
        return Judgement(
            today=today,
            window=window,
            learning=True,
            median=None,
            unit=None,
            deviation=None,
            change=None,
            passed=True,
        )
    median = statistics.median(window)
    mad = statistics.median(abs(v - median) for v in window)
    unit = max(MAD_SCALE * mad, unit_floor(rule.metric_name(), median))
    deviation = (today - median) / unit
    if median != 0:
        change: float | None = today / median - 1
    else:
        change = 0.0 if today == 0 else None
    passed = True
    limit = rule.deviation_limit()
    if limit is not None and abs(deviation) > limit:
        passed = False
    if rule.min_change is not None and change is not None and change < rule.min_change:
        passed = False
    if rule.max_change is not None and (change is None or change > rule.max_change):
        passed = False  # (from a median of 0, any rise is an unbounded change)
    return Judgement(
        today=today,
        window=window,
        learning=False,
        median=median,
        unit=unit,
        deviation=deviation,
        change=change,
        passed=passed,
    )


def sparkline(window: Sequence[float], today: float | None) -> str:
    """The window as bars, today's value last in brackets: ``▄▅▄▅▄[▁]``."""
    values = [*window, *(() if today is None else (today,))]
    if not values:
        return ""
    low, high = min(values), max(values)
    span = high - low

    def bar(v: float) -> str:
        if span == 0:
            return _BARS[3]
        return _BARS[min(len(_BARS) - 1, int((v - low) / span * (len(_BARS) - 1) + 0.5))]

    bars = "".join(bar(v) for v in window)
    return bars if today is None else f"{bars}[{bar(today)}]"


@dataclass(frozen=True, slots=True, kw_only=True)
class AnomalyRule(Rule):
    """The base of ``row_count_anomaly`` and ``metric_anomaly`` (a table rule)."""

    kind: ClassVar[RuleKind] = RuleKind.TABLE
    sampled: ClassVar[bool] = False
    accepts_where: ClassVar[bool | None] = False
    judges_history: ClassVar[bool] = True
    """Marks rule types whose verdict reads the metric history (the base fills it)."""
    _window_params: ClassVar[tuple[str, ...]] = (
        "window",
        "max_deviation",
        "min_change",
        "max_change",
        "min_history",
    )
    window: int = DEFAULT_WINDOW
    max_deviation: float | None = None
    min_change: float | None = None
    max_change: float | None = None
    min_history: int = DEFAULT_MIN_HISTORY

    # -- parameters ------------------------------------------------------------------------

    @classmethod
    def parse_window(cls, raw: Mapping[str, Any], fail: Fail) -> dict[str, Any]:
        """``window`` and ``min_history`` whole numbers; the bounds finite; change fractions."""
        params: dict[str, Any] = {}
        for key, default in (("window", DEFAULT_WINDOW), ("min_history", DEFAULT_MIN_HISTORY)):
            value = plain_value(raw.get(key, default))
            if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 1000:
                fail(f"'{key}' must be a whole number from 1 to 1000, got {value!r}")
                value = default
            params[key] = value
        if params["min_history"] > params["window"]:
            fail(
                f"'min_history' {params['min_history']} is larger than 'window' "
                f"{params['window']}: the rule would never leave learning"
            )
        for key in ("max_deviation", "min_change", "max_change"):
            value = plain_value(raw.get(key))
            if value is None:
                continue
            if not is_number(value) or not math.isfinite(cast(float, value)):
                fail(f"'{key}' must be a finite number, got {value!r}")
                continue
            params[key] = value
        if (deviation := params.get("max_deviation")) is not None and deviation <= 0:
            fail(f"'max_deviation' must be above 0, got {deviation!r}")
        low, high = params.get("min_change"), params.get("max_change")
        if low is not None and low < -1:
            fail(f"'min_change' {low!r} is below -1: a value cannot fall by more than 100%")
        if low is not None and high is not None and low > high:
            fail(f"'min_change' {low!r} is above 'max_change' {high!r}")
        return params

    @property
    def parameters(self) -> dict[str, Any]:
        """The type's parameters, ``window`` and ``min_history`` left out at their defaults."""
        params: dict[str, Any] = Rule.parameters.fget(self)  # type: ignore[attr-defined]
        for key, default in (("window", DEFAULT_WINDOW), ("min_history", DEFAULT_MIN_HISTORY)):
            if params.get(key) == default:
                del params[key]
        return params

    def deviation_limit(self) -> float | None:
        """``max_deviation``, or its default 3 when no change bound is given."""
        if self.max_deviation is not None:
            return self.max_deviation
        if self.min_change is None and self.max_change is None:
            return DEFAULT_MAX_DEVIATION
        return None

    # -- what is measured ------------------------------------------------------------------

    def metric_name(self) -> str:
        """``row_count``, ``null_rate``, ``pass_rate``, ``distinct_count`` or ``mean``."""
        raise NotImplementedError

    def metric_key(self) -> str:
        """The key of the metric in a record (``row_count``, ``null_rate(email)``...)."""
        raise NotImplementedError

    def records_metric(self) -> bool:
        """Whether the record must keep this metric in ``metrics`` (not already a count)."""
        return False

    # -- the verdict -----------------------------------------------------------------------

    def undefined(self, observed: Any, context: CheckContext) -> str | None:
        """No history in the context (the base reports the rule not evaluated), or no value."""
        if context.history is None:
            return f"{self.metric_key()} has no metric history to compare with"
        if observed is None or (isinstance(observed, float) and not math.isfinite(observed)):
            return f"{self.metric_key()} is undefined today"
        return None

    def verdict(self, observed: Any, context: CheckContext) -> bool:
        """Today's value within ``max_deviation`` scaled MADs (and the change bounds)."""
        assert context.history is not None
        return judge(self, float(observed), context.history.records).passed

    def check(self, column: ViewColumn | None, row_count: int) -> bool:
        """Not used: the verdict reads the history (see :meth:`verdict`)."""
        raise NotImplementedError(f"{self.type} is judged from the metric history")

    def describe_verdict(self, passed: bool, observed: Any, context: CheckContext) -> str:
        """``row_count 412 is 58.9 scaled MADs below the median 1,003 of 14 checks...``."""
        assert context.history is not None
        j = judge(self, float(observed), context.history.records)
        subject = f"{self.metric_key()} {self.show(j.today)}"
        line = sparkline(j.window, j.today)
        if j.learning:
            return (
                f"{subject}: still learning ({len(j.window)} of {self.min_history} past values "
                f"needed){f' {line}' if line else ''}"
            )
        assert j.median is not None
        assert j.deviation is not None
        shown = round(j.deviation, 1)
        side = "above" if shown > 0 else "below" if shown < 0 else None
        where = f"{abs(shown):.1f} scaled MADs {side}" if side else "at"
        parts = [
            f"{subject} is {where} the median {self.show(j.median)} of the last "
            f"{len(j.window)} checks"
        ]
        limits: list[str] = []
        if (limit := self.deviation_limit()) is not None:
            limits.append(f"max {limit:g}")
        if self.min_change is not None or self.max_change is not None:
            change = "unbounded" if j.change is None else f"{j.change:+.1%}"
            low = "" if self.min_change is None else f"{self.min_change:+.0%}"
            high = "" if self.max_change is None else f"{self.max_change:+.0%}"
            limits.append(f"change {change}, allowed {low or '-∞'}..{high or '+∞'}")
        parts.append(f" ({'; '.join(limits)})")
        parts.append(f": {'normal' if j.passed else 'anomaly'} {line}")
        return "".join(parts)

    def show(self, value: float) -> str:
        """A value of the metric for a message: counts in full, rates as percent."""
        metric = self.metric_name()
        if metric in ("row_count", "distinct_count"):
            return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
        if metric in ("null_rate", "pass_rate"):
            return f"{value:.2%}"
        return f"{value:,.6g}"
