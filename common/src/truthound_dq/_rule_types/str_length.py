"""``str_length``: every non-missing string has ``min <= len <= max`` characters.

``strict_min`` / ``strict_max`` exclude the bound itself (``min < len``, ``len < max``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import polars as pl

from truthound_dq._messages import format_bounds
from truthound_dq._params import parse_bounds, parse_strict
from truthound_dq._rule import Fail, Rule, RuleType

__all__ = ["StrLength"]


@dataclass(frozen=True, slots=True, kw_only=True)
class StrLength(Rule):
    """Every non-missing string has ``min <= len <= max`` characters (code points)."""

    type: ClassVar[str] = RuleType.STR_LENGTH
    _params: ClassVar[tuple[str, ...]] = ("min", "max", "strict_min", "strict_max")
    compatible: ClassVar[frozenset[str] | None] = frozenset({"string"})
    summary: ClassVar[str] = (
        "the non-missing string has fewer than `min` or more than `max` characters "
        "(exactly `min` / `max` too when strict)"
    )
    min: int | None = None
    max: int | None = None
    strict_min: bool = False
    strict_max: bool = False

    @classmethod
    def parse_parameters(cls, raw: Mapping[str, Any], fail: Fail) -> dict[str, Any]:
        """Non-negative whole numbers; ``min <= max``; strict flags as booleans."""
        bounds = parse_bounds(cls.type, raw, fail, integer=True)
        return {**bounds, **parse_strict(raw, fail, bounds)}

    @property
    def parameters(self) -> dict[str, Any]:
        """The bounds given; strict flags only when set."""
        params: dict[str, Any] = {k: getattr(self, k) for k in ("min", "max")}
        params = {k: v for k, v in params.items() if v is not None}
        params.update({k: True for k in ("strict_min", "strict_max") if getattr(self, k)})
        return params

    def failure(self, value: pl.Expr, dtype: pl.DataType) -> pl.Expr:
        """Length in characters outside the bounds."""
        length = value.str.len_chars()
        parts = []
        if self.min is not None:
            parts.append(length <= self.min if self.strict_min else length < self.min)
        if self.max is not None:
            parts.append(length >= self.max if self.strict_max else length > self.max)
        return pl.any_horizontal(parts) if len(parts) > 1 else parts[0]

    def problem(self) -> str:
        """For messages."""
        shown = format_bounds(
            self.min, self.max, strict_min=self.strict_min, strict_max=self.strict_max
        )
        return f"have a length outside {shown}"
