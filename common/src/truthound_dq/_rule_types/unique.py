"""``unique``: no non-missing value (or combination of ``columns``) occurs more than once."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Self

import polars as pl

from truthound_dq._dtypes import describe_dtype, is_nested
from truthound_dq._params import plain_value
from truthound_dq._rule import Fail, Rule, RuleType, missing_values

__all__ = ["Unique"]


@dataclass(frozen=True, slots=True, kw_only=True)
class Unique(Rule):
    """No non-missing value occurs more than once; with ``columns``, no key combination.

    A compound key (``columns``) skips every row with any key column missing (null, or NaN
    in a float column); every counted row whose combination occurs more than once among the
    counted rows fails.
    """

    type: ClassVar[str] = RuleType.UNIQUE
    needs_column: ClassVar[bool | None] = None  # ``column`` xor ``columns``
    _params: ClassVar[tuple[str, ...]] = ("columns",)
    summary: ClassVar[str] = (
        "the non-missing value (with `columns`: the combination, rows with a missing key "
        "column skipped) occurs more than once"
    )
    batch_mergeable: ClassVar[bool] = False
    batch_reason: ClassVar[str] = (
        "a value repeated in two batches is a duplicate neither batch sees"
    )
    columns: tuple[str, ...] | None = None

    @classmethod
    def parse_parameters(cls, raw: Mapping[str, Any], fail: Fail) -> dict[str, Any]:
        """Exactly one of ``column`` and ``columns`` (a non-empty list of distinct names)."""
        column = plain_value(raw.get("column"))
        given = plain_value(raw.get("columns"))
        if given is None:
            if column is None:
                fail("unique needs 'column' or 'columns'")
            return {}
        if column is not None:
            fail("unique takes 'column' or 'columns', not both")
        if isinstance(given, str | bytes) or not isinstance(given, list | tuple):
            fail(f"'columns' must be a list of column names, got {given!r}")
            return {}
        names = [plain_value(c) for c in given]
        bad = [c for c in names if not isinstance(c, str) or not c]
        if not names:
            fail("'columns' must name at least one column")
        elif bad:
            fail(f"'columns' must hold non-empty strings, got {bad[0]!r}")
        elif len(set(names)) != len(names):
            repeated = sorted({c for c in names if names.count(c) > 1}, key=names.index)
            fail(f"'columns' names {', '.join(map(repr, repeated))} more than once")
        return {"columns": tuple(str(c) for c in names)}

    @classmethod
    def default_name(cls, params: Mapping[str, Any]) -> str | None:
        """``unique(order_id, line_no)`` for a compound key."""
        columns = params.get("columns")
        return None if columns is None else f"unique({', '.join(columns)})"

    def columns_read(self) -> tuple[str, ...]:
        """The key columns (and ``where``'s)."""
        base = Rule.columns_read(self)
        if self.columns is None:
            return base
        return tuple(dict.fromkeys((*self.columns, *base)))

    def sample_columns(self) -> tuple[str, ...]:
        """A compound key's sample shows the whole key."""
        return self.columns if self.columns is not None else Rule.sample_columns(self)

    def renamed(self, names: Mapping[str, str]) -> Self:
        """The key columns mapped too."""
        base = Rule.renamed(self, names)
        if self.columns is None:
            return base
        return dataclasses.replace(base, columns=tuple(names.get(c, c) for c in self.columns))

    def inapplicable_in(self, schema: pl.Schema) -> str | None:
        """No key column may be nested (lists, structs)."""
        for column in self.columns or ():
            dtype = schema[column]
            if is_nested(dtype):
                return (
                    f"column {column!r} is {describe_dtype(dtype)}; "
                    "unique does not apply to nested values"
                )
        return Rule.inapplicable_in(self, schema)

    def counted(self, schema: pl.Schema) -> pl.Expr:
        """A compound key counts the rows with every key column present."""
        if self.columns is None:
            return Rule.counted(self, schema)
        present = [~missing_values(pl.col(c), schema[c]) for c in self.columns]
        return pl.all_horizontal(present)

    def failure(self, value: pl.Expr, dtype: pl.DataType) -> pl.Expr:
        """Every row of a repeated value fails (missing values pair up, but are masked)."""
        return value.is_duplicated()

    def failing(self, schema: pl.Schema, counted: pl.Expr) -> pl.Expr:
        """Duplicates among the counted rows only (a ``where`` scope narrows them)."""
        if self.columns is not None:
            # Counted rows per key, summed over the key's partition: a row out of scope or
            # with a missing key column is in some partition but adds nothing to it.
            return counted.cast(pl.UInt32).sum().over(list(self.columns)) > 1
        if self.where is None:
            return Rule.failing(self, schema, counted)
        assert self.column is not None
        return pl.when(counted).then(pl.col(self.column)).is_duplicated()

    def duplicate_key(self) -> tuple[str, ...]:
        """The key: ``columns``, or ``(column,)``."""
        if self.columns is not None:
            return self.columns
        assert self.column is not None
        return (self.column,)

    def unit(self) -> str:
        """A compound key counts rows."""
        return "rows" if self.columns is not None else Rule.unit(self)

    def problem(self) -> str:
        """For messages."""
        if self.columns is not None:
            return f"repeat a combination of ({', '.join(self.columns)})"
        return "are duplicated"
