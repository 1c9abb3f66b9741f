"""``in_range``: every non-missing value lies in ``[min, max]``, compared exactly.

Bounds are numbers (numeric columns), dates (Date columns, and naive Datetime columns: a date
means its midnight), datetimes (Datetime columns; naive bounds on naive columns, bounds with
a UTC offset on time-zone aware columns, compared as instants) or durations (Duration
columns). ``strict_min`` / ``strict_max`` exclude the bound itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import polars as pl

from truthound_dq._messages import format_bounds
from truthound_dq._numbers import above, below
from truthound_dq._params import parse_strict, parse_time_bounds
from truthound_dq._rule import Fail, Rule, RuleType
from truthound_dq._times import TimeBound, time_above, time_below, time_bound

__all__ = ["InRange"]

BoundKind = Literal["number", "date", "datetime", "duration"]


@dataclass(frozen=True, slots=True, kw_only=True)
class InRange(Rule):
    """Every non-missing value lies in ``[min, max]`` (either may be open or strict).

    Attributes:
        min: The lowest value allowed: a number, or ISO-8601 text for a date, datetime or
            duration (durations also in Polars' syntax, ``24h``).
        max: The highest value allowed, of the same kind as ``min``.
        strict_min: Exclude ``min`` itself (``value > min``).
        strict_max: Exclude ``max`` itself (``value < max``).
    """

    type: ClassVar[str] = RuleType.IN_RANGE
    _params: ClassVar[tuple[str, ...]] = ("min", "max", "strict_min", "strict_max")
    compatible: ClassVar[frozenset[str] | None] = frozenset({"numeric"})
    summary: ClassVar[str] = (
        "the non-missing value is `< min` or `> max` (`<= min` / `>= max` when strict); "
        "bounds are numbers, dates, datetimes or durations"
    )
    min: int | float | str | None = None
    max: int | float | str | None = None
    strict_min: bool = False
    strict_max: bool = False

    @classmethod
    def parse_parameters(cls, raw: Mapping[str, Any], fail: Fail) -> dict[str, Any]:
        """Finite numbers, or dates, datetimes or durations (both of one kind); ``min <= max``."""
        bounds = parse_time_bounds(cls.type, raw, fail)
        return {**bounds, **parse_strict(raw, fail, bounds)}

    @property
    def parameters(self) -> dict[str, Any]:
        """The bounds as given (time bounds as text); strict flags only when set."""
        params: dict[str, Any] = {}
        for key in ("min", "max"):
            if getattr(self, key) is not None:
                params[key] = getattr(self, key)
        for key in ("strict_min", "strict_max"):
            if getattr(self, key):
                params[key] = True
        return params

    # -- what the bounds are ----------------------------------------------------------------

    @property
    def bound_kind(self) -> BoundKind:
        """``number``, ``date``, ``datetime`` or ``duration`` (both bounds are of one kind)."""
        bound = self.min if self.min is not None else self.max
        if not isinstance(bound, str):
            return "number"
        found = time_bound(bound)
        assert found is not None, f"in_range bound {bound!r} is not a time value"
        return found.kind

    def time_bounds(self) -> tuple[TimeBound | None, TimeBound | None]:
        """``(min, max)`` as exact time values (None for an open side); for time bounds only."""
        return tuple(  # type: ignore[return-value]
            time_bound(b) if isinstance(b, str) else None for b in (self.min, self.max)
        )

    @property
    def aware(self) -> bool:
        """Whether the bounds are datetimes with a UTC offset."""
        return any(b is not None and b.aware for b in self.time_bounds())

    # -- applicability ---------------------------------------------------------------------

    def inapplicable(self, dtype: pl.DataType) -> str | None:
        """Why the bounds do not apply to a column of ``dtype`` (None if they do).

        Numbers need a numeric column, dates a Date or naive Datetime, datetimes a Datetime
        whose time zone (or none) matches theirs, durations a Duration column.
        """
        kind = self.bound_kind
        if kind == "number":
            why = Rule.inapplicable(self, dtype)
            return None if why is None else f"{why} (or time bounds for a time column)"
        base = dtype.base_type()
        column_aware = base == pl.Datetime and getattr(dtype, "time_zone", None) is not None
        if kind == "duration":
            return None if base == pl.Duration else "in_range's bounds are durations"
        if kind == "date":
            if base == pl.Date or (base == pl.Datetime and not column_aware):
                return None
            if base == pl.Datetime:
                return (
                    "in_range's bounds are dates (naive: no time zone) but the column is "
                    "time-zone aware; give datetime bounds with a UTC offset, e.g. "
                    "'2024-01-01T00:00:00+00:00'"
                )
            return "in_range's bounds are dates; they apply to Date and Datetime columns"
        if base != pl.Datetime:
            return "in_range's bounds are datetimes; they apply to Datetime columns"
        if self.aware and not column_aware:
            return (
                "in_range's bounds are time-zone aware (they have a UTC offset) but the column "
                "is naive (no time zone); give naive bounds, or give the column a time zone"
            )
        if column_aware and not self.aware:
            return (
                "in_range's bounds are naive (no UTC offset) but the column is time-zone "
                "aware; give bounds with an offset, e.g. '2024-01-01T00:00:00+00:00'"
            )
        return None

    # -- canonical semantics ----------------------------------------------------------------

    def failure(self, value: pl.Expr, dtype: pl.DataType) -> pl.Expr:
        """Below ``min`` or above ``max`` (at the bound too, if strict), exactly."""
        if self.bound_kind == "number":
            lo: Any = self.min
            hi: Any = self.max

            def under(bound: Any) -> pl.Expr:
                return below(value, dtype, bound)

            def over(bound: Any) -> pl.Expr:
                return above(value, dtype, bound)

        else:
            lo, hi = self.time_bounds()

            def under(bound: Any) -> pl.Expr:
                return time_below(value, dtype, bound)

            def over(bound: Any) -> pl.Expr:
                return time_above(value, dtype, bound)

        parts = []
        if lo is not None:
            parts.append(~over(lo) if self.strict_min else under(lo))
        if hi is not None:
            parts.append(~under(hi) if self.strict_max else over(hi))
        return pl.any_horizontal(parts) if len(parts) > 1 else parts[0]

    def problem(self) -> str:
        """For messages."""
        shown = format_bounds(
            self.min, self.max, strict_min=self.strict_min, strict_max=self.strict_max
        )
        return f"are outside {shown}"
