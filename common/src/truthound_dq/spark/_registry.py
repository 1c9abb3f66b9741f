"""Rule class -> its Spark implementation (the canonical one on Spark), and what Spark refuses.

A rule type's Spark implementation mirrors its Polars definition with ``pyspark.sql`` Column
expressions over the view's safe names: ``failing`` (True where a counted row fails, like
``Rule.failing``), optionally ``counted`` (like ``Rule.counted``; default: every row for kind
``row``, the non-missing values for kind ``value``), and for a ``table`` rule that reads the
data, ``observe`` (one aggregate Column, optionally with a function turning the collected value
into the observed value the rule's ``verdict`` reads). Registering imports no pyspark: the
functions receive Columns and build on them, or import ``pyspark.sql.functions`` when called.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, Literal, TypeVar

import polars as pl

from truthound_dq._errors import UnsupportedRuleError
from truthound_dq._rule import Rule, RuleKind

if TYPE_CHECKING:
    from pyspark.sql import Column

__all__ = [
    "SPARK_PRODUCER",
    "SparkColumns",
    "SparkUnsupportedError",
    "register_spark_rule",
    "refuse_on_spark",
    "spark_part",
    "spark_refusal",
]

F_ = TypeVar("F_", bound=Callable[..., Any])
Part = Literal["failing", "counted", "observe"]

_PARTS: dict[str, dict[type[Rule], Callable[..., Any]]] = {
    "failing": {},
    "counted": {},
    "observe": {},
}
_REFUSED: dict[type[Rule], str] = {}

SPARK_PRODUCER = "truthound_dq (canonical Spark implementation)"
"""``ProfileOutput.produced_by`` of a profile computed on Spark."""


class SparkUnsupportedError(UnsupportedRuleError):
    """A rule Spark cannot evaluate with the meaning ``docs/rules.md`` gives it.

    Raised before any Spark job runs; the check never answers such a rule differently.

    Attributes:
        rule_name: The rule's name.
        reason: Why Spark cannot mean the same.
    """

    def __init__(self, rule_name: str, reason: str, *, engine: str) -> None:
        self.rule_name = rule_name
        self.reason = reason
        super().__init__(
            f"rule {rule_name!r} cannot be evaluated on Spark: {reason}", engine=engine
        )


class SparkColumns:
    """What a Spark implementation reads: the view's columns (safe names) and Polars dtypes."""

    __slots__ = ("schema",)

    def __init__(self, schema: pl.Schema) -> None:
        self.schema = schema

    def col(self, name: str) -> Column:
        """The Column of a safe name (``c0``...: a plain identifier, safe to reference)."""
        from pyspark.sql import functions as F

        return F.col(name)

    def dtype(self, name: str) -> pl.DataType:
        """The Polars dtype of a safe name."""
        return self.schema[name]

    def missing(self, name: str) -> Column:
        """True where the value is missing: null, or NaN in a float column."""
        from pyspark.sql import functions as F

        col = F.col(name)
        if self.schema[name].is_float():
            return col.isNull() | F.isnan(col)
        return col.isNull()

    def present(self, name: str) -> Column:
        """True where the value is not missing."""
        return ~self.missing(name)


def register_spark_rule(*rule_classes: type[Rule], part: Part = "failing") -> Callable[[F_], F_]:
    """Decorator: the function is the Spark implementation of ``part`` of ``rule_classes``.

    ``failing``: ``(rule, columns: SparkColumns, counted: Column) -> Column``;
    ``counted``: ``(rule, columns) -> Column``; ``observe``: ``(rule, columns) -> Column`` or
    ``(Column, convert)`` where ``convert(collected) -> observed``.

    Example:
        >>> from truthound_dq import NotNull
        >>> from truthound_dq.spark import register_spark_rule
        >>> @register_spark_rule(NotNull)
        ... def _(rule, columns, counted):
        ...     return columns.missing(rule.column)
    """
    if part not in _PARTS:
        raise TypeError(f"part must be one of {', '.join(_PARTS)}, got {part!r}")
    if not rule_classes:
        raise TypeError("register_spark_rule needs at least one rule class")

    def decorator(func: F_) -> F_:
        for cls in rule_classes:
            if not (isinstance(cls, type) and issubclass(cls, Rule)):
                raise TypeError(f"{cls!r} is not a Rule class")
            _PARTS[part][cls] = func
            _REFUSED.pop(cls, None)
        return func

    return decorator


def refuse_on_spark(rule_class: type[Rule], reason: str) -> None:
    """Declare that rules of ``rule_class`` are refused on Spark, saying why."""
    _REFUSED[rule_class] = reason


def _lookup(table: dict[type[Rule], Any], rule: Rule) -> Any:
    for cls in type(rule).__mro__:
        if cls in table:
            return table[cls]
    return None


def spark_part(rule: Rule, part: Part) -> Callable[..., Any] | None:
    """The registered Spark implementation of ``part`` of ``rule``'s type, or None."""
    found: Callable[..., Any] | None = _lookup(_PARTS[part], rule)
    return found


def spark_refusal(rule: Rule) -> str | None:
    """Why the canonical Spark implementation cannot evaluate ``rule`` (None: it can)."""
    refused = _lookup(_REFUSED, rule)
    if refused is not None:
        return str(refused)
    if rule.kind is RuleKind.TABLE:
        if rule.observes_data and spark_part(rule, "observe") is None:
            return (
                f"the rule type {str(rule.type)!r} has no Spark implementation "
                "(register_spark_rule)"
            )
        return None
    if spark_part(rule, "failing") is None:
        return (
            f"the rule type {str(rule.type)!r} has no Spark implementation; give it one with "
            "truthound_dq.spark.register_spark_rule"
        )
    if type(rule).counted is not Rule.counted and spark_part(rule, "counted") is None:
        return f"the rule type {rule.type!r} defines which rows it counts, but not on Spark"
    return None
