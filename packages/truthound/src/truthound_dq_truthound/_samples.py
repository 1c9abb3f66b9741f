"""Sample failing values, cheaply: the first few in row order, without another full pass.

Truthound's own samples do not fit: ``regex`` cuts values to 50 characters plus "...",
``unique`` gives the most repeated values rather than the first failing rows, and the others
filter the whole table once more per rule. These read a growing prefix of the data (every
rule of a window in one query, with the canonical failure expression) and stop as soon as
each rule has enough.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import polars as pl

from truthound_dq import Rule
from truthound_dq.sdk import JSONScalar, failure_expr, json_scalar

__all__ = ["row_samples", "unique_samples", "unique_samples_in_prefix"]

_FIRST_PREFIX = 4096
_GROWTH = 16


def row_samples(
    frame: pl.DataFrame, rules: Mapping[int, Rule], size: int
) -> dict[int, tuple[JSONScalar, ...]]:
    """The first ``size`` failing values of each row-level rule (by key), in row order.

    Reads growing prefixes of the frame (zero-copy slices), all pending rules in one query
    per prefix, so frequent failures cost a few thousand rows and rare ones about one pass.
    """
    schema = frame.schema
    masks = {}
    for key, rule in rules.items():
        assert rule.column is not None
        bad = failure_expr(rule, schema[rule.column])
        masks[key] = pl.col(rule.column).filter(bad).head(size).implode().alias(str(key))
    found: dict[int, tuple[JSONScalar, ...]] = {}
    pending, end = list(rules), _FIRST_PREFIX
    while pending:
        whole = end >= frame.height
        prefix = frame if whole else frame.head(end)
        row = prefix.select([masks[k] for k in pending]).row(0, named=True)
        still = []
        for key in pending:
            values = tuple(json_scalar(v) for v in row[str(key)] or ())
            if len(values) >= size or whole:
                found[key] = values
            else:
                still.append(key)
        pending, end = still, end * _GROWTH
    return found


def unique_samples(values: pl.Series, size: int) -> tuple[JSONScalar, ...]:
    """The first ``size`` non-null values of ``values`` that occur more than once.

    Looks for them in a growing prefix: a prefix's values are counted over the whole column
    (a cheap membership test), and only when the prefix grows to a large part of the column
    does it fall back to one full duplicate pass.
    """
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


def unique_samples_in_prefix(
    frame: pl.DataFrame, columns: Sequence[str], size: int
) -> dict[str, tuple[JSONScalar, ...] | None]:
    """Each column's first ``size`` repeated values, where a short prefix decides them.

    A value that occurs twice within the prefix is certainly repeated. If a column's first
    ``size`` such rows come before any non-null row the prefix cannot decide (a value seen
    once so far may repeat further down), they are its answer, found without reading the
    rest; otherwise its answer is None. One query over the prefix for every column.
    """
    prefix = frame.head(_FIRST_PREFIX)
    exprs = []
    for k, name in enumerate(columns):
        col = pl.col(name)
        repeated = col.is_not_null() & col.is_duplicated()
        undecided = col.is_not_null() & ~col.is_duplicated()
        exprs += [
            col.filter(repeated).head(size).implode().alias(f"v{k}"),
            repeated.arg_true().head(size).implode().alias(f"p{k}"),
            undecided.arg_true().first().alias(f"u{k}"),
        ]
    row = prefix.select(exprs).row(0, named=True)
    whole = prefix.height == frame.height
    found: dict[str, tuple[JSONScalar, ...] | None] = {}
    for k, name in enumerate(columns):
        values, places, undecided = row[f"v{k}"], row[f"p{k}"], row[f"u{k}"]
        # The whole column in the prefix decides everything; otherwise the first ``size``
        # repeated rows must all come before the first row it cannot decide.
        decided = whole or (len(values) == size and (undecided is None or places[-1] < undecided))
        found[name] = tuple(json_scalar(v) for v in values) if decided else None
    return found
