"""Dates, datetimes and durations in rules: parsed exactly, compared exactly.

A time bound (``in_range``'s ``min``/``max``, ``freshness``'s ``max_age``) is kept in the rule
as text (ISO-8601, or Polars' duration syntax), so a rule round-trips through JSON, and read
here as an exact integer: days since 1970-01-01 for a date, nanoseconds since
1970-01-01T00:00 for a datetime (UTC for an aware one, the wall clock for a naive one),
nanoseconds for a duration. Nothing is rounded to microseconds the way Python's ``datetime``
would: ``2024-01-01T00:00:00.000000001`` is one nanosecond after midnight.

A column is compared through its physical integers (days for Date, the column's unit for
Datetime and Duration), and a bound finer than the unit is never rounded onto it:
``value < bound`` becomes ``units < ceil(bound / unit)`` and ``value > bound`` becomes
``units > floor(bound / unit)``, which are the same statements for whole units.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

import polars as pl

from truthound_dq._numbers import above, below

__all__ = [
    "TimeBound",
    "TimeKind",
    "time_bound",
    "time_value",
    "duration_ns",
    "duration_text",
    "format_duration",
    "time_below",
    "time_above",
    "datetime_ns",
    "UNIT_NS",
]

TimeKind = Literal["date", "datetime", "duration"]

UNIT_NS = {"ns": 1, "us": 1_000, "ms": 1_000_000}
"""Nanoseconds per unit of a Polars Datetime or Duration column."""

_DAY_NS = 86_400 * 10**9
_EPOCH = dt.date(1970, 1, 1).toordinal()

# Polars' duration syntax: one or more <integer><unit>, e.g. 30m, 1d12h, 500ms.
_POLARS_UNITS = {
    "ns": 1,
    "us": 1_000,
    "µs": 1_000,
    "ms": 1_000_000,
    "s": 10**9,
    "m": 60 * 10**9,
    "h": 3_600 * 10**9,
    "d": _DAY_NS,
    "w": 7 * _DAY_NS,
}
_POLARS_PART = re.compile(r"(\d+)([a-zµ]+)")
_POLARS_WHOLE = re.compile(r"^-?(?:\d+[a-zµ]+)+$")
_CALENDAR_UNITS = {"mo": "months", "q": "quarters", "y": "years"}

_ISO = re.compile(
    r"^(?P<sign>[-+])?P"
    r"(?:(?P<Y>\d+(?:[.,]\d+)?)Y)?(?:(?P<Mo>\d+(?:[.,]\d+)?)M)?"
    r"(?:(?P<W>\d+(?:[.,]\d+)?)W)?(?:(?P<D>\d+(?:[.,]\d+)?)D)?"
    r"(?:T(?:(?P<H>\d+(?:[.,]\d+)?)H)?(?:(?P<Mi>\d+(?:[.,]\d+)?)M)?"
    r"(?:(?P<S>\d+(?:[.,]\d+)?)S)?)?$"
)
_ISO_NS = {
    "W": 7 * _DAY_NS,
    "D": _DAY_NS,
    "H": 3_600 * 10**9,
    "Mi": 60 * 10**9,
    "S": 10**9,
}

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_FRACTION = re.compile(r"^(\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2})[.,](\d+)(.*)$")


@dataclass(frozen=True, slots=True)
class TimeBound:
    """One time value of a rule, exactly.

    Attributes:
        kind: ``date``, ``datetime`` or ``duration``.
        text: The rule's text for it (what ``to_dict`` gives and messages show).
        value: Days since 1970-01-01 (date), nanoseconds since 1970-01-01T00:00 (datetime:
            UTC if aware, else the wall clock), or nanoseconds (duration).
        aware: A datetime with a UTC offset (compared as an instant).
    """

    kind: TimeKind
    text: str
    value: int
    aware: bool = False

    @property
    def ns(self) -> int:
        """Nanoseconds since the epoch (a date is its midnight) or of the duration."""
        return self.value * _DAY_NS if self.kind == "date" else self.value


def duration_ns(text: str) -> int:
    """The nanoseconds of a duration in Polars' syntax or ISO-8601 (``ValueError`` if not one).

    Months, quarters and years are refused: they have no fixed length.
    """
    text = text.strip()
    sign = -1 if text.startswith("-") else 1
    if _POLARS_WHOLE.match(text):
        total = 0
        for number, unit in _POLARS_PART.findall(text):
            if unit in _CALENDAR_UNITS:
                raise ValueError(
                    f"{_CALENDAR_UNITS[unit]} ({unit!r}) have no fixed length; "
                    "use d or w (e.g. 30d)"
                )
            if unit not in _POLARS_UNITS:
                known = ", ".join(u for u in _POLARS_UNITS if u != "µs")
                raise ValueError(f"unknown unit {unit!r} (units: {known})")
            total += int(number) * _POLARS_UNITS[unit]
        return sign * total
    match = _ISO.match(text.upper())
    if match is None or text.upper().rstrip("T").endswith("P"):
        raise ValueError(
            "expected a duration such as '24h', '30m', '1d12h' (units ns, us, ms, s, m, h, d, w) "
            "or ISO-8601 such as 'PT24H' or 'P7D'"
        )
    if match["Y"] is not None or match["Mo"] is not None:
        raise ValueError("months and years have no fixed length; use days or weeks (e.g. P30D)")
    total_f = Fraction(0)
    for key, per in _ISO_NS.items():
        if match[key] is not None:
            total_f += Fraction(match[key].replace(",", ".")) * per
    if total_f.denominator != 1:
        raise ValueError("is finer than a nanosecond")
    return (-1 if match["sign"] == "-" else 1) * int(total_f)


def format_duration(ns: int) -> str:
    """Nanoseconds in Polars' syntax, largest units first: ``1d12h``, ``-30m``, ``0s``."""
    if ns == 0:
        return "0s"
    sign, rest = ("-", -ns) if ns < 0 else ("", ns)
    parts = []
    for unit in ("d", "h", "m", "s", "ms", "us", "ns"):
        count, rest = divmod(rest, _POLARS_UNITS[unit])
        if count:
            parts.append(f"{count}{unit}")
    return sign + "".join(parts)


