"""``schema``: the named columns exist with their dtypes (and, if asked, no others, in order).

Table-level (no ``column``), read from the data's schema only. Each dtype is spelled as the
``dtype`` rule spells it: an exact Polars name (``Int64``) or a family (``integer``).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Self

import polars as pl

from truthound_dq._dtypes import DTypeFamily, dtype_matches, normalize_dtype_spec
from truthound_dq._params import plain_value
from truthound_dq._rule import CheckContext, Fail, Rule, RuleKind, RuleType, shown_dtype

if TYPE_CHECKING:
    from truthound_dq.sdk._view import ViewColumn

__all__ = ["Schema", "schema_differences"]

_SHOWN = 10
"""Unexpected columns named in a message at most (the rest are counted)."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Schema(Rule):
    """The named columns exist with those dtypes; ``exact``: no others; ``ordered``: in order."""

    type: ClassVar[str] = RuleType.SCHEMA
    kind: ClassVar[RuleKind] = RuleKind.TABLE
    needs_column: ClassVar[bool | None] = False
    sampled: ClassVar[bool] = False
    _params: ClassVar[tuple[str, ...]] = ("columns", "exact", "ordered")
    summary: ClassVar[str] = (
        "a named column is missing or of another dtype, or (`exact`) another column exists, "
        "or (`ordered`) they are out of order (table-level, one check per rule)"
    )
    # A mapping (the order is the order the user wrote): excluded from the hash, never mutated.
    columns: dict[str, str] = field(hash=False)
    exact: bool = False
    ordered: bool = False

    @classmethod
    def parse_parameters(cls, raw: Mapping[str, Any], fail: Fail) -> dict[str, Any]:
        """``columns``: a non-empty mapping of column name to a dtype name or family."""
        columns = raw.get("columns")
        parsed: dict[str, str] = {}
        if not isinstance(columns, Mapping) or not columns:
            fail(
                "schema needs 'columns' as a non-empty mapping of column name to dtype, "
                f"like {{'id': 'Int64', 'email': 'string'}}; got {columns!r}"
            )
        else:
            families = ", ".join(f.value for f in DTypeFamily)
            for name, spec in columns.items():
                key = plain_value(name)
                value = plain_value(spec)
                if not isinstance(key, str) or not key:
                    fail(f"'columns' keys must be non-empty column names, got {name!r}")
                    continue
                normalized = normalize_dtype_spec(value) if isinstance(value, str) else None
                if normalized is None:
                    fail(
                        f"'columns' {key!r}: {spec!r} is not a Polars dtype name (exact and "
                        f"case-sensitive: Int64, String, ...) or a family ({families})"
                    )
                    continue
                parsed[key] = normalized
        params: dict[str, Any] = {"columns": parsed}
        for key in ("exact", "ordered"):
            value = plain_value(raw.get(key, False))
            if not isinstance(value, bool):
                fail(f"'{key}' must be true or false, got {value!r}")
                value = False
            params[key] = value
        return params

    @property
    def parameters(self) -> dict[str, Any]:
        """``columns`` (a fresh dict), and ``exact``/``ordered`` when set."""
        params: dict[str, Any] = {"columns": dict(self.columns)}
        for key in ("exact", "ordered"):
            if getattr(self, key):
                params[key] = True
        return params

    def renamed(self, names: Mapping[str, str]) -> Self:
        """A copy with the named columns mapped by ``names`` (their dtypes and order kept)."""
        columns = {names.get(name, name): spec for name, spec in self.columns.items()}
        return dataclasses.replace(Rule.renamed(self, names), columns=columns)

    def check(self, column: ViewColumn | None, row_count: int) -> bool:
        """Not used: the verdict reads the data's schema (see :meth:`verdict`)."""
        raise NotImplementedError("schema is judged from the data's schema")

    def verdict(self, observed: Any, context: CheckContext) -> bool:
        """No difference between the data's schema and the rule's."""
        return not schema_differences(self, context.schema)

    def describe_verdict(self, passed: bool, observed: Any, context: CheckContext) -> str:
        """Every difference, or a line saying the schema matches."""
        differences = schema_differences(self, context.schema)
        if not differences:
            how = " exactly" if self.exact else ""
            order = ", in order" if self.ordered else ""
            return f"the {len(self.columns)} named column(s) match{how}{order}"
        return f"schema differs: {'; '.join(differences)}"


def schema_differences(rule: Schema, schema: pl.Schema) -> list[str]:
    """Each way the data's ``schema`` (user names) differs from the rule, for messages."""
    differences: list[str] = []
    missing = [name for name in rule.columns if name not in schema]
    if missing:
        differences.append(f"missing column(s) {', '.join(map(repr, missing))}")
    for name, spec in rule.columns.items():
        if name in schema and not dtype_matches(schema[name], spec):
            differences.append(f"column {name!r} is {shown_dtype(schema[name])}, wanted {spec!r}")
    if rule.exact:
        extra = [name for name in schema.names() if name not in rule.columns]
        if extra:
            shown = ", ".join(map(repr, extra[:_SHOWN]))
            more = f" and {len(extra) - _SHOWN} more" if len(extra) > _SHOWN else ""
            differences.append(f"unexpected column(s) {shown}{more}")
    if rule.ordered:
        present = [name for name in rule.columns if name in schema]
        found = [name for name in schema.names() if name in rule.columns]
        if found != present:
            differences.append(
                f"columns out of order: found {', '.join(map(repr, found))}, "
                f"wanted {', '.join(map(repr, present))}"
            )
    return differences
