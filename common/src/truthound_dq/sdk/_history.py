"""The base's history step: read a dataset's metrics, judge the anomaly rules, write the record.

It runs around the check, apart from the data path: the history is read before the rules are
judged (only when a rule needs it), the anomaly rules are judged after every other rule (a
``pass_rate`` names another rule of the same check), and one record is appended after the
result is complete. An adapter never sees an anomaly rule's history: the base decides the
verdict, the same on every engine.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import Any

from truthound_dq._engine import RuleCounts
from truthound_dq._metrics import (
    MetricsHistory,
    MetricsRecord,
    MetricsStore,
    MetricsUnavailableError,
    RuleMetrics,
)
from truthound_dq._results import QualityCheckOutput, RuleResult
from truthound_dq._rule import CheckContext, Rule
from truthound_dq._rule_types._anomaly import AnomalyRule
from truthound_dq.sdk._outcome import not_evaluated, to_result
from truthound_dq.sdk._shared import table_failed

__all__ = [
    "HISTORY_NOTES",
    "HISTORY_OPTIONS",
    "read_history",
    "judge_history",
    "record_check",
    "build_record",
]

HISTORY_OPTIONS = frozenset({"metrics_store"})
"""The check options of this step (``dataset`` is the base's own)."""
_READ_MARGIN = 10
_JUDGED = (
    "judged by the base from the dataset's metric history (check options metrics_store and "
    "dataset; see docs/history.md), the same on every engine: no engine is involved"
)
HISTORY_NOTES = {
    "row_count_anomaly": _JUDGED,
    "metric_anomaly": f"{_JUDGED}; null_rate, distinct_count and mean measured by the shared "
    "Polars implementation, pass_rate read from the rule's result",
}
"""Capability notes of the anomaly rule types, for adapters' ``capabilities.notes``."""


def _masked(store: MetricsStore | None) -> frozenset[str]:
    return frozenset(getattr(store, "mask_columns", None) or ())


def read_history(
    rules: Sequence[Rule], dataset: str | None, store: MetricsStore | None
) -> MetricsHistory | str | None:
    """The history the check's anomaly rules need: None (no such rule), the reason, or it."""
    judging = [rule for rule in rules if rule.judges_history]
    if not judging:
        return None
    if store is None or not dataset:
        missing = " and ".join(
            name
            for name, given in (("metrics_store", store is not None), ("dataset", bool(dataset)))
            if not given
        )
        return f"no metric history to compare with: the check needs {missing}"
    windows = [int(getattr(rule, "window", 0)) for rule in judging]
    # Anomalies are left out of a window, so read some more than the longest window.
    limit = 2 * max(windows) + _READ_MARGIN
    try:
        records = store.read(dataset, limit)
    except MetricsUnavailableError as exc:
        return f"the metric history of {dataset!r} could not be read: {exc}"
    except Exception as exc:  # a broken store must not turn a verdict into a crash
        return f"the metric history of {dataset!r} could not be read ({type(exc).__name__}: {exc})"
    return MetricsHistory(dataset=dataset, records=tuple(records))


def _pass_rate_of(name: str, rules: Sequence[Rule], results: Sequence[RuleResult]) -> Any:
    for rule, result in zip(rules, results, strict=False):
        if rule.name == name and not rule.judges_history:
            if not result.evaluated:
                return f"rule {name!r} was not evaluated"
            return result.pass_rate
    return f"no rule named {name!r} in this check (an anomaly rule's pass rate is not kept)"


def judge_history(  # noqa: PLR0917 - private, called once
    rules: Sequence[Rule],
    results: Sequence[RuleResult],
    history: MetricsHistory | str | None,
    context: CheckContext,
    sample_size: int,
    store: MetricsStore | None = None,
) -> list[RuleResult]:
    """``results`` (``results[i]`` of ``rules[i]``) with the anomaly rules judged from history.

    Rules not evaluated already (their column is missing) stay so; without a history, each is
    not evaluated with the reason (never a false alarm, never a silent pass).
    """
    out = list(results)
    if history is None:
        return out
    if isinstance(history, MetricsHistory):
        # Only checks before this one's time: a re-run or a backfill of a day compares with
        # the days before it, never with itself or its future.
        earlier = tuple(r for r in history.records if r.checked_at < context.now)
        history = dataclasses.replace(history, records=earlier)
    judged = dataclasses.replace(
        context, history=history if isinstance(history, MetricsHistory) else None
    )
    masked = _masked(store)
    for i, rule in enumerate(rules):
        if not rule.judges_history or not out[i].evaluated:
            continue
        result = out[i]
        if isinstance(history, str):
            out[i] = not_evaluated(rule, history, result.origin)
            continue
        metric = getattr(rule, "metric", None)
        if metric == "mean" and rule.column in masked:
            why = f"column {rule.column!r} is masked: the history keeps no mean of it"
            out[i] = not_evaluated(rule, why, result.origin)
            continue
        today: Any = result.observed_value
        if metric == "pass_rate":
            today = _pass_rate_of(str(getattr(rule, "rule", "")), rules, results)
            if isinstance(today, str):
                out[i] = not_evaluated(rule, today, result.origin)
                continue
        elif metric is None:
            today = context.row_count
        failed = table_failed(rule, today, judged)
        counts = RuleCounts(failed, 1, (), today)
        out[i] = to_result(rule, counts, sample_size, result.origin, result.evaluated_by, judged)
    return out


def build_record(
    result: QualityCheckOutput, rules: Sequence[Rule], mask_columns: frozenset[str] = frozenset()
) -> MetricsRecord:
    """The metrics record of a check (``rules[i]`` gave ``result.rule_results[i]``).

    Masked columns keep counts only: a ``mean`` of one is never recorded.
    """
    assert result.dataset is not None
    metrics: dict[str, float | int] = {}
    anomalies: list[str] = []
    for rule, r in zip(rules, result.rule_results, strict=False):
        if not isinstance(rule, AnomalyRule) or not r.evaluated:
            continue
        key = rule.metric_key()
        value = r.observed_value
        if not isinstance(value, int | float) or isinstance(value, bool):
            continue
        if not math.isfinite(value):
            continue
        value_metric = getattr(rule, "metric", None) == "mean"
        if value_metric and rule.column in mask_columns:
            continue
        if rule.records_metric():
            metrics[key] = value
        if not r.passed:
            anomalies.append(key)
    return MetricsRecord(
        dataset=result.dataset,
        checked_at=result.timestamp,
        row_count=result.row_count,
        rules=tuple(
            RuleMetrics(
                name=r.rule_name,
                failed_count=r.failed_count,
                total_count=r.total_count,
                passed=r.passed,
            )
            for r in result.rule_results
            if r.evaluated
        ),
        metrics=metrics,
        anomalies=tuple(dict.fromkeys(anomalies)),
        status=result.status.value,
        engine=result.engine,
        execution_time_ms=result.execution_time_ms,
    )


def record_check(
    store: MetricsStore | None, result: QualityCheckOutput, rules: Sequence[Rule]
) -> QualityCheckOutput:
    """Append the check's record to ``store`` (with a dataset); a failed write is a note."""
    if store is None or not result.dataset:
        return result
    try:
        store.append(build_record(result, rules, _masked(store)))
    except Exception as exc:  # the verdict stands; the history misses one check
        note = f"metrics not recorded ({type(exc).__name__}: {exc})"
        return dataclasses.replace(result, notes=(*result.notes, note))
    return result
