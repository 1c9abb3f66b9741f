"""``compare``: ``column <op> other`` holds on every row where both values are present."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Literal, Self

import polars as pl

from truthound_dq._dtypes import describe_dtype
from truthound_dq._params import plain_value
from truthound_dq._rule import Fail, Rule, RuleType, missing_values

__all__ = ["Compare", "OPERATORS", "comparison_kind", "exact_comparison"]

OPERATORS = ("<", "<=", "==", "!=", ">=", ">")
"""The ``op`` values, as written in rule dicts."""

_FLIPPED = {"<": ">", "<=": ">=", "==": "==", "!=": "!=", ">=": "<=", ">": "<"}


def comparison_kind(dtype: pl.DataType) -> str | None:
    """What a column compares as: integer, float, decimal, string, date, datetime...

    ``datetime`` carries its awareness (``datetime-aware`` / ``datetime-naive``), since a
    naive and an aware instant cannot be ordered. None: not comparable at all (nested, binary).
    """
    base = dtype.base_type()
    if dtype.is_integer():
        return "integer"
    if dtype.is_float():
        return "float"
    if base == pl.Decimal:
        return "decimal"
    if base in (pl.String, pl.Categorical, pl.Enum):
        return "string"
    if base == pl.Boolean:
        return "boolean"
    if base == pl.Date:
        return "date"
    if base == pl.Datetime:
        aware = getattr(dtype, "time_zone", None) is not None
        return "datetime-aware" if aware else "datetime-naive"
    if base == pl.Duration:
        return "duration"
    if base == pl.Time:
        return "time"
    return None


_NUMERIC = frozenset({"integer", "float", "decimal"})


def _kind_problem(left: pl.DataType, right: pl.DataType) -> str | None:
    a, b = comparison_kind(left), comparison_kind(right)
    if a is None or b is None:
        return "compare needs two columns of comparable dtypes (numbers, strings, dates...)"
    if a == b or (a in _NUMERIC and b in _NUMERIC and {a, b} != {"decimal", "float"}):
        return None
    if {a, b} == {"decimal", "float"}:
        return (
            "compare does not order a decimal and a float column (no exact common type); "
            "cast one of them"
        )
    if {a, b} == {"datetime-aware", "datetime-naive"}:
        return "compare does not order a time-zone-aware and a naive datetime column"
    return "compare needs two columns of the same kind (both numeric, both strings, ...)"


def _apply(op: str, left: pl.Expr, right: pl.Expr) -> pl.Expr:
    if op == "<":
        return left < right
    if op == "<=":
        return left <= right
    if op == "==":
        return left == right
    if op == "!=":
        return left != right
    if op == ">=":
        return left >= right
    return left > right


def _int_vs_float_sign(value: pl.Expr, dtype: pl.DataType, other: pl.Expr) -> pl.Expr:
    """-1, 0 or 1 as the integer ``value`` is below, equal to or above the float ``other``.

    Exact at any width: rounding to float64 is monotonic, so where the rounded integer
    differs from the float the order is already right; where they are equal the float is a
    whole number and is compared in the integer's own dtype (beyond its range, it lies just
    past the range's end).
    """
    wide = other.cast(pl.Float64)
    rounded = value.cast(pl.Float64)
    same = wide.cast(dtype, strict=False)
    return (
        pl.when(rounded < wide)
        .then(pl.lit(-1, pl.Int8))
        .when(rounded > wide)
        .then(pl.lit(1, pl.Int8))
        .when(same.is_null())
        .then(pl.when(wide > 0).then(pl.lit(-1, pl.Int8)).otherwise(pl.lit(1, pl.Int8)))
        .when(value < same)
        .then(pl.lit(-1, pl.Int8))
        .when(value > same)
        .then(pl.lit(1, pl.Int8))
        .otherwise(pl.lit(0, pl.Int8))
    )


def _common_integer(left: pl.DataType, right: pl.DataType) -> pl.DataType | None:
    """A dtype both integer columns cast to exactly (None: Polars' own supertype is exact)."""
    if left == right:
        return None
    signed = {left.is_signed_integer(), right.is_signed_integer()}
    if len(signed) == 2 and pl.UInt128 not in (left.base_type(), right.base_type()):
        return pl.Int128()
    return None


def exact_comparison(
    op: str, left: pl.Expr, left_dtype: pl.DataType, right: pl.Expr, right_dtype: pl.DataType
) -> pl.Expr:
    """``left <op> right`` compared as the values they are (see docs/rules.md, "Numbers").

    Both sides must be comparable (same kind, or two numeric kinds other than decimal and
    float); Categorical and Enum are read as strings.
    """
    a, b = comparison_kind(left_dtype), comparison_kind(right_dtype)
    if a == "integer" and b == "float":
        return _apply(op, _int_vs_float_sign(left, left_dtype, right), pl.lit(0, pl.Int8))
    if a == "float" and b == "integer":
        sign = _int_vs_float_sign(right, right_dtype, left)
        return _apply(_FLIPPED[op], sign, pl.lit(0, pl.Int8))
    if a == "float":  # Float32 widens exactly
        return _apply(op, left.cast(pl.Float64), right.cast(pl.Float64))
    if a == "integer" and b == "integer":
        common = _common_integer(left_dtype, right_dtype)
        if common is not None:
            return _apply(op, left.cast(common), right.cast(common))
    if a == "string":
        return _apply(op, left.cast(pl.String), right.cast(pl.String))
    if left_dtype.base_type() in (pl.Datetime, pl.Duration):
        # Polars compares two time units at the coarser one (ns 00:00:00.000001 equals ms
        # 00:00:00) and refuses two time zones: compare the stored integers instead, scaled
        # to nanoseconds in Int128 (an aware value is stored as its UTC instant).
        return _apply(op, _nanoseconds(left, left_dtype), _nanoseconds(right, right_dtype))
    return _apply(op, left, right)


_NS_PER_UNIT = {"ns": 1, "us": 1_000, "ms": 1_000_000}


def _nanoseconds(value: pl.Expr, dtype: pl.DataType) -> pl.Expr:
    unit = getattr(dtype, "time_unit", None) or "us"
    return value.to_physical().cast(pl.Int128) * pl.lit(_NS_PER_UNIT[unit], pl.Int128)


@dataclass(frozen=True, slots=True, kw_only=True)
class Compare(Rule):
    """``column <op> other`` holds on every row where both values are present."""

    type: ClassVar[str] = RuleType.COMPARE
    _params: ClassVar[tuple[str, ...]] = ("op", "other")
    summary: ClassVar[str] = (
        "both values are present and `column <op> other` is false (`op`: `<`, `<=`, `==`, "
        "`!=`, `>=`, `>`)"
    )
    op: Literal["<", "<=", "==", "!=", ">=", ">"]
    other: str

    @classmethod
    def parse_parameters(cls, raw: Mapping[str, Any], fail: Fail) -> dict[str, Any]:
        """``op`` one of the six operators; ``other`` a column name."""
        op, other = plain_value(raw.get("op")), plain_value(raw.get("other"))
        if op not in OPERATORS:
            fail(f"'op' must be one of {', '.join(map(repr, OPERATORS))}, got {op!r}")
        if not isinstance(other, str) or not other:
            fail(f"compare needs 'other' as a column name (a non-empty string), got {other!r}")
        return {"op": op if isinstance(op, str) else "", "other": other}

    @classmethod
    def default_name(cls, params: Mapping[str, Any]) -> str | None:
        """``compare(shipped_at >= ordered_at)``."""
        return f"compare({params.get('column')} {params.get('op')} {params.get('other')})"

    def columns_read(self) -> tuple[str, ...]:
        """``column``, ``other`` (and ``where``'s)."""
        base = Rule.columns_read(self)
        return tuple(dict.fromkeys((*base[:1], self.other, *base[1:])))

    def sample_columns(self) -> tuple[str, ...]:
        """A failing row shows both values, ``"column, other"``."""
        assert self.column is not None
        return (self.column, self.other)

    def renamed(self, names: Mapping[str, str]) -> Self:
        """``other`` mapped too."""
        return dataclasses.replace(
            Rule.renamed(self, names), other=names.get(self.other, self.other)
        )

    def inapplicable_in(self, schema: pl.Schema) -> str | None:
        """Both columns of comparable dtypes (an all-missing ``Null`` column is)."""
        assert self.column is not None
        left, right = schema[self.column], schema[self.other]
        if pl.Null not in (left, right) and (why := _kind_problem(left, right)):
            return (
                f"column {self.column!r} is {describe_dtype(left)} and column {self.other!r} "
                f"is {describe_dtype(right)}; {why}"
            )
        if self.where is not None:
            return Rule.inapplicable_in(dataclasses.replace(self, column=None), schema)
        return None

    def counted(self, schema: pl.Schema) -> pl.Expr:
        """Rows with both values present (null, or NaN in a float column, is missing)."""
        assert self.column is not None
        return ~missing_values(pl.col(self.column), schema[self.column]) & ~missing_values(
            pl.col(self.other), schema[self.other]
        )

    def failing(self, schema: pl.Schema, counted: pl.Expr) -> pl.Expr:
        """The comparison is false."""
        assert self.column is not None
        left, right = schema[self.column], schema[self.other]
        if pl.Null in (left, right):
            return pl.repeat(False, pl.len())  # nothing is counted
        return ~exact_comparison(self.op, pl.col(self.column), left, pl.col(self.other), right)

    def unit(self) -> str:
        """What the rule counts."""
        return "rows with both values"

    def problem(self) -> str:
        """For messages."""
        return f"fail {self.column} {self.op} {self.other}"
