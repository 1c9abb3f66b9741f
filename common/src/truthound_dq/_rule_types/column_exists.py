"""``column_exists``: the data has the column."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

import polars as pl

from truthound_dq._rule import Rule, RuleKind, RuleType

if TYPE_CHECKING:
    from truthound_dq.sdk._view import ViewColumn

__all__ = ["ColumnExists"]


@dataclass(frozen=True, slots=True, kw_only=True)
class ColumnExists(Rule):
    """The data has the column."""

    type: ClassVar[str] = RuleType.COLUMN_EXISTS
    kind: ClassVar[RuleKind] = RuleKind.TABLE
    checks_presence: ClassVar[bool] = True
    summary: ClassVar[str] = "the data has no such column (one check per rule)"

    def check(self, column: ViewColumn | None, row_count: int) -> bool:
        """The column is in the data."""
        return column is not None and column.exists

    def describe_check(self, passed: bool, dtype: pl.DataType | None, row_count: int) -> str:
        """For messages (the caller names the available columns when it fails)."""
        return f"column {self.column!r} {'exists' if passed else 'not found'}"
