"""Service-level limits on checks: SLAConfig, SLAMonitor, SLAViolation and the SLA block.

An SLA adds limits a check's own rules cannot express: how much of the data may fail, how
long a check may take, how many rows a batch must have, how many failed checks in a row are
tolerated. ``SLAMonitor.evaluate`` compares a check result with those limits; the check task
(``sla=``) logs, renders, emits and - for ``severity="error"`` - raises the violations.

Rates are fractions 0..1 in the data; percentages appear only in messages and artifacts.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any, ClassVar, Self, cast

from prefect.blocks.core import Block
from pydantic import Field, model_validator

from truthound_dq import CheckStatus, QualityCheckOutput, Severity
from truthound_prefect._api import ApiBudget, ApiUnavailable
from truthound_prefect._context import run_logger
from truthound_prefect._keys import safe_key

__all__ = [
    "SLAConfig",
    "SLAViolation",
    "SLAMonitor",
    "SLABlock",
    "failure_rate",
    "format_value",
]

_LOGO = "https://raw.githubusercontent.com/truthound/truthound/main/docs/assets/logo.png"
_DOCS = "https://truthound.dev/docs/integrations/prefect"  # the design's documentation site

_RATES = frozenset({"max_failure_rate", "min_pass_rate"})
_COUNTS = frozenset({"min_row_count", "max_row_count", "max_consecutive_failures"})


def failure_rate(result: QualityCheckOutput) -> float:
    """The fraction 0..1 of checked values that failed a rule.

    Summed over every evaluated rule: failing rows over checked rows (a schema or table rule
    counts as one check). Warning rules count too. 0.0 when nothing was checked. This is a
    row-level measure, unlike ``pass_rate``, which is the fraction of *rules* that passed.
    """
    checked = sum(r.total_count for r in result.rule_results if r.evaluated)
    failed = sum(r.failed_count for r in result.rule_results if r.evaluated)
    return failed / checked if checked else 0.0


def format_value(limit: str, value: float) -> str:
    """Render a limit's value for people: rates as percentages, seconds with a unit."""
    if limit in _RATES:
        return f"{value:.2%}"
    if limit in _COUNTS:
        return f"{int(value):,}"
    return f"{value:,.3f} s"


@dataclass(frozen=True, slots=True, kw_only=True)
class SLAConfig:
    """Limits on a check; each is off when None.

    Attributes:
        max_failure_rate: Most failing values allowed, a fraction 0..1 of the values checked
            (see :func:`failure_rate`: failing rows over checked rows, summed over rules).
        min_pass_rate: Fewest rules that must pass, a fraction 0..1 of the rules
            (``QualityCheckOutput.pass_rate``).
        max_execution_time_seconds: Longest the check may take.
        min_row_count: Fewest rows the data must have.
        max_row_count: Most rows the data may have.
        max_consecutive_failures: Most failed checks (status ``failed``) in a row that are
            tolerated; the next one in a row is a violation. ``0`` makes any failed check one.
            The count is kept on the Prefect server, so it spans flow runs and processes.
        severity: ``"error"`` (the check task raises ``SLAViolationError``) or ``"warning"``
            (violations are logged, shown and emitted as events only).

    Raises:
        ValueError: A limit is negative, a rate is outside 0..1, a minimum exceeds its
            maximum, or the severity is unknown; every problem is named.
    """

    max_failure_rate: float | None = None
    min_pass_rate: float | None = None
    max_execution_time_seconds: float | None = None
    min_row_count: int | None = None
    max_row_count: int | None = None
    max_consecutive_failures: int | None = None
    severity: Severity = Severity.ERROR

    def __post_init__(self) -> None:
        problems: list[str] = []
        for name in ("max_failure_rate", "min_pass_rate", "max_execution_time_seconds"):
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int | float):
                problems.append(f"{name} must be a number, got {value!r}")
            elif math.isnan(value) or value < 0:
                problems.append(f"{name} must not be negative, got {value!r}")
            elif name in _RATES and value > 1:
                problems.append(
                    f"{name} is a fraction from 0 to 1, got {value!r} (for 5% write 0.05)"
                )
        for name in sorted(_COUNTS):
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int):
                problems.append(f"{name} must be a whole number, got {value!r}")
            elif value < 0:
                problems.append(f"{name} must not be negative, got {value!r}")
        low, high = self.min_row_count, self.max_row_count
        if isinstance(low, int) and isinstance(high, int) and low > high:
            problems.append(f"min_row_count {low} is greater than max_row_count {high}")
        try:
            object.__setattr__(self, "severity", Severity(self.severity))
        except ValueError:
            problems.append(f"severity must be 'warning' or 'error', got {self.severity!r}")
        if problems:
            raise ValueError("invalid SLA: " + "; ".join(problems))

    @property
    def limits(self) -> dict[str, float]:
        """The limits that are set, by name."""
        return {
            f.name: getattr(self, f.name)
            for f in fields(self)
            if f.name != "severity" and getattr(self, f.name) is not None
        }

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict; :meth:`from_dict` reads it back."""
        return {
            **{f.name: getattr(self, f.name) for f in fields(self)},
            "severity": self.severity.value,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Build a config from :meth:`to_dict` output (unknown keys are an error)."""
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"invalid SLA: unknown key(s) {unknown}; known: {sorted(known)}")
        return cls(**dict(data))


