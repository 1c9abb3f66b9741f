"""``metric_anomaly``: today's null rate, distinct count, mean or a rule's pass rate is normal.

A table rule judged from the metric history (see ``_anomaly``). ``null_rate``,
``distinct_count`` and ``mean`` are measured on ``column`` at check time (as ``aggregate``
measures them) and kept in the check's metrics record; ``pass_rate`` is the pass rate of the
rule named ``rule`` in the same check, resolved after the other rules.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, get_args

import polars as pl

from truthound_dq._metrics import metric_key
from truthound_dq._params import plain_value
from truthound_dq._rule import Fail, RuleType
from truthound_dq._rule_types._anomaly import AnomalyRule
from truthound_dq._rule_types.aggregate import Aggregate

__all__ = ["MetricAnomaly", "Metric", "METRICS", "COLUMN_METRICS"]

Metric = Literal["null_rate", "pass_rate", "distinct_count", "mean"]
METRICS: tuple[str, ...] = get_args(Metric)
COLUMN_METRICS = frozenset({"null_rate", "distinct_count", "mean"})
"""Metrics of a column (measured at check time); ``pass_rate`` names a rule instead."""


@dataclass(frozen=True, slots=True, kw_only=True)
class MetricAnomaly(AnomalyRule):
    """Today's ``metric`` is within ``max_deviation`` scaled MADs of the window's median."""

    type: ClassVar[str] = RuleType.METRIC_ANOMALY
    needs_column: ClassVar[bool | None] = None
    observes_data: ClassVar[bool] = True
    _params: ClassVar[tuple[str, ...]] = ("metric", "rule", *AnomalyRule._window_params)
    summary: ClassVar[str] = (
        "the column's `metric` (null_rate, distinct_count, mean) or the `pass_rate` of the "
        "rule named `rule` is further than `max_deviation` scaled MADs from the median of the "
        "dataset's last `window` checks (needs `metrics_store` and `dataset`)"
    )
    metric: Metric
    rule: str | None = None

    @classmethod
    def parse_parameters(cls, raw: Mapping[str, Any], fail: Fail) -> dict[str, Any]:
        """A known ``metric``; ``column`` for a column metric, ``rule`` for ``pass_rate``."""
        params: dict[str, Any] = {}
        metric = plain_value(raw.get("metric"))
        if metric is None:
            fail(f"metric_anomaly needs 'metric', one of: {', '.join(METRICS)}")
        elif not isinstance(metric, str) or metric not in METRICS:
            close = difflib.get_close_matches(str(metric), METRICS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            fail(f"'metric' must be one of {', '.join(METRICS)}; got {metric!r}{hint}")
        params["metric"] = metric
        column, rule = plain_value(raw.get("column")), plain_value(raw.get("rule"))
        if metric == "pass_rate":
            if column is not None:
                fail("metric_anomaly of pass_rate takes no 'column': it names a 'rule'")
            if not isinstance(rule, str) or not rule:
                fail("metric_anomaly of pass_rate needs 'rule', the name of a rule of the check")
            else:
                params["rule"] = rule
        elif metric in COLUMN_METRICS:
            if column is None:
                fail(f"missing key 'column' for metric_anomaly of {metric}")
            if rule is not None:
                fail(f"metric_anomaly of {metric} takes no 'rule' (only pass_rate does)")
        params.update(cls.parse_window(raw, fail))
        return params

    @classmethod
    def default_name(cls, params: Mapping[str, Any]) -> str | None:
        """``metric_anomaly(null_rate(email))``, ``metric_anomaly(pass_rate(not_null(id)))``."""
        subject = (
            params.get("rule") if params.get("metric") == "pass_rate" else params.get("column")
        )
        return f"metric_anomaly({metric_key(str(params.get('metric')), str(subject))})"

    @classmethod
    def parameters_schema(cls) -> dict[str, Any]:
        """``metric`` enumerated; ``rule`` a rule's name."""
        from truthound_dq._schema import parameters_from_annotations

        schema = parameters_from_annotations(cls)
        schema["properties"]["rule"] = {
            "type": "string",
            "minLength": 1,
            "description": "For metric pass_rate: the name of a rule of the same check.",
        }
        return schema

    def metric_name(self) -> str:
        """The metric."""
        return str(self.metric)

    def metric_key(self) -> str:
        """``null_rate(email)`` or ``pass_rate(<rule>)``."""
        subject = self.rule if self.metric == "pass_rate" else self.column
        return metric_key(str(self.metric), subject)

    def records_metric(self) -> bool:
        """Column metrics are kept in the record (pass rates are already there)."""
        return self.metric in COLUMN_METRICS

    def _statistic(self) -> Aggregate:
        return Aggregate(name=self.name, column=self.column, stat=self.metric)  # type: ignore[arg-type]

    def inapplicable(self, dtype: pl.DataType) -> str | None:
        """As ``aggregate`` of the same statistic (``mean`` needs a numeric column)."""
        if self.metric not in COLUMN_METRICS:
            return None
        why = self._statistic().inapplicable(dtype)
        return None if why is None else why.replace("aggregate", "metric_anomaly", 1)

    def inapplicable_in(self, schema: pl.Schema) -> str | None:
        """A column metric asks :meth:`inapplicable`, as every rule with a column does."""
        from truthound_dq._dtypes import describe_dtype

        if self.column is None or self.column not in schema:
            return None
        dtype = schema[self.column]
        if (why := self.inapplicable(dtype)) is not None:
            return f"column {self.column!r} is {describe_dtype(dtype)}; {why}"
        return None

    def observe(self, schema: pl.Schema) -> pl.Expr:
        """The column metric over the data (safe names), as ``aggregate`` computes it."""
        if self.metric not in COLUMN_METRICS:
            return pl.lit(None)  # a pass rate is resolved after the other rules
        return self._statistic().observe(schema).cast(pl.Float64)
