"""One sentence per rule result, the same on every engine."""

from __future__ import annotations

import polars as pl

from truthound_dq._dtypes import describe_dtype
from truthound_dq._results import RuleResult
from truthound_dq._rules import (
    ColumnExists,
    DType,
    InRange,
    InSet,
    NotInSet,
    NotNull,
    Regex,
    RowCount,
    Rule,
    StrLength,
    Unique,
)

__all__ = ["describe_result", "format_bounds"]


def format_bounds(low: float | None, high: float | None) -> str:
    """``[0, 150]``, ``[0, ∞)`` or ``(-∞, 150]``."""
    left = f"[{low:,}" if low is not None else "(-∞"
    right = f"{high:,}]" if high is not None else "∞)"
    return f"{left}, {right}"


def _values(values: tuple[object, ...], limit: int = 6) -> str:
    shown = ", ".join(map(repr, values[:limit]))
    return "{" + shown + (", ..." if len(values) > limit else "") + "}"


def _problem(rule: Rule) -> str:
    if isinstance(rule, NotNull):
        return "are missing"
    if isinstance(rule, Unique):
        return "are duplicated"
    if isinstance(rule, Regex):
        return f"do not match {rule.pattern!r}"
    if isinstance(rule, InRange):
        return f"are outside {format_bounds(rule.min, rule.max)}"
    if isinstance(rule, StrLength):
        return f"have a length outside {format_bounds(rule.min, rule.max)}"
    if isinstance(rule, InSet):
        return f"are not in {_values(rule.values)}"
    if isinstance(rule, NotInSet):
        return f"are in the forbidden {_values(rule.values)}"
    raise TypeError(rule.type.value)  # pragma: no cover


def _single(rule: Rule, passed: bool, schema: pl.Schema, row_count: int) -> str:
    if isinstance(rule, ColumnExists):
        if passed:
            return f"column {rule.column!r} exists"
        available = ", ".join(map(repr, schema.names())) or "(no columns)"
        return f"column {rule.column!r} not found; the data has: {available}"
    if isinstance(rule, DType):
        assert rule.column is not None
        actual = describe_dtype(schema[rule.column]) if rule.column in schema else "absent"
        verdict = "matches" if passed else "does not match"
        return f"column {rule.column!r} is {actual}, which {verdict} {rule.dtype!r}"
    if isinstance(rule, RowCount):
        verdict = "within" if passed else "outside"
        return f"{row_count:,} rows, {verdict} {format_bounds(rule.min, rule.max)}"
    raise TypeError(rule.type.value)  # pragma: no cover


def describe_result(rule: Rule, result: RuleResult, schema: pl.Schema, row_count: int) -> str:
    """A sentence for an evaluated rule, e.g. ``3 of 100 non-missing values (3.00%) are ...``."""
    if isinstance(rule, ColumnExists | DType | RowCount):
        return _single(rule, result.passed, schema, row_count)
    unit = "rows" if isinstance(rule, NotNull) else "non-missing values"
    failed, total = result.failed_count, result.total_count
    if total == 0:
        return f"no {unit} to check"
    if failed == 0:
        return f"all {total:,} {unit} pass"
    text = f"{failed:,} of {total:,} {unit} ({failed / total:.2%}) {_problem(rule)}"
    if rule.mostly < 1:
        verdict = "meets" if result.passed else "misses"
        text += f"; {verdict} mostly={rule.mostly:g} (at least {rule.mostly:.2%} must pass)"
    return text
