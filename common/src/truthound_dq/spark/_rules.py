"""The canonical Spark implementation of the built-in rule types (Spark's own functions).

Each function mirrors its rule type's Polars definition (``truthound_dq._rule_types``) as
``pyspark.sql`` Column expressions, with the same exactness: numbers compare as the values they
are (never rounded to the other side's type), times on their physical integers (days,
microseconds), floats' NaN is missing, ``0.0 == -0.0`` (Spark normalizes them in partitions).
Imported only when a Spark frame is checked.
"""

from __future__ import annotations

import datetime as dt
import decimal
import math
from collections.abc import Callable, Sequence
from typing import Any

import polars as pl
from pyspark.sql import Column, Window
from pyspark.sql import functions as F

from truthound_dq._numbers import (
    _as_decimal,
    _decimal_units,
    _float_at_least,
    _float_at_most,
    _members,
    integer_range,
)
from truthound_dq._regex_dialect import RegexDialectError, to_java
from truthound_dq._rule_types import (
    Aggregate,
    Compare,
    Expression,
    Freshness,
    InRange,
    InSet,
    Monotonic,
    NotInSet,
    NotNull,
    NotRegex,
    Regex,
    StrLength,
    Unique,
)
from truthound_dq._rule_types._sets import values_kind
from truthound_dq._rule_types.compare import comparison_kind
from truthound_dq._rule_types.freshness import newest_text
from truthound_dq._rule_types.metric_anomaly import COLUMN_METRICS, MetricAnomaly
from truthound_dq._times import TimeBound
from truthound_dq.spark._registry import SparkColumns, refuse_on_spark, register_spark_rule

__all__ = ["regex_problem", "utc_micros"]

_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _never() -> Column:
    return F.lit(False)


def _always() -> Column:
    return F.lit(True)


refuse_on_spark(
    Monotonic,
    "monotonic compares each value with the previous row, and a Spark DataFrame has no row order",
)
refuse_on_spark(
    Expression,
    "expression text is Polars' SQL dialect, which Spark SQL reads differently "
    "(check it on a Polars frame, or write it as built-in rules)",
)


def regex_problem(pattern: str) -> str | None:
    """Why ``pattern`` cannot run on Spark with its Rust meaning (None: it can)."""
    try:
        to_java(pattern)
    except RegexDialectError as exc:
        return str(exc)
    return None


def utc_micros(value: int | None) -> dt.datetime | None:
    """Microseconds since the epoch as an aware UTC datetime (exact; None stays None)."""
    return None if value is None else _EPOCH + dt.timedelta(microseconds=int(value))


# -- exact numbers (the Spark counterpart of truthound_dq._numbers) ---------------------------


def _spark_decimal(dtype: pl.DataType) -> str:
    scale, precision = _decimal_units(dtype)
    return f"decimal({precision},{scale})"


def _compare(value: Column, dtype: pl.DataType, bound: int | float, *, lower: bool) -> Column:
    """``value < bound`` (``lower``) or ``value > bound``, exactly."""
    if dtype.is_float():
        wide = value.cast("double")
        if isinstance(bound, int):
            limit = _float_at_least(bound) if lower else _float_at_most(bound)
        else:
            limit = float(bound)
        return wide < F.lit(limit) if lower else wide > F.lit(limit)
    if dtype.is_integer():
        limit = math.ceil(bound) if lower else math.floor(bound)
        low, high = integer_range(dtype)
        if lower:
            if limit <= low:
                return _never()
            if limit > high:
                return _always()
        else:
            if limit >= high:
                return _never()
            if limit < low:
                return _always()
        lit = F.lit(limit).cast("bigint")
        return value < lit if lower else value > lit
    scale, precision = _decimal_units(dtype)
    scaled = _as_decimal(bound).scaleb(scale)
    units = math.ceil(scaled) if lower else math.floor(scaled)
    largest = 10**precision - 1
    if lower:
        if units < -largest:
            return _never()
        if units > largest:
            return _always()
    else:
        if units > largest:
            return _never()
        if units < -largest:
            return _always()
    lit = F.lit(decimal.Decimal(units).scaleb(-scale)).cast(_spark_decimal(dtype))
    return value < lit if lower else value > lit


