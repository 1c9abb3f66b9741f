"""``regex``: every non-missing value contains a match of ``pattern`` (search semantics)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import polars as pl

from truthound_dq._params import parse_pattern
from truthound_dq._rule import Fail, Rule, RuleType

__all__ = ["Regex"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Regex(Rule):
    """Every non-missing value contains a match of ``pattern`` (search semantics)."""

    type: ClassVar[str] = RuleType.REGEX
    _params: ClassVar[tuple[str, ...]] = ("pattern",)
    compatible: ClassVar[frozenset[str] | None] = frozenset({"string"})
    summary: ClassVar[str] = "the non-missing value contains no match of `pattern`"
    pattern: str

    @classmethod
    def parse_parameters(cls, raw: Mapping[str, Any], fail: Fail) -> dict[str, Any]:
        """A pattern in the dialect every engine runs."""
        return {"pattern": parse_pattern(raw, fail)}

    def failure(self, value: pl.Expr, dtype: pl.DataType) -> pl.Expr:
        """No match anywhere in the value."""
        return ~value.str.contains(self.pattern)

    def problem(self) -> str:
        """For messages."""
        return f"do not match {self.pattern!r}"
