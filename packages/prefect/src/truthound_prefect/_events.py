"""Prefect events for checks and SLA violations, for Automations to act on.

Every check emits ``truthound.check.passed``, ``truthound.check.warned`` or
``truthound.check.failed``; every anomaly it flags ``truthound.check.anomaly``; every SLA
violation ``truthound.sla.violated``. The resource is
the dataset; the flow run, task run and saved blocks are related resources. Emitting never
changes a check's outcome: a failure is logged as a warning.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from truthound_dq import CheckStatus, QualityCheckOutput
from truthound_prefect._api import ApiBudget, ApiUnavailable, active_budget
from truthound_prefect._context import run_logger
from truthound_prefect._keys import safe_key

if TYPE_CHECKING:
    from prefect.blocks.core import Block
    from prefect.events import Event

    from truthound_prefect.sla import SLAViolation

__all__ = [
    "ANOMALY",
    "CHECK_EVENTS",
    "anomaly_payloads",
    "SLA_VIOLATED",
    "check_payload",
    "dataset_resource",
    "emit_check_events",
]

CHECK_EVENTS = {
    CheckStatus.PASSED: "truthound.check.passed",
    CheckStatus.WARNING: "truthound.check.warned",
    CheckStatus.FAILED: "truthound.check.failed",
}
SLA_VIOLATED = "truthound.sla.violated"
ANOMALY = "truthound.check.anomaly"
_MAX_NAMES = 50  # failed rule names in a payload; events have a size limit


def dataset_resource(dataset: str) -> dict[str, str]:
    """The event resource of a dataset: ``truthound.dataset.<sanitized name>``."""
    return {
        "prefect.resource.id": f"truthound.dataset.{safe_key(dataset, max_length=200)}",
        "prefect.resource.name": dataset,
    }


def _related(blocks: Sequence[tuple[str, Block | None]]) -> list[dict[str, str]]:
    from prefect.context import FlowRunContext, TaskRunContext

    related: list[dict[str, str]] = []
    flow_ctx = FlowRunContext.get()
    if flow_ctx is not None and flow_ctx.flow_run is not None:
        related.append(
            {
                "prefect.resource.id": f"prefect.flow-run.{flow_ctx.flow_run.id}",
                "prefect.resource.role": "flow-run",
                "prefect.resource.name": flow_ctx.flow_run.name,
            }
        )
    task_ctx = TaskRunContext.get()
    if task_ctx is not None:
        related.append(
            {
                "prefect.resource.id": f"prefect.task-run.{task_ctx.task_run.id}",
                "prefect.resource.role": "task-run",
                "prefect.resource.name": task_ctx.task_run.name,
            }
        )
    for role, block in blocks:
        # Only saved blocks have a document on the server to point at.
        document_id = getattr(block, "_block_document_id", None)
        if document_id is not None:
            related.append(
                {
                    "prefect.resource.id": f"prefect.block-document.{document_id}",
                    "prefect.resource.role": role,
                    "prefect.resource.name": str(getattr(block, "_block_document_name", "")),
                }
            )
    return related


def check_payload(result: QualityCheckOutput) -> dict[str, Any]:
    """The summary of a check carried by its event (rates are fractions 0..1)."""
    failed = [r.rule_name for r in result.failures]
    return {
        "status": result.status.value,
        "dataset": result.dataset,
        "engine": result.engine,
        "engine_version": result.engine_version,
        "rule_count": len(result.rule_results),
        "passed_count": result.passed_count,
        "failed_count": result.failed_count,
        "warning_count": result.warning_count,
        "pass_rate": result.pass_rate,
        "row_count": result.row_count,
        "execution_time_ms": result.execution_time_ms,
        "failed_rules": failed[:_MAX_NAMES],
        "failed_rules_truncated": len(failed) > _MAX_NAMES,
    }


def anomaly_payloads(result: QualityCheckOutput) -> list[dict[str, Any]]:
    """One payload per anomaly the check flagged (an anomaly rule that was judged and failed).

    ``observed`` is today's value, None when its column is masked (``result`` is the shown one).
    """
    from truthound_prefect.history import judged_by_history

    return [
        {
            "dataset": result.dataset,
            "rule": r.rule_name,
            "rule_type": r.rule_type,
            "column": r.column,
            "severity": r.severity.value,
            "observed": r.observed_value,
            "message": r.message,
            "check_status": result.status.value,
            "checked_at": result.timestamp.isoformat(),
        }
        for r in result.rule_results
        if judged_by_history(r.rule_type) and r.evaluated and not r.passed
    ]


def _emit(name: str, budget: ApiBudget, **kwargs: Any) -> Event | None:
    from prefect.events import emit_event

    try:
        return budget.call(f"event {name!r}", emit_event, name, **kwargs)
    except ApiUnavailable:  # logged by the budget
        return None


def emit_check_events(
    result: QualityCheckOutput,
    violations: Sequence[SLAViolation] = (),
    *,
    block: Block | None = None,
    sla_block: Block | None = None,
    monitor: str | None = None,
) -> None:
    """Emit the check's event and one ``truthound.sla.violated`` per violation."""
    try:
        dataset = result.dataset or "unnamed"
        resource = dataset_resource(dataset)
        related = _related([("data-quality-block", block), ("sla-block", sla_block)])
        payload = check_payload(result)
        payload["sla_violations"] = len(violations)
    except Exception as exc:  # a bug here must not turn a result into a crash either
        run_logger().warning("could not build events (%s: %s)", type(exc).__name__, exc)
        return
    budget = active_budget()
    check_event = _emit(
        CHECK_EVENTS[result.status], budget, resource=resource, related=related, payload=payload
    )
    for anomaly in anomaly_payloads(result):
        _emit(
            ANOMALY,
            budget,
            resource=resource,
            related=related,
            follows=check_event,
            payload=anomaly,
        )
    for violation in violations:
        _emit(
            SLA_VIOLATED,
            budget,
            resource=resource,
            related=related,
            follows=check_event,
            payload={
                **violation.to_dict(),
                "dataset": dataset,
                "monitor": monitor,
                "check_status": result.status.value,
            },
        )
