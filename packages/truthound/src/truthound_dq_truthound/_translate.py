"""One native translation per rule class: the Truthound validator check each rule becomes.

Each translation (registered with ``TRANSLATIONS``, dispatched by rule class) returns a
:class:`Translation`: the validator checks (:class:`Spec`) the rule needs, how their issue
counts give the rule's failed count, and what its total is. ``_plan`` groups the specs of all
rules into as few Truthound validators as it can (one validator over many columns).

A predicate (``when=``) declines a rule wherever Truthound's validator would not give the
canonical answer of ``docs/rules.md``; the base then evaluates it with the shared Polars
implementation, labelled as such:

- ``in_range``: Truthound's ``between`` looks at Int8..UInt64, Float32 and Float64 only, and
  compares in the column's type (a Float32 column against ``0.1`` compares with 0.1 rounded
  to Float32). Each bound is turned into the bound *of the column's own type* that gives the
  exact verdict (``ceil``/``floor`` for integers, the nearest float on the safe side for
  floats); where none exists (every value fails) the rule is declined. Decimal, Int128 and
  UInt128 columns are declined.
- ``in_set``/``not_in_set``: members no value of the column can equal exactly are left out
  (3.5 on integers, 2**60 + 1 on floats, 0.1 on Float32); Decimal columns are declined
  (Polars compares float members with a Decimal column after rounding them to its scale).
- ``regex``: patterns Truthound's ReDoS guard (or Python's ``re``) refuses, or that ``re``
  warns on (``[[:alpha:]]``), are declined.
- ``dtype``: declined where the dtype classes Truthound compares would disagree with the
  rule's meaning.
"""

from __future__ import annotations

import functools
import math
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

import polars as pl

from truthound_dq import (
    ColumnExists,
    Compare,
    DType,
    InRange,
    InSet,
    NotInSet,
    NotNull,
    NotRegex,
    Regex,
    RowCount,
    Rule,
    StrLength,
    Unique,
)
from truthound_dq.sdk import (
    DataView,
    Translations,
    dtype_matches,
    integer_range,
    python_compiles,
)
from truthound_dq_truthound._imports import validators

__all__ = [
    "TRANSLATIONS",
    "Spec",
    "Translation",
    "between_bounds",
    "dtype_classes",
    "set_members",
]


@dataclass(frozen=True, slots=True)
class Spec:
    """One check of one Truthound validator kind on one column.

    Attributes:
        kind: The validator kind (see ``_plan.KINDS``), e.g. ``between``.
        params: What tells two validators of the kind apart (hashable); specs with equal
            ``kind`` and ``params`` share one validator over all their columns.
        column: The column of the check (a safe name), or None for a table check.
        others: Further columns the check reads (``compare``'s other column).
    """

    kind: str
    params: tuple[Any, ...]
    column: str | None
    others: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Translation:
    """A rule as Truthound checks.

    Attributes:
        specs: The checks the rule needs.
        failed: How their issue counts give the failed count: ``count`` (the one check's
            count), ``any`` (1 if it reports anything), ``all`` (1 if every check reports),
            ``unique`` (duplicate rows minus the null rows that pair up).
        total: ``rows`` (not_null), ``values`` (non-missing rows of ``column``), ``one``, or
            ``pair`` (compare: rows with both values; the base counts them, and its samples).
        column: The rule's column (safe name), for totals and samples.
    """

    specs: tuple[Spec, ...]
    failed: str
    total: str
    column: str | None = None


TRANSLATIONS: Translations[Translation] = Translations("truthound")

_FLOATS = (pl.Float32, pl.Float64)
_BETWEEN_TYPES = frozenset(
    {pl.Int8, pl.Int16, pl.Int32, pl.Int64, pl.UInt8, pl.UInt16, pl.UInt32, pl.UInt64, *_FLOATS}
)


def _column(rule: Rule) -> str:
    assert rule.column is not None
    return rule.column


# -- numbers -------------------------------------------------------------------------------


def _f32(value: float) -> float:
    """``value`` rounded to the nearest Float32 (an infinity beyond its range)."""
    try:
        narrow: float = struct.unpack("<f", struct.pack("<f", value))[0]
    except OverflowError:
        return math.copysign(math.inf, value)
    return narrow


def _f32_step(value: float, up: bool) -> float:
    """The next Float32 after ``value`` (itself a Float32) towards +inf or -inf."""
    if value == 0:
        bits = 0x00000001 if up else 0x80000001
    else:
        bits = struct.unpack("<I", struct.pack("<f", value))[0]
        bits += 1 if (value > 0) == up else -1
    step: float = struct.unpack("<f", struct.pack("<I", bits))[0]
    return step


