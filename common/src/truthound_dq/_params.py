"""Parameter parsing shared by the rule definitions: numbers, bounds, value lists, patterns.

Parameters arrive from JSON, YAML, Python or numpy. They are normalized once, here: numpy
scalars become Python numbers, ``str`` subclasses (a ``str`` Enum member, ``numpy.str_``)
become plain strings, and a number no column type can hold is refused.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from typing import Any

from truthound_dq._numbers import INT_RANGE
from truthound_dq._rule import Fail, Scalar
from truthound_dq._times import TimeBound, duration_ns, time_bound, time_value

__all__ = [
    "plain_value",
    "is_number",
    "number_problem",
    "shown_number",
    "parse_bounds",
    "parse_values",
    "parse_pattern",
    "parse_duration",
    "parse_bound",
    "parse_time_bounds",
    "parse_strict",
]


def plain_value(value: object) -> object:
    """Numpy scalars as Python scalars, ``str`` and ``bool`` subclasses as plain ones."""
    item = getattr(value, "item", None)
    if item is not None and type(value).__module__ == "numpy" and getattr(value, "ndim", 1) == 0:
        value = item()
    if isinstance(value, str) and type(value) is not str:
        return str.__str__(value)  # the characters, not e.g. an Enum's "Color.RED"
    if isinstance(value, int) and not isinstance(value, bool) and type(value) is not int:
        return int(value)
    if isinstance(value, float) and type(value) is not float:
        return float(value)
    return value


def is_number(value: object) -> bool:
    """An int or float that is not a bool (after :func:`plain_value`)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def number_problem(value: object) -> str | None:
    """Why a number cannot be used (not finite, or no column type can hold it), else None."""
    if isinstance(value, float) and not math.isfinite(value):
        return "is not finite"
    if isinstance(value, int) and not INT_RANGE[0] <= value <= INT_RANGE[1]:
        return "is beyond the 128-bit integer range (no column type holds it)"
    return None


def shown_number(value: object) -> str:
    """A number for a message: huge integers by their digit count, not 400 digits."""
    if isinstance(value, int) and len(str(abs(value))) > 40:
        return f"{'-' if value < 0 else ''}(a {len(str(abs(value)))}-digit integer)"
    return repr(value)


def parse_bounds(
    rule_type: str, raw: Mapping[str, Any], fail: Fail, *, integer: bool
) -> dict[str, Any]:
    """``min`` and/or ``max``: finite numbers, or non-negative whole numbers if ``integer``."""
    bounds: dict[str, Any] = {"min": None, "max": None}
    given = [key for key in ("min", "max") if raw.get(key) is not None]
    if not given:
        fail(f"{rule_type} needs 'min', 'max' or both")
    for key in given:
        value = plain_value(raw[key])
        whole = "a non-negative whole number" if integer else "a finite number"
        if not is_number(value) or (isinstance(value, float) and not math.isfinite(value)):
            fail(f"'{key}' must be {whole}, got {raw[key]!r}")
        elif (problem := number_problem(value)) is not None:
            fail(f"'{key}' {shown_number(value)} {problem}")
        elif integer and not (float(value).is_integer() and value >= 0):  # type: ignore[arg-type, operator]
            fail(f"'{key}' must be {whole}, got {raw[key]!r}")
        else:
            bounds[key] = int(value) if integer else value  # type: ignore[call-overload]
    lo, hi = bounds["min"], bounds["max"]
    if lo is not None and hi is not None and lo > hi:
        fail(f"'min' {lo!r} is greater than 'max' {hi!r}")
    return bounds


