"""``expression``: a boolean SQL expression over the row (Polars' SQL dialect) holds."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Self

import polars as pl

from truthound_dq._params import plain_value
from truthound_dq._rule import Fail, Rule, RuleKind, RuleType, sql_problem

__all__ = ["Expression"]

_NAME_TEXT = 60
"""Characters of ``expr`` kept in a default name (longer text is cut with an ellipsis)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Expression(Rule):
    """A boolean SQL expression over the row holds: false fails, null is skipped.

    Attributes:
        expr: The expression in Polars' SQL dialect, e.g. ``price * quantity = total``;
            quoted names (``"^a$"``) are column names, never patterns.
    """

    type: ClassVar[str] = RuleType.EXPRESSION
    # Kind ``row`` with its own ``counted``: a row counts where the expression is not null
    # (``value`` would mean the non-missing values of one column, and there is none).
    kind: ClassVar[RuleKind] = RuleKind.ROW
    needs_column: ClassVar[bool] = False
    _params: ClassVar[tuple[str, ...]] = ("expr",)
    summary: ClassVar[str] = (
        "the SQL expression `expr` is false for the row (null: skipped; no `column`)"
    )
    expr: str

    @classmethod
    def parse_parameters(cls, raw: Mapping[str, Any], fail: Fail) -> dict[str, Any]:
        """Text that parses as one SQL expression and names at least one column."""
        from truthound_dq._sql import SQLTextError, sql_columns

        value = plain_value(raw.get("expr"))
        if value is None:
            fail("expression needs 'expr' (a boolean SQL expression over the row)")
            return {}
        if not isinstance(value, str) or not value.strip():
            fail(f"'expr' must be a SQL expression as text, got {value!r}")
            return {}
        try:
            columns = sql_columns(value)
        except SQLTextError as exc:
            fail(f"'expr': {exc}")
            return {}
        if not columns:
            fail(f"'expr' {value!r} names no column (it would give the same answer on every row)")
            return {}
        return {"expr": value}

    @classmethod
    def default_name(cls, params: Mapping[str, Any]) -> str | None:
        """``expression(price * quantity = total)``, long text cut to 60 characters."""
        text = " ".join(str(params["expr"]).split())
        if len(text) > _NAME_TEXT:
            text = text[: _NAME_TEXT - 1].rstrip() + "…"
        return f"expression({text})"

    # -- columns ---------------------------------------------------------------------------

    def columns_read(self) -> tuple[str, ...]:
        """The expression's columns, then ``where``'s."""
        from truthound_dq._sql import sql_columns

        return tuple(dict.fromkeys((*sql_columns(self.expr), *Rule.columns_read(self))))

    def sample_columns(self) -> tuple[str, ...]:
        """A failing row shows the values the expression reads."""
        from truthound_dq._sql import sql_columns

        return sql_columns(self.expr)

    def renamed(self, names: Mapping[str, str]) -> Self:
        """``where`` and ``expr`` with their columns mapped."""
        from truthound_dq._sql import sql_rename

        base = Rule.renamed(self, names)
        return dataclasses.replace(base, expr=sql_rename(self.expr, names))

    # -- applicability -----------------------------------------------------------------------

    def inapplicable_in(self, schema: pl.Schema) -> str | None:
        """Not evaluated where the expression is not boolean on this data (or ``where``)."""
        return sql_problem(self.expr, schema, "expression") or Rule.inapplicable_in(self, schema)

    # -- canonical semantics ---------------------------------------------------------------

    def counted(self, schema: pl.Schema) -> pl.Expr:
        """Rows where the expression is true or false (null: skipped)."""
        from truthound_dq._sql import sql_expr

        return sql_expr(self.expr).is_not_null()

    def failing(self, schema: pl.Schema, counted: pl.Expr) -> pl.Expr:
        """Rows where it is false."""
        from truthound_dq._sql import sql_expr

        return ~sql_expr(self.expr)

    def problem(self) -> str:
        """For messages."""
        return f"make {self.expr!r} false"
