"""``not_null``: no missing values (null, or NaN in a float column)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import polars as pl

from truthound_dq._rule import Rule, RuleKind, RuleType, missing_values

__all__ = ["NotNull"]


@dataclass(frozen=True, slots=True, kw_only=True)
class NotNull(Rule):
    """No missing values (null, or NaN in a float column)."""

    type: ClassVar[str] = RuleType.NOT_NULL
    kind: ClassVar[RuleKind] = RuleKind.ROW
    sampled: ClassVar[bool] = False  # the failing values are all missing
    summary: ClassVar[str] = "the value is missing"

    def inapplicable(self, dtype: pl.DataType) -> str | None:
        """Any column can be checked for missing values, nested ones included."""
        return None

    def failure(self, value: pl.Expr, dtype: pl.DataType) -> pl.Expr:
        """Missing rows fail."""
        return missing_values(value, dtype)

    def problem(self) -> str:
        """For messages."""
        return "are missing"