def _is_in_exactly(value: Column, dtype: pl.DataType, values: Sequence[int | float]) -> Column:
    members = _members(dtype, values).to_list()
    if not members:
        return _never()
    if dtype.is_float():
        return value.cast("double").isin([float(m) for m in members])
    if dtype.is_integer():
        return value.cast("bigint").isin([F.lit(int(m)).cast("bigint") for m in members])
    kind = _spark_decimal(dtype)
    return value.isin([F.lit(m).cast(kind) for m in members])


# -- times, on their physical integers ----------------------------------------------------------


def _physical(name: str, dtype: pl.DataType) -> tuple[Column, pl.DataType, int]:
    """A time column as integers (days for Date, microseconds otherwise), dtype, ns per unit."""
    base = dtype.base_type()
    if base == pl.Date:
        return F.unix_date(F.col(name)), pl.Int32(), 86_400 * 10**9
    if base == pl.Datetime:
        if getattr(dtype, "time_zone", None) is not None:
            return F.unix_micros(F.col(name)), pl.Int64(), 1_000
        # A wall clock: its distance from the naive epoch, never through a time zone.
        micros = F.expr(f"timestampdiff(MICROSECOND, TIMESTAMP_NTZ'1970-01-01 00:00:00', {name})")
        return micros, pl.Int64(), 1_000
    # A day-time interval: its fields, exactly (EXTRACT SECOND is a decimal with micros).
    micros = F.expr(
        f"EXTRACT(DAY FROM {name}) * 86400000000 + EXTRACT(HOUR FROM {name}) * 3600000000 "
        f"+ EXTRACT(MINUTE FROM {name}) * 60000000 "
        f"+ CAST(EXTRACT(SECOND FROM {name}) * 1000000 AS BIGINT)"
    )
    return micros, pl.Int64(), 1_000


