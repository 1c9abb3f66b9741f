"""Rules as GX expectations (one registered translation per rule class), and GX's results back.

Every translated rule becomes exactly one expectation, with ``mostly`` passed through
(pass/fail is still decided from the counts by the base, so it means the same on every
engine). How GX counts, read from its pandas metrics and checked against the oracle:

- column map expectations drop missing rows first (``isnull()``: None, NaN, pd.NA; not the
  empty string), then ``unexpected_count`` counts the remaining rows that fail, and
  ``missing_count`` the dropped ones: failed = unexpected, total = element - missing, which
  is the canonical total (not null and, in float columns, not NaN);
- ``expect_column_values_to_not_be_null`` reports the missing rows as unexpected, over
  ``element_count`` (all rows): exactly ``not_null``;
- ``expect_column_values_to_be_unique`` is ``~column.duplicated(keep=False)``: every copy of a
  repeated value fails, as ``unique`` requires;
- ``expect_column_value_lengths_to_be_between`` measures ``str.len()``: code points.

- ``aggregate`` runs GX's column aggregate expectations (``expect_column_mean_to_be_between``
  and its siblings) for the statistic only: GX's ``observed_value`` goes back to the base,
  which judges it with the rule's own bounds (at 12 significant digits for floats).

Not translated (the base borrows them from the shared Polars implementation): ``regex``
(GX runs Python's ``re``, another dialect), ``dtype`` and ``schema`` (GX only sees the pandas
frame, whose dtypes are not Polars').
"""

from __future__ import annotations

import decimal
import functools
from collections.abc import Mapping
from importlib import import_module
from typing import Any

import polars as pl

from truthound_dq import (
    Aggregate,
    ColumnExists,
    Compare,
    Freshness,
    InRange,
    InSet,
    Monotonic,
    NotInSet,
    NotNull,
    RowCount,
    Rule,
    StrLength,
    Unique,
)
from truthound_dq._rule_types.freshness import newest_text
from truthound_dq._times import TimeBound
from truthound_dq.sdk import (
    FLOAT64_EXACT_INT,
    DataView,
    NativeCounts,
    Translations,
    collect_frame,
    missing_values,
)
from truthound_dq_great_expectations._convert import Converted, sample_values

__all__ = ["TRANSLATIONS", "RULE_KEY", "bounds_are_floats", "to_counts"]

TRANSLATIONS: Translations[Any] = Translations("great_expectations")
"""Rule class -> the GX expectation that evaluates it: ``(rule, view, converted, meta)``."""

RULE_KEY = "truthound_dq_rule"
"""``meta`` key carrying a rule's index: GX orders results by its own plan, not the suite's."""

Meta = Mapping[str, Any]


@functools.cache
def _gxe() -> Any:
    # GX's own annotations are partial (its classes are not re-exported for type checkers).
    return import_module("great_expectations.expectations")


def bounds_are_floats(rule: Rule, view: DataView) -> bool:
    """Whether GX compares ``in_range`` exactly here.

    ``ExpectColumnValuesToBeBetween`` types its bounds as ``float`` (pydantic coerces them),
    so an integer bound float64 cannot hold (``2**53 + 1``) is rounded before GX compares:
    those rules are borrowed. Decimal columns are borrowed too: GX compares each
    ``decimal.Decimal`` with the float bound's binary value, where ``max=0.1`` canonically
    means the decimal 0.1. Every other numeric column compares exactly (see ``_convert``).
    """
    assert isinstance(rule, InRange)
    assert rule.column is not None
    if rule.bound_kind != "number":
        return time_bounds_exact(rule, view)
    if view.dtype(rule.column).base_type() == pl.Decimal:
        return False
    return all(isinstance(b, float) or float(b) == b for b in (rule.min, rule.max) if b is not None)


_NS_RANGE = (-(2**63), 2**63 - 1)