def _float_on_safe_side(bound: int | float, *, f32: bool, at_least: bool) -> float:
    """The float (of the column's width) nearest ``bound`` on the safe side.

    ``at_least``: the smallest float >= bound (a minimum: ``v < bound`` iff ``v < it`` for
    every float ``v``); otherwise the largest float <= bound (a maximum).
    """
    if isinstance(bound, float) and math.isinf(bound):
        return bound
    exact = Fraction(bound)
    if not f32:
        near = float(bound)
        if Fraction(near) < exact and at_least:
            near = math.nextafter(near, math.inf)
        elif Fraction(near) > exact and not at_least:
            near = math.nextafter(near, -math.inf)
        return near
    near = _f32(float(bound))
    if math.isinf(near):
        if at_least and near < 0:
            return _f32_step(near, up=True)  # below -max: -max is the smallest float >= it
        if not at_least and near > 0:
            return _f32_step(near, up=False)
        return near
    if at_least and Fraction(near) < exact:
        near = _f32_step(near, up=True)
    elif not at_least and Fraction(near) > exact:
        near = _f32_step(near, up=False)
    return near


_NO_BOUND = object()
_ALL_FAIL = object()


def _integer_bound(bound: int | float, dtype: pl.DataType, *, lower: bool) -> object:
    if isinstance(bound, float) and math.isinf(bound):
        return _NO_BOUND if (bound < 0) == lower else _ALL_FAIL
    limit = math.ceil(bound) if lower else math.floor(bound)
    low, high = integer_range(dtype)
    if lower:
        return _NO_BOUND if limit <= low else (_ALL_FAIL if limit > high else limit)
    return _NO_BOUND if limit >= high else (_ALL_FAIL if limit < low else limit)


def between_bounds(rule: InRange, dtype: pl.DataType) -> tuple[str, Any, Any] | None:
    """``(kind, min, max)`` of the column's own type that ``between`` compares exactly.

    None where Truthound cannot give the canonical verdict (see the module docstring).
    """
    base = dtype.base_type()
    if base not in _BETWEEN_TYPES or rule.bound_kind != "number":
        return None  # (time bounds: borrowed, see NOTES)
    strict = rule.strict_min or rule.strict_max
    if base in _FLOATS and strict:
        return None  # BetweenValidator runs inclusive here; no float bound means "strictly"
    lo_given, hi_given = rule.min, rule.max
    assert not isinstance(lo_given, str)  # (number bounds here)
    assert not isinstance(hi_given, str)
    if base in _FLOATS:
        f32 = base == pl.Float32
        low = None if lo_given is None else _float_on_safe_side(lo_given, f32=f32, at_least=True)
        high = None if hi_given is None else _float_on_safe_side(hi_given, f32=f32, at_least=False)
        return ("f32" if f32 else "f64", low, high)
    bounds = []
    for given, lower in ((lo_given, True), (hi_given, False)):
        bound: Any = given
        if bound is not None and (rule.strict_min if lower else rule.strict_max):
            # Integers: value > b iff value >= floor(b) + 1; value < b iff value <= ceil(b) - 1.
            bound = math.floor(bound) + 1 if lower else math.ceil(bound) - 1
        limit = None if bound is None else _integer_bound(bound, dtype, lower=lower)
        if limit is _ALL_FAIL:
            return None
        bounds.append(None if limit is _NO_BOUND else limit)
    return ("int", bounds[0], bounds[1])


def set_members(values: Sequence[Any], dtype: pl.DataType) -> tuple[str, tuple[Any, ...]] | None:
    """``(kind, members)`` a Truthound set validator compares exactly with the column.

    Members no value of the column can equal are left out (they match nothing); None for a
    dtype Truthound cannot compare exactly (Decimal).
    """
    base = dtype.base_type()
    if base == pl.String:
        return ("str", tuple(str(v) for v in values))
    if base == pl.Boolean:
        return ("bool", tuple(bool(v) for v in values))
    numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
    if dtype.is_integer():
        low, high = integer_range(dtype)
        whole = [int(v) for v in numbers if isinstance(v, int) or v.is_integer()]
        return (f"int:{base.__name__}", tuple(v for v in whole if low <= v <= high))
    if base in _FLOATS:
        narrow = _f32 if base == pl.Float32 else float
        kept = []
        for v in numbers:
            as_float = narrow(float(v))
            if math.isfinite(as_float) and Fraction(as_float) == Fraction(v):
                kept.append(as_float + 0.0)  # -0.0 and 0.0 are one value
        return (f"float:{base.__name__}", tuple(kept))
    return None


