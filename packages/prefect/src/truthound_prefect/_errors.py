"""Errors of the Prefect layer."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from truthound_dq import EngineError, QualityCheckOutput, TruthoundDQError

if TYPE_CHECKING:
    from truthound_prefect.sla import SLAViolation

__all__ = ["DataQualityError", "CheckTimeoutError", "SLAViolationError", "MaskedEngineError"]


class DataQualityError(TruthoundDQError):
    """A check failed (an error-severity rule did not pass); carries the full result.

    Raised only after the check's artifacts are written. Engine and infrastructure faults
    raise other errors (``truthound_dq.EngineError``, ``CheckTimeoutError``), so a failed
    check can be told apart from a broken one - and is never retried.

    Attributes:
        result: The complete check result.
        shown: The result as it may leave the process (``mask_columns`` applied); what a
            pickled copy carries, since Prefect may persist a failed run's exception.
    """

    def __init__(
        self,
        result: QualityCheckOutput,
        message: str | None = None,
        *,
        shown: QualityCheckOutput | None = None,
    ) -> None:
        self.result = result
        self.shown = shown or result
        super().__init__(message or _describe(self.shown))

    def __reduce__(self) -> tuple[Any, ...]:
        # Prefect pickles a failed run's exception into its state: never the masked values.
        return (type(self), (self.shown, str(self)))


def _describe(result: QualityCheckOutput) -> str:
    failing = [r for r in result.failures if r.severity.value == "error"]
    names = ", ".join(r.rule_name for r in failing[:5]) + (", ..." if len(failing) > 5 else "")
    where = f" on {result.dataset!r}" if result.dataset else ""
    return (
        f"data quality check{where} failed: {len(failing)} of {len(result.rule_results)} rules "
        f"failed ({names}) over {result.row_count:,} rows with engine {result.engine}"
    )


class CheckTimeoutError(TruthoundDQError, TimeoutError):
    """The engine did not finish within the block's ``timeout_seconds``."""


class SLAViolationError(TruthoundDQError):
    """A check broke an SLA limit of severity ``error``; carries the violations and result.

    Raised by the check task after the artifacts are written and the events emitted, and
    never retried (the same data breaks the same limits).

    Attributes:
        violations: Every limit broken (all of them, whatever their severity).
        result: The complete check result.
        shown: The result as it may leave the process (see ``DataQualityError.shown``).
    """

    def __init__(
        self,
        violations: Sequence[SLAViolation],
        result: QualityCheckOutput,
        message: str | None = None,
        *,
        shown: QualityCheckOutput | None = None,
    ) -> None:
        self.violations = tuple(violations)
        self.result = result
        self.shown = shown or result
        where = f" on {result.dataset!r}" if result.dataset else ""
        super().__init__(
            message or f"SLA violated{where}: " + "; ".join(v.message for v in self.violations)
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.violations, self.shown, str(self)))


class MaskedEngineError(EngineError):
    """An engine fault during a check with ``mask_columns``: its text is not kept.

    An engine's own message may quote the data (``invalid value 'jane@example.com'``), and
    a task's exception reaches the Prefect server, its logs and the flow's state. So with
    ``mask_columns`` the fault is re-raised without its text or its chained causes: only the
    exception types remain, and whether it was an input error (never retried) or a fault
    worth a retry is decided before the text is dropped.

    Attributes:
        kinds: The exception types of the original chain, outermost first.
        input_error: Whether the original was a deterministic input error (not retried).
    """

    def __init__(self, engine: str, kinds: tuple[str, ...], *, input_error: bool) -> None:
        self.kinds = kinds
        self.input_error = input_error
        super().__init__(
            f"{engine} raised during the check: {' <- '.join(kinds)} (its message is hidden "
            "because mask_columns is set: it may quote masked values; run the check without "
            "mask_columns, outside production, to see it)",
            engine=engine,
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild_masked, (self.engine, self.kinds, self.input_error))


def _rebuild_masked(engine: str, kinds: tuple[str, ...], input_error: bool) -> MaskedEngineError:
    return MaskedEngineError(engine, kinds, input_error=input_error)
