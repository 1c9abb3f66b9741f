"""Rules -> one ``pandera.polars.DataFrameSchema``, with a plan to read its failures back.

Pandera's built-in checks are used where they mean what ``docs/rules.md`` says; where they
mean something else the rule becomes a custom Polars-expression check (a ``pandera.polars``
``Check`` over ``PolarsData``) built from ``truthound_dq.failure_expr``. Every check gets a
unique name (``truthound_dq:<index>``) so its failures are attributed to the right rule even
when one column carries several checks of the same kind.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from truthound_dq import (
    ColumnExists,
    DType,
    DTypeFamily,
    InRange,
    InSet,
    NotInSet,
    NotNull,
    Regex,
    RowCount,
    Rule,
    StrLength,
    Unique,
)
from truthound_dq.sdk import dtype_family, failure_expr

__all__ = ["CHECK_PREFIX", "NOT_NULLABLE", "SchemaPlan", "build_schema"]

CHECK_PREFIX = "truthound_dq:"
# The name pandera gives the failures of ``Column(nullable=False)``.
NOT_NULLABLE = "not_nullable"

#: Why each rule type is (or is not) evaluated by a pandera built-in; surfaced in capabilities.
NOTES: dict[str, str] = {
    "not_null": "Column(nullable=False); pandera counts NaN as null in float columns, as we do",
    "unique": (
        "custom Polars-expression Check: Column(unique=True) counts nulls (and NaN) as "
        "duplicates, while missing values are skipped here"
    ),
    "regex": (
        "Check.str_contains (search semantics) on String columns; Check.str_matches is not "
        "used because it anchors the pattern at the start (re.match). Categorical/Enum "
        "columns use a custom Polars-expression Check (pandera's string checks reject them)"
    ),
    "in_range": (
        "Check.in_range / ge / le; in float columns pandera fails NaN (NaN sorts above every "
        "number in Polars), so NaN rows are dropped from its failure cases (NaN is missing)"
    ),
    "in_set": (
        "Check.isin for String, Boolean, float and integer-valued integer columns (NaN failure "
        "cases dropped); custom Polars-expression Check for Categorical/Enum, Decimal and "
        "float values on integer columns (Polars refuses mixed-type is_in)"
    ),
    "not_in_set": "Check.notin, with the same exceptions as in_set",
    "str_length": (
        "Check.str_length on String columns; custom Polars-expression Check for Categorical/Enum"
    ),
    "dtype": "computed by the adapter from the schema (dtype families are not pandera dtypes)",
    "column_exists": "computed by the adapter from the schema",
    "row_count": "computed by the adapter from the row count",
}


@dataclass
class SchemaPlan:
    """What was built: the schema, and how to read each rule's counts back."""

    schema: Any  # pandera.polars.DataFrameSchema, or None when no rule needs pandera
    #: check name -> rule index, for every rule evaluated through a named Check.
    checks: dict[str, int] = field(default_factory=dict)
    #: column -> indexes of its not_null rules (they share pandera's nullable check).
    not_null: dict[str, list[int]] = field(default_factory=dict)
    #: Rule indexes whose pandera failure cases may include NaN, which is missing here.
    drop_nan: set[int] = field(default_factory=set)


def build_schema(rules: Sequence[Rule], schema: pl.Schema) -> SchemaPlan:
    """One ``DataFrameSchema`` for every rule evaluated by pandera (value rules, not_null)."""
    import pandera.polars as pa

    plan = SchemaPlan(schema=None)
    checks: dict[str, list[Any]] = {}
    for index, rule in enumerate(rules):
        if isinstance(rule, ColumnExists | DType | RowCount):
            continue
        assert rule.column is not None
        column_checks = checks.setdefault(rule.column, [])
        if isinstance(rule, NotNull):
            plan.not_null.setdefault(rule.column, []).append(index)
            continue
        name = f"{CHECK_PREFIX}{index}"
        dtype = schema[rule.column]
        check, nan_in_failures = _check(pa, rule, dtype, name)
        column_checks.append(check)
        plan.checks[name] = index
        if nan_in_failures:
            plan.drop_nan.add(index)
    if checks:
        columns = {
            column: pa.Column(
                # No dtype: the dtype rule is ours, and pandera must not coerce anything.
                dtype=None,
                # Columns are nullable by default here (pandera's default is not).
                nullable=column not in plan.not_null,
                checks=column_checks,
                required=True,
            )
            for column, column_checks in checks.items()
        }
        plan.schema = pa.DataFrameSchema(columns, strict=False, coerce=False)
    return plan


def _check(pa: Any, rule: Rule, dtype: pl.DataType, name: str) -> tuple[Any, bool]:
    """The pandera Check for one value rule, and whether NaN may appear in its failures."""
    family = dtype_family(dtype)
    is_float = family is DTypeFamily.FLOAT
    plain_string = dtype == pl.String
    if isinstance(rule, Regex) and plain_string:
        return pa.Check.str_contains(rule.pattern, name=name), False
    if isinstance(rule, StrLength) and plain_string:
        return pa.Check.str_length(min_value=rule.min, max_value=rule.max, name=name), False
    if isinstance(rule, InRange) and family in (DTypeFamily.INTEGER, DTypeFamily.FLOAT):
        if rule.min is not None and rule.max is not None:
            return pa.Check.in_range(rule.min, rule.max, name=name), is_float
        if rule.min is not None:
            return pa.Check.ge(rule.min, name=name), is_float
        return pa.Check.le(rule.max, name=name), is_float
    if isinstance(rule, InSet | NotInSet) and _native_membership(rule, dtype):
        values = [float(v) for v in rule.values] if is_float else list(rule.values)
        if isinstance(rule, InSet):
            return pa.Check.isin(values, name=name), is_float
        return pa.Check.notin(values, name=name), is_float
    if isinstance(rule, Unique | Regex | StrLength | InRange | InSet | NotInSet):
        return _expression_check(pa, rule, dtype, name), False
    raise TypeError(f"{rule.type.value} is not evaluated by a pandera Check")  # pragma: no cover


def _native_membership(rule: InSet | NotInSet, dtype: pl.DataType) -> bool:
    family = dtype_family(dtype)
    if dtype == pl.String or family in (DTypeFamily.BOOLEAN, DTypeFamily.FLOAT):
        return True
    # Polars refuses is_in between integers and floats; the oracle compares them as floats.
    return family is DTypeFamily.INTEGER and all(
        isinstance(v, int) and not isinstance(v, bool) for v in rule.values
    )


def _expression_check(pa: Any, rule: Rule, dtype: pl.DataType, name: str) -> Any:
    """A custom check: pass = not a canonical failure (missing values are skipped, not failed).

    Used where no built-in means the same: ``unique`` (``Column(unique=True)`` counts nulls
    and NaN as duplicates), and string or membership rules on Categorical/Enum, Decimal or
    mixed integer/float data, which pandera's built-ins reject or compare differently.
    """
    passes = ~failure_expr(rule, dtype)

    def check(data: Any) -> pl.LazyFrame:
        frame: pl.LazyFrame = data.lazyframe
        return frame.select(passes.alias(data.key))

    return pa.Check(check, name=name, error=f"{rule.name}")
