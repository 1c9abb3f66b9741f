"""Results of check, profile and learn: frozen, picklable, JSON round-trip with primitives only.

Rates are fractions 0..1 everywhere; they become percentages only when rendered.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Self

from truthound_dq._rules import Severity

__all__ = [
    "CheckStatus",
    "Origin",
    "JSONScalar",
    "RuleResult",
    "QualityCheckOutput",
    "ColumnProfile",
    "ProfileOutput",
    "LearnedRule",
    "ColumnSchema",
    "LearnOutput",
    "json_scalar",
]

JSONScalar = str | int | float | bool | None


class CheckStatus(StrEnum):
    """Outcome of a check: FAILED if an error rule failed, WARNING if only warnings did."""

    PASSED = "passed"
    WARNING = "warning"
    FAILED = "failed"


class Origin(StrEnum):
    """Where a rule result comes from: the user's rules or the ``auto_schema`` baseline."""

    USER = "user"
    BASELINE = "baseline"


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def json_scalar(value: object) -> JSONScalar:
    """Turn a data value into a JSON primitive (dates to ISO text, non-finite floats to text)."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.hex()
    return str(value)


def _ts(value: dt.datetime) -> str:
    return value.isoformat()


def _parse_ts(value: str) -> dt.datetime:
    return dt.datetime.fromisoformat(value)


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleResult:
    """The outcome of one rule.

    Attributes:
        rule_name: The rule's unique name, e.g. ``not_null(id)``.
        rule_type: The rule type, e.g. ``not_null``.
        column: The column, or None for table-level rules.
        severity: ``error`` or ``warning``.
        passed: Whether ``(total - failed) / total >= mostly`` and ``failed <= max_failures``
            (a rule over no rows passes; with ``max_failures`` and ``mostly`` left at 1, only
            ``max_failures`` decides).
        failed_count: Rows (or, for schema and table rules, checks) that failed.
        total_count: Rows the rule was evaluated on (see ``docs/rules.md``).
        sample_values: A few failing values, JSON primitives, in row order (on Spark, which
            has no row order: some failing values).
        message: A sentence saying what was found.
        mostly: The fraction of rows that had to pass.
        evaluated: False when the rule could not be applied (column missing, wrong dtype).
        origin: ``user`` for the rules given, ``baseline`` for ``auto_schema`` additions.
        evaluated_by: Who computed the counts: the engine's name when its own validators
            did, ``truthound_dq`` when the shared Polars implementation did (the engine has
            no faithful equivalent), empty when the rule was not evaluated.
        observed_value: What a table rule measured (an aggregate's statistic, the newest value
            for freshness), as a JSON primitive; None for other rules.
        max_failures: The most failing rows the rule allowed (None: no such limit).
        columns: Every column the rule reads (its ``column``, the others it names, and the
            columns of its ``where``), so masking can tell which values a result shows.
    """

    rule_name: str
    rule_type: str
    column: str | None
    severity: Severity
    passed: bool
    failed_count: int
    total_count: int
    sample_values: tuple[JSONScalar, ...] = ()
    message: str = ""
    mostly: float = 1.0
    evaluated: bool = True
    origin: Origin = Origin.USER
    evaluated_by: str = ""
    observed_value: JSONScalar = None
    max_failures: int | None = None
    columns: tuple[str, ...] = ()

    @property
    def failure_rate(self) -> float:
        """Failed over total, a fraction 0..1 (0.0 over no rows)."""
        return self.failed_count / self.total_count if self.total_count else 0.0

    @property
    def pass_rate(self) -> float:
        """Passing over total, a fraction 0..1 (1.0 over no rows)."""
        return 1.0 - self.failure_rate

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict; :meth:`from_dict` reads it back."""
        return {
            "rule_name": self.rule_name,
            "rule_type": self.rule_type,
            "column": self.column,
            "severity": self.severity.value,
            "passed": self.passed,
            "failed_count": self.failed_count,
            "total_count": self.total_count,
            "pass_rate": self.pass_rate,
            "sample_values": list(self.sample_values),
            "message": self.message,
            "mostly": self.mostly,
            "evaluated": self.evaluated,
            "origin": self.origin.value,
            "evaluated_by": self.evaluated_by,
            "observed_value": self.observed_value,
            "max_failures": self.max_failures,
            "columns": list(self.columns),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Rebuild a result written by :meth:`to_dict`."""
        return cls(
            rule_name=data["rule_name"],
            rule_type=data["rule_type"],
            column=data.get("column"),
            severity=Severity(data["severity"]),
            passed=bool(data["passed"]),
            failed_count=int(data["failed_count"]),
            total_count=int(data["total_count"]),
            sample_values=tuple(data.get("sample_values", ())),
            message=data.get("message", ""),
            mostly=float(data.get("mostly", 1.0)),
            evaluated=bool(data.get("evaluated", True)),
            origin=Origin(data.get("origin", Origin.USER)),
            evaluated_by=str(data.get("evaluated_by", "")),
            observed_value=data.get("observed_value"),
            max_failures=(
                int(data["max_failures"]) if data.get("max_failures") is not None else None
            ),
            columns=tuple(data.get("columns") or ()),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class QualityCheckOutput:
    """The result of one check: a result per rule plus what the check ran on.

    The status and counts are derived from ``rule_results``, so they cannot disagree.

    Attributes:
        rule_results: One result per rule, in the order given (baseline additions last).
        row_count: Rows in the data checked.
        execution_time_ms: Wall time of the check.
        engine: Name of the engine that ran it.
        engine_version: Version of the engine library.
        timestamp: The check's time (UTC): ``now=`` if given, else when it started.
        dataset: The dataset name given for ``auto_schema``, if any.
        notes: Remarks about the run, e.g. what ``auto_schema`` did.
    """

    rule_results: tuple[RuleResult, ...]
    row_count: int
    execution_time_ms: float = 0.0
    engine: str = ""
    engine_version: str = ""
    timestamp: dt.datetime = field(default_factory=_now)
    dataset: str | None = None
    notes: tuple[str, ...] = ()

    @property
    def status(self) -> CheckStatus:
        """FAILED if an error-severity rule failed, WARNING if only warning rules failed."""
        failing = [r for r in self.rule_results if not r.passed]
        if any(r.severity is Severity.ERROR for r in failing):
            return CheckStatus.FAILED
        return CheckStatus.WARNING if failing else CheckStatus.PASSED

    @property
    def is_success(self) -> bool:
        """True unless the status is FAILED (warnings do not fail a check)."""
        return self.status is not CheckStatus.FAILED

    @property
    def passed_count(self) -> int:
        """Rules that passed."""
        return sum(r.passed for r in self.rule_results)

    @property
    def failed_count(self) -> int:
        """Error-severity rules that failed."""
        return sum(not r.passed and r.severity is Severity.ERROR for r in self.rule_results)

    @property
    def warning_count(self) -> int:
        """Warning-severity rules that failed."""
        return sum(not r.passed and r.severity is Severity.WARNING for r in self.rule_results)

    @property
    def failures(self) -> tuple[RuleResult, ...]:
        """The rules that did not pass (errors and warnings)."""
        return tuple(r for r in self.rule_results if not r.passed)

    @property
    def pass_rate(self) -> float:
        """Fraction 0..1 of rules that passed (1.0 when there are no rules)."""
        total = len(self.rule_results)
        return self.passed_count / total if total else 1.0

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict, derived fields included; :meth:`from_dict` reads it back."""
        return {
            "status": self.status.value,
            "passed_count": self.passed_count,
            "failed_count": self.failed_count,
            "warning_count": self.warning_count,
            "pass_rate": self.pass_rate,
            "row_count": self.row_count,
            "execution_time_ms": self.execution_time_ms,
            "engine": self.engine,
            "engine_version": self.engine_version,
            "timestamp": _ts(self.timestamp),
            "dataset": self.dataset,
            "notes": list(self.notes),
            "rule_results": [r.to_dict() for r in self.rule_results],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Rebuild a result written by :meth:`to_dict` (derived fields are recomputed)."""
        return cls(
            rule_results=tuple(RuleResult.from_dict(r) for r in data["rule_results"]),
            row_count=int(data["row_count"]),
            execution_time_ms=float(data.get("execution_time_ms", 0.0)),
            engine=data.get("engine", ""),
            engine_version=data.get("engine_version", ""),
            timestamp=_parse_ts(data["timestamp"]) if "timestamp" in data else _now(),
            dataset=data.get("dataset"),
            notes=tuple(data.get("notes", ())),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class ColumnProfile:
    """Statistics of one column. Missing means null, or NaN in a float column.

    Attributes:
        column_name: The column.
        dtype: Its Polars dtype, as Polars prints it.
        null_count: Missing values.
        null_rate: Missing over rows, a fraction 0..1 (``null_percentage`` is the percent).
        unique_count: Distinct non-missing values.
        min: Smallest non-missing value (numbers, strings, dates), else None.
        max: Largest non-missing value, else None.
        mean: Mean of a numeric column, else None.
    """

    column_name: str
    dtype: str
    null_count: int
    null_rate: float
    unique_count: int
    min: JSONScalar = None
    max: JSONScalar = None
    mean: float | None = None

    @property
    def null_percentage(self) -> float:
        """Missing over rows as a percent, 0..100 (the design's name; ``null_rate`` is 0..1).

        Derived from ``null_rate``, so it is not stored: JSON holds the fraction only.
        """
        return self.null_rate * 100

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "column_name": self.column_name,
            "dtype": self.dtype,
            "null_count": self.null_count,
            "null_rate": self.null_rate,
            "unique_count": self.unique_count,
            "min": self.min,
            "max": self.max,
            "mean": self.mean,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Rebuild from :meth:`to_dict`."""
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


@dataclass(frozen=True, slots=True, kw_only=True)
class ProfileOutput:
    """The profile of a dataset.

    Attributes:
        row_count: Rows profiled.
        columns: One profile per column, in the data's order.
        produced_by: What computed the statistics, e.g. ``truthound.profile`` or the shared
            Polars implementation for engines without a profiler.
    """

    row_count: int
    columns: tuple[ColumnProfile, ...]
    produced_by: str = ""
    execution_time_ms: float = 0.0
    engine: str = ""
    engine_version: str = ""
    timestamp: dt.datetime = field(default_factory=_now)

    def column(self, name: str) -> ColumnProfile:
        """The profile of one column by name."""
        for col in self.columns:
            if col.column_name == name:
                return col
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "row_count": self.row_count,
            "columns": [c.to_dict() for c in self.columns],
            "produced_by": self.produced_by,
            "execution_time_ms": self.execution_time_ms,
            "engine": self.engine,
            "engine_version": self.engine_version,
            "timestamp": _ts(self.timestamp),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Rebuild from :meth:`to_dict`."""
        return cls(
            row_count=int(data["row_count"]),
            columns=tuple(ColumnProfile.from_dict(c) for c in data["columns"]),
            produced_by=data.get("produced_by", ""),
            execution_time_ms=float(data.get("execution_time_ms", 0.0)),
            engine=data.get("engine", ""),
            engine_version=data.get("engine_version", ""),
            timestamp=_parse_ts(data["timestamp"]) if "timestamp" in data else _now(),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class LearnedRule:
    """A rule inferred from data.

    Attributes:
        column: The column (None for table-level rules).
        rule_type: A rule type of the vocabulary.
        parameters: The rule's parameters (``min``, ``values``...), JSON values.
        confidence: How sure the engine is, 0..1.
    """

    column: str | None
    rule_type: str
    parameters: Mapping[str, Any] = field(default_factory=dict)
    confidence: float = 1.0

    def to_rule(self) -> dict[str, Any]:
        """The rule dict that ``check`` accepts."""
        rule: dict[str, Any] = {"type": self.rule_type}
        if self.column is not None:
            rule["column"] = self.column
        rule.update(self.parameters)
        return rule

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "column": self.column,
            "rule_type": self.rule_type,
            "parameters": dict(self.parameters),
            "confidence": self.confidence,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Rebuild from :meth:`to_dict`."""
        return cls(
            column=data.get("column"),
            rule_type=data["rule_type"],
            parameters=dict(data.get("parameters", {})),
            confidence=float(data.get("confidence", 1.0)),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class ColumnSchema:
    """A column's name and Polars dtype, as Polars prints it."""

    name: str
    dtype: str


@dataclass(frozen=True, slots=True, kw_only=True)
class LearnOutput:
    """Rules (and the schema) learned from a dataset.

    Attributes:
        rules: The learned rules; :meth:`to_rules` turns them into rule dicts for ``check``.
        columns: The schema the rules were learned from.
        produced_by: What inferred the rules (the engine, or the shared Polars implementation).
    """

    rules: tuple[LearnedRule, ...]
    columns: tuple[ColumnSchema, ...] = ()
    row_count: int = 0
    produced_by: str = ""
    execution_time_ms: float = 0.0
    engine: str = ""
    engine_version: str = ""
    timestamp: dt.datetime = field(default_factory=_now)

    def to_rules(self, *, min_confidence: float = 0.0) -> list[dict[str, Any]]:
        """Rule dicts accepted by ``check``, optionally only the confident ones."""
        return [r.to_rule() for r in self.rules if r.confidence >= min_confidence]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "rules": [r.to_dict() for r in self.rules],
            "columns": [{"name": c.name, "dtype": c.dtype} for c in self.columns],
            "row_count": self.row_count,
            "produced_by": self.produced_by,
            "execution_time_ms": self.execution_time_ms,
            "engine": self.engine,
            "engine_version": self.engine_version,
            "timestamp": _ts(self.timestamp),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Rebuild from :meth:`to_dict`."""
        return cls(
            rules=tuple(LearnedRule.from_dict(r) for r in data["rules"]),
            columns=tuple(ColumnSchema(**c) for c in data.get("columns", ())),
            row_count=int(data.get("row_count", 0)),
            produced_by=data.get("produced_by", ""),
            execution_time_ms=float(data.get("execution_time_ms", 0.0)),
            engine=data.get("engine", ""),
            engine_version=data.get("engine_version", ""),
            timestamp=_parse_ts(data["timestamp"]) if "timestamp" in data else _now(),
        )
