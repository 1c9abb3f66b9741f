"""Sample failing values, cheaply: the first few in row order, without another full pass.

Truthound's own samples do not fit: ``regex`` cuts values to 50 characters plus "...",
``unique`` gives the most repeated values rather than the first failing rows, and the others
filter the whole table once more per rule. These look at a growing prefix of the column and
stop as soon as they have enough, with the canonical failure expression.
"""

from __future__ import annotations

import polars as pl

from truthound_dq import Rule
from truthound_dq.sdk import JSONScalar, failure_expr, json_scalar

__all__ = ["row_samples", "unique_samples"]

_FIRST_PREFIX = 4096
_GROWTH = 16


def row_samples(frame: pl.DataFrame, rule: Rule, size: int) -> tuple[JSONScalar, ...]:
    """The first ``size`` values of the rule's column that fail a row-level rule.

    Reads growing windows of the column (zero-copy slices) until it has enough, so frequent
    failures cost a few thousand rows and rare ones about one pass.
    """
    assert rule.column is not None
    failing = failure_expr(rule, frame.schema[rule.column])
    column = frame.select(rule.column)
    found: list[JSONScalar] = []
    start, window = 0, _FIRST_PREFIX
    while start < column.height and len(found) < size:
        part = column.slice(start, window).filter(failing).head(size - len(found))
        found += [json_scalar(v) for v in part.get_column(rule.column).to_list()]
        start, window = start + window, window * _GROWTH
    return tuple(found)


def unique_samples(frame: pl.DataFrame, column: str, size: int) -> tuple[JSONScalar, ...]:
    """The first ``size`` non-null values of ``frame[column]`` that occur more than once.

    Looks for them in a growing prefix: a prefix's values are counted over the whole column
    (a cheap membership test), and only when the prefix grows to a large part of the column
    does it fall back to one full duplicate pass.
    """
    values = frame.get_column(column)
    height, prefix_size = len(values), _FIRST_PREFIX
    while prefix_size * _GROWTH < height:
        prefix = values.head(prefix_size)
        candidates = prefix.drop_nulls().unique()
        seen = values.filter(values.is_in(candidates.implode()))
        counts = seen.value_counts()
        repeated = counts.filter(pl.col("count") > 1).get_column(values.name)
        found = prefix.filter(prefix.is_in(repeated.implode())).head(size)
        if len(found) == size:
            return tuple(json_scalar(v) for v in found.to_list())
        prefix_size *= _GROWTH
    found = values.filter(values.is_duplicated() & values.is_not_null()).head(size)
    return tuple(json_scalar(v) for v in found.to_list())
