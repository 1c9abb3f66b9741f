"""``not_in_set``: no non-missing value is one of ``values``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import polars as pl

from truthound_dq._params import parse_values
from truthound_dq._rule import Fail, Rule, RuleType, Scalar
from truthound_dq._rule_types._sets import kind_problem, membership, show_values

__all__ = ["NotInSet"]


@dataclass(frozen=True, slots=True, kw_only=True)
class NotInSet(Rule):
    """No non-missing value is one of ``values``."""

    type: ClassVar[str] = RuleType.NOT_IN_SET
    _params: ClassVar[tuple[str, ...]] = ("values",)
    summary: ClassVar[str] = "the non-missing value is one of `values`"
    values: tuple[Scalar, ...]

    @classmethod
    def parse_parameters(cls, raw: Mapping[str, Any], fail: Fail) -> dict[str, Any]:
        """A list of strings, numbers or booleans (of one kind; empty: no members)."""
        return {"values": parse_values(raw, fail)}

    def inapplicable(self, dtype: pl.DataType) -> str | None:
        """The values must be of the column's kind."""
        return Rule.inapplicable(self, dtype) or kind_problem(self.type, self.values, dtype)

    def failure(self, value: pl.Expr, dtype: pl.DataType) -> pl.Expr:
        """A member."""
        return membership(value, dtype, self.values)

    def problem(self) -> str:
        """For messages."""
        return f"are in the forbidden {show_values(self.values)}"
