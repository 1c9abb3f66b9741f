"""One native translation per rule class: the Pandera construct that evaluates it.

Each function receives a rule whose ``column`` is a safe name of the view (``c0``...) and
returns a :class:`Native`: a built-in ``pandera.Check`` applied to that column, or a
``pandera.polars.Column`` property (``nullable=False``, ``unique=True``, ``required=True``).

A rule is native only where Pandera's answer is the canonical one of ``docs/rules.md``:
Pandera's Polars checks compare with plain Polars operators, which round a bound to the
column's type (Float32 ``0.1``), compare integers with floats as Float64 (beyond 2**53), and
give null for a negative bound on an unsigned column. The predicates below decline exactly
those cases (or the translation turns the bound into an equivalent one the column's type
holds exactly), so the base borrows them from the shared implementation, labelled.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import struct
from dataclasses import dataclass
from typing import Any, Final, Literal

import polars as pl

from truthound_dq import (
    ColumnExists,
    InRange,
    InSet,
    NotInSet,
    NotNull,
    NotRegex,
    Regex,
    Rule,
    StrLength,
    Unique,
)
from truthound_dq.sdk import DataView, Translations, import_engine_library, python_compiles

__all__ = [
    "NOTES",
    "TRANSLATIONS",
    "Native",
    "NOT_NULLABLE",
    "UNIQUE",
    "PRESENT",
    "KEY_UNIQUE",
]

NOT_NULLABLE: Final = "not_nullable"
"""Pandera's name for the failures of ``Column(nullable=False)``."""
UNIQUE: Final = "field_uniqueness"
"""Pandera's name for the failures of ``Column(unique=True)``."""
PRESENT: Final = "column_in_dataframe"
"""Pandera's name for the failure of ``Column(required=True)`` on an absent column."""
KEY_UNIQUE: Final = "multiple_fields_uniqueness"
"""Pandera's name for the failures of ``DataFrameSchema(unique=[...])`` (a compound key)."""

Kind = Literal[
    "check",
    "not_nullable",
    "field_uniqueness",
    "column_in_dataframe",
    "multiple_fields_uniqueness",
]


@dataclass(frozen=True, slots=True)
class Native:
    """How Pandera evaluates one rule.

    Attributes:
        kind: ``check`` (a ``pandera.Check`` on the column) or the name of the
            ``pandera.polars.Column`` property that does it.
        check: The ``pandera.Check`` for ``kind == "check"``.
        fails_where_passed: The rule fails where the check *passes* (``not_regex`` is
            ``Check.str_contains``'s matches).
    """

    kind: Kind
    check: Any = None
    fails_where_passed: bool = False


TRANSLATIONS: Translations[Native] = Translations("pandera")

#: Integer dtypes whose every value a Python int literal compares with exactly.
_INT_RANGES: dict[type[pl.DataType], tuple[int, int]] = {
    pl.Int8: (-(2**7), 2**7 - 1),
    pl.Int16: (-(2**15), 2**15 - 1),
    pl.Int32: (-(2**31), 2**31 - 1),
    pl.Int64: (-(2**63), 2**63 - 1),
    pl.Int128: (-(2**127), 2**127 - 1),
    pl.UInt8: (0, 2**8 - 1),
    pl.UInt16: (0, 2**16 - 1),
    pl.UInt32: (0, 2**32 - 1),
    pl.UInt64: (0, 2**64 - 1),
}
_FLOATS = (pl.Float32, pl.Float64)
_INT64 = _INT_RANGES[pl.Int64]

Number = int | float


def _checks() -> Any:
    return import_engine_library("pandera.polars", "pandera").Check


def _dtype(rule: Rule, view: DataView) -> pl.DataType:
    assert rule.column is not None
    return view.dtype(rule.column)


def _float32_exact(value: Number) -> bool:
    """Whether ``value`` is a Float32 number exactly (so no rounding happens either way)."""
    if isinstance(value, int) and float(value) != value:
        return False
    try:
        return struct.unpack("f", struct.pack("f", float(value)))[0] == value  # type: ignore[no-any-return]
    except OverflowError:
        return False


