"""Exact numbers: a stored value and a rule's number compared as the numbers they are.

The principle (``docs/rules.md``, "Numbers"): neither side is rounded to the other's type.

- Integer columns compare exactly with integer bounds and members, at any width (Int64 beyond
  2**53, UInt64, Int128); a float bound or member is the exact value of the float.
- Float columns (Float32 widened exactly to Float64) compare with a float bound's float64
  value and with an integer bound exactly: Float32 ``0.1`` (0.100000001...) is above 0.1.
- Decimal columns compare exactly; a float bound or member means the decimal number it
  writes (``1.1`` is eleven tenths, so it matches Decimal ``1.10``).

Each function turns one bound or member list into an expression over the column's own dtype,
so Polars never casts the column to a coarser type.
"""

from __future__ import annotations

import decimal
import math
from collections.abc import Iterable, Sequence

import polars as pl

__all__ = [
    "FLOAT64_EXACT_INT",
    "INT_RANGE",
    "below",
    "above",
    "integer_range",
    "is_in_exactly",
    "member_list",
]

FLOAT64_EXACT_INT = 2**53
"""Integers of at most this magnitude are exact in float64 (used by adapters' predicates)."""

INT_RANGE = (-(2**127), 2**128 - 1)
"""What a rule's integer may be: some column type (Int128 or UInt128) can hold it."""

_BITS: dict[type[pl.DataType], tuple[bool, int]] = {
    pl.Int8: (True, 8), pl.Int16: (True, 16), pl.Int32: (True, 32), pl.Int64: (True, 64),
    pl.UInt8: (False, 8), pl.UInt16: (False, 16), pl.UInt32: (False, 32), pl.UInt64: (False, 64),
}  # fmt: skip
for _name, _signed in (("Int128", True), ("UInt128", False)):
    if hasattr(pl, _name):
        _BITS[getattr(pl, _name)] = (_signed, 128)


def integer_range(dtype: pl.DataType) -> tuple[int, int]:
    """The smallest and largest value an integer dtype holds."""
    signed, bits = _BITS[dtype.base_type()]
    return (-(2 ** (bits - 1)), 2 ** (bits - 1) - 1) if signed else (0, 2**bits - 1)


_NEVER = pl.lit(False)
_ALWAYS = pl.lit(True)


def _kind(dtype: pl.DataType) -> str:
    if dtype.is_integer():
        return "integer"
    if dtype.is_float():
        return "float"
    if dtype.base_type() == pl.Decimal:
        return "decimal"
    raise TypeError(f"{dtype} is not a numeric dtype")


def _as_decimal(number: int | float) -> decimal.Decimal:
    # A float means the decimal number it writes (its shortest repr), as in the rule's text.
    return decimal.Decimal(number) if isinstance(number, int) else decimal.Decimal(repr(number))


def _float_at_least(number: int) -> float:
    """The smallest float64 >= an integer (exact)."""
    f = float(number)
    return math.nextafter(f, math.inf) if int(f) < number else f


def _float_at_most(number: int) -> float:
    """The largest float64 <= an integer (exact)."""
    f = float(number)
    return math.nextafter(f, -math.inf) if int(f) > number else f


def _decimal_units(dtype: pl.DataType) -> tuple[int, int]:
    scale = getattr(dtype, "scale", 0) or 0
    precision = getattr(dtype, "precision", None) or 38
    return scale, precision


def _decimal_lit(units: int, dtype: pl.DataType) -> pl.Expr:
    scale, _ = _decimal_units(dtype)
    return pl.lit(decimal.Decimal(units).scaleb(-scale), dtype=dtype)


def below(value: pl.Expr, dtype: pl.DataType, bound: int | float) -> pl.Expr:
    """True where ``value < bound`` exactly (``value`` of a numeric ``dtype``)."""
    return _compare(value, dtype, bound, lower=True)


