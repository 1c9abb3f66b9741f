"""``in_range``: every non-missing value lies in ``[min, max]`` (inclusive), compared exactly."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import polars as pl

from truthound_dq._messages import format_bounds
from truthound_dq._numbers import above, below
from truthound_dq._params import parse_bounds
from truthound_dq._rule import Fail, Rule, RuleType

__all__ = ["InRange"]


@dataclass(frozen=True, slots=True, kw_only=True)
class InRange(Rule):
    """Every non-missing value lies in ``[min, max]`` (inclusive; either may be open)."""

    type: ClassVar[str] = RuleType.IN_RANGE
    _params: ClassVar[tuple[str, ...]] = ("min", "max")
    compatible: ClassVar[frozenset[str] | None] = frozenset({"numeric"})
    summary: ClassVar[str] = "the non-missing value is `< min` or `> max`"
    min: int | float | None = None
    max: int | float | None = None

    @classmethod
    def parse_parameters(cls, raw: Mapping[str, Any], fail: Fail) -> dict[str, Any]:
        """Finite numbers some column type can hold; ``min <= max``."""
        return parse_bounds(cls.type, raw, fail, integer=False)

    def failure(self, value: pl.Expr, dtype: pl.DataType) -> pl.Expr:
        """Below ``min`` or above ``max``, exactly (see ``truthound_dq._numbers``)."""
        parts = []
        if self.min is not None:
            parts.append(below(value, dtype, self.min))
        if self.max is not None:
            parts.append(above(value, dtype, self.max))
        return pl.any_horizontal(parts) if len(parts) > 1 else parts[0]

    def problem(self) -> str:
        """For messages."""
        return f"are outside {format_bounds(self.min, self.max)}"
