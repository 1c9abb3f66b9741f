"""Membership shared by ``in_set`` and ``not_in_set``: exact, case-sensitive, one kind of value."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

import polars as pl

from truthound_dq._numbers import is_in_exactly, member_list
from truthound_dq._rule import Scalar, column_kinds

__all__ = ["values_kind", "membership", "kind_problem", "show_values"]


def values_kind(values: Sequence[Scalar]) -> str:
    """``string``, ``boolean`` or ``numeric`` (the parser allows one kind per list)."""
    first = values[0]
    if isinstance(first, bool):
        return "boolean"
    if isinstance(first, str):
        return "string"
    return "numeric"


def kind_problem(rule_type: str, values: Sequence[Scalar], dtype: pl.DataType) -> str | None:
    """Why these values cannot be compared with a column of ``dtype``, or None.

    An empty set has no kind: it applies to any (non-nested) column.
    """
    if not values:
        return None
    kind = values_kind(values)
    if kind in column_kinds(dtype):
        return None
    return f"{rule_type} has {kind} values"


def membership(value: pl.Expr, dtype: pl.DataType, values: Sequence[Scalar]) -> pl.Expr:
    """True where the value is one of ``values`` (never, for an empty set)."""
    if not values:
        return value.is_null() & pl.lit(False)  # column-shaped, all False
    kind = values_kind(values)
    if kind == "string":
        members = pl.Series(values, dtype=pl.String)
    elif kind == "boolean":
        members = pl.Series(values, dtype=pl.Boolean)
    else:
        # One kind per list (the parser's rule): these are all numbers.
        return is_in_exactly(value, dtype, cast("Sequence[int | float]", values))
    return value.is_in(member_list(members))


def show_values(values: Sequence[object], limit: int = 6) -> str:
    """``{'a', 'b', ...}`` for messages."""
    shown = ", ".join(map(repr, values[:limit]))
    return "{" + shown + (", ..." if len(values) > limit else "") + "}"