@functools.cache
def _known_classes() -> tuple[tuple[type[pl.DataType], pl.DataType], ...]:
    found = []
    for name in dir(pl):
        cls = getattr(pl, name)
        if not (isinstance(cls, type) and issubclass(cls, pl.DataType)):
            continue
        try:
            instance = cls([]) if cls is pl.Enum else cls()
        except Exception:  # List, Array, Struct...: in no family
            continue
        found.append((cls, instance))
    return tuple(found)


@functools.cache
def dtype_classes(spec: str) -> tuple[type[pl.DataType], ...]:
    """The Polars dtype classes a (normalised) ``dtype`` rule accepts (may be empty).

    A family (``integer``, ``string``...) is every class ``dtype_matches`` puts in it; an
    exact name is its one class.
    """
    classes = tuple(cls for cls, instance in _known_classes() if dtype_matches(instance, spec))
    exact = getattr(pl, spec, None)
    if not classes and isinstance(exact, type) and issubclass(exact, pl.DataType):
        classes = (exact,)
    return classes


@functools.cache
def _regex_accepted(pattern: str) -> bool:
    if not python_compiles(pattern):
        return False  # Rust syntax re refuses (\p{L}) or warns on ([[:alpha:]])
    try:
        validators().RegexValidator(pattern=pattern, match_full=False, dotall=False)
    except validators().RegexValidationError:
        return False  # its ReDoS guard (or Python's re) refuses it; Polars' regex is linear
    return True


# -- predicates ----------------------------------------------------------------------------


def _between_exact(rule: Rule, view: DataView) -> bool:
    assert isinstance(rule, InRange)
    return between_bounds(rule, view.dtype(_column(rule))) is not None


def _members_exact(rule: Rule, view: DataView) -> bool:
    assert isinstance(rule, InSet | NotInSet)
    dtype = view.dtype(_column(rule))
    exact = set_members(rule.values, dtype)
    # Truthound builds its member list as a Polars Series: members no one dtype holds (-1
    # next to 10**19, on a 128-bit column) make it raise.
    return exact is not None and _one_series(exact[1])


@functools.cache
def _one_series(members: tuple[Any, ...]) -> bool:
    try:
        pl.Series(list(members))
    except (OverflowError, TypeError, ValueError, pl.exceptions.PolarsError):
        return False
    return True


def _regex_exact(rule: Rule, view: DataView) -> bool:
    assert isinstance(rule, Regex)
    return _regex_accepted(rule.pattern)


@functools.cache
def _not_regex_accepted(pattern: str) -> bool:
    if not python_compiles(pattern):
        return False
    try:
        validators().NotMatchRegexValidator(pattern=pattern, match_full=False)
    except validators().RegexValidationError:
        return False  # its ReDoS guard (or Python's re) refuses it
    return True


def _not_regex_exact(rule: Rule, view: DataView) -> bool:
    assert isinstance(rule, NotRegex)
    return _not_regex_accepted(rule.pattern)


def _single_column_unique(rule: Rule, view: DataView) -> bool:
    # A compound key is borrowed: CompoundKeyValidator counts the extra copies only (rows
    # minus distinct keys), and DuplicateValidator(subset=...) pairs up rows with missing
    # key values, which a key skips, with no count of them to subtract.
    assert isinstance(rule, Unique)
    return rule.columns is None


def _has_members(rule: Rule, view: DataView) -> bool:
    assert isinstance(rule, InSet | NotInSet)
    return bool(rule.values) and _members_exact(rule, view)


def compare_exact(rule: Rule, view: DataView) -> bool:
    """Whether Polars' plain comparison (ColumnComparisonValidator's) is the exact one here.

    Nulls are skipped by the validator and NaN is turned into null by the adapter. The two
    dtypes must be equal, or two floats (Float32 widens exactly), or two integers of one
    signedness (the wider holds both). An integer against a float (compared as Float64,
    rounded beyond 2**53), Decimal, mixed temporal units or zones, and a column compared with
    itself are borrowed.
    """
    assert isinstance(rule, Compare)
    if rule.other == rule.column:
        return False  # the validator selects [column, other]: Polars refuses a repeated name
    left, right = view.dtype(_column(rule)), view.dtype(rule.other)
    if pl.Null in (left, right) or pl.Decimal in (left.base_type(), right.base_type()):
        return False
    if left == right:
        return True
    if left.is_float() and right.is_float():
        return True
    return (
        left.is_integer()
        and right.is_integer()
        and left.is_signed_integer() == right.is_signed_integer()
    )


