"""The Polars schema equivalent of a Spark schema: what rules see of a Spark DataFrame.

Applicability, ``dtype``/``schema`` rules and messages all read this schema, so a rule means
on Spark what it means on the Polars frame of the same data. A Spark ``TIMESTAMP`` is an
instant (stored as UTC microseconds; the session time zone only changes how it is shown):
``Datetime("us", "UTC")``. ``TIMESTAMP_NTZ`` is a wall clock: ``Datetime("us")``. Spark types
with no Polars equivalent (year-month intervals, calendar intervals, variants, user-defined
types) become ``Object``: a dtype every value rule finds inapplicable ("not evaluated", with
the reason), which ``not_null``, ``column_exists``, ``null_rate`` and ``dtype: Object`` still read.
"""

from __future__ import annotations

from typing import Any

import polars as pl

__all__ = ["polars_dtype", "polars_schema"]

_SIMPLE: dict[str, pl.DataType] = {
    "ByteType": pl.Int8(),
    "ShortType": pl.Int16(),
    "IntegerType": pl.Int32(),
    "LongType": pl.Int64(),
    "FloatType": pl.Float32(),
    "DoubleType": pl.Float64(),
    "StringType": pl.String(),
    "CharType": pl.String(),
    "VarcharType": pl.String(),
    "BooleanType": pl.Boolean(),
    "DateType": pl.Date(),
    "TimestampType": pl.Datetime("us", "UTC"),
    "TimestampNTZType": pl.Datetime("us"),
    "DayTimeIntervalType": pl.Duration("us"),
    "BinaryType": pl.Binary(),
    "NullType": pl.Null(),
    "TimeType": pl.Time(),
}


def polars_dtype(spark_type: Any) -> pl.DataType:
    """The Polars dtype a Spark data type's values are (``Object`` where there is none)."""
    name = type(spark_type).__name__
    if name in _SIMPLE:
        return _SIMPLE[name]
    if name == "DecimalType":
        return pl.Decimal(spark_type.precision, spark_type.scale)
    if name == "ArrayType":
        return pl.List(polars_dtype(spark_type.elementType))
    if name == "StructType":
        return pl.Struct({f.name: polars_dtype(f.dataType) for f in spark_type.fields})
    if name == "MapType":
        # How Arrow and Polars hold a map: a list of key/value pairs.
        entry = {
            "key": polars_dtype(spark_type.keyType),
            "value": polars_dtype(spark_type.valueType),
        }
        return pl.List(pl.Struct(entry))
    return pl.Object()


def polars_schema(spark_schema: Any) -> pl.Schema:
    """The Polars schema of a Spark ``StructType`` (names as they are, in order).

    Raises:
        TypeError: Two columns have the same name (Spark allows it, after a join; no rule
            could say which one it means).
    """
    names = [f.name for f in spark_schema.fields]
    if len(set(names)) != len(names):
        repeated = sorted({n for n in names if names.count(n) > 1}, key=names.index)
        raise TypeError(
            f"the Spark DataFrame has more than one column named {', '.join(map(repr, repeated))}; "
            "rename them (df.toDF(...)) before checking it"
        )
    return pl.Schema({f.name: polars_dtype(f.dataType) for f in spark_schema.fields})
