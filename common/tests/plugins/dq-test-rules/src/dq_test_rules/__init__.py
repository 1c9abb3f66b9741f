"""A custom rule type advertised through the ``truthound_dq.rules`` entry point."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import polars as pl

from truthound_dq import Rule
from truthound_dq.spark import register_spark_rule

__all__ = ["DivisibleBy"]


@dataclass(frozen=True, slots=True, kw_only=True)
class DivisibleBy(Rule):
    """Every non-missing integer is a multiple of ``divisor``."""

    type: ClassVar[str] = "divisible_by"
    _params: ClassVar[tuple[str, ...]] = ("divisor",)
    compatible: ClassVar[frozenset[str] | None] = frozenset({"integer"})
    summary: ClassVar[str] = "the non-missing integer is not a multiple of `divisor`"
    divisor: int

    @classmethod
    def validate(cls, params: Mapping[str, Any]) -> Iterable[str]:
        divisor = params["divisor"]
        if isinstance(divisor, bool) or not isinstance(divisor, int) or divisor < 1:
            yield f"'divisor' must be a positive whole number, got {divisor!r}"

    def failure(self, value: pl.Expr, dtype: pl.DataType) -> pl.Expr:
        return value % self.divisor != 0

    def problem(self) -> str:
        return f"are not multiples of {self.divisor}"


@register_spark_rule(DivisibleBy)
def _divisible_by_on_spark(rule: DivisibleBy, columns: Any, counted: Any) -> Any:
    # The same mask on Spark (Column arithmetic; registering imports no pyspark).
    return columns.col(rule.column) % rule.divisor != 0