def _dtype_exact(rule: Rule, view: DataView) -> bool:
    assert isinstance(rule, DType)
    column = view.column(_column(rule))
    stored = column.source_dtype
    if stored is None or column.dtype != stored:
        return False
    classes = dtype_classes(rule.dtype)
    # ColumnTypeValidator compares the dtype's class: native where that means the rule.
    return bool(classes) and (type(stored) in classes) == dtype_matches(stored, rule.dtype)


# -- translations --------------------------------------------------------------------------


@TRANSLATIONS.register(NotNull, where=True)
def _not_null(rule: NotNull, view: DataView) -> Translation:
    column = _column(rule)
    return Translation((Spec("not_null", (), column),), "count", "rows", column)


@TRANSLATIONS.register(Unique, when=_single_column_unique, where=True)
def _unique(rule: Unique, view: DataView) -> Translation:
    # DuplicateValidator counts every row of a repeated value (the canonical count), null
    # rows included; UniqueValidator counts extra copies only and misses duplicates when the
    # column has nulls.
    column = _column(rule)
    return Translation((Spec("duplicate", (column,), column),), "unique", "values", column)


@TRANSLATIONS.register(Regex, when=_regex_exact, where=True)
def _regex(rule: Regex, view: DataView) -> Translation:
    column = _column(rule)
    return Translation((Spec("regex", (rule.pattern,), column),), "count", "values", column)


@TRANSLATIONS.register(NotRegex, when=_not_regex_exact)
def _not_regex(rule: NotRegex, view: DataView) -> Translation:
    column = _column(rule)
    return Translation((Spec("not_regex", (rule.pattern,), column),), "count", "values", column)


@TRANSLATIONS.register(Compare, when=compare_exact)
def _compare(rule: Compare, view: DataView) -> Translation:
    # The total (rows with both values) and the samples (both values) are the base's.
    column = _column(rule)
    spec = Spec("compare", (rule.op, rule.other), column, (rule.other,))
    return Translation((spec,), "count", "pair", column)


@TRANSLATIONS.register(InRange, when=_between_exact, where=True)
def _in_range(rule: InRange, view: DataView) -> Translation:
    column = _column(rule)
    bounds = between_bounds(rule, view.dtype(column))
    assert bounds is not None
    return Translation((Spec("between", bounds, column),), "count", "values", column)


@TRANSLATIONS.register(InSet, when=_has_members, where=True)
def _in_set(rule: InSet, view: DataView) -> Translation:
    column = _column(rule)
    members = set_members(rule.values, view.dtype(column))
    assert members is not None
    return Translation((Spec("in_set", members, column),), "count", "values", column)


@TRANSLATIONS.register(NotInSet, when=_has_members, where=True)
def _not_in_set(rule: NotInSet, view: DataView) -> Translation:
    column = _column(rule)
    members = set_members(rule.values, view.dtype(column))
    assert members is not None
    return Translation((Spec("not_in_set", members, column),), "count", "values", column)


def _length_exact(rule: Rule, view: DataView) -> bool:
    assert isinstance(rule, StrLength)
    return not (rule.strict_max and rule.max == 0)  # no length is below 0


@TRANSLATIONS.register(StrLength, when=_length_exact, where=True)
def _str_length(rule: StrLength, view: DataView) -> Translation:
    # Lengths are whole numbers: a strict bound is the next one in (min + 1, max - 1).
    column = _column(rule)
    low = rule.min + 1 if rule.min is not None and rule.strict_min else rule.min
    high = rule.max - 1 if rule.max is not None and rule.strict_max else rule.max
    spec = Spec("length", (low, high), column)
    return Translation((spec,), "count", "values", column)


@TRANSLATIONS.register(DType, when=_dtype_exact)
def _dtype(rule: DType, view: DataView) -> Translation:
    # ColumnTypeValidator compares dtype classes, so parameters (time unit, zone) are not
    # compared. A family is the union of its classes: one check per class, and the rule
    # fails when every one of them reports a mismatch.
    column = _column(rule)
    specs = tuple(Spec("column_type", (cls,), column) for cls in dtype_classes(rule.dtype))
    return Translation(specs, "all", "one")


@TRANSLATIONS.register(ColumnExists)
def _column_exists(rule: ColumnExists, view: DataView) -> Translation:
    return Translation((Spec("column_exists", (), _column(rule)),), "any", "one")


@TRANSLATIONS.register(RowCount)
def _row_count(rule: RowCount, view: DataView) -> Translation:
    return Translation((Spec("row_count", (rule.min, rule.max), None),), "any", "one")
