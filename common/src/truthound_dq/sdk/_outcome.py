"""From counts to results: what an adapter returns, applicability, and the ``RuleResult``s."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import polars as pl

from truthound_dq._engine import RuleCounts
from truthound_dq._messages import describe_counts
from truthound_dq._results import JSONScalar, Origin, RuleResult, json_scalar
from truthound_dq._rule import CheckContext, Rule, RuleKind

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
        observed_value: For a table rule that observes the data (aggregate, freshness): the
            statistic the engine computed (Python-typed). The base decides the verdict from it
            with the rule's own ``verdict``, the same on every engine.
    """

    failed_count: int
    total_count: int | None = None
    sample_values: tuple[JSONScalar, ...] | None = None
    observed_value: Any = None


def inapplicable(rule: Rule, schema: pl.Schema) -> str | None:
    """Why a rule cannot be evaluated on this schema, or None if it can."""
    if rule.checks_presence:
        return None
    available = ", ".join(map(repr, schema.names())) or "(no columns)"
    for column in rule.columns_read():
        if column not in schema:
            return (
                f"{_named_by(rule, column)}column {column!r} not found; the data has: {available}"
            )
    return rule.inapplicable_in(schema)


def _named_by(rule: Rule, column: str) -> str:
    """``" (named in 'where')"`` when only the rule's ``where`` names ``column``."""
    from truthound_dq._sql import sql_columns

    if rule.where is None or column not in sql_columns(rule.where):
        return ""
    own = [c for c in rule.columns_read() if c not in sql_columns(rule.where)]
    return "" if column in own or column == rule.column else " (named in 'where')"


def _passes(failed: int, total: int, mostly: float, max_failures: int | None = None) -> bool:
    # Integer division gives the correctly rounded float, the same one a decimal ``mostly``
    # literal parses to, so 7 of 10 passes mostly=0.7 (multiplying would not).
    if max_failures is not None:
        if failed > max_failures:
            return False
        if mostly >= 1:  # mostly left at its default: max_failures alone decides
            return True
    return total == 0 or (total - failed) / total >= mostly


def as_native(value: NativeCounts | RuleCounts) -> NativeCounts:
    if isinstance(value, NativeCounts):
        return value
    if isinstance(value, RuleCounts):
        return NativeCounts(
            value.failed_count, value.total_count, value.sample_values, value.observed_value
        )
    raise TypeError(f"an adapter must return NativeCounts, got {type(value).__name__}")


def to_result(  # noqa: PLR0917 - private, called once
    rule: Rule,
    counts: RuleCounts,
    sample_size: int,
    origin: Origin,
    evaluated_by: str,
    context: CheckContext,
) -> RuleResult:
    failed, total = counts.failed_count, counts.total_count
    if rule.kind is RuleKind.TABLE:
        passed = failed == 0
        observed = counts.observed_value
        why = rule.undefined(observed, context)
        message = why if why is not None else rule.describe_verdict(passed, observed, context)
        message = describe_counts(
            rule, passed, failed, total, context.schema, context.row_count, message
        )
    else:
        passed = _passes(failed, total, rule.mostly, rule.max_failures)
        observed = None
        message = describe_counts(rule, passed, failed, total, context.schema, context.row_count)
    return RuleResult(
        rule_name=rule.name,
        rule_type=str(rule.type),
        column=rule.column,
        severity=rule.severity,
        passed=passed,
        failed_count=failed,
        total_count=total,
        sample_values=tuple(counts.sample_values[:sample_size]) if failed else (),
        message=message,
        mostly=rule.mostly,
        origin=origin,
        evaluated_by=evaluated_by,
        observed_value=json_scalar(observed),
        max_failures=rule.max_failures,
        columns=rule.columns_read(),
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
        max_failures=rule.max_failures,
        columns=rule.columns_read(),
    )