def time_bounds_exact(rule: InRange, view: DataView) -> bool:
    """Whether GX compares ``in_range``'s date or datetime bounds exactly here.

    The view reaches GX as pandas ``datetime64`` columns (Date as midnight, naive or with
    the column's zone, in the column's unit), and GX compares them with the bound as given:
    vectorised for ``datetime64[ns]`` and zoned columns, ``Timestamp`` by ``Timestamp``
    otherwise - both exact, in nanoseconds, with ``strict_min``/``strict_max`` as the rule
    means them. Each bound travels as a ``pandas.Timestamp`` (nanoseconds kept; a date as
    its midnight; an aware one in UTC). Durations are borrowed (GX's ``min_value`` takes no
    ``timedelta``), and bounds outside pandas' nanosecond range (years before 1677 or after
    2262) are too.
    """
    if rule.bound_kind == "duration":
        return False
    bounds = [b for b in rule.time_bounds() if b is not None]
    return all(_NS_RANGE[0] <= b.ns <= _NS_RANGE[1] for b in bounds)


def _timestamp(bound: TimeBound | None) -> Any:
    if bound is None:
        return None
    import pandas as pd

    stamp = pd.Timestamp(bound.ns, unit="ns")
    return stamp.tz_localize("UTC") if bound.aware else stamp


@TRANSLATIONS.register(NotNull)
def _not_null(rule: NotNull, view: DataView, converted: Converted, meta: Meta) -> Any:
    return _gxe().ExpectColumnValuesToNotBeNull(column=rule.column, mostly=rule.mostly, meta=meta)


@TRANSLATIONS.register(Unique)
def _unique(rule: Unique, view: DataView, converted: Converted, meta: Meta) -> Any:
    if rule.columns is not None and len(rule.columns) == 1:
        # A one-column key is that column's uniqueness (GX refuses a one-column list).
        return _gxe().ExpectColumnValuesToBeUnique(
            column=rule.columns[0], mostly=rule.mostly, meta=meta
        )
    if rule.columns is not None:
        # GX's default ignore_row_if="never" would count rows with a missing key column
        # (and pair them up as duplicates): drop them first (pandas dropna: None, NaN, NA).
        return _gxe().ExpectCompoundColumnsToBeUnique(
            column_list=list(rule.columns),
            ignore_row_if="any_value_is_missing",
            mostly=rule.mostly,
            meta=meta,
        )
    return _gxe().ExpectColumnValuesToBeUnique(column=rule.column, mostly=rule.mostly, meta=meta)


def compare_is_translatable(rule: Rule, view: DataView) -> bool:
    """GX has pair expectations for ``>``, ``>=`` (and, swapped, ``<``, ``<=``) and ``==``.

    ``!=`` has none. With missing values dropped first (``either_value_is_missing``), GX
    compares the pandas values row by row: exact, given the conversion (integers beyond
    +-2**53 as Python ints, Float32 widened, Decimal as ``decimal.Decimal``), on every pair
    of kinds the rule accepts. A Null column (nothing is counted) is left to the base.
    """
    assert isinstance(rule, Compare)
    assert rule.column is not None
    if rule.op == "!=":
        return False
    dtypes = (view.dtype(rule.column), view.dtype(rule.other))
    # GX's pair metrics read time-zone-aware columns through Series.values, which pandas 3.1
    # deprecates (its meaning will change): aware datetimes are borrowed.
    aware = any(getattr(d, "time_zone", None) is not None for d in dtypes)
    return pl.Null not in dtypes and not aware


@TRANSLATIONS.register(Compare, when=compare_is_translatable)
def _compare(rule: Compare, view: DataView, converted: Converted, meta: Meta) -> Any:
    common = {"ignore_row_if": "either_value_is_missing", "mostly": rule.mostly, "meta": meta}
    if rule.op == "==":
        return _gxe().ExpectColumnPairValuesToBeEqual(
            column_A=rule.column, column_B=rule.other, **common
        )
    # A > B (or_equal: >=); `<` and `<=` are the same expectation with the columns swapped.
    first, second = (
        (rule.column, rule.other) if rule.op in (">", ">=") else (rule.other, rule.column)
    )
    return _gxe().ExpectColumnPairValuesAToBeGreaterThanB(
        column_A=first, column_B=second, or_equal=rule.op in (">=", "<="), **common
    )


