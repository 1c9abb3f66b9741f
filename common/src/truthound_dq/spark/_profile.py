"""``profile`` of a Spark DataFrame: the Polars profile's statistics, in one Spark job.

Per column: missing values (null, or NaN in floats), exact distinct non-missing values, min,
max and mean - as ``truthound_dq._polars.polars_profile`` computes them, shaped alike, with
``produced_by`` saying the canonical Spark implementation made it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl
from pyspark.sql import Column
from pyspark.sql import functions as F

from truthound_dq._dtypes import describe_dtype, is_nested, is_numeric
from truthound_dq._results import ColumnProfile, ProfileOutput, json_scalar
from truthound_dq.spark._registry import SPARK_PRODUCER, SparkColumns
from truthound_dq.spark._rules import utc_micros
from truthound_dq.spark._view import positional_frame

__all__ = ["spark_profile"]


def _aware(dtype: pl.DataType) -> bool:
    return dtype.base_type() == pl.Datetime and getattr(dtype, "time_zone", None) is not None


def _exprs(name: str, key: str, dtype: pl.DataType, columns: SparkColumns) -> list[Column]:
    missing = columns.missing(name)
    exprs = [F.count(F.when(missing, F.lit(1))).alias(f"{key}nulls")]
    if is_nested(dtype):
        return exprs
    value = F.col(name).cast("double") if dtype.is_float() else F.col(name)
    present = F.when(~missing, value)
    exprs.append(F.count_distinct(present).alias(f"{key}unique"))
    if dtype.base_type() not in (pl.Binary, pl.Null):
        low, high = F.min(present), F.max(present)
        if _aware(dtype):
            low, high = F.unix_micros(low), F.unix_micros(high)
        exprs += [low.alias(f"{key}min"), high.alias(f"{key}max")]
    if is_numeric(dtype):
        exprs.append(F.avg(present.cast("double")).alias(f"{key}mean"))
    return exprs


def spark_profile(frame: Any, schema: pl.Schema, columns: Sequence[str] | None) -> ProfileOutput:
    """Profile the Spark ``frame`` (Polars ``schema``) in one aggregation job."""
    names = list(columns) if columns is not None else schema.names()
    positions = {name: i for i, name in enumerate(schema.names())}
    view_schema = pl.Schema({f"__p{positions[n]}": schema[n] for n in names})
    spark_columns = SparkColumns(view_schema)
    exprs: list[Column] = [F.count(F.lit(1)).alias("rows")]
    for k, name in enumerate(names):
        exprs += _exprs(f"__p{positions[name]}", f"p{k}_", schema[name], spark_columns)
    (row,) = positional_frame(frame).agg(*exprs).collect()
    stats = row.asDict()
    rows = int(stats["rows"])
    profiles = []
    for k, name in enumerate(names):
        key, dtype = f"p{k}_", schema[name]
        nulls = int(stats[f"{key}nulls"])
        low, high = stats.get(f"{key}min"), stats.get(f"{key}max")
        if _aware(dtype):
            low, high = utc_micros(low), utc_micros(high)
        mean = stats.get(f"{key}mean")
        profiles.append(
            ColumnProfile(
                column_name=name,
                dtype=describe_dtype(dtype),
                null_count=nulls,
                null_rate=nulls / rows if rows else 0.0,
                unique_count=int(stats.get(f"{key}unique") or 0),
                min=json_scalar(low),
                max=json_scalar(high),
                mean=float(mean) if mean is not None else None,
            )
        )
    return ProfileOutput(row_count=rows, columns=tuple(profiles), produced_by=SPARK_PRODUCER)
