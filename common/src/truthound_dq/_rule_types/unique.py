"""``unique``: no non-missing value occurs more than once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import polars as pl

from truthound_dq._rule import Rule, RuleType

__all__ = ["Unique"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Unique(Rule):
    """No non-missing value occurs more than once."""

    type: ClassVar[str] = RuleType.UNIQUE
    summary: ClassVar[str] = "the non-missing value occurs more than once"

    def failure(self, value: pl.Expr, dtype: pl.DataType) -> pl.Expr:
        """Every row of a repeated value fails (missing values pair up, but are masked)."""
        return value.is_duplicated()

    def failing(self, schema: pl.Schema, counted: pl.Expr) -> pl.Expr:
        """Duplicates among the counted rows only (a ``where`` scope narrows them)."""
        if self.where is None:
            return Rule.failing(self, schema, counted)
        assert self.column is not None
        return pl.when(counted).then(pl.col(self.column)).is_duplicated()

    def problem(self) -> str:
        """For messages."""
        return "are duplicated"