def monotonic_is_translatable(rule: Rule, view: DataView) -> bool:
    """GX's increasing/decreasing expectations match ``monotonic`` except at infinities.

    They drop missing values (None, NaN) and compare each value with the previous remaining
    one through ``Series.diff()``: the sign of the difference is the order, except that
    ``inf - inf`` is NaN, which GX lets pass (``strictly`` too). Float columns holding an
    infinity are borrowed.
    """
    assert isinstance(rule, Monotonic)
    assert rule.column is not None
    dtype = view.dtype(rule.column)
    if dtype == pl.Null:
        return False
    if dtype.is_float():
        data = view.data()
        infinite = pl.col(rule.column).is_infinite().any()
        if isinstance(data, pl.DataFrame):
            return not bool(data.select(infinite).item())
        return not bool(collect_frame(data.select(infinite), engine="streaming").item())
    return True


@TRANSLATIONS.register(Monotonic, when=monotonic_is_translatable)
def _monotonic(rule: Monotonic, view: DataView, converted: Converted, meta: Meta) -> Any:
    cls = (
        _gxe().ExpectColumnValuesToBeIncreasing
        if rule.direction == "increasing"
        else _gxe().ExpectColumnValuesToBeDecreasing
    )
    return cls(column=rule.column, strictly=rule.strict, mostly=rule.mostly, meta=meta)


@TRANSLATIONS.register(InRange, when=bounds_are_floats)
def _in_range(rule: InRange, view: DataView, converted: Converted, meta: Meta) -> Any:
    low: Any = rule.min
    high: Any = rule.max
    if rule.bound_kind != "number":
        low, high = (_timestamp(b) for b in rule.time_bounds())
    return _gxe().ExpectColumnValuesToBeBetween(
        column=rule.column,
        min_value=low,
        max_value=high,
        strict_min=rule.strict_min,
        strict_max=rule.strict_max,
        mostly=rule.mostly,
        meta=meta,
    )


def has_members(rule: Rule, view: DataView) -> bool:
    """An empty set is borrowed: GX refuses an empty ``value_set`` for some dtypes."""
    assert isinstance(rule, InSet | NotInSet)
    return bool(rule.values)


@TRANSLATIONS.register(InSet, when=has_members)
def _in_set(rule: InSet, view: DataView, converted: Converted, meta: Meta) -> Any:
    return _gxe().ExpectColumnValuesToBeInSet(
        column=rule.column, value_set=members(rule, view, converted), mostly=rule.mostly, meta=meta
    )


@TRANSLATIONS.register(NotInSet, when=has_members)
def _not_in_set(rule: NotInSet, view: DataView, converted: Converted, meta: Meta) -> Any:
    return _gxe().ExpectColumnValuesToNotBeInSet(
        column=rule.column, value_set=members(rule, view, converted), mostly=rule.mostly, meta=meta
    )


@TRANSLATIONS.register(StrLength)
def _str_length(rule: StrLength, view: DataView, converted: Converted, meta: Meta) -> Any:
    return _gxe().ExpectColumnValueLengthsToBeBetween(
        column=rule.column,
        min_value=rule.min,
        max_value=rule.max,
        strict_min=rule.strict_min,
        strict_max=rule.strict_max,
        mostly=rule.mostly,
        meta=meta,
    )


@TRANSLATIONS.register(ColumnExists)
def _column_exists(rule: ColumnExists, view: DataView, converted: Converted, meta: Meta) -> Any:
    return _gxe().ExpectColumnToExist(column=rule.column, meta=meta)


@TRANSLATIONS.register(RowCount)
def _row_count(rule: RowCount, view: DataView, converted: Converted, meta: Meta) -> Any:
    return _gxe().ExpectTableRowCountToBeBetween(min_value=rule.min, max_value=rule.max, meta=meta)


@TRANSLATIONS.register(Freshness)
def _freshness(rule: Freshness, view: DataView, converted: Converted, meta: Meta) -> Any:
    # GX measures the newest value (column.max: NaT skipped, nanoseconds and the column's
    # zone kept); with no bounds the expectation itself always passes, and the base judges
    # the observed value against the check's time, as on every engine.
    return _gxe().ExpectColumnMaxToBeBetween(column=rule.column, meta=meta)