def above(value: pl.Expr, dtype: pl.DataType, bound: int | float) -> pl.Expr:
    """True where ``value > bound`` exactly."""
    return _compare(value, dtype, bound, lower=False)


def _compare(value: pl.Expr, dtype: pl.DataType, bound: int | float, *, lower: bool) -> pl.Expr:
    kind = _kind(dtype)
    if kind == "float":
        # Float32 -> Float64 is exact; an integer bound becomes the nearest float on the safe
        # side, which gives the same verdict as comparing with the integer itself.
        wide = value.cast(pl.Float64)
        if isinstance(bound, int):
            limit = _float_at_least(bound) if lower else _float_at_most(bound)
        else:
            limit = bound
        lit = pl.lit(limit, dtype=pl.Float64)
        return wide < lit if lower else wide > lit
    if kind == "integer":
        # For an integer v: v < b iff v < ceil(b), and v > b iff v > floor(b) (exact on floats).
        limit = math.ceil(bound) if lower else math.floor(bound)
        low, high = integer_range(dtype)
        if lower:
            if limit <= low:
                return _NEVER
            if limit > high:
                return _ALWAYS
        else:
            if limit >= high:
                return _NEVER
            if limit < low:
                return _ALWAYS
        lit = pl.lit(limit, dtype=dtype)
        return value < lit if lower else value > lit
    scale, precision = _decimal_units(dtype)
    scaled = _as_decimal(bound).scaleb(scale)
    units = math.ceil(scaled) if lower else math.floor(scaled)
    largest = 10**precision - 1
    if lower:
        if units < -largest:
            return _NEVER
        if units > largest:
            return _ALWAYS
    else:
        if units > largest:
            return _NEVER
        if units < -largest:
            return _ALWAYS
    lit = _decimal_lit(units, dtype)
    return value < lit if lower else value > lit


def _members(dtype: pl.DataType, values: Iterable[int | float]) -> pl.Series:
    """The members a column of ``dtype`` can hold exactly, as a Series of that dtype.

    A member no value of the column can equal (3.5 in an integer column, 2**60 + 1 in a float
    column, 1.005 in a Decimal(10, 2) column) is left out: it matches nothing.
    """
    kind = _kind(dtype)
    kept: list[object] = []
    if kind == "integer":
        low, high = integer_range(dtype)
        if set(map(type, values)) == {int} and low <= min(values) and max(values) <= high:
            return pl.Series(values, dtype=dtype)  # the common case, in one sweep
        for v in values:
            if isinstance(v, float) and not v.is_integer():
                continue
            whole = int(v)
            if low <= whole <= high:
                kept.append(whole)
        return pl.Series(kept, dtype=dtype)
    if kind == "float":
        for v in values:
            as_float = float(v)
            if isinstance(v, int) and int(as_float) != v:
                continue  # no float64 equals this integer
            kept.append(as_float + 0.0)  # -0.0 and 0.0 are one value
        return pl.Series(kept, dtype=pl.Float64)
    scale, precision = _decimal_units(dtype)
    largest = 10**precision - 1
    for v in values:
        scaled = _as_decimal(v).scaleb(scale)
        if scaled != scaled.to_integral_value() or abs(scaled) > largest:
            continue
        kept.append(decimal.Decimal(int(scaled)).scaleb(-scale))
    return pl.Series(kept, dtype=dtype)


def is_in_exactly(value: pl.Expr, dtype: pl.DataType, values: Sequence[int | float]) -> pl.Expr:
    """True where a numeric ``value`` equals one of ``values`` exactly."""
    members = _members(dtype, values)
    column = value.cast(pl.Float64) if dtype.is_float() else value
    return column.is_in(member_list(members))


def member_list(members: pl.Series) -> pl.Expr:
    """``members`` as the one list argument ``is_in`` takes on Polars 1.x and 2.x alike.

    An imploded literal: no deprecation notice on either, and (unlike ``Series.implode``)
    no eager query per rule, which adds up to seconds over 10,000 rules.
    """
    return pl.lit(members).implode()