@dataclass(frozen=True, slots=True, kw_only=True)
class SLAViolation:
    """One limit a check broke.

    Attributes:
        limit: The ``SLAConfig`` field, e.g. ``max_failure_rate``.
        observed: What the check showed (a fraction for rates, seconds, rows or checks).
        threshold: The limit's value.
        severity: ``error`` or ``warning``, from the config.
        message: A sentence saying what was found, for logs and artifacts.
    """

    limit: str
    observed: float
    threshold: float
    severity: Severity
    message: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict; :meth:`from_dict` reads it back."""
        return {
            "limit": self.limit,
            "observed": self.observed,
            "threshold": self.threshold,
            "severity": self.severity.value,
            "message": self.message,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Rebuild a violation written by :meth:`to_dict`."""
        return cls(
            limit=str(data["limit"]),
            observed=data["observed"],
            threshold=data["threshold"],
            severity=Severity(data["severity"]),
            message=str(data.get("message", "")),
        )


class SLAMonitor:
    """Evaluates check results against an :class:`SLAConfig`.

    The consecutive-failure count lives on the Prefect server, in the Variable
    :attr:`variable_name`, so every flow run - each deployment run a new process - adds to
    the same count. Only monitors with ``max_consecutive_failures`` touch the server.
    Two runs updating the same monitor at the same instant may lose one update (a Variable
    has no compare-and-set); give concurrent flows their own monitor names.

    Args:
        name: Names the count; the check task uses the dataset name by default.
        config: The limits.
    """

    variable_prefix: ClassVar[str] = "truthound-sla-"

    def __init__(self, name: str, config: SLAConfig) -> None:
        if not name:
            raise ValueError("an SLAMonitor needs a non-empty name")
        if not isinstance(config, SLAConfig):
            raise TypeError(f"config must be an SLAConfig, got {type(config).__name__}")
        self.name = name
        self.config = config

    def __repr__(self) -> str:
        return f"SLAMonitor({self.name!r}, {self.config!r})"

    @property
    def variable_name(self) -> str:
        """The Prefect Variable holding the count (Prefect allows ``[a-z0-9_-]``, 255 chars)."""
        return safe_key(f"{self.variable_prefix}{self.name}", max_length=255, unique=True)

    def consecutive_failures(self) -> int:
        """Failed checks in a row so far, as stored on the Prefect server."""
        from prefect.variables import Variable

        stored = Variable.get(self.variable_name, default=None, _sync=True)  # type: ignore[call-overload]
        if isinstance(stored, dict):
            return int(cast(dict[str, Any], stored).get("consecutive_failures", 0))
        return 0

    def reset(self) -> None:
        """Forget the count (deletes the Variable)."""
        from prefect.variables import Variable

        Variable.unset(self.variable_name, _sync=True)  # type: ignore[call-arg]

    def _record(self, result: QualityCheckOutput) -> int:
        from prefect.variables import Variable

        # ``_sync=True``: checks run in worker threads and in sync tasks inside async flows,
        # where Prefect's dispatch would otherwise hand back an un-awaited coroutine.
        failed = result.status is CheckStatus.FAILED
        count = self.consecutive_failures() + 1 if failed else 0
        value = {
            "consecutive_failures": count,
            "last_status": result.status.value,
            "last_check": result.timestamp.isoformat(),
            "monitor": self.name[:200],
        }
        Variable.set(  # type: ignore[call-arg]
            self.variable_name, value, tags=["truthound-sla"], overwrite=True, _sync=True
        )
        return count

    def evaluate(
        self, result: QualityCheckOutput, *, budget: ApiBudget | None = None
    ) -> list[SLAViolation]:
        """The limits ``result`` breaks, in the order of :class:`SLAConfig`'s fields.

        Also records the result in the consecutive-failure count when that limit is set
        (a failed check adds one, any other resets it to zero). If the Prefect API cannot
        be reached within ``budget`` (default: a fresh budget of
        ``DEFAULT_API_TIMEOUT_SECONDS``), the count is unknown: a warning says so and that
        limit is neither met nor broken this time - never a crash.
        """
        c = self.config
        found: list[SLAViolation] = []

        def broke(limit: str, observed: float, threshold: float, what: str, side: str) -> None:
            shown = format_value(limit, observed)
            bound = format_value(limit, threshold)
            found.append(
                SLAViolation(
                    limit=limit,
                    observed=observed,
                    threshold=threshold,
                    severity=c.severity,
                    message=f"{what} {shown} is {side} the SLA's {limit} {bound}",
                )
            )

        if c.max_failure_rate is not None:
            rate = failure_rate(result)
            if rate > c.max_failure_rate:
                broke("max_failure_rate", rate, c.max_failure_rate, "failure rate", "above")
        if c.min_pass_rate is not None and result.pass_rate < c.min_pass_rate:
            broke("min_pass_rate", result.pass_rate, c.min_pass_rate, "pass rate", "below")
        if c.max_execution_time_seconds is not None:
            seconds = result.execution_time_ms / 1000
            if seconds > c.max_execution_time_seconds:
                broke(
                    "max_execution_time_seconds",
                    seconds,
                    c.max_execution_time_seconds,
                    "execution time",
                    "above",
                )
        if c.min_row_count is not None and result.row_count < c.min_row_count:
            broke("min_row_count", result.row_count, c.min_row_count, "row count", "below")
        if c.max_row_count is not None and result.row_count > c.max_row_count:
            broke("max_row_count", result.row_count, c.max_row_count, "row count", "above")
        if c.max_consecutive_failures is not None:
            count = self._guarded_record(result, budget or ApiBudget())
            if count is not None and count > c.max_consecutive_failures:
                broke(
                    "max_consecutive_failures",
                    count,
                    c.max_consecutive_failures,
                    "consecutive failed checks",
                    "above",
                )
        return found

    def _guarded_record(self, result: QualityCheckOutput, budget: ApiBudget) -> int | None:
        try:
            return budget.call(
                f"SLA consecutive-failure count of {self.name!r} (Variable {self.variable_name!r})",
                self._record,
                result,
            )
        except ApiUnavailable:
            run_logger().warning(
                "SLA %r: the consecutive-failure count is unknown this run, so "
                "max_consecutive_failures is not evaluated",
                self.name,
            )
            return None


