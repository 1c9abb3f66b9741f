"""From counts to results: what an adapter returns, applicability, and the ``RuleResult``s."""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from truthound_dq._dtypes import describe_dtype
from truthound_dq._engine import RuleCounts
from truthound_dq._messages import describe_counts
from truthound_dq._results import JSONScalar, Origin, RuleResult
from truthound_dq._rule import Rule

__all__ = ["NativeCounts", "as_native", "inapplicable", "to_result", "not_evaluated"]


@dataclass(frozen=True, slots=True)
class NativeCounts:
    """What an adapter returns for one natively evaluated rule.

    Attributes:
        failed_count: Failing rows (1 or 0 for dtype, column_exists and row_count).
        total_count: Rows evaluated, or None to let the base compute the canonical total
            (all rows for not_null, the non-missing rows for value rules, 1 for single checks).
        sample_values: Failing values in row order, or None to let the base take them with
            the canonical failure mask (only when ``failed_count`` > 0).
    """

    failed_count: int
    total_count: int | None = None
    sample_values: tuple[JSONScalar, ...] | None = None


def inapplicable(rule: Rule, schema: pl.Schema) -> str | None:
    """Why a rule cannot be evaluated on this schema, or None if it can."""
    if rule.column is None or rule.checks_presence:
        return None
    if rule.column not in schema:
        available = ", ".join(map(repr, schema.names())) or "(no columns)"
        return f"column {rule.column!r} not found; the data has: {available}"
    dtype = schema[rule.column]
    if dtype == pl.Null:
        # All missing: every value rule passes over zero rows, not_null fails every row.
        return None
    why = rule.inapplicable(dtype)
    return None if why is None else f"column {rule.column!r} is {describe_dtype(dtype)}; {why}"


def _passes(failed: int, total: int, mostly: float) -> bool:
    # Integer division gives the correctly rounded float, the same one a decimal ``mostly``
    # literal parses to, so 7 of 10 passes mostly=0.7 (multiplying would not).
    return total == 0 or (total - failed) / total >= mostly


def as_native(value: NativeCounts | RuleCounts) -> NativeCounts:
    if isinstance(value, NativeCounts):
        return value
    if isinstance(value, RuleCounts):
        return NativeCounts(value.failed_count, value.total_count, value.sample_values)
    raise TypeError(f"an adapter must return NativeCounts, got {type(value).__name__}")


def to_result(  # noqa: PLR0917 - private, called once
    rule: Rule,
    counts: RuleCounts,
    sample_size: int,
    origin: Origin,
    evaluated_by: str,
    schema: pl.Schema,
    row_count: int,
) -> RuleResult:
    failed, total = counts.failed_count, counts.total_count
    passed = _passes(failed, total, rule.mostly)
    return RuleResult(
        rule_name=rule.name,
        rule_type=str(rule.type),
        column=rule.column,
        severity=rule.severity,
        passed=passed,
        failed_count=failed,
        total_count=total,
        sample_values=tuple(counts.sample_values[:sample_size]) if failed else (),
        message=describe_counts(rule, passed, failed, total, schema, row_count),
        mostly=rule.mostly,
        origin=origin,
        evaluated_by=evaluated_by,
    )


def not_evaluated(rule: Rule, why: str, origin: Origin) -> RuleResult:
    return RuleResult(
        rule_name=rule.name,
        rule_type=str(rule.type),
        column=rule.column,
        severity=rule.severity,
        passed=False,
        failed_count=0,
        total_count=0,
        message=f"not evaluated: {why}",
        mostly=rule.mostly,
        evaluated=False,
        origin=origin,
    )
