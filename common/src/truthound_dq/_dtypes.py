"""Polars dtype families: what a rule may be applied to, and what a ``dtype`` rule matches."""

from __future__ import annotations

from enum import StrEnum

import polars as pl

__all__ = [
    "DTypeFamily",
    "describe_dtype",
    "dtype_family",
    "dtype_matches",
    "is_float",
    "is_nested",
    "is_numeric",
    "is_string_like",
    "normalize_dtype_spec",
    "exact_dtype_names",
]


class DTypeFamily(StrEnum):
    """Families a ``dtype`` rule may name instead of an exact Polars dtype."""

    INTEGER = "integer"
    FLOAT = "float"
    NUMERIC = "numeric"
    STRING = "string"
    BOOLEAN = "boolean"
    DATE = "date"
    DATETIME = "datetime"


# Exact Polars dtype names a ``dtype`` rule accepts, case-sensitive ("String" is only String;
# "string" is the family). "Utf8" is Polars' old name for String.
_EXACT_NAMES = (
    "Int8", "Int16", "Int32", "Int64", "Int128",
    "UInt8", "UInt16", "UInt32", "UInt64", "UInt128",
    "Float16", "Float32", "Float64", "Decimal",
    "String", "Categorical", "Enum", "Binary",
    "Boolean", "Date", "Datetime", "Time", "Duration",
    "List", "Array", "Struct", "Object", "Null",
)  # fmt: skip
_EXACT: dict[str, str] = {name: name for name in _EXACT_NAMES}
_EXACT["Utf8"] = "String"
_FAMILIES = frozenset(family.value for family in DTypeFamily)


def exact_dtype_names() -> tuple[str, ...]:
    """The exact Polars dtype names a ``dtype`` rule accepts."""
    return _EXACT_NAMES


def normalize_dtype_spec(spec: str) -> str | None:
    """The canonical spelling of a ``dtype`` rule's value, or None if unknown.

    Exact Polars names are case-sensitive; families are lowercase.
    """
    key = spec.strip()
    if key in _FAMILIES:
        return key
    return _EXACT.get(key)


def _base_name(dtype: pl.DataType) -> str:
    base = dtype.base_type()
    return "String" if base == pl.String else base.__name__


def is_float(dtype: pl.DataType) -> bool:
    """True for float columns, where NaN counts as missing."""
    return dtype.is_float()


def dtype_family(dtype: pl.DataType) -> DTypeFamily | None:
    """The family of a Polars dtype, or None for dtypes in no family (lists, structs...)."""
    if dtype.is_integer():
        return DTypeFamily.INTEGER
    if is_float(dtype):
        return DTypeFamily.FLOAT
    if dtype.is_numeric():  # Decimal
        return DTypeFamily.NUMERIC
    base = dtype.base_type()
    if base in (pl.String, pl.Categorical, pl.Enum):
        return DTypeFamily.STRING
    if base == pl.Boolean:
        return DTypeFamily.BOOLEAN
    if base == pl.Date:
        return DTypeFamily.DATE
    if base == pl.Datetime:
        return DTypeFamily.DATETIME
    return None


def dtype_matches(dtype: pl.DataType, spec: str) -> bool:
    """Whether a column of ``dtype`` satisfies a ``dtype`` rule of (normalized) ``spec``.

    A family matches every dtype in it (``numeric`` is integer, float and decimal); an exact
    name matches regardless of parameters (``Datetime`` matches every time unit and zone).
    """
    if spec in _FAMILIES:
        family = dtype_family(dtype)
        if spec == DTypeFamily.NUMERIC:
            return family in (DTypeFamily.INTEGER, DTypeFamily.FLOAT, DTypeFamily.NUMERIC)
        return family == spec
    return _base_name(dtype) == spec


def describe_dtype(dtype: pl.DataType) -> str:
    """The dtype as Polars prints it, e.g. ``Int64`` or ``Datetime(time_unit='us')``."""
    return str(dtype)


def is_string_like(dtype: pl.DataType) -> bool:
    """String, Categorical and Enum columns: the ones regex and str_length apply to."""
    return dtype_family(dtype) == DTypeFamily.STRING


def is_numeric(dtype: pl.DataType) -> bool:
    """Integer, float and decimal columns: the ones in_range applies to."""
    return dtype.is_numeric()


def is_nested(dtype: pl.DataType) -> bool:
    """List, Array, Struct and Object columns, which value rules do not apply to."""
    return dtype.is_nested() or dtype.base_type() == pl.Object
