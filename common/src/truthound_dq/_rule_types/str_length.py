"""``str_length``: every non-missing string has ``min <= len <= max`` characters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import polars as pl

from truthound_dq._messages import format_bounds
from truthound_dq._params import parse_bounds
from truthound_dq._rule import Fail, Rule, RuleType

__all__ = ["StrLength"]


@dataclass(frozen=True, slots=True, kw_only=True)
class StrLength(Rule):
    """Every non-missing string has ``min <= len <= max`` characters (code points)."""

    type: ClassVar[str] = RuleType.STR_LENGTH
    _params: ClassVar[tuple[str, ...]] = ("min", "max")
    compatible: ClassVar[frozenset[str] | None] = frozenset({"string"})
    summary: ClassVar[str] = (
        "the non-missing string has fewer than `min` or more than `max` characters"
    )
    min: int | None = None
    max: int | None = None

    @classmethod
    def parse_parameters(cls, raw: Mapping[str, Any], fail: Fail) -> dict[str, Any]:
        """Non-negative whole numbers; ``min <= max``."""
        return parse_bounds(cls.type, raw, fail, integer=True)

    def failure(self, value: pl.Expr, dtype: pl.DataType) -> pl.Expr:
        """Length in characters outside the bounds."""
        length = value.str.len_chars()
        parts = []
        if self.min is not None:
            parts.append(length < self.min)
        if self.max is not None:
            parts.append(length > self.max)
        return pl.any_horizontal(parts) if len(parts) > 1 else parts[0]

    def problem(self) -> str:
        """For messages."""
        return f"have a length outside {format_bounds(self.min, self.max)}"