def duration_text(value: dt.timedelta) -> str:
    """A ``timedelta`` (or pandas ``Timedelta``) as the text a rule keeps."""
    ns = (value.days * 86_400 + value.seconds) * 10**9 + value.microseconds * 1_000
    return format_duration(ns + int(getattr(value, "nanoseconds", 0) or 0))


def datetime_ns(value: dt.datetime, extra_ns: int = 0) -> int:
    """Nanoseconds since the epoch: the instant (UTC) if aware, else the wall clock."""
    days = value.date().toordinal() - _EPOCH
    ns = (days * 86_400 + value.hour * 3_600 + value.minute * 60 + value.second) * 10**9
    ns += value.microsecond * 1_000 + extra_ns + int(getattr(value, "nanosecond", 0) or 0)
    offset = value.utcoffset()
    if offset is not None:
        ns -= (offset.days * 86_400 + offset.seconds) * 10**9 + offset.microseconds * 1_000
    return ns


def _parse_datetime(text: str) -> TimeBound:
    extra_ns = 0
    if (match := _FRACTION.match(text)) is not None:
        head, digits, tail = match.groups()
        if len(digits) > 9:
            raise ValueError("has more than 9 fractional digits (finer than a nanosecond)")
        extra_ns = int(digits.ljust(9, "0"))
        text = head + tail
    parsed = dt.datetime.fromisoformat(text)
    return TimeBound("datetime", "", datetime_ns(parsed, extra_ns), parsed.tzinfo is not None)


@functools.lru_cache(maxsize=4096)
def time_bound(text: str) -> TimeBound | None:
    """A rule's text as a time value: a date, datetime or duration; None if it is none.

    Raises:
        ValueError: The text looks like a date, datetime or duration but is not a valid one.
    """
    stripped = text.strip()
    if _DATE.match(stripped):
        days = dt.date.fromisoformat(stripped).toordinal() - _EPOCH
        return TimeBound("date", text, days)
    if _DATETIME.match(stripped):
        found = _parse_datetime(stripped)
        return TimeBound("datetime", text, found.value, found.aware)
    if stripped[:1] in ("P", "p") or stripped[1:2] in ("P", "p") or _POLARS_WHOLE.match(stripped):
        return TimeBound("duration", text, duration_ns(stripped))
    return None


def time_value(value: object) -> str | None:
    """A Python ``date``/``datetime``/``timedelta`` as the text a rule keeps (else None)."""
    if isinstance(value, dt.datetime):
        return value.isoformat()  # (a pandas Timestamp writes its nanoseconds too)
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return duration_text(value)
    return None


def _limit(value: pl.Expr, dtype: pl.DataType, bound: TimeBound, *, lower: bool) -> pl.Expr:
    """``value < bound`` (``lower``) or ``value > bound``, exactly, on the physical integers."""
    base = dtype.base_type()
    if base == pl.Date:
        physical, units, per = value.to_physical(), bound.value, 1
        if bound.kind != "date":  # (only dates apply to Date columns; kept total for safety)
            units, per = bound.ns, _DAY_NS
        kind: pl.DataType = pl.Int32()
    else:
        unit = getattr(dtype, "time_unit", None) or "us"
        physical, units, per = value.to_physical(), bound.ns, UNIT_NS[unit]
        kind = pl.Int64()
    if lower:
        return below(physical, kind, -(-units // per))  # ceil
    return above(physical, kind, units // per)  # floor


def time_below(value: pl.Expr, dtype: pl.DataType, bound: TimeBound) -> pl.Expr:
    """True where a Date/Datetime/Duration ``value`` is before (shorter than) ``bound``."""
    return _limit(value, dtype, bound, lower=True)


def time_above(value: pl.Expr, dtype: pl.DataType, bound: TimeBound) -> pl.Expr:
    """True where a Date/Datetime/Duration ``value`` is after (longer than) ``bound``."""
    return _limit(value, dtype, bound, lower=False)