def parse_values(raw: Mapping[str, Any], fail: Fail) -> tuple[Scalar, ...]:
    """``values``: a list of one kind (strings, numbers or booleans), no None; may be empty.

    An empty list is a set with no members: ``in_set`` fails every value, ``not_in_set`` none.
    """
    values = raw.get("values")
    if isinstance(values, str | bytes) or not isinstance(values, list | tuple | set | frozenset):
        fail(f"'values' must be a list of values, got {values!r}")
        return ()
    if not values:
        return ()
    if (fast := _homogeneous(values)) is not None:
        return fast
    kinds: set[str] = set()
    plain: list[Scalar] = []
    for given in values:
        value = plain_value(given)
        if value is None:
            fail(
                "'values' must not contain None (missing values are skipped; "
                "use not_null to forbid them)"
            )
        elif isinstance(value, bool):
            kinds.add("boolean")
        elif isinstance(value, str):
            kinds.add("string")
        elif is_number(value):
            if (problem := number_problem(value)) is not None:
                fail(f"'values' member {shown_number(value)} {problem}")
            kinds.add("number")
        else:
            fail(f"'values' may hold strings, numbers or booleans, got {given!r}")
        if isinstance(value, bool | str | int | float):
            plain.append(value)
    if len(kinds) > 1:
        fail(f"'values' mixes {' and '.join(sorted(kinds))}; use one kind")
    if isinstance(values, set | frozenset):
        plain.sort(key=repr)
    return tuple(plain)


def _homogeneous(
    values: list[Any] | tuple[Any, ...] | set[Any] | frozenset[Any],
) -> tuple[Scalar, ...] | None:
    """The common case in one sweep: members all plain ``int``, ``str``, ``bool`` or ``float``.

    Large sets (10,000 rules of 1,000 members) would spend seconds on per-member checks; one
    type sweep plus one range check gives the same answer. None: take the careful path.
    """
    kinds = set(map(type, values))
    if len(kinds) != 1:
        return None
    (kind,) = kinds
    if kind is int:
        if not (INT_RANGE[0] <= min(values) and max(values) <= INT_RANGE[1]):
            return None  # the careful path names the member
    elif kind is float:
        if not all(map(math.isfinite, values)):
            return None
    elif kind is not str and kind is not bool:
        return None
    if isinstance(values, set | frozenset):
        return tuple(sorted(values, key=repr))
    return tuple(values)


def parse_pattern(raw: Mapping[str, Any], fail: Fail, *, rule_type: str = "regex") -> str:
    """``pattern``: a regex in the dialect every engine runs."""
    pattern = plain_value(raw.get("pattern"))
    if not isinstance(pattern, str):
        fail(f"{rule_type} needs 'pattern' as a string, got {pattern!r}")
        return ""
    if (problem := _regex_problem(pattern)) is not None:
        fail(problem)
    return pattern


def _regex_problem(pattern: str) -> str | None:
    r"""Why ``pattern`` is not a regex of the one dialect every engine runs (Rust's), if so.

    Every engine evaluates patterns with Rust's ``regex`` crate (through Polars), natively or
    borrowed, and the Spark path translates that dialect to Java's. Rust has no look-around and
    no back-references: such a pattern is refused with that reason, any other that Rust cannot
    read does not compile. Python's ``re`` is not the judge: ``\p{L}`` and ``[[:alpha:]]`` are
    Rust syntax that ``re`` rejects or reads as something else.
    """
    import polars as pl

    try:
        pl.select(pl.lit("").str.contains(pattern))
    except pl.exceptions.PolarsError as exc:
        reason = str(exc).split("error:")[-1].strip().splitlines()[0]
        if "look" in reason or "backreference" in reason:
            return (
                f"pattern {pattern!r} uses a feature Rust's regex dialect, which every engine "
                f"runs, lacks ({reason}); "
                "use the common subset (no look-around or back-references)"
            )
        return f"pattern {pattern!r} does not compile: {reason}"
    return None


_TIME_BOUND_HELP = (
    "a number, or an ISO-8601 date ('2024-01-01'), datetime ('2024-01-01T12:00:00', "
    "'2024-01-01T12:00:00+00:00') or duration ('PT24H', 'P7D', or Polars' '24h', '1d12h')"
)


def parse_duration(value: object, key: str, fail: Fail) -> TimeBound | None:
    """A duration: ISO-8601 (``PT24H``, ``P7D``), Polars' syntax (``30m``) or a ``timedelta``.

    Polars' units: ns, us, ms, s, m, h, d, w (months and years have no fixed length).
    Returns the duration (its ``text`` is what the rule keeps), or None after ``fail``.
    """
    value = plain_value(value)
    text = time_value(value) if isinstance(value, dt.timedelta) else value
    if not isinstance(text, str):
        fail(f"'{key}' must be a duration such as '24h' or 'PT24H', got {value!r}")
        return None
    try:
        ns = duration_ns(text)
    except ValueError as exc:
        fail(f"'{key}' {text!r}: {exc}")
        return None
    return TimeBound("duration", text, ns)