def _newest(observed: Any, dtype: pl.DataType | None) -> str | None:
    """GX's observed maximum (a ``Timestamp``, NaT if none) as freshness's observed text."""
    import pandas as pd

    if observed is None or pd.isna(observed):
        return None
    if dtype is not None and dtype.base_type() == pl.Date:
        return newest_text(observed.date())
    return newest_text(observed)


# -- aggregate ---------------------------------------------------------------------------------

_AGGREGATES = {
    "min": "ExpectColumnMinToBeBetween",
    "max": "ExpectColumnMaxToBeBetween",
    "mean": "ExpectColumnMeanToBeBetween",
    "median": "ExpectColumnMedianToBeBetween",
    "sum": "ExpectColumnSumToBeBetween",
    "stdev": "ExpectColumnStdevToBeBetween",
    "distinct_count": "ExpectColumnUniqueValueCountToBeBetween",
    "unique_rate": "ExpectColumnProportionOfUniqueValuesToBeBetween",
    "null_rate": "ExpectColumnProportionOfNonNullValuesToBeBetween",
}
"""The GX expectation whose ``observed_value`` is each statistic (null_rate: 1 - it)."""

_DECIMAL_EXACT = frozenset({"min", "max", "distinct_count", "unique_rate", "null_rate"})


def aggregate_matches(rule: Rule, view: DataView) -> bool:
    """Whether GX's statistic is the canonical one on this column (read from GX's metrics).

    GX's pandas metrics skip missing values like the rule does (``mean``, ``sum``, ``std``,
    ``min``, ``max`` skip NaN and None; ``median`` drops ``isnull()`` first; ``std`` is the
    sample one, ddof 1; ``median`` averages the two middle values; ``nunique`` drops NaN, and
    the unique proportion divides by the non-missing rows). Borrowed where it would differ:

    - undefined statistics: GX reports 0 for a unique or non-null proportion of no values and
      for a sum of none, where the rule fails as undefined (no values; stdev of fewer than
      two; null_rate of no rows);
    - Decimal columns for mean, median, sum and stdev (GX converts the decimals to float);
    - mean, median, sum and stdev of a float column holding an infinity (numpy's reduction
      warns on ``inf - inf`` inside GX, which a warnings filter turns into GX's failure);
    - integer sums and means that neither numpy's int64 nor float64 holds exactly (GX sums an
      int64 column in int64, which wraps around, or in float64 when it has nulls): native when
      every partial sum stays within +-2**53, or when the column travels as Python ints (a
      value beyond 2**53: Python's sum is exact).
    """
    assert isinstance(rule, Aggregate)
    assert rule.column is not None
    if rule.stat == "stdev":
        # pandas' two-pass std loses the digits of a small spread under a large mean
        # (1e15 + {1, 2, 4}: 1.52838 where the stdev is 1.52753), and int64 values beyond
        # 2**53 all become one float: the shared implementation shifts the values first.
        return False
    dtype = view.dtype(rule.column)
    if dtype.base_type() == pl.Decimal and rule.stat not in _DECIMAL_EXACT:
        return False
    col = pl.col(rule.column)
    exprs = [(~missing_values(col, dtype)).sum().alias("present")]
    if dtype.is_integer():
        exprs.append(col.cast(pl.Float64).abs().max().alias("largest"))
    if dtype.is_float():
        exprs.append(col.is_infinite().any().alias("infinite"))
    data = view.data()
    if isinstance(data, pl.DataFrame):
        stats = data.select(exprs).row(0, named=True)
    else:  # a lazy input (fed to GX in batches): one streaming pass over the column
        stats = collect_frame(data.select(exprs), engine="streaming").row(0, named=True)
    present = int(stats["present"])
    if rule.stat == "null_rate":
        return view.row_count() > 0
    if present < 1:
        return False
    if stats.get("infinite") and rule.stat in ("mean", "median", "sum"):
        return False  # numpy warns (inf - inf) inside GX; the statistic may be NaN
    if dtype.is_integer() and rule.stat in ("sum", "mean"):
        largest = float(stats["largest"])
        return largest > FLOAT64_EXACT_INT or largest * present <= FLOAT64_EXACT_INT
    return True


