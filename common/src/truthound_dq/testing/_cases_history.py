"""Contract cases of the anomaly rules: a past history, today's data, the expected verdict.

Every engine must give the same verdict: the base judges anomaly rules from the history, so
an adapter that mishandles them (say, by seeing one) is caught here. ``people()`` has 6 rows,
``null_rate(email)`` 1/6, ``distinct_count(status)`` 4, ``mean(score)`` 3.5 and
``not_null(id)`` passes 5 of 6.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from truthound_dq._metrics import InMemoryMetricsStore, MetricsRecord, RuleMetrics
from truthound_dq.testing._cases import people

__all__ = ["HistoryCase", "HISTORY_CASES", "HISTORY_NOT_EVALUATED", "HISTORY_DATASET", "START"]

HISTORY_DATASET = "contract-history"
START = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)


@dataclass(frozen=True)
class HistoryCase:
    """Rules checked against a seeded history; the last rule's verdict is the expectation.

    Attributes:
        id: The test id.
        rules: The rule dicts (the last is the anomaly rule judged).
        past: One mapping per past check, oldest first: metric keys to values
            (``row_count``, ``null_rate(email)``, ``pass_rate(<rule>)``); an ``anomalies``
            key lists the keys that check flagged.
        passed: The expected verdict.
        says: A fragment the message must contain.
        evaluated: Whether the rule is evaluated.
        frame: Today's data.
    """

    id: str
    rules: tuple[Mapping[str, Any], ...]
    past: tuple[Mapping[str, Any], ...]
    passed: bool
    says: str = ""
    evaluated: bool = True
    frame: Callable[[], pl.DataFrame] = field(default=people)

    def store(self) -> InMemoryMetricsStore:
        """A store holding ``past`` (one day apart, ending the day before :meth:`now`)."""
        store = InMemoryMetricsStore()
        for day, values in enumerate(self.past):
            store.append(past_record(values, START + dt.timedelta(days=day)))
        return store

    def now(self) -> dt.datetime:
        """Today: the day after the last past check."""
        return START + dt.timedelta(days=len(self.past))


def past_record(values: Mapping[str, Any], when: dt.datetime) -> MetricsRecord:
    """A record of ``values`` (pass rates as a rule's counts out of 1,000)."""
    rules: list[RuleMetrics] = []
    metrics: dict[str, float | int] = {}
    for key, value in values.items():
        if key in ("row_count", "anomalies"):
            continue
        if key.startswith("pass_rate("):
            failed = round((1 - value) * 1000)
            name = key[len("pass_rate(") : -1]
            rules.append(
                RuleMetrics(name=name, failed_count=failed, total_count=1000, passed=not failed)
            )
        else:
            metrics[key] = value
    return MetricsRecord(
        dataset=HISTORY_DATASET,
        checked_at=when,
        row_count=int(values.get("row_count", 6)),
        rules=tuple(rules),
        metrics=metrics,
        anomalies=tuple(values.get("anomalies", ())),
        status="passed",
        engine="history",
    )


def _rows(*counts: int, anomalous: frozenset[int] = frozenset()) -> tuple[dict[str, Any], ...]:
    return tuple(
        {"row_count": n, **({"anomalies": ["row_count"]} if i in anomalous else {})}
        for i, n in enumerate(counts)
    )


def _of(key: str, *values: float) -> tuple[dict[str, Any], ...]:
    return tuple({key: v} for v in values)


_ROWS = {"type": "row_count_anomaly"}
_NULLS = {"type": "metric_anomaly", "metric": "null_rate", "column": "email"}
_DISTINCT = {"type": "metric_anomaly", "metric": "distinct_count", "column": "status"}
_MEAN = {"type": "metric_anomaly", "metric": "mean", "column": "score"}
_ID = {"column": "id", "type": "not_null"}
_ID_RATE = {"type": "metric_anomaly", "metric": "pass_rate", "rule": "not_null(id)"}


def _c(
    case_id: str,
    rule: Mapping[str, Any],
    past: tuple[Mapping[str, Any], ...],
    passed: bool,
    says: str = "",
) -> HistoryCase:
    return HistoryCase(case_id, (rule,), past, passed, says)


HISTORY_CASES: tuple[HistoryCase, ...] = (
    _c("rows-steady", _ROWS, _rows(6, 6, 7, 6, 5, 6, 6), True, "normal"),
    _c("rows-drop", _ROWS, _rows(100, 101, 99, 100, 102, 98, 100), False, "anomaly"),
    _c("rows-rise", {**_ROWS, "max_deviation": 2}, _rows(2, 2, 3, 2, 2), False, "above"),
    _c("rows-learning", _ROWS, _rows(100, 100, 100, 100), True, "still learning (4 of 5"),
    _c("rows-min-history", {**_ROWS, "min_history": 3}, _rows(100, 100, 100), False, "anomaly"),
    # A perfectly steady history (MAD 0): the unit's floor (1 row) keeps 6 vs 5 normal.
    _c("rows-mad-zero-floor", _ROWS, _rows(5, 5, 5, 5, 5, 5, 5, 5), True, "1.0 scaled MADs"),
    _c("rows-mad-zero-flags", _ROWS, _rows(2, 2, 2, 2, 2, 2), False, "4.0 scaled MADs"),
    # Anomalies stay in the history but are left out of the window.
    _c("rows-anomalies-left-out", _ROWS,
       _rows(6, 6, 6, 6, 6, 600, 600, 600, anomalous=frozenset({5, 6, 7})), True, "normal"),
    _c("rows-anomalies-count-if-unflagged", {**_ROWS, "window": 3, "min_history": 3},
       _rows(6, 6, 6, 6, 6, 600, 600, 600), False, "anomaly"),
    _c("rows-window-is-the-last", {**_ROWS, "window": 5},
       _rows(100, 100, 100, 100, 100, 6, 6, 6, 6, 6), True, "last 5 checks"),
    _c("rows-min-change-holds", {**_ROWS, "min_change": -0.5}, _rows(10, 10, 10, 10, 10),
       True, "change -40.0%"),
    _c("rows-min-change-breaks", {**_ROWS, "min_change": -0.5}, _rows(13, 13, 13, 13, 13),
       False, "allowed -50%..+∞"),
    _c("rows-max-change-breaks", {**_ROWS, "max_change": 0.1}, _rows(5, 5, 5, 5, 5, 5),
       False, "change +20.0%"),
    _c("rows-change-and-deviation", {**_ROWS, "min_change": -0.9, "max_deviation": 3},
       _rows(10, 10, 10, 10, 10), False, "max 3"),
    _c("null-rate-steady", _NULLS, _of("null_rate(email)", 0.15, 0.17, 0.16, 0.18, 0.16), True),
    _c("null-rate-jump", _NULLS, _of("null_rate(email)", 0, 0, 0, 0, 0, 0), False, "16.67%"),
    _c("null-rate-missing-metric-is-learning", _NULLS, _rows(6, 6, 6, 6, 6, 6), True,
       "still learning (0 of 5"),
    _c("distinct-steady", _DISTINCT, _of("distinct_count(status)", 4, 4, 5, 4, 4), True),
    _c("distinct-drop", _DISTINCT, _of("distinct_count(status)", 40, 41, 40, 39, 40), False),
    _c("mean-steady", _MEAN, _of("mean(score)", 3.4, 3.5, 3.6, 3.5, 3.5), True),
    _c("mean-shift", _MEAN, _of("mean(score)", 100.0, 101.0, 99.0, 100.0, 100.5), False),
    HistoryCase("pass-rate-steady", (_ID, _ID_RATE),
                _of("pass_rate(not_null(id))", 0.83, 0.84, 0.83, 0.82, 0.83), True),
    HistoryCase("pass-rate-drop", (_ID, _ID_RATE),
                _of("pass_rate(not_null(id))", 1.0, 1.0, 1.0, 1.0, 1.0, 1.0), False,
                "83.33%"),
)  # fmt: skip
"""Evaluated cases: every engine gives the verdict and the message fragment."""

HISTORY_NOT_EVALUATED: tuple[HistoryCase, ...] = (
    HistoryCase("pass-rate-of-an-unknown-rule", (_ID_RATE,), _rows(6, 6, 6, 6, 6), False,
                "no rule named 'not_null(id)'", evaluated=False),
    HistoryCase("pass-rate-of-a-rule-not-evaluated",
                ({"column": "nope", "type": "not_null", "name": "not_null(id)"}, _ID_RATE),
                _rows(6, 6, 6, 6, 6), False, "was not evaluated", evaluated=False),
    HistoryCase("mean-of-a-string-column", ({**_MEAN, "column": "email"},), _rows(6), False,
                "needs a numeric column", evaluated=False),
    HistoryCase("metric-of-a-missing-column", ({**_NULLS, "column": "nope"},), _rows(6), False,
                "column 'nope' not found", evaluated=False),
)  # fmt: skip
"""Cases the rule cannot be evaluated in (0 of 0, the message says why)."""