def _exact_in(value: Number, base: type[pl.DataType]) -> bool:
    """Whether the float column type ``base`` holds ``value`` exactly."""
    if base == pl.Float32:
        return _float32_exact(value)
    return not isinstance(value, int) or float(value) == value


# -- not_null, unique, column_exists: properties of pandera's Column ------------------------


def _nan_is_null_to_pandera(rule: Rule, view: DataView) -> bool:
    # Pandera counts NaN as null in Float32/Float64 only; a Float16 NaN would be a value.
    return _dtype(rule, view).base_type() != getattr(pl, "Float16", None)


@TRANSLATIONS.register(NotNull, when=_nan_is_null_to_pandera, where=True)
def _not_null(rule: NotNull, view: DataView) -> Native:
    return Native(NOT_NULLABLE)


@TRANSLATIONS.register(Unique, where=True)
def _unique(rule: Unique, view: DataView) -> Native:
    # Column(unique=True) marks every duplicated row, nulls and NaN included; the adapter
    # drops missing values from its failure cases (they are skipped, not counted).
    # DataFrameSchema(unique=[...]) likewise marks every row of a repeated combination,
    # missing key values included: the rows with any key column missing are dropped from
    # its failure cases (such a row can only repeat another row with the same key missing).
    return Native(UNIQUE if rule.columns is None else KEY_UNIQUE)


@TRANSLATIONS.register(ColumnExists)
def _column_exists(rule: ColumnExists, view: DataView) -> Native:
    return Native(PRESENT)


# -- in_range ---------------------------------------------------------------------------------


def _int_bounds(rule: InRange, base: type[pl.DataType]) -> tuple[int | None, int | None] | None:
    """Inclusive integer bounds inside the column type's range with the same meaning, or None.

    Integers only ever lie in ``[ceil(min), floor(max)]`` (``[floor(min) + 1, ceil(max) - 1]``
    with strict bounds), and a bound beyond the type's range constrains nothing, so Polars
    compares integers with integers the column's own type holds (no Float64 rounding beyond
    2**53, no null for ``-1`` on an unsigned column). None (borrowed) when no integer of the
    type can pass: pandera refuses an empty interval.
    """
    low, high = _INT_RANGES[base]
    lo: int | None = None
    hi: int | None = None
    if rule.min is not None and rule.min != -math.inf:
        if rule.min == math.inf:
            return None
        assert isinstance(rule.min, int | float)
        first = math.floor(rule.min) + 1 if rule.strict_min else math.ceil(rule.min)
        if first > high:
            return None
        lo = first if first > low else None
    if rule.max is not None and rule.max != math.inf:
        if rule.max == -math.inf:
            return None
        assert isinstance(rule.max, int | float)
        last = math.ceil(rule.max) - 1 if rule.strict_max else math.floor(rule.max)
        if last < low:
            return None
        hi = last if last < high else None
    if lo is not None and hi is not None and lo > hi:
        return None
    return lo, hi


_EPOCH = dt.datetime(1970, 1, 1)
_UNIT_NS = {"ns": 1, "us": 1_000, "ms": 1_000_000}


