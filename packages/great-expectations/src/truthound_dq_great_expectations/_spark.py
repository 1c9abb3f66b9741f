"""Great Expectations on a Spark DataFrame: GX's Spark datasource, natively where it means the same.

GX 1.x validates a Spark DataFrame through ``context.data_sources.add_spark(...)`` and a
whole-dataframe batch definition; its ``SparkDFExecutionEngine`` computes every metric with
Spark's own functions on the cluster (``df.agg``, window functions), and only counts (and,
for ``BASIC``, a bounded list of unexpected values) reach the driver. How its Spark metrics
count, read from GX's sources (``expectations/metrics``, ``execution_engine``):

- column map expectations drop the rows where the column ``IS NOT NULL`` fails, and only
  those: a float NaN is a *value* on Spark (``filter_nan`` is off), where the canonical
  semantics treats NaN as missing. Float columns are therefore borrowed for every rule;
- ``expect_column_values_to_not_be_null`` is ``isNull()`` over all rows (NaN is not null);
- ``expect_column_values_to_be_unique`` is ``count(*) over (partition by column) <= 1``
  after dropping nulls (every copy of a repeated value fails), and compound keys the same
  over ``struct(columns)``, rows with any null key dropped (``any_value_is_missing``);
- ``in_set``/``not_in_set`` are ``column.isin(values)``; ``in_range`` compares with
  ``F.lit(bound)``, and GX types the bound as a float: a Spark ``long`` column is compared
  as ``double`` (``2**53 + 1`` equals ``2**53``), so only 8- to 32-bit integers are native;
- ``expect_column_value_lengths_to_be_between`` is Spark's ``length``: characters (code
  points), as ``str_length`` counts;
- pair expectations compare ``A > B`` (``>=`` with ``eqNullSafe``) after dropping rows with
  either value null.

Speed: GX runs several Spark jobs per expectation (its metrics are resolved domain by
domain, and each unexpected-values list is one more job), where the canonical
implementation runs one aggregation for every rule. The natives are therefore kept to the
rule types listed in ``NOTES``, the unexpected values are not asked for
(``partial_unexpected_count=0``: the base fetches the samples of failing rules in one
bounded job), and all native rules of a check run as one GX validation of one suite.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from importlib import import_module
from typing import TYPE_CHECKING, Any

import polars as pl

from truthound_dq import (
    Aggregate,
    ColumnExists,
    Compare,
    InRange,
    InSet,
    NotInSet,
    NotNull,
    RowCount,
    Rule,
    StrLength,
    Unique,
)
from truthound_dq.sdk import DataView, NativeCounts, Translations
from truthound_dq_great_expectations._session import GXSession

if TYPE_CHECKING:
    from truthound_dq.spark import SparkView

__all__ = ["SPARK_TRANSLATIONS", "SPARK_NOTES", "GXSparkSession", "evaluate_on_spark"]

SPARK_TRANSLATIONS: Translations[Any] = Translations("great_expectations")
"""Rule class -> the GX expectation that evaluates it on a Spark view: ``(rule, view, meta)``."""

_RULE_KEY = "truthound_dq_rule"

_INT64 = (-(2**63), 2**63 - 1)
_KIND: dict[pl.DataType, type] = {pl.String(): str, pl.Boolean(): bool}

SPARK_NOTES = {
    "spark": (
        "on a Spark DataFrame GX validates through its Spark datasource (SparkDFExecutionEngine: "
        "counts computed by Spark on the cluster), one validation per check; native there: "
        "not_null, unique (one column and compound keys), in_set/not_in_set, str_length, "
        "in_range on 8- to 32-bit integer columns, compare (>, >=, <, <=, ==) of integer, "
        "string or date pairs, min/max of integer columns, row_count and column_exists. "
        "Borrowed from the canonical Spark implementation: every rule on a float column (GX's "
        "Spark metrics drop nulls but not NaN, which the rules treat as missing), in_range on "
        "64-bit integers and decimals (GX passes the bound as a float: Spark compares a long "
        "as a double), date and time bounds, regex and not_regex, freshness, the other "
        "aggregates, dtype and schema; GX also runs several Spark jobs per expectation, so "
        "the native set is kept to rules where its meaning is exactly the canonical one"
    ),
}


@functools.cache
def _gxe() -> Any:
    return import_module("great_expectations.expectations")


def _dtype(view: DataView, name: str | None) -> pl.DataType | None:
    # A rule may name a column the data lacks (it is in the view's columns, not its schema).
    return view.schema.get(name) if name is not None else None


def _is_int(dtype: pl.DataType | None) -> bool:
    return dtype is not None and dtype.is_integer()


def _exact_key(dtype: pl.DataType | None) -> bool:
    """Dtypes whose Spark equality is the canonical one (no NaN, no -0.0, no rounding)."""
    if dtype is None:
        return False
    return dtype.is_integer() or dtype.base_type() in (
        pl.String,
        pl.Boolean,
        pl.Date,
        pl.Datetime,
        pl.Decimal,
    )


def _not_float(rule: Rule, view: DataView) -> bool:
    dtype = _dtype(view, rule.column)
    return dtype is not None and not dtype.is_float() and dtype != pl.Null


@SPARK_TRANSLATIONS.register(NotNull, when=_not_float)
def _not_null(rule: NotNull, view: DataView, meta: Mapping[str, Any]) -> Any:
    return _gxe().ExpectColumnValuesToNotBeNull(column=rule.column, meta=meta)


def unique_is_exact(rule: Rule, view: DataView) -> bool:
    """Every key column holds values Spark partitions exactly (not floats)."""
    assert isinstance(rule, Unique)
    keys = rule.columns if rule.columns is not None else (rule.column,)
    return all(_exact_key(_dtype(view, c)) for c in keys)


@SPARK_TRANSLATIONS.register(Unique, when=unique_is_exact)
def _unique(rule: Unique, view: DataView, meta: Mapping[str, Any]) -> Any:
    if rule.columns is not None and len(rule.columns) > 1:
        return _gxe().ExpectCompoundColumnsToBeUnique(
            column_list=list(rule.columns), ignore_row_if="any_value_is_missing", meta=meta
        )
    column = rule.columns[0] if rule.columns is not None else rule.column
    return _gxe().ExpectColumnValuesToBeUnique(column=column, meta=meta)


def spark_members(rule: Rule, view: DataView) -> list[Any] | None:
    """The set as literals Spark's ``isin`` compares exactly with the column, or None.

    Strings and booleans as given (when every member is of the column's kind); on integer
    columns the integral members within 64 bits (``2.0`` -> ``2``; ``0.5`` or ``2**70`` can
    equal no value, and a Python int becomes a Spark int or long literal, never a double).
    None (borrowed) for other columns, mixed sets, and sets no member of which can match.
    """
    assert isinstance(rule, InSet | NotInSet)
    dtype = _dtype(view, rule.column)
    values = rule.values
    out: list[Any]
    if dtype is None or not values:
        return None
    if dtype.is_integer():
        ints = [
            int(v)
            for v in values
            if not isinstance(v, bool)
            and (isinstance(v, int) or (isinstance(v, float) and v.is_integer()))
        ]
        out = list(dict.fromkeys(v for v in ints if _INT64[0] <= v <= _INT64[1]))
    elif all(isinstance(v, _KIND.get(dtype, ())) for v in values):
        out = list(dict.fromkeys(values))
    else:
        return None
    return out or None


def _has_spark_members(rule: Rule, view: DataView) -> bool:
    return spark_members(rule, view) is not None


@SPARK_TRANSLATIONS.register(InSet, when=_has_spark_members)
def _in_set(rule: InSet, view: DataView, meta: Mapping[str, Any]) -> Any:
    members = spark_members(rule, view)
    return _gxe().ExpectColumnValuesToBeInSet(column=rule.column, value_set=members, meta=meta)


@SPARK_TRANSLATIONS.register(NotInSet, when=_has_spark_members)
def _not_in_set(rule: NotInSet, view: DataView, meta: Mapping[str, Any]) -> Any:
    members = spark_members(rule, view)
    return _gxe().ExpectColumnValuesToNotBeInSet(column=rule.column, value_set=members, meta=meta)


def range_is_exact(rule: Rule, view: DataView) -> bool:
    """Number bounds on 8- to 32-bit integers: a double holds every value and the bound."""
    assert isinstance(rule, InRange)
    dtype = _dtype(view, rule.column)
    if rule.bound_kind != "number" or dtype not in (pl.Int8, pl.Int16, pl.Int32):
        return False
    return all(float(b) == b for b in (rule.min, rule.max) if b is not None)


@SPARK_TRANSLATIONS.register(InRange, when=range_is_exact)
def _in_range(rule: InRange, view: DataView, meta: Mapping[str, Any]) -> Any:
    return _gxe().ExpectColumnValuesToBeBetween(
        column=rule.column,
        min_value=rule.min,
        max_value=rule.max,
        strict_min=rule.strict_min,
        strict_max=rule.strict_max,
        meta=meta,
    )


def _is_string(rule: Rule, view: DataView) -> bool:
    return _dtype(view, rule.column) == pl.String


@SPARK_TRANSLATIONS.register(StrLength, when=_is_string)
def _str_length(rule: StrLength, view: DataView, meta: Mapping[str, Any]) -> Any:
    return _gxe().ExpectColumnValueLengthsToBeBetween(
        column=rule.column,
        min_value=rule.min,
        max_value=rule.max,
        strict_min=rule.strict_min,
        strict_max=rule.strict_max,
        meta=meta,
    )


def compare_is_exact(rule: Rule, view: DataView) -> bool:
    """``!=`` has no GX expectation; pairs of integers, strings or dates compare exactly."""
    assert isinstance(rule, Compare)
    if rule.op == "!=":
        return False
    left, right = _dtype(view, rule.column), _dtype(view, rule.other)
    if left is None or right is None:
        return False
    if left.is_integer() and right.is_integer():
        return True
    return left == right and left in (pl.String, pl.Date)


@SPARK_TRANSLATIONS.register(Compare, when=compare_is_exact)
def _compare(rule: Compare, view: DataView, meta: Mapping[str, Any]) -> Any:
    common = {"ignore_row_if": "either_value_is_missing", "meta": meta}
    if rule.op == "==":
        return _gxe().ExpectColumnPairValuesToBeEqual(
            column_A=rule.column, column_B=rule.other, **common
        )
    first, second = (
        (rule.column, rule.other) if rule.op in (">", ">=") else (rule.other, rule.column)
    )
    return _gxe().ExpectColumnPairValuesAToBeGreaterThanB(
        column_A=first, column_B=second, or_equal=rule.op in (">=", "<="), **common
    )


def aggregate_is_exact(rule: Rule, view: DataView) -> bool:
    """``min``/``max`` of an integer column: Spark's ``min``/``max``, returned as an int."""
    assert isinstance(rule, Aggregate)
    return rule.stat in ("min", "max") and _is_int(_dtype(view, rule.column))


@SPARK_TRANSLATIONS.register(Aggregate, when=aggregate_is_exact)
def _aggregate(rule: Aggregate, view: DataView, meta: Mapping[str, Any]) -> Any:
    name = "ExpectColumnMinToBeBetween" if rule.stat == "min" else "ExpectColumnMaxToBeBetween"
    return getattr(_gxe(), name)(column=rule.column, meta=meta)


@SPARK_TRANSLATIONS.register(ColumnExists)
def _column_exists(rule: ColumnExists, view: DataView, meta: Mapping[str, Any]) -> Any:
    return _gxe().ExpectColumnToExist(column=rule.column, meta=meta)


@SPARK_TRANSLATIONS.register(RowCount)
def _row_count(rule: RowCount, view: DataView, meta: Mapping[str, Any]) -> Any:
    return _gxe().ExpectTableRowCountToBeBetween(min_value=rule.min, max_value=rule.max, meta=meta)


class GXSparkSession:
    """GX's Spark datasource in the engine's in-memory context (built on first Spark check).

    It shares the pandas path's ``EphemeralDataContext`` and lock (GX objects are not
    thread-safe). ``persist=False``: GX would otherwise ``persist()`` the user's DataFrame
    (cache it on the executors) for every validation and never unpersist it.
    """

    def __init__(self, session: GXSession) -> None:
        self._session = session
        self._batch_definition: Any = None
        self._execution_engine: Any = None

    def validate(self, frame: Any, expectations: Sequence[Any]) -> Any:
        """Run ``expectations`` as one suite over the Spark ``frame``: one GX validation."""
        session = self._session
        session.batch_definition()  # builds the context (imports GX, or says how to install)
        with session._lock:  # the pandas path's lock: one GX context
            if self._batch_definition is None:
                datasource = session.context.data_sources.add_spark(
                    "truthound_dq_spark", persist=False
                )
                asset = datasource.add_dataframe_asset("spark_frame")
                # GX's engine would otherwise find a session itself (getOrCreate: a classic
                # local one for a Spark Connect user's frame); it gets the frame's own.
                datasource._spark = frame.sparkSession
                self._execution_engine = datasource.get_execution_engine()
                self._batch_definition = asset.add_batch_definition_whole_dataframe("whole")
            gx: Any = import_module("great_expectations")
            suite = gx.ExpectationSuite(name="truthound_dq_spark", expectations=list(expectations))
            batch = self._batch_definition.get_batch(batch_parameters={"dataframe": frame})
            # No unexpected-values lists: each is one more Spark job per expectation; the
            # base fetches the samples of failing rules in one bounded job.
            result_format = {"result_format": "BASIC", "partial_unexpected_count": 0}
            try:
                return batch.validate(suite, result_format=result_format)
            finally:
                manager = self._execution_engine.batch_manager
                manager.reset_batch_cache()
                manager.batch_data_cache.clear()


def _counts(rule: Rule, result: Any) -> NativeCounts:
    """Canonical counts of one rule from GX's Spark ``ExpectationValidationResult``."""
    info: dict[str, Any] = result.result
    if isinstance(rule, Aggregate):
        return NativeCounts(0, 1, (), observed_value=info.get("observed_value"))
    if isinstance(rule, ColumnExists | RowCount):
        return NativeCounts(0 if result.success else 1, 1)
    # Spark's sum over no rows is null: GX reports no count for an empty frame.
    element = int(info.get("element_count") or 0)
    unexpected = int(info.get("unexpected_count") or 0)
    if isinstance(rule, NotNull):
        return NativeCounts(unexpected, element, None)
    # Every other native rule is a map expectation over the non-null rows (for pairs and
    # compound keys: the rows with no null value), which is the canonical total here.
    return NativeCounts(unexpected, element - int(info.get("missing_count") or 0), None)


def _raised(info: Any) -> str | None:
    if not isinstance(info, Mapping):
        return None
    found = [info, *(v for v in info.values() if isinstance(v, Mapping))]
    messages = [str(i.get("exception_message")) for i in found if i.get("raised_exception")]
    return "; ".join(dict.fromkeys(messages)) or None


def evaluate_on_spark(
    spark: GXSparkSession, view: SparkView, rules: Sequence[Rule]
) -> list[NativeCounts]:
    """Counts of ``rules`` (all accepted by ``SPARK_TRANSLATIONS``) from one GX validation."""
    expectations = [
        SPARK_TRANSLATIONS.translate(rule, view, {_RULE_KEY: i}) for i, rule in enumerate(rules)
    ]
    validation = spark.validate(view.frame, expectations)
    out: list[NativeCounts | None] = [None] * len(rules)
    for result in validation.results:
        i = int(result.expectation_config.meta[_RULE_KEY])
        if problem := _raised(result.exception_info):
            raise RuntimeError(f"GX failed on {rules[i].name}: {problem}")
        out[i] = _counts(rules[i], result)
    missing = [rules[i].name for i, counts in enumerate(out) if counts is None]
    if missing:
        raise RuntimeError(f"GX returned no result for {', '.join(missing)}")
    return [counts for counts in out if counts is not None]