@TRANSLATIONS.register(Aggregate, when=aggregate_matches)
def _aggregate(rule: Aggregate, view: DataView, converted: Converted, meta: Meta) -> Any:
    # No bounds: GX's own verdict is not used; the base judges GX's observed value.
    return getattr(_gxe(), _AGGREGATES[rule.stat])(column=rule.column, meta=meta)


def aggregate_observed(rule: Aggregate, observed: Any, dtype: pl.DataType) -> Any:
    """GX's observed statistic as the rule's: Python scalars, integers of integer columns."""
    value = observed.item() if hasattr(observed, "item") else observed
    if rule.stat == "null_rate":
        return 1.0 - float(value)
    if (
        dtype.is_integer()
        and rule.stat in ("min", "max", "sum")
        and isinstance(value, float)
        and value.is_integer()
    ):
        return int(value)  # an integer column with nulls travels as float64 (exact here)
    return value


def members(rule: InSet | NotInSet, view: DataView, converted: Converted) -> list[Any]:
    """The rule's set as the values pandas' ``isin`` compares exactly with this column.

    ``isin`` builds one numpy array of the members, and a list mixing ints and floats becomes
    float64 (``2**53 + 1`` turns into ``2**53``, which then matches). So each member is
    written the way the column holds numbers, keeping only members that can equal a value at
    all (the set means the same, and pandas compares like with like):

    - integer columns: integers, and floats that are integral (``2.0`` -> ``2``; ``0.5`` can
      equal no integer); on columns within +-2**53 (numpy) only members within that range;
    - float columns: floats, and integers float64 holds exactly (no float64 equals another);
    - Decimal columns: ``decimal.Decimal``, a float meaning the decimal number it writes
      (``1.1`` matches ``Decimal("1.10")``), compared by Python exactly;
    - strings and booleans as given.
    """
    assert rule.column is not None
    dtype = view.dtype(rule.column)
    values = rule.values
    if dtype.is_integer():
        ints = [
            int(v)
            for v in values
            if not isinstance(v, bool)
            and (isinstance(v, int) or (isinstance(v, float) and v.is_integer()))
        ]
        if rule.column not in converted.python_ints:
            ints = [v for v in ints if abs(v) <= FLOAT64_EXACT_INT]
        return list(dict.fromkeys(ints))
    if dtype.is_float():
        floats = [
            float(v)
            for v in values
            if isinstance(v, float) or (isinstance(v, int) and float(v) == v)
        ]
        return list(dict.fromkeys(floats))
    if dtype.base_type() == pl.Decimal:
        return [decimal.Decimal(v if isinstance(v, int) else repr(v)) for v in values]
    return list(values)


def to_counts(rule: Rule, result: Any, dtype: pl.DataType | None, sample_size: int) -> NativeCounts:
    """Canonical counts of one rule from its GX ``ExpectationValidationResult``."""
    if isinstance(rule, Aggregate):
        assert dtype is not None
        observed = aggregate_observed(rule, result.result.get("observed_value"), dtype)
        return NativeCounts(0, 1, (), observed_value=observed)
    if isinstance(rule, ColumnExists | RowCount):
        return NativeCounts(0 if result.success else 1, 1)
    if isinstance(rule, Freshness):
        return NativeCounts(0, 1, (), _newest(result.result.get("observed_value"), dtype))
    info: dict[str, Any] = result.result
    element = int(info["element_count"])
    unexpected = int(info["unexpected_count"])
    if isinstance(rule, NotNull):
        return NativeCounts(unexpected, element, ())
    if isinstance(rule, Compare) or (isinstance(rule, Unique) and rule.columns is not None):
        # Multi-column expectations drop the skipped rows from the domain itself: the total
        # is what remains; samples (the rows' values) are left to the base.
        return NativeCounts(unexpected, element - int(info.get("missing_count") or 0), None)
    assert dtype is not None
    total = element - int(info["missing_count"])
    samples = sample_values(info.get("partial_unexpected_list") or (), dtype, sample_size)
    return NativeCounts(unexpected, total, samples)
