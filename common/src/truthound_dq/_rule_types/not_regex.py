"""``not_regex``: no non-missing value contains a match of ``pattern`` (search semantics)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import polars as pl

from truthound_dq._params import parse_pattern
from truthound_dq._rule import Fail, Rule, RuleType

__all__ = ["NotRegex"]


@dataclass(frozen=True, slots=True, kw_only=True)
class NotRegex(Rule):
    """No non-missing value contains a match of ``pattern`` (the negation of ``regex``)."""

    type: ClassVar[str] = RuleType.NOT_REGEX
    _params: ClassVar[tuple[str, ...]] = ("pattern",)
    compatible: ClassVar[frozenset[str] | None] = frozenset({"string"})
    summary: ClassVar[str] = "the non-missing value contains a match of `pattern`"
    pattern: str

    @classmethod
    def parse_parameters(cls, raw: Mapping[str, Any], fail: Fail) -> dict[str, Any]:
        """A pattern in the dialect every engine runs (the same checks as ``regex``)."""
        return {"pattern": parse_pattern(raw, fail, rule_type=cls.type)}

    def failure(self, value: pl.Expr, dtype: pl.DataType) -> pl.Expr:
        """A match anywhere in the value."""
        return value.str.contains(self.pattern)

    def problem(self) -> str:
        """For messages."""
        return f"match the forbidden {self.pattern!r}"
