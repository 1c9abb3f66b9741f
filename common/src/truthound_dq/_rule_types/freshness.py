"""``freshness``: the newest value of a Date/Datetime column is at most ``max_age`` old.

Table-level: one yes/no check. The observed value is the column's newest non-missing value
(as ISO text, in the column's own time zone); its age is the check's time (``now``) minus
that value. Naive datetimes are read as UTC, and a date as midnight UTC of that day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

import polars as pl

from truthound_dq._params import parse_duration
from truthound_dq._rule import CheckContext, Fail, Rule, RuleKind, RuleType
from truthound_dq._times import datetime_ns, duration_ns, format_duration, time_bound

__all__ = ["Freshness", "newest_text"]

_DATE_FORMAT = "%Y-%m-%d"
_NAIVE_FORMAT = "%Y-%m-%dT%H:%M:%S%.f"
_AWARE_FORMAT = "%Y-%m-%dT%H:%M:%S%.f%:z"


def newest_text(value: Any) -> str | None:
    """A newest value (``date``, ``datetime``, pandas ``Timestamp``, text) as the shared text.

    ISO-8601 with 0, 3, 6 or 9 fractional digits as needed, the offset if aware.
    For adapters that observe the newest value natively, so every engine reports the same.
    """
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, dt.datetime):
        nano = int(getattr(value, "nanosecond", 0) or 0)
        total = value.microsecond * 1_000 + nano
        # Not strftime: its %Y is not zero-padded for years before 1000 on every platform.
        head = (
            f"{value.year:04d}-{value.month:02d}-{value.day:02d}T"
            f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}"
        )
        if total:
            digits = f"{total:09d}"
            width = 3 if total % 1_000_000 == 0 else 6 if total % 1_000 == 0 else 9
            head += "." + digits[:width]
        offset = value.utcoffset()
        if offset is not None:
            minutes = (offset.days * 86_400 + offset.seconds) // 60
            sign = "-" if minutes < 0 else "+"
            head += f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
        return head
    if isinstance(value, dt.date):
        return value.isoformat()
    raise TypeError(f"freshness cannot read a newest value of type {type(value).__name__}")


@dataclass(frozen=True, slots=True, kw_only=True)
class Freshness(Rule):
    """The newest non-missing value of a Date/Datetime column is at most ``max_age`` old.

    Attributes:
        max_age: The oldest the newest value may be: ISO-8601 (``PT24H``, ``P7D``) or Polars'
            duration syntax (``24h``, ``1d12h``; units ns, us, ms, s, m, h, d, w).
    """

    type: ClassVar[str] = RuleType.FRESHNESS
    kind: ClassVar[RuleKind] = RuleKind.TABLE
    observes_data: ClassVar[bool] = True
    sampled: ClassVar[bool] = False
    _params: ClassVar[tuple[str, ...]] = ("max_age",)
    compatible: ClassVar[frozenset[str] | None] = frozenset({"date", "datetime"})
    summary: ClassVar[str] = (
        "the newest non-missing value is more than `max_age` older than the check's time "
        "(one check per rule)"
    )
    max_age: str

    @classmethod
    def parse_parameters(cls, raw: Mapping[str, Any], fail: Fail) -> dict[str, Any]:
        """A duration that is not negative."""
        if raw.get("max_age") is None:
            fail("freshness needs 'max_age' (a duration such as '24h' or 'PT24H')")
            return {}
        age = parse_duration(raw["max_age"], "max_age", fail)
        if age is None:
            return {}
        if age.value < 0:
            fail(f"'max_age' {age.text!r} is negative")
        return {"max_age": age.text}

    @property
    def max_age_ns(self) -> int:
        """``max_age`` in nanoseconds."""
        return duration_ns(self.max_age)

    def inapplicable(self, dtype: pl.DataType) -> str | None:
        """Date and Datetime columns only."""
        if dtype.base_type() in (pl.Date, pl.Datetime):
            return None
        return "freshness needs a date or datetime column"

    def observe(self, schema: pl.Schema) -> pl.Expr | None:
        """The newest non-missing value, as ISO text (null if there is none)."""
        assert self.column is not None
        dtype = schema[self.column]
        newest = pl.col(self.column).max()
        if dtype.base_type() == pl.Date:
            return newest.dt.to_string(_DATE_FORMAT)
        if dtype.base_type() == pl.Datetime:
            aware = getattr(dtype, "time_zone", None) is not None
            return newest.dt.to_string(_AWARE_FORMAT if aware else _NAIVE_FORMAT)
        return newest.cast(pl.String)  # a Null column: no value

    def merge_observed(self, parts: Sequence[Any]) -> Any:
        """The newest of the batches' newest values (compared as instants, not as text)."""
        present = [p for p in parts if p is not None]
        if not present:
            return None
        return max(present, key=self.newest_ns)

    def undefined(self, observed: Any, context: CheckContext) -> str | None:
        """No non-missing value: nothing is fresh."""
        if observed is None:
            return f"column {self.column!r} has no non-missing values: its freshness is undefined"
        return None

    def newest_ns(self, observed: Any) -> int:
        """The newest value as nanoseconds since the epoch (UTC; a date is its midnight)."""
        text = newest_text(observed)
        assert text is not None
        bound = time_bound(text)
        assert bound is not None, text
        assert bound.kind in ("date", "datetime"), text
        return bound.ns  # naive wall clock = UTC, as the rule reads naive datetimes

    def age_ns(self, observed: Any, context: CheckContext) -> int:
        """``now - newest`` in nanoseconds (negative if the newest value is in the future)."""
        return datetime_ns(context.now) - self.newest_ns(observed)

    def verdict(self, observed: Any, context: CheckContext) -> bool:
        """The newest value is at most ``max_age`` old (a future one is fresh)."""
        return self.age_ns(observed, context) <= self.max_age_ns

    def describe_verdict(self, passed: bool, observed: Any, context: CheckContext) -> str:
        """``newest value 2024-01-01T00:00:00 is 1d2h old, within max_age 24h``."""
        newest = newest_text(observed)
        age = self.age_ns(observed, context)
        when = context.now.isoformat()
        if age < 0:
            return (
                f"newest value {newest} is {format_duration(-age)} in the future "
                f"(now is {when}), within max_age {self.max_age}"
            )
        verdict = "within" if passed else "older than"
        return f"newest value {newest} is {format_duration(age)} old (now is {when}), " + (
            f"{verdict} max_age {self.max_age}"
        )
