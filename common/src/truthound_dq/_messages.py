"""One sentence per rule result, the same on every engine."""

from __future__ import annotations

from typing import TYPE_CHECKING

import polars as pl

if TYPE_CHECKING:
    from truthound_dq._results import RuleResult
    from truthound_dq._rule import Rule

__all__ = ["describe_result", "describe_counts", "format_bounds"]


def format_bounds(
    low: float | str | None,
    high: float | str | None,
    *,
    strict_min: bool = False,
    strict_max: bool = False,
) -> str:
    """``[0, 150]``, ``[0, ∞)``, ``(-∞, 150]``, ``(0, 10]`` (strict) or ``[2024-01-01, ∞)``."""

    def shown(bound: float | str) -> str:
        return bound if isinstance(bound, str) else f"{bound:,}"

    left = f"{'(' if strict_min else '['}{shown(low)}" if low is not None else "(-∞"
    right = f"{shown(high)}{')' if strict_max else ']'}" if high is not None else "∞)"
    return f"{left}, {right}"


def describe_result(rule: Rule, result: RuleResult, schema: pl.Schema, row_count: int) -> str:
    """A sentence for an evaluated rule, e.g. ``3 of 100 non-missing values (3.00%) are ...``."""
    return describe_counts(
        rule, result.passed, result.failed_count, result.total_count, schema, row_count
    )


def describe_counts(  # noqa: PLR0917 - the parts of a result, before it exists
    rule: Rule,
    passed: bool,
    failed: int,
    total: int,
    schema: pl.Schema,
    row_count: int,
    verdict_text: str | None = None,
) -> str:
    """:func:`describe_result` from the counts (the result is built with its message).

    ``verdict_text``: a table rule's own message (its ``describe_verdict``), if known.
    """
    from truthound_dq._rule import RuleKind

    if rule.kind is RuleKind.TABLE:
        dtype = schema.get(rule.column) if rule.column is not None else None
        text = verdict_text or rule.describe_check(passed, dtype, row_count)
        if rule.column is not None and rule.column not in schema and not passed:
            available = ", ".join(map(repr, schema.names())) or "(no columns)"
            if "the data has" not in text:
                text += f"; the data has: {available}"
        return text
    unit = rule.unit()
    scope = f" where {rule.where}" if rule.where is not None else ""
    if total == 0:
        return f"no {unit}{scope} to check"
    if failed == 0:
        return f"all {total:,} {unit}{scope} pass"
    text = f"{failed:,} of {total:,} {unit}{scope} ({failed / total:.2%}) {rule.problem()}"
    if rule.max_failures is not None:
        verdict = "within" if failed <= rule.max_failures else "over"
        text += f"; {verdict} max_failures={rule.max_failures:,}"
    if rule.mostly < 1:
        verdict = "meets" if passed else "misses"
        text += f"; {verdict} mostly={rule.mostly:g} (at least {rule.mostly:.2%} must pass)"
    return text
