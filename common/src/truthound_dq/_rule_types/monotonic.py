"""``monotonic``: each non-missing value keeps the order with the previous one (row order)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

import polars as pl

from truthound_dq._params import plain_value
from truthound_dq._rule import Fail, Rule, RuleType

__all__ = ["Monotonic"]

_DIRECTIONS = ("increasing", "decreasing")


@dataclass(frozen=True, slots=True, kw_only=True)
class Monotonic(Rule):
    """Each non-missing value is not below (``decreasing``: above) the previous non-missing one.

    ``strict`` also fails a value equal to the previous one. The previous value is the last
    non-missing value before it in the frame's row order (within ``where``'s scope); the first
    never fails. Numeric, date, datetime and duration columns; NaN is missing.
    """

    type: ClassVar[str] = RuleType.MONOTONIC
    _params: ClassVar[tuple[str, ...]] = ("direction", "strict")
    batch_mergeable: ClassVar[bool] = False
    batch_reason: ClassVar[str] = "each row is compared with the previous one, across batches too"
    summary: ClassVar[str] = (
        "the non-missing value is below (`decreasing`: above; `strict`: or equal to) "
        "the previous non-missing value, in row order"
    )
    direction: Literal["increasing", "decreasing"] = "increasing"
    strict: bool = False

    @classmethod
    def parse_parameters(cls, raw: Mapping[str, Any], fail: Fail) -> dict[str, Any]:
        """``direction`` ``increasing`` (default) or ``decreasing``; ``strict`` a bool."""
        direction = plain_value(raw.get("direction", "increasing"))
        strict = plain_value(raw.get("strict", False))
        if direction not in _DIRECTIONS:
            fail(f"'direction' must be 'increasing' or 'decreasing', got {direction!r}")
        if not isinstance(strict, bool):
            fail(f"'strict' must be true or false, got {strict!r}")
        return {
            "direction": direction if isinstance(direction, str) else "increasing",
            "strict": strict is True,
        }

    @property
    def parameters(self) -> dict[str, Any]:
        """Both parameters, always (the defaults are part of what the rule says)."""
        return {"direction": self.direction, "strict": self.strict}

    def inapplicable(self, dtype: pl.DataType) -> str | None:
        """Numbers, dates, datetimes and durations (strings and booleans have no such order)."""
        base = dtype.base_type()
        if dtype.is_numeric() or base in (pl.Date, pl.Datetime, pl.Duration):
            return None
        return "monotonic needs a numeric, date, datetime or duration column"

    def failing(self, schema: pl.Schema, counted: pl.Expr) -> pl.Expr:
        """Compared with the previous counted value (nothing before the first)."""
        assert self.column is not None
        value = pl.col(self.column)
        if schema[self.column].is_float():
            value = value.cast(pl.Float64)  # (Float32 widens exactly)
        kept = pl.when(counted).then(value)
        previous = kept.shift(1).forward_fill()
        if self.direction == "increasing":
            return kept <= previous if self.strict else kept < previous
        return kept >= previous if self.strict else kept > previous

    def problem(self) -> str:
        """For messages."""
        order = f"{'strictly ' if self.strict else ''}{self.direction}"
        return f"break the {order} order"
