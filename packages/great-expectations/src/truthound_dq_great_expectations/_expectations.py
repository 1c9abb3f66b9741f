"""Rules as GX expectations, and GX's results back as canonical counts.

Every rule of ``NATIVE`` becomes exactly one expectation, with ``mostly`` passed through
(pass/fail is still decided from the counts by the shared code, so it means the same on
every engine). How GX counts, read from its pandas metrics and checked against the oracle:

- column map expectations drop missing rows first (``isnull()``: None, NaN, pd.NA; not the
  empty string), then ``unexpected_count`` counts the remaining rows that fail, and
  ``missing_count`` the dropped ones: failed = unexpected, total = element - missing;
- ``expect_column_values_to_not_be_null`` reports the missing rows as unexpected, over
  ``element_count`` (all rows): exactly ``not_null``;
- ``expect_column_values_to_be_unique`` is ``~column.duplicated(keep=False)``: every copy of a
  repeated value fails, as ``unique`` requires;
- ``expect_column_value_lengths_to_be_between`` measures ``str.len()``: code points.
"""

from __future__ import annotations

from collections.abc import Mapping
from importlib import import_module
from typing import Any, cast

import polars as pl

from truthound_dq import (
    ColumnExists,
    InRange,
    InSet,
    NotInSet,
    NotNull,
    RowCount,
    Rule,
    RuleType,
    StrLength,
    Unique,
)
from truthound_dq.sdk import RuleCounts
from truthound_dq_great_expectations._convert import FLOAT_EXACT, sample_values

__all__ = ["NATIVE", "RULE_KEY", "gx_is_exact", "to_expectation", "to_counts"]

NATIVE = frozenset(
    {
        RuleType.NOT_NULL,
        RuleType.UNIQUE,
        RuleType.IN_RANGE,
        RuleType.IN_SET,
        RuleType.NOT_IN_SET,
        RuleType.STR_LENGTH,
        RuleType.COLUMN_EXISTS,
        RuleType.ROW_COUNT,
    }
)
"""Rule types evaluated by a GX expectation; the rest are computed from Polars."""

RULE_KEY = "truthound_dq_rule"
"""``meta`` key carrying a rule's index: GX orders results by its own plan, not the suite's."""


def gx_is_exact(rule: Rule, frame: pl.DataFrame) -> bool:
    """Whether GX gives the canonical answer for ``rule`` on this data.

    ``ExpectColumnValuesToBeBetween`` coerces its bounds to float and GX compares integer
    columns with them as float64, which is exact only within +-2**53: beyond that
    ``2**62 + 1 <= 2**62`` holds. Those ``in_range`` rules are computed from Polars instead.
    """
    if not isinstance(rule, InRange):
        return True
    assert rule.column is not None
    column = frame.get_column(rule.column)
    if not column.dtype.is_integer():
        return True
    bounds = [b for b in (rule.min, rule.max) if b is not None]
    values = [int(cast(int, v)) for v in (column.min(), column.max()) if v is not None]
    return all(abs(v) <= FLOAT_EXACT for v in (*bounds, *values))


def to_expectation(rule: Rule, index: int) -> Any:
    """The one GX expectation that evaluates ``rule``."""
    # GX's own annotations are partial (its classes are not re-exported for type checkers).
    gxe: Any = import_module("great_expectations.expectations")
    meta = {RULE_KEY: index}
    column = rule.column
    mostly = rule.mostly
    if isinstance(rule, NotNull):
        return gxe.ExpectColumnValuesToNotBeNull(column=column, mostly=mostly, meta=meta)
    if isinstance(rule, Unique):
        return gxe.ExpectColumnValuesToBeUnique(column=column, mostly=mostly, meta=meta)
    if isinstance(rule, InRange):
        return gxe.ExpectColumnValuesToBeBetween(
            column=column, min_value=rule.min, max_value=rule.max, mostly=mostly, meta=meta
        )
    if isinstance(rule, InSet):
        return gxe.ExpectColumnValuesToBeInSet(
            column=column, value_set=list(rule.values), mostly=mostly, meta=meta
        )
    if isinstance(rule, NotInSet):
        return gxe.ExpectColumnValuesToNotBeInSet(
            column=column, value_set=list(rule.values), mostly=mostly, meta=meta
        )
    if isinstance(rule, StrLength):
        return gxe.ExpectColumnValueLengthsToBeBetween(
            column=column, min_value=rule.min, max_value=rule.max, mostly=mostly, meta=meta
        )
    if isinstance(rule, ColumnExists):
        return gxe.ExpectColumnToExist(column=column, meta=meta)
    if isinstance(rule, RowCount):
        return gxe.ExpectTableRowCountToBeBetween(min_value=rule.min, max_value=rule.max, meta=meta)
    raise TypeError(f"{rule.type.value} has no faithful GX expectation")


def to_counts(
    rule: Rule, result: Any, schema: Mapping[str, pl.DataType], sample_size: int
) -> RuleCounts:
    """Canonical counts of one rule from its GX ``ExpectationValidationResult``."""
    if isinstance(rule, ColumnExists | RowCount):
        return RuleCounts(0 if result.success else 1, 1)
    info: dict[str, Any] = result.result
    element = int(info["element_count"])
    unexpected = int(info["unexpected_count"])
    if isinstance(rule, NotNull):
        return RuleCounts(unexpected, element)
    assert rule.column is not None
    total = element - int(info["missing_count"])
    samples = sample_values(
        info.get("partial_unexpected_list") or (), schema[rule.column], sample_size
    )
    return RuleCounts(unexpected, total, samples)
