"""Results as Prefect artifacts: tables and a markdown report per check, profile or learn.

Artifacts are visible to everyone with access to the workspace, so failing-value samples can
be switched off (``include_samples=False``) or masked per column (``mask_columns``), and no
value is ever shown unbounded. Rates are fractions in the results and percentages here.
Writing never changes a check's outcome: if the Prefect API fails, a warning is logged and
the remaining artifacts are still attempted.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, cast
from uuid import UUID

from truthound_dq import (
    RULE_CLASSES,
    LearnOutput,
    ProfileOutput,
    QualityCheckOutput,
    RuleResult,
)
from truthound_prefect._api import ApiUnavailable, active_budget
from truthound_prefect._context import in_async_context, in_run, run_logger
from truthound_prefect._keys import safe_key
from truthound_prefect.history import judged_by_history

if TYPE_CHECKING:
    from truthound_prefect.sla import SLAViolation

__all__ = ["to_prefect_artifact", "ato_prefect_artifact", "artifact_key", "write_table_artifact"]

MASK = "***"
Result = QualityCheckOutput | ProfileOutput | LearnOutput
_DEFAULT_KEYS = {
    QualityCheckOutput: "quality-check",
    ProfileOutput: "data-profile",
    LearnOutput: "schema-learn",
}


def artifact_key(result: Result, key: str | None = None) -> str:
    """The key artifacts of ``result`` are written under (always valid for Prefect).

    A given key is sanitized (``"Orders_Daily"`` -> ``"orders-daily"``); the default is the
    kind of result plus the dataset, so each dataset keeps its own history in the UI.
    """
    if type(result) not in _DEFAULT_KEYS:
        raise TypeError(
            "to_prefect_artifact takes a QualityCheckOutput, ProfileOutput or LearnOutput, "
            f"got {type(result).__name__}"
        )
    if key is not None:
        return safe_key(key, max_length=80)
    base = _DEFAULT_KEYS[type(result)]
    dataset = getattr(result, "dataset", None)
    return safe_key(f"{base}-{dataset}", max_length=80) if dataset else base


def _short(value: Any, limit: int) -> Any:
    if isinstance(value, bool | int | float) or value is None:
        return value
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _cell(value: Any, limit: int) -> str:
    # Markdown table cells: bounded, one line, no column breaks.
    text = "" if value is None else str(_short(value, limit))
    return text.replace("|", "\\|").replace("\n", " ")


def _pct(rate: float) -> str:
    return f"{rate:.2%}"


def _rule_status(r: RuleResult) -> str:
    if not r.evaluated:
        return "NOT EVALUATED"
    if r.passed:
        return "PASSED"
    return "FAILED" if r.severity.value == "error" else "WARNING"


def _samples(r: RuleResult, *, masked: set[str], limit: int) -> str:
    if r.column in masked and r.evaluated and r.failed_count:
        return MASK  # said even when the samples were already dropped upstream
    if not r.sample_values:
        return ""
    return str(_short(", ".join(json.dumps(v, ensure_ascii=False) for v in r.sample_values), limit))


def _observed(r: RuleResult, *, masked: set[str], limit: int) -> Any:
    """A table rule's observed value (an aggregate's statistic), or ``-`` for other rules."""
    definition = RULE_CLASSES.get(r.rule_type)
    observes = definition is not None and definition.observes_data
    if observes and r.evaluated and set(r.columns or (r.column,)) & masked:
        return MASK  # said even when the value was already dropped upstream
    if r.observed_value is None:
        return "-"
    if isinstance(r.observed_value, float):
        return f"{r.observed_value:.12g}"  # as the rule compares it
    return _short(r.observed_value, limit)


def _md_table(headers: Sequence[str], rows: Iterable[Sequence[Any]], limit: int) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(_cell(v, limit) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def _check_artifacts(
    result: QualityCheckOutput,
    key: str,
    *,
    include_samples: bool,
    masked: set[str],
    max_rows: int,
    limit: int,
    sla: Sequence[SLAViolation] | None = None,
    include_failures: bool = True,
    max_failures: int = 20,
) -> list[tuple[str, str, Any, str]]:
    status = result.status.value.upper()
    summary = [
        {"Metric": "Status", "Value": status},
        {"Metric": "Dataset", "Value": result.dataset or "-"},
        {"Metric": "Engine", "Value": f"{result.engine} {result.engine_version}".strip()},
        {"Metric": "Rows", "Value": f"{result.row_count:,}"},
        {"Metric": "Rules passed", "Value": f"{result.passed_count} of {len(result.rule_results)}"},
        {"Metric": "Rules failed", "Value": str(result.failed_count)},
        {"Metric": "Warnings", "Value": str(result.warning_count)},
        {"Metric": "Pass rate", "Value": _pct(result.pass_rate)},
        {"Metric": "Duration", "Value": f"{result.execution_time_ms:,.1f} ms"},
    ]
    rules = [
        {
            "Rule": _short(r.rule_name, limit),
            "Column": r.column or "-",
            "Type": r.rule_type,
            "Severity": r.severity.value,
            "Status": _rule_status(r),
            "Failed": r.failed_count,
            "Total": r.total_count,
            "Pass rate": _pct(r.pass_rate),
            "Observed": _observed(r, masked=masked, limit=limit),
            "Origin": r.origin.value,
            "Evaluated by": r.evaluated_by or "-",
        }
        for r in result.rule_results[:max_rows]
    ]
    failures = []
    for r in result.failures[:max_failures] if include_failures else ():
        row: dict[str, Any] = {
            "Rule": _short(r.rule_name, limit),
            "Column": r.column or "-",
            "Severity": r.severity.value,
            "Failed": r.failed_count,
            "Total": r.total_count,
            "Failure rate": _pct(r.failure_rate),
        }
        if include_samples:
            row["Samples"] = _samples(r, masked=masked, limit=limit)
        row["Message"] = _short(r.message, 2 * limit)
        failures.append(row)
    md = [
        f"# Data quality check: {status}",
        "",
        f"**{result.passed_count} of {len(result.rule_results)} rules passed** "
        f"({_pct(result.pass_rate)}) on {result.row_count:,} rows"
        + (f" of `{_cell(result.dataset, limit)}`" if result.dataset else "")
        + f" with {result.engine} {result.engine_version} in {result.execution_time_ms:,.0f} ms.",
        "",
    ]
    if failures:
        headers = list(failures[0])
        md += [
            "## Failures",
            "",
            _md_table(headers, [list(f.values()) for f in failures], limit),
            "",
        ]
        if len(result.failures) > len(failures):
            md.append(f"*... and {len(result.failures) - len(failures)} more failing rules*\n")
    md += [
        "## Rules",
        "",
        _md_table(list(rules[0]) if rules else ["Rule"], [list(r.values()) for r in rules], limit),
        "",
    ]
    if len(result.rule_results) > max_rows:
        md.append(f"*... and {len(result.rule_results) - max_rows} more rules*\n")
    md += _history_section(result, limit)
    if sla is not None:
        md += _sla_section(sla, limit)
    if result.notes:
        md += ["## Notes", "", *(f"- {_cell(n, 4 * limit)}" for n in result.notes), ""]
    out: list[tuple[str, str, Any, str]] = [
        ("table", f"{key}-summary", summary, f"Data quality summary: {status}"),
        ("table", f"{key}-rules", rules, f"Every rule ({len(result.rule_results)})"),
    ]
    if failures:
        out.append(
            ("table", f"{key}-failures", failures, f"Failing rules ({len(result.failures)})")
        )
    out.append(("markdown", key, "\n".join(md), f"Data quality report: {status}"))
    return out


def _history_section(result: QualityCheckOutput, limit: int) -> list[str]:
    """Each anomaly rule's verdict with its window as a sparkline (today's value in brackets)."""
    judged = [r for r in result.rule_results if judged_by_history(r.rule_type)]
    if not judged:
        return []
    lines = ["## History", ""]
    for r in judged:
        lines.append(
            f"- **{_cell(r.rule_name, limit)}** ({_rule_status(r)}): {_cell(r.message, 4 * limit)}"
        )
    return [*lines, ""]


def _sla_section(violations: Sequence[SLAViolation], limit: int) -> list[str]:
    from truthound_prefect.sla import format_value

    if not violations:
        return ["## SLA", "", "Every SLA limit was met.", ""]
    rows = [
        (
            v.limit,
            format_value(v.limit, v.observed),
            format_value(v.limit, v.threshold),
            v.severity.value,
            v.message,
        )
        for v in violations
    ]
    headers = ["Limit", "Observed", "Threshold", "Severity", "Message"]
    return [
        "## SLA",
        "",
        f"**{len(rows)} SLA limit(s) broken.**",
        "",
        _md_table(headers, rows, 2 * limit),
        "",
    ]


def _profile_artifacts(
    result: ProfileOutput, key: str, *, masked: set[str], max_rows: int, limit: int
) -> list[tuple[str, str, Any, str]]:
    def shown(name: str, value: Any) -> Any:
        return MASK if name in masked and value is not None else _short(value, limit)

    columns = [
        {
            "Column": c.column_name,
            "Type": c.dtype,
            "Nulls": c.null_count,
            "Null %": _pct(c.null_rate),
            "Uniques": c.unique_count,
            "Min": shown(c.column_name, c.min),
            "Max": shown(c.column_name, c.max),
            "Mean": shown(c.column_name, None if c.mean is None else round(c.mean, 4)),
        }
        for c in result.columns[:max_rows]
    ]
    md = [
        "# Data profile",
        "",
        f"**{result.row_count:,} rows, {len(result.columns)} columns**, profiled by "
        f"{_cell(result.produced_by or result.engine, limit)} "
        f"in {result.execution_time_ms:,.0f} ms.",
        "",
        _md_table(
            list(columns[0]) if columns else ["Column"], [list(c.values()) for c in columns], limit
        ),
    ]
    if len(result.columns) > max_rows:
        md.append(f"\n*... and {len(result.columns) - max_rows} more columns*")
    return [
        ("table", f"{key}-columns", columns, f"Data profile ({len(result.columns)} columns)"),
        ("markdown", key, "\n".join(md), "Data profile report"),
    ]


def _learn_artifacts(
    result: LearnOutput, key: str, *, masked: set[str], max_rows: int, limit: int
) -> list[tuple[str, str, Any, str]]:
    def params(column: str | None, parameters: Any) -> str:
        if column in masked and parameters:
            return MASK
        return str(_short(json.dumps(dict(parameters), ensure_ascii=False), limit))

    ranked = sorted(result.rules, key=lambda r: r.confidence, reverse=True)[:max_rows]
    rules = [
        {
            "Column": r.column or "-",
            "Rule type": r.rule_type,
            "Parameters": params(r.column, r.parameters),
            "Confidence": f"{r.confidence:.2f}",
        }
        for r in ranked
    ]
    md = [
        "# Learned rules",
        "",
        f"**{len(result.rules)} rules** learned from {result.row_count:,} rows by "
        f"{_cell(result.produced_by or result.engine, limit)}.",
        "",
        _md_table(
            list(rules[0]) if rules else ["Column"], [list(r.values()) for r in rules], limit
        ),
    ]
    return [
        ("table", f"{key}-rules", rules, f"Learned rules ({len(result.rules)})"),
        ("markdown", key, "\n".join(md), "Learned rules report"),
    ]


def _write(kind: str, key: str, data: Any, description: str) -> UUID:
    from prefect.artifacts import create_markdown_artifact, create_table_artifact

    # ``_sync=True``: artifacts are written from worker threads and sync tasks inside async
    # flows, where Prefect's dispatch would otherwise return an un-awaited coroutine.
    if kind == "table":
        created = create_table_artifact(table=data, key=key, description=description, _sync=True)  # type: ignore[call-arg]
    else:
        created = create_markdown_artifact(
            markdown=data, key=key, description=description, _sync=True
        )  # type: ignore[call-arg]
    return cast(UUID, created)


def _to_prefect_artifact(
    result: Result,
    *,
    key: str | None,
    include_samples: bool,
    mask_columns: Sequence[str],
    max_rows: int,
    max_value_length: int,
    sla: Sequence[SLAViolation] | None = None,
    include_failures: bool = True,
    max_failures: int = 20,
) -> list[UUID]:
    base = artifact_key(result, key)
    if not in_run():
        # Prefect deprecates artifacts outside runs: they would belong to nothing.
        run_logger().warning(
            "artifacts %r not written: artifacts belong to a flow or task run, and this was "
            "called outside one",
            base,
        )
        return []
    masked = set(mask_columns)
    if isinstance(result, QualityCheckOutput):
        planned = _check_artifacts(
            result,
            base,
            include_samples=include_samples,
            masked=masked,
            max_rows=max_rows,
            limit=max_value_length,
            sla=sla,
            include_failures=include_failures,
            max_failures=max_failures,
        )
    elif isinstance(result, ProfileOutput):
        planned = _profile_artifacts(
            result, base, masked=masked, max_rows=max_rows, limit=max_value_length
        )
    elif isinstance(result, LearnOutput):
        planned = _learn_artifacts(
            result, base, masked=masked, max_rows=max_rows, limit=max_value_length
        )
    else:  # pragma: no cover - artifact_key() has refused other types
        raise TypeError(type(result).__name__)
    ids: list[UUID] = []
    budget = active_budget()  # the check's, so all its API calls share one time limit
    for kind, artifact, data, description in planned:
        # A failure is logged by the budget; the other artifacts are still tried.
        with contextlib.suppress(ApiUnavailable):
            ids.append(
                budget.call(f"artifact {artifact!r}", _write, kind, artifact, data, description)
            )
    return ids


def write_table_artifact(key: str, table: list[dict[str, Any]], description: str) -> UUID | None:
    """Write one table artifact (key sanitized) within the check's API budget, in a run.

    Returns its id, or None when it was not written (outside a run, or the API failed:
    logged, never raised, like every artifact).
    """
    key = safe_key(key, max_length=100)  # (a key from artifact_key() is kept as it is)
    if not in_run():
        run_logger().warning("artifact %r not written: not in a flow or task run", key)
        return None
    with contextlib.suppress(ApiUnavailable):
        what = f"artifact {key!r}"
        return active_budget().call(what, _write, "table", key, table, description)
    return None


def to_prefect_artifact(
    result: Result,
    *,
    key: str | None = None,
    include_samples: bool = True,
    mask_columns: Sequence[str] = (),
    max_rows: int = 50,
    max_value_length: int = 80,
    sla: Sequence[SLAViolation] | None = None,
    include_failures: bool = True,
    max_failures: int = 20,
) -> list[UUID]:
    """Write ``result`` as Prefect artifacts; returns the ids of those written.

    A check becomes ``<key>-summary``, ``<key>-rules``, ``<key>-failures`` (when rules failed)
    tables and a ``<key>`` markdown report; a profile ``<key>-columns`` plus a report; a learn
    ``<key>-rules`` plus a report. In async code this returns an awaitable.

    Args:
        result: A check, profile or learn result.
        key: Artifact key; sanitized to ``[a-z0-9-]``. Default: the result kind plus dataset.
        include_samples: Show failing-value samples (checks).
        mask_columns: Columns whose values are replaced by ``***`` (samples, min/max, sets).
        max_rows: Most rows per table.
        max_value_length: Longest value shown; longer ones are cut with ``…``.
        sla: A check's SLA violations, shown in a "## SLA" section of its report (None: no
            SLA was applied, no section).
        include_failures: Write the failing rules (the ``-failures`` table and the report's
            "Failures" section) of a check.
        max_failures: Most failing rules shown; the report says how many more there are.

    Examples:
        Inside a flow or task (``await`` it in async code):

        ```python
        await to_prefect_artifact(result)
        await to_prefect_artifact(result, key="orders", include_failures=True, max_failures=20)
        ```
    """
    if in_async_context():
        return ato_prefect_artifact(  # type: ignore[return-value]
            result,
            key=key,
            include_samples=include_samples,
            mask_columns=mask_columns,
            max_rows=max_rows,
            max_value_length=max_value_length,
            sla=sla,
            include_failures=include_failures,
            max_failures=max_failures,
        )
    return _to_prefect_artifact(
        result,
        key=key,
        include_samples=include_samples,
        mask_columns=mask_columns,
        max_rows=max_rows,
        max_value_length=max_value_length,
        sla=sla,
        include_failures=include_failures,
        max_failures=max_failures,
    )


async def ato_prefect_artifact(
    result: Result,
    *,
    key: str | None = None,
    include_samples: bool = True,
    mask_columns: Sequence[str] = (),
    max_rows: int = 50,
    max_value_length: int = 80,
    sla: Sequence[SLAViolation] | None = None,
    include_failures: bool = True,
    max_failures: int = 20,
) -> list[UUID]:
    """Async :func:`to_prefect_artifact`."""
    return await asyncio.to_thread(
        _to_prefect_artifact,
        result,
        key=key,
        include_samples=include_samples,
        mask_columns=mask_columns,
        max_rows=max_rows,
        max_value_length=max_value_length,
        sla=sla,
        include_failures=include_failures,
        max_failures=max_failures,
    )