def _time_limits(rule: InRange, dtype: pl.DataType) -> tuple[Any, Any] | None:
    """The bounds as Python values of the column's own type and unit, inclusive, or None.

    A bound finer than the column's unit is first moved to the column's grid with the same
    meaning (``value >= ceil(min / unit)``; ``floor(min / unit) + 1`` if strict), so Polars
    compares a literal the column holds exactly. None (borrowed) where Python's ``date``,
    ``datetime`` or ``timedelta`` cannot hold that value (years outside 1..9999), on
    nanosecond columns (Polars would compare them with a microsecond literal in
    microseconds), or where nothing can pass.
    """
    base = dtype.base_type()
    if base == pl.Date:
        per = 86_400 * 10**9
    elif base in (pl.Datetime, pl.Duration):
        per = _UNIT_NS[getattr(dtype, "time_unit", None) or "us"]
    else:
        return None
    if per == 1:
        return None  # Polars compares ns with a (us) Python literal in us: ns would be cut
    zone = getattr(dtype, "time_zone", None)
    lo_bound, hi_bound = rule.time_bounds()
    out: list[Any] = []
    for bound, lower, strict in (
        (lo_bound, True, rule.strict_min),
        (hi_bound, False, rule.strict_max),
    ):
        if bound is None:
            out.append(None)
            continue
        ns = bound.ns
        if lower:
            units = ns // per + 1 if strict else -(-ns // per)
        else:
            units = -(-ns // per) - 1 if strict else ns // per
        exact_ns = units * per
        if exact_ns % 1_000:
            return None
        micros = exact_ns // 1_000
        try:
            if base == pl.Date:
                out.append((_EPOCH + dt.timedelta(microseconds=micros)).date())
            elif base == pl.Duration:
                out.append(dt.timedelta(microseconds=micros))
            else:
                stamp = _EPOCH + dt.timedelta(microseconds=micros)
                if zone is not None:
                    from zoneinfo import ZoneInfo

                    stamp = stamp.replace(tzinfo=dt.UTC).astimezone(ZoneInfo(zone))
                out.append(stamp)
        except (OverflowError, ValueError):
            return None
    if out[0] is not None and out[1] is not None and out[0] > out[1]:
        return None
    return out[0], out[1]


def _range_native(rule: Rule, view: DataView) -> bool:
    assert isinstance(rule, InRange)
    dtype = _dtype(rule, view)
    if rule.bound_kind != "number":
        return _time_limits(rule, dtype) is not None
    base = dtype.base_type()
    if base in _INT_RANGES:
        return _int_bounds(rule, base) is not None
    if base in _FLOATS:
        return all(b is None or _exact_in(b, base) for b in (rule.min, rule.max))  # type: ignore[arg-type]
    return False  # Decimal, UInt128, Float16: Polars' comparison is not exact there


@TRANSLATIONS.register(InRange, when=_range_native, where=True)
def _in_range(rule: InRange, view: DataView) -> Native:
    check = _checks()
    dtype = _dtype(rule, view)
    base = dtype.base_type()
    low: Any = rule.min
    high: Any = rule.max
    include_min, include_max = not rule.strict_min, not rule.strict_max
    if rule.bound_kind != "number":
        limits = _time_limits(rule, dtype)
        assert limits is not None
        (low, high), include_min, include_max = limits, True, True
    elif base in _INT_RANGES:
        bounds = _int_bounds(rule, base)
        assert bounds is not None
        (low, high), include_min, include_max = bounds, True, True
        if low is None and high is None:
            low = _INT_RANGES[base][0]  # every value of the type passes
    if low is not None and high is not None:
        return Native("check", check.in_range(low, high, include_min, include_max))
    if low is not None:
        return Native("check", check.ge(low) if include_min else check.gt(low))
    return Native("check", check.le(high) if include_max else check.lt(high))


# -- in_set / not_in_set ----------------------------------------------------------------------


@functools.lru_cache(maxsize=256)
def _members(values: tuple[Any, ...], dtype: pl.DataType) -> tuple[Any, ...] | None:
    """The set members as the column's type holds them (the others can never match).

    None where Pandera's ``is_in`` would not compare exactly (Decimal, UInt128, Float16).
    Cached: the predicate and the translation both ask, and wide tables repeat one set.
    """
    base = dtype.base_type()
    if base in (pl.String, pl.Boolean):
        return values
    if base in _INT_RANGES:
        low, high = _INT_RANGES[base]
        ints = (int(v) if isinstance(v, float) and v.is_integer() else v for v in values)
        members = tuple(v for v in ints if type(v) is int and low <= v <= high)
        if len(members) > 1 and not all(_INT64[0] <= v <= _INT64[1] for v in members):
            # Polars infers the members' Series type from the first ones (Pandera passes a
            # frozenset, in no fixed order): Int64 then 2**64 - 1 is refused.
            return None
        return members
    if base in _FLOATS:
        return tuple(float(v) for v in values if _exact_in(v, base))
    return None


def _membership_native(rule: Rule, view: DataView) -> bool:
    assert isinstance(rule, InSet | NotInSet)
    if not rule.values:
        return False  # an empty set: borrowed (pandera's isin/notin need members)
    return _members(rule.values, _dtype(rule, view)) is not None


@TRANSLATIONS.register(InSet, when=_membership_native, where=True)
def _in_set(rule: InSet, view: DataView) -> Native:
    members = _members(rule.values, _dtype(rule, view))
    return Native("check", _checks().isin(members))


@TRANSLATIONS.register(NotInSet, when=_membership_native, where=True)
def _not_in_set(rule: NotInSet, view: DataView) -> Native:
    members = _members(rule.values, _dtype(rule, view))
    return Native("check", _checks().notin(members))


# -- regex, str_length ------------------------------------------------------------------------


def _plain_string(rule: Rule, view: DataView) -> bool:
    # Categorical and Enum reach the view as String already; Binary is not a string here.
    return _dtype(rule, view) == pl.String


def _python_reads_pattern(rule: Rule, view: DataView) -> bool:
    # Check.str_contains compiles the pattern with Python's re before Polars runs it: Rust
    # syntax re refuses (\p{L}) or warns on ([[:alpha:]]) is the shared implementation's.
    assert isinstance(rule, Regex | NotRegex)
    return _plain_string(rule, view) and python_compiles(rule.pattern)


@TRANSLATIONS.register(Regex, when=_python_reads_pattern, where=True)
def _regex(rule: Regex, view: DataView) -> Native:
    # str_contains is a search, like the rule; str_matches would anchor at the start.
    return Native("check", _checks().str_contains(rule.pattern))


@TRANSLATIONS.register(NotRegex, when=_python_reads_pattern, where=True)
def _not_regex(rule: NotRegex, view: DataView) -> Native:
    # The values str_contains passes are the ones that contain a match: those fail.
    return Native("check", _checks().str_contains(rule.pattern), fails_where_passed=True)


def _length_bounds(rule: StrLength) -> tuple[int | None, int | None]:
    # Lengths are whole numbers: a strict bound is the next one in (min + 1, max - 1).
    low = rule.min + 1 if rule.min is not None and rule.strict_min else rule.min
    high = rule.max - 1 if rule.max is not None and rule.strict_max else rule.max
    return low, high


def _length_native(rule: Rule, view: DataView) -> bool:
    assert isinstance(rule, StrLength)
    # Borrowed where no length can pass ((1, 2), or < 0): pandera refuses an empty interval.
    low, high = _length_bounds(rule)
    empty = high is not None and (high < 0 or (low is not None and low > high))
    return _plain_string(rule, view) and not empty


@TRANSLATIONS.register(StrLength, when=_length_native, where=True)
def _str_length(rule: StrLength, view: DataView) -> Native:
    low, high = _length_bounds(rule)
    low = low if low else None
    if low is None and high is None:
        low = 0  # "at least 0 characters": pandera needs one bound
    return Native("check", _checks().str_length(min_value=low, max_value=high))


#: How each rule type is evaluated, and where it is borrowed; surfaced in capabilities.
NOTES: dict[str, str] = {
    "not_null": (
        "Column(nullable=False); pandera counts NaN as null in Float32/Float64 columns, as "
        "docs/rules.md does (borrowed on Float16, where it would not)"
    ),
    "unique": (
        "Column(unique=True); it also marks duplicated nulls and NaN, which the adapter drops "
        "from its failure cases (missing values are skipped). A compound key (columns) is "
        "DataFrameSchema(unique=[...]), which marks every row of a repeated combination; the "
        "rows with a missing key column are dropped from its failure cases likewise"
    ),
    "not_regex": (
        "Check.str_contains (search semantics), read the other way round: a value fails "
        "where the check passes (it contains a match); nulls, which the check passes, are "
        "skipped. Categorical/Enum read as String. Patterns Python's re cannot compile as "
        "written (\\p{..}, [[:alpha:]]; Check.str_contains compiles them before Polars runs "
        "them): shared Polars implementation"
    ),
    "compare": (
        "borrowed: the shared implementation (pandera has no built-in check comparing two "
        "columns; only custom checks)"
    ),
    "monotonic": (
        "borrowed: the shared implementation (pandera's Polars backend has no built-in "
        "monotonic check)"
    ),
    "regex": (
        "Check.str_contains (search semantics, like the rule; Check.str_matches anchors at the "
        "start); Categorical/Enum columns are read as String. Patterns Python's re cannot "
        "compile as written (\\p{..}, [[:alpha:]]; Check.str_contains compiles them before "
        "Polars runs them): shared Polars implementation"
    ),
    "in_range": (
        "Check.in_range / ge / le. On integer columns the bounds become integers of the "
        "column's range with the same meaning (ceil(min), floor(max), clamped), so nothing is "
        "compared as Float64; on float columns NaN failure cases are dropped (NaN is missing). "
        "Borrowed where Polars would round: a bound the float column type cannot hold exactly "
        "(Float32 0.1, -1e308 on Float32, 2**53+1 on Float64), Decimal, UInt128, Float16, and "
        "a bound that excludes the column type's whole range. strict_min/strict_max: "
        "include_min/include_max (Check.gt / lt) on floats, the next integer on integers. "
        "Date, Datetime and Duration bounds: Check.in_range/ge/le with a Python date, "
        "datetime (in the column's zone) or timedelta on the column's own grid "
        "(ceil/floor of the bound in the column's unit, so a finer bound means the same); "
        "borrowed on nanosecond columns (Polars compares them with a microsecond literal "
        "in microseconds, cutting the nanoseconds) and for years outside 1..9999"
    ),
    "in_set": (
        "Check.isin with the members the column's type holds exactly (the others can never "
        "match: 1.5 on integers, 2**53+1 on Float64, 0.1 on Float32); NaN failure cases "
        "dropped. Borrowed on Decimal, UInt128 and Float16 columns, and for several integer "
        "members of which some lie outside the Int64 range (Polars cannot build the set), "
        "and for an empty set (values: [])"
    ),
    "not_in_set": "Check.notin, members and exceptions as in_set",
    "str_length": (
        "Check.str_length (characters, like the rule); Categorical/Enum read as String; "
        "strict bounds as the next whole length (min + 1, max - 1)"
    ),
    "freshness": (
        "borrowed: the shared implementation (a pandera Check returns pass/fail per row or "
        "table, not the newest value the base judges against the check's time)"
    ),
    "column_exists": "Column(required=True) checked against the data's schema",
    "dtype": (
        "borrowed: the shared implementation (dtype families and parameter-free names are "
        "not pandera dtypes)"
    ),
    "row_count": "borrowed: the shared implementation (pandera has no row-count check)",
    "expression": (
        "borrowed: the shared implementation (pandera has no SQL check; a custom Check would "
        "only wrap the same Polars expression)"
    ),
    "where": (
        "native for every rule type above: pandera validates the in-scope rows only (the "
        "view filtered by the canonical scope, null out of scope), so its failures - "
        "duplicates among in-scope rows for unique - are the rule's"
    ),
    "aggregate": (
        "borrowed: the shared implementation (pandera has no built-in aggregate check; a "
        "custom dataframe-wide Check would only wrap the same Polars expression, and a Check "
        "returns a verdict, not the statistic the base judges)"
    ),
    "schema": (
        "borrowed: the shared implementation (DataFrameSchema(strict=..., ordered=...) takes "
        "pandera dtypes, not the rule's Polars names and families, and reports the first "
        "schema error rather than every difference)"
    ),
}