def _time_limit(name: str, dtype: pl.DataType, bound: TimeBound, *, lower: bool) -> Column:
    physical, kind, per = _physical(name, dtype)
    if dtype.base_type() == pl.Date:
        units = bound.value if bound.kind == "date" else bound.ns
        per = 1 if bound.kind == "date" else per
    else:
        units = bound.ns
    if lower:
        return _compare(physical, kind, -(-units // per), lower=True)  # ceil
    return _compare(physical, kind, units // per, lower=False)  # floor


def _any(parts: Sequence[Column]) -> Column:
    out = parts[0]
    for part in parts[1:]:
        out = out | part
    return out


# -- row-level rules ------------------------------------------------------------------------------


@register_spark_rule(NotNull)
def _not_null(rule: NotNull, columns: SparkColumns, counted: Column) -> Column:
    assert rule.column is not None
    return columns.missing(rule.column)


@register_spark_rule(Unique, part="counted")
def _unique_counted(rule: Unique, columns: SparkColumns) -> Column:
    if rule.columns is None:
        assert rule.column is not None
        return columns.present(rule.column)
    present = [columns.present(c) for c in rule.columns]
    out = present[0]
    for part in present[1:]:
        out = out & part
    return out


@register_spark_rule(Unique)
def _unique(rule: Unique, columns: SparkColumns, counted: Column) -> Column:
    # Counted rows per key, over the key's partition (Spark groups -0.0 with 0.0, as rules do).
    keys = list(rule.columns) if rule.columns is not None else [rule.column]
    per_key = F.sum(F.when(counted, 1).otherwise(0)).over(Window.partitionBy(*keys))
    return per_key > 1


@register_spark_rule(Regex)
def _regex(rule: Regex, columns: SparkColumns, counted: Column) -> Column:
    assert rule.column is not None
    return ~columns.col(rule.column).rlike(to_java(rule.pattern))


@register_spark_rule(NotRegex)
def _not_regex(rule: NotRegex, columns: SparkColumns, counted: Column) -> Column:
    assert rule.column is not None
    return columns.col(rule.column).rlike(to_java(rule.pattern))


@register_spark_rule(InRange)
def _in_range(rule: InRange, columns: SparkColumns, counted: Column) -> Column:
    assert rule.column is not None
    name, dtype = rule.column, columns.dtype(rule.column)
    if rule.bound_kind == "number":
        value = columns.col(name)

        def under(bound: Any) -> Column:
            return _compare(value, dtype, bound, lower=True)

        def over(bound: Any) -> Column:
            return _compare(value, dtype, bound, lower=False)

        lo: Any = rule.min
        hi: Any = rule.max
    else:
        lo, hi = rule.time_bounds()

        def under(bound: Any) -> Column:
            return _time_limit(name, dtype, bound, lower=True)

        def over(bound: Any) -> Column:
            return _time_limit(name, dtype, bound, lower=False)

    parts = []
    if lo is not None:
        parts.append(~over(lo) if rule.strict_min else under(lo))
    if hi is not None:
        parts.append(~under(hi) if rule.strict_max else over(hi))
    return _any(parts)


def _membership(value: Column, dtype: pl.DataType, values: Sequence[Any]) -> Column:
    if not values:
        return _never()
    kind = values_kind(values)
    if kind == "string":
        return value.isin([str(v) for v in values])
    if kind == "boolean":
        return value.isin([bool(v) for v in values])
    return _is_in_exactly(value, dtype, values)


@register_spark_rule(InSet)
def _in_set(rule: InSet, columns: SparkColumns, counted: Column) -> Column:
    assert rule.column is not None
    return ~_membership(columns.col(rule.column), columns.dtype(rule.column), rule.values)


@register_spark_rule(NotInSet)
def _not_in_set(rule: NotInSet, columns: SparkColumns, counted: Column) -> Column:
    assert rule.column is not None
    return _membership(columns.col(rule.column), columns.dtype(rule.column), rule.values)


@register_spark_rule(StrLength)
def _str_length(rule: StrLength, columns: SparkColumns, counted: Column) -> Column:
    assert rule.column is not None
    length = F.char_length(columns.col(rule.column))  # characters (code points), like Polars
    parts = []
    if rule.min is not None:
        parts.append(length <= rule.min if rule.strict_min else length < rule.min)
    if rule.max is not None:
        parts.append(length >= rule.max if rule.strict_max else length > rule.max)
    return _any(parts)


@register_spark_rule(Compare, part="counted")
def _compare_counted(rule: Compare, columns: SparkColumns) -> Column:
    assert rule.column is not None
    return columns.present(rule.column) & columns.present(rule.other)


_OPS: dict[str, Callable[[Column, Column], Column]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    ">=": lambda a, b: a >= b,
    ">": lambda a, b: a > b,
}
_FLIPPED = {"<": ">", "<=": ">=", "==": "==", "!=": "!=", ">=": "<=", ">": "<"}


def _int_vs_float_sign(value: Column, dtype: pl.DataType, other: Column) -> Column:
    """-1, 0 or 1 as the integer ``value`` is below, equal to or above the float ``other``."""
    wide = other.cast("double")
    rounded = value.cast("double")
    low, high = integer_range(dtype)
    # The float as the integer's type where it is a whole number in range (else null): no
    # overflowing cast, which ANSI mode would raise.
    fits = (wide >= float(low)) & (wide < -float(low) if low else wide <= float(high))
    same = F.when(fits & (F.floor(wide) == wide), wide.cast("bigint"))
    return (
        F.when(rounded < wide, F.lit(-1))
        .when(rounded > wide, F.lit(1))
        .when(same.isNull(), F.when(wide > 0, F.lit(-1)).otherwise(F.lit(1)))
        .when(value.cast("bigint") < same, F.lit(-1))
        .when(value.cast("bigint") > same, F.lit(1))
        .otherwise(F.lit(0))
    )


@register_spark_rule(Compare)
def _compare_rule(rule: Compare, columns: SparkColumns, counted: Column) -> Column:
    assert rule.column is not None
    left_dtype, right_dtype = columns.dtype(rule.column), columns.dtype(rule.other)
    if pl.Null in (left_dtype, right_dtype):
        return _never()
    left, right = columns.col(rule.column), columns.col(rule.other)
    a, b = comparison_kind(left_dtype), comparison_kind(right_dtype)
    op = _OPS[rule.op]
    if a == "integer" and b == "float":
        holds = op(_int_vs_float_sign(left, left_dtype, right), F.lit(0))
    elif a == "float" and b == "integer":
        holds = _OPS[_FLIPPED[rule.op]](_int_vs_float_sign(right, right_dtype, left), F.lit(0))
    elif a == "float":
        holds = op(left.cast("double"), right.cast("double"))
    else:
        # Spark widens integers, decimals, strings (binary order), dates, timestamps and
        # intervals exactly; aware and naive never meet (the rule refuses the pair).
        holds = op(left, right)
    return ~holds


# -- table rules that read the data ------------------------------------------------------


@register_spark_rule(Freshness, part="observe")
def _freshness(rule: Freshness, columns: SparkColumns) -> tuple[Column, Callable[[Any], Any]]:
    assert rule.column is not None
    dtype = columns.dtype(rule.column)
    newest = F.max(columns.col(rule.column))
    if dtype.base_type() == pl.Datetime and getattr(dtype, "time_zone", None) is not None:
        # An instant: its UTC microseconds (the driver's local zone never enters).
        return F.unix_micros(newest), lambda v: newest_text(utc_micros(v))
    if dtype == pl.Null:
        return F.lit(None).cast("string"), lambda v: None
    return newest, newest_text  # a date, or a wall clock (collected without a time zone)


def _int_stdev(values: tuple[Any, ...]) -> float | None:
    """The sample stdev from exact sums of the 32-bit halves of 64-bit integers."""
    n, sx, saa, sab, sbb = (int(v) if v is not None else 0 for v in values)
    if n < 2:
        return None
    squares = (saa << 64) + (sab << 33) + sbb
    return math.sqrt((n * squares - sx * sx) / (n * (n - 1)))


@register_spark_rule(Aggregate, part="observe")
def _aggregate(rule: Aggregate, columns: SparkColumns) -> Any:
    assert rule.column is not None
    name, dtype = rule.column, columns.dtype(rule.column)
    col, missing = columns.col(name), columns.missing(name)
    present = ~missing
    n_present = F.count(F.when(present, F.lit(1)))
    if rule.stat == "null_rate":
        rows = F.count(F.lit(1))
        return F.when(rows > 0, F.avg(missing.cast("int")))
    values = F.when(present, col)
    if rule.stat == "distinct_count":
        return F.count_distinct(values)
    if rule.stat == "unique_rate":
        return F.when(n_present > 0, F.count_distinct(values) / n_present)
    if dtype == pl.Null:
        return F.lit(None)
    if dtype.is_float():
        values = values.cast("double")
    if rule.stat in ("min", "max"):
        return F.min(values) if rule.stat == "min" else F.max(values)
    if rule.stat == "median":
        return F.when(n_present > 0, F.median(values.cast("double")))
    if rule.stat == "stdev":
        if dtype.is_integer():
            x = values.cast("bigint")
            high = F.shiftright(x, 32).cast("decimal(20,0)")
            low = x.bitwiseAND(F.lit(0xFFFFFFFF)).cast("decimal(20,0)")
            parts = F.struct(
                n_present,
                F.sum(x.cast("decimal(38,0)")),
                F.sum(high * high),
                F.sum(high * low),
                F.sum(low * low),
            )
            return parts, (lambda v: None if v is None else _int_stdev(tuple(v)))
        return F.when(n_present > 1, F.stddev_samp(values.cast("double")))
    if rule.stat == "sum":
        if dtype.is_integer():
            total = F.sum(values.cast("decimal(38,0)"))
            return total, (lambda v: None if v is None else int(v))
        return F.when(n_present > 0, F.sum(values))
    # mean: of integers and decimals, the exact sum over the count (one rounding).
    if dtype.is_float():
        return F.when(n_present > 0, F.avg(values))
    exact = values.cast("decimal(38,0)") if dtype.is_integer() else values
    parts = F.struct(F.sum(exact), n_present)
    return parts, (lambda v: None if v is None or not v[1] else float(v[0]) / int(v[1]))


@register_spark_rule(MetricAnomaly, part="observe")
def _metric_anomaly(rule: MetricAnomaly, columns: SparkColumns) -> Any:
    # Today's value of a column metric, as ``aggregate`` of that statistic computes it (a pass
    # rate is read from the check's other results afterwards, as on Polars).
    if rule.metric not in COLUMN_METRICS:
        return F.lit(None).cast("double")
    observed = _aggregate(rule._statistic(), columns)
    if isinstance(observed, tuple):
        column, after = observed
        return column, lambda v: _as_float(after(v))
    return observed, _as_float


def _as_float(value: Any) -> float | None:
    return None if value is None else float(value)
