"""``row_count``: the table has ``min <= rows <= max`` rows (table-level: no column)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

import polars as pl

from truthound_dq._messages import format_bounds
from truthound_dq._params import parse_bounds
from truthound_dq._rule import Fail, Rule, RuleKind, RuleType

if TYPE_CHECKING:
    from truthound_dq.sdk._view import ViewColumn

__all__ = ["RowCount"]


@dataclass(frozen=True, slots=True, kw_only=True)
class RowCount(Rule):
    """The table has ``min <= rows <= max`` rows (table-level: no column)."""

    type: ClassVar[str] = RuleType.ROW_COUNT
    kind: ClassVar[RuleKind] = RuleKind.TABLE
    needs_column: ClassVar[bool] = False
    _params: ClassVar[tuple[str, ...]] = ("min", "max")
    batch_mergeable: ClassVar[bool] = False
    batch_reason: ClassVar[str] = "the verdict needs the whole table's row count"
    summary: ClassVar[str] = (
        "the table has fewer than `min` or more than `max` rows (table-level, no `column`)"
    )
    min: int | None = None
    max: int | None = None

    @classmethod
    def parse_parameters(cls, raw: Mapping[str, Any], fail: Fail) -> dict[str, Any]:
        """Non-negative whole numbers; ``min <= max``."""
        return parse_bounds(cls.type, raw, fail, integer=True)

    def check(self, column: ViewColumn | None, row_count: int) -> bool:
        """Rows within the bounds."""
        return (self.min is None or row_count >= self.min) and (
            self.max is None or row_count <= self.max
        )

    def describe_check(self, passed: bool, dtype: pl.DataType | None, row_count: int) -> str:
        """For messages."""
        verdict = "within" if passed else "outside"
        return f"{row_count:,} rows, {verdict} {format_bounds(self.min, self.max)}"
