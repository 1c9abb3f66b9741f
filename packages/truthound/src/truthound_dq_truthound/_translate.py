"""Small translations between the vocabulary and what Truthound's validators expect."""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from typing import Any

import polars as pl

from truthound_dq import InSet, NotInSet, Rule
from truthound_dq.sdk import dtype_matches

__all__ = ["dtype_classes", "set_values", "value_view"]


def _is_float(dtype: pl.DataType) -> bool:
    return dtype.base_type() in (pl.Float32, pl.Float64)


def value_view(rule: Rule, dtype: pl.DataType) -> pl.Expr:
    """The rule's column as Truthound's validator must see it to mean what the rule means.

    - NaN becomes null in float columns: Truthound's validators skip nulls but take NaN for a
      value (and Polars orders NaN above every number, so ``between`` would fail it); in the
      vocabulary NaN is missing.
    - Categorical and Enum become String: Truthound's string validators look at String
      columns only and would skip the rule without a word; sets compare by string value.
    - Decimal becomes Float64 for in_set/not_in_set, as in the reference implementation.
    """
    assert rule.column is not None
    col = pl.col(rule.column)
    base = dtype.base_type()
    if _is_float(dtype):
        return col.fill_nan(None)
    if base in (pl.Categorical, pl.Enum):
        return col.cast(pl.String)
    if base == pl.Decimal and isinstance(rule, InSet | NotInSet):
        return col.cast(pl.Float64)
    return col


def set_values(values: Sequence[Any], dtype: pl.DataType) -> list[Any]:
    """in_set/not_in_set values as a list Polars compares exactly with the view column.

    On an integer column a number equals an integer only if it is integral (``2.0`` is
    ``2``; ``3.5`` can never match and is dropped, where a cast would have truncated it).
    """
    if dtype.is_integer():
        return [int(v) for v in values if float(v).is_integer()]
    if dtype.is_numeric():
        return [float(v) for v in values if math.isfinite(v)]
    return list(values)


@functools.cache
def _known_classes() -> tuple[tuple[type[pl.DataType], pl.DataType], ...]:
    found = []
    for name in dir(pl):
        cls = getattr(pl, name)
        if not (isinstance(cls, type) and issubclass(cls, pl.DataType)):
            continue
        try:
            instance = cls([]) if cls is pl.Enum else cls()
        except Exception:  # List, Array, Struct...: in no family
            continue
        found.append((cls, instance))
    return tuple(found)


@functools.cache
def dtype_classes(spec: str) -> tuple[type[pl.DataType], ...]:
    """The Polars dtype classes a (normalised) ``dtype`` rule accepts.

    A family (``integer``, ``string``...) is every class ``truthound_dq.dtype_matches``
    puts in it; an exact name is its one class.
    """
    classes = tuple(cls for cls, instance in _known_classes() if dtype_matches(instance, spec))
    exact = getattr(pl, spec, None)
    if not classes and isinstance(exact, type) and issubclass(exact, pl.DataType):
        classes = (exact,)
    if not classes:
        raise ValueError(f"no Polars dtype matches {spec!r}")
    return classes
