"""A local Spark session for tests, and Polars test frames as Spark DataFrames of the same data.

Spark holds fewer dtypes than Polars: no unsigned or 128-bit integers, no Categorical or
Enum, no nanosecond times, no Float16, no fixed-size Array, no Object. A Polars column is
held only where Spark keeps its values and what every rule reads of it: times in
milliseconds widen exactly to microseconds, and an aware datetime in any zone is the same
instant in Spark's ``TIMESTAMP`` (UTC); nanoseconds are kept only when every value is a whole
microsecond.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from typing import Any

import polars as pl

__all__ = ["local_spark_session", "spark_type", "unheld_reason", "to_spark_frame"]

_SPARK_CONF = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "2",
    "spark.default.parallelism": "2",
    "spark.sql.session.timeZone": "UTC",
    "spark.driver.memory": "768m",
    "spark.sql.adaptive.enabled": "false",
    "spark.sql.execution.arrow.pyspark.enabled": "false",
    # Tiny test frames: planning and compiling whole-stage code costs more than it saves.
    "spark.sql.codegen.wholeStage": "false",
}


def local_spark_session() -> Any:
    """The process's ``local[2]`` SparkSession for tests (started once; ~10-40 s).

    Sets ``JAVA_HOME`` from the ``java`` on ``PATH`` when it is unset.
    """
    if not os.environ.get("JAVA_HOME") and (java := shutil.which("java")):
        os.environ["JAVA_HOME"] = os.path.dirname(os.path.dirname(os.path.realpath(java)))
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master("local[2]").appName("truthound-dq-tests")
    for key, value in _SPARK_CONF.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def unheld_reason(series: pl.Series) -> str | None:
    """Why Spark cannot hold this column with the same meaning (None: it can)."""
    dtype = series.dtype
    base = dtype.base_type()
    if dtype.is_unsigned_integer() or base.__name__ in ("Int128", "UInt128"):
        return f"Spark has no {dtype} (its integers are signed, at most 64 bits)"
    if base in (pl.Categorical, pl.Enum):
        return f"Spark has no {base.__name__} (it would be a String, another dtype to rules)"
    if base in (pl.Time, pl.Object) or base.__name__ in ("Float16", "Array"):
        return f"Spark has no {dtype}"
    if base in (pl.Datetime, pl.Duration) and getattr(dtype, "time_unit", "us") == "ns":
        physical = series.drop_nulls().to_physical()
        if len(physical) and (physical % 1000 != 0).any():
            return f"Spark keeps microseconds; this {dtype} column has nanoseconds"
    if base in (pl.List, pl.Struct):
        inner = (
            [series.explode()]
            if base == pl.List
            else [series.struct.field(f.name) for f in dtype.fields]  # type: ignore[attr-defined]
        )
        for part in inner:
            if (why := unheld_reason(part)) is not None:
                return why
    return None


def spark_type(dtype: pl.DataType) -> Any:
    """The Spark data type holding a Polars dtype's values (see :func:`unheld_reason`)."""
    from pyspark.sql import types as T

    base = dtype.base_type()
    simple = {
        pl.Int8: T.ByteType(),
        pl.Int16: T.ShortType(),
        pl.Int32: T.IntegerType(),
        pl.Int64: T.LongType(),
        pl.Float32: T.FloatType(),
        pl.Float64: T.DoubleType(),
        pl.String: T.StringType(),
        pl.Boolean: T.BooleanType(),
        pl.Date: T.DateType(),
        pl.Binary: T.BinaryType(),
        pl.Null: T.NullType(),
        pl.Duration: T.DayTimeIntervalType(),
    }
    if base in simple:
        return simple[base]
    if base == pl.Datetime:
        aware = getattr(dtype, "time_zone", None) is not None
        return T.TimestampType() if aware else T.TimestampNTZType()
    if base == pl.Decimal:
        return T.DecimalType(dtype.precision or 38, dtype.scale or 0)  # type: ignore[attr-defined]
    if base == pl.List:
        return T.ArrayType(spark_type(dtype.inner))  # type: ignore[attr-defined]
    if base == pl.Struct:
        fields = [
            T.StructField(f.name, spark_type(f.dtype))
            for f in dtype.fields  # type: ignore[attr-defined]
        ]
        return T.StructType(fields)
    raise TypeError(f"Spark cannot hold {dtype}")


def _python(value: Any, dtype: pl.DataType) -> Any:
    # Aware datetimes go as UTC instants (Spark converts aware values exactly).
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC)
    return value


def to_spark_frame(spark: Any, frame: pl.DataFrame) -> Any:
    """``frame`` as a Spark DataFrame with an explicit schema (raises if a column is unheld).

    Rows travel as Python values (no pandas: NaN and null stay apart), so this is for small
    test frames.
    """
    from pyspark.sql import types as T

    for series in frame.iter_columns():
        if (why := unheld_reason(series)) is not None:
            raise TypeError(f"column {series.name!r}: {why}")
    schema = T.StructType(
        [T.StructField(name, spark_type(dtype), True) for name, dtype in frame.schema.items()]
    )
    dtypes = list(frame.schema.dtypes())
    rows = [tuple(_python(v, d) for v, d in zip(row, dtypes, strict=True)) for row in frame.rows()]
    return spark.createDataFrame(rows, schema=schema, verifySchema=False)