class SLABlock(Block):
    """SLA limits for data-quality checks, saved on the Prefect server.

    Pass it (or its saved name) as ``sla=`` to the check task, the flow decorators or the
    flow factories. Rates are fractions from 0 to 1; a field left empty is no limit.

    Examples:
        Load a saved SLA and check with it:
        ```python
        from truthound_prefect import SLABlock, data_quality_check_task

        sla_block = SLABlock.load("BLOCK_NAME")
        result = data_quality_check_task(data, rules=rules, sla=sla_block)
        ```
    """

    _block_type_name: ClassVar[str] = "SLA"
    _block_type_slug: ClassVar[str] = "sla"
    _logo_url: ClassVar[Any] = _LOGO
    _documentation_url: ClassVar[Any] = _DOCS
    _description: ClassVar[str] = (
        "Service-level limits on data-quality checks: failure and pass rates, duration, "
        "row counts and consecutive failures."
    )

    max_failure_rate: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="Most failing values allowed, a fraction 0..1 of the values checked.",
    )
    min_pass_rate: float | None = Field(
        default=None,
        ge=0,
        le=1,
        description="Fewest rules that must pass, a fraction 0..1 of the rules.",
    )
    max_execution_time_seconds: float | None = Field(
        default=None, ge=0, description="Longest a check may take, in seconds."
    )
    min_row_count: int | None = Field(
        default=None, ge=0, description="Fewest rows the data must have."
    )
    max_row_count: int | None = Field(
        default=None, ge=0, description="Most rows the data may have."
    )
    max_consecutive_failures: int | None = Field(
        default=None,
        ge=0,
        description="Most failed checks in a row tolerated across flow runs; the next is a "
        "violation.",
    )
    severity: Severity = Field(
        default=Severity.ERROR,
        description="'error' fails the check task on a violation; 'warning' only reports it.",
    )

    @model_validator(mode="after")
    def _limits_agree(self) -> Self:
        self.to_config()  # raises ValueError naming every problem (e.g. min above max)
        return self

    def to_config(self) -> SLAConfig:
        """The limits as an :class:`SLAConfig`."""
        return SLAConfig(
            max_failure_rate=self.max_failure_rate,
            min_pass_rate=self.min_pass_rate,
            max_execution_time_seconds=self.max_execution_time_seconds,
            min_row_count=self.min_row_count,
            max_row_count=self.max_row_count,
            max_consecutive_failures=self.max_consecutive_failures,
            severity=self.severity,
        )

    @classmethod
    def from_config(cls, config: SLAConfig) -> SLABlock:
        """A block holding ``config``'s limits (save it to share them)."""
        return cls(**config.to_dict())

    def monitor(self, name: str) -> SLAMonitor:
        """An :class:`SLAMonitor` with this block's limits; ``name`` names its count."""
        return SLAMonitor(name, self.to_config())