def parse_bound(value: object, key: str, fail: Fail) -> int | float | TimeBound | None:
    """One range bound: a finite number, or a date, datetime or duration (text or Python).

    Returns the number or the time value (its ``text`` is what the rule keeps), or None
    after ``fail``.
    """
    given, value = value, plain_value(value)
    if isinstance(value, bool) or (isinstance(value, float) and not math.isfinite(value)):
        fail(f"'{key}' must be a finite number, got {given!r}")
        return None
    if is_number(value):
        if (problem := number_problem(value)) is not None:
            fail(f"'{key}' {shown_number(value)} {problem}")
            return None
        return value  # type: ignore[return-value]
    text = time_value(value)
    if text is None and isinstance(value, str):
        text = value
    if text is None:
        fail(f"'{key}' must be {_TIME_BOUND_HELP}, got {value!r}")
        return None
    try:
        bound = time_bound(text)
    except ValueError as exc:
        fail(f"'{key}' {text!r} is not a valid date, datetime or duration: {exc}")
        return None
    if bound is None:
        fail(f"'{key}' must be {_TIME_BOUND_HELP}, got {value!r}")
    return bound


def parse_time_bounds(rule_type: str, raw: Mapping[str, Any], fail: Fail) -> dict[str, Any]:
    """``min`` and/or ``max``: numbers, or dates, datetimes or durations - both of one kind.

    Time bounds are kept as their text (a ``date`` becomes ``"2024-01-01"``, a ``timedelta``
    ``"1d12h"``); naive and aware datetimes do not mix; ``min <= max``.
    """
    bounds: dict[str, Any] = {"min": None, "max": None}
    given = [key for key in ("min", "max") if raw.get(key) is not None]
    if not given:
        fail(f"{rule_type} needs 'min', 'max' or both")
    parsed: dict[str, int | float | TimeBound] = {}
    for key in given:
        bound = parse_bound(raw[key], key, fail)
        if bound is not None:
            parsed[key] = bound
            bounds[key] = bound.text if isinstance(bound, TimeBound) else bound
    if len(parsed) < 2:
        return bounds
    lo, hi = parsed["min"], parsed["max"]
    kinds = [b.kind if isinstance(b, TimeBound) else "number" for b in (lo, hi)]
    if kinds[0] != kinds[1]:
        fail(f"'min' is a {kinds[0]} and 'max' a {kinds[1]}; give both bounds of one kind")
    elif isinstance(lo, TimeBound) and isinstance(hi, TimeBound):
        if lo.aware != hi.aware:
            fail(
                "'min' and 'max' mix a naive datetime and one with a UTC offset; "
                "give both with an offset, or neither"
            )
        elif lo.value > hi.value:
            fail(f"'min' {lo.text!r} is after 'max' {hi.text!r}")
    elif lo > hi:  # type: ignore[operator]
        fail(f"'min' {lo!r} is greater than 'max' {hi!r}")
    return bounds


def parse_strict(raw: Mapping[str, Any], fail: Fail, bounds: Mapping[str, Any]) -> dict[str, bool]:
    """``strict_min`` / ``strict_max`` (booleans, default false), each only with its bound."""
    flags = {"strict_min": False, "strict_max": False}
    for key, bound in (("strict_min", "min"), ("strict_max", "max")):
        value = plain_value(raw.get(key, False))
        if value is None:
            continue
        if not isinstance(value, bool):
            fail(f"'{key}' must be true or false, got {value!r}")
        elif value and raw.get(bound) is None:
            fail(f"'{key}' is given but '{bound}' is not")
        else:
            flags[key] = value
    lo, hi = bounds.get("min"), bounds.get("max")
    if (flags["strict_min"] or flags["strict_max"]) and lo is not None and lo == hi:
        fail(f"'min' equals 'max' ({lo!r}) with a strict bound: no value can pass")
    return flags
