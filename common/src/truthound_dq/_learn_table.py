"""Learned proposals of the table-level types: a ``schema``, aggregate ranges, a compound key.

Shared by every engine's ``learn`` (the shared one in ``_polars`` and the adapters' own): no
engine library infers these. Each proposal passes on the data it was learned from:

- ``schema``: every column with its exact Polars dtype name, ``exact`` (no other column);
- ``aggregate`` ``null_rate``: at most the share of missing values seen (for columns with
  some missing values; ``not_null`` covers the others), rounded up to 4 decimals;
- ``aggregate`` ``mean`` of numeric columns: within 3 standard errors of the mean seen
  (``stdev / sqrt(n)``), bounds rounded outward to 6 significant digits - a shift of the
  mean, not of a single value, which ``in_range`` already learns;
- a compound ``unique`` key (when the rule core's ``unique`` takes ``columns``): when no
  single column is unique, the first pair of integer/string columns among the first
  ``_KEY_CANDIDATES`` whose combination is unique over the rows that have both.

``freshness`` is never learned: a bound learned from one day's data fails the next day.
"""

from __future__ import annotations

import math
from itertools import combinations

import polars as pl

from truthound_dq._dtypes import DTypeFamily, dtype_family, normalize_dtype_spec
from truthound_dq._results import LearnedRule
from truthound_dq._rule import missing_values

__all__ = ["learn_table_rules"]

_KEY_CANDIDATES = 8
"""Columns considered for a compound key (at most 28 pairs, checked in one pass)."""
_MIN_MEAN_ROWS = 2


def learn_table_rules(df: pl.DataFrame) -> list[LearnedRule]:
    """The table-level proposals for ``df`` (a collected frame; names used as names)."""
    rules: list[LearnedRule] = []
    if schema := _schema(df):
        rules.append(schema)
    if df.height:
        rules += _aggregates(df)
        if key := _compound_key(df):
            rules.append(key)
    return rules


def _spec(dtype: pl.DataType) -> str | None:
    base = dtype.base_type()
    name = "String" if base == pl.String else base.__name__
    spec = normalize_dtype_spec(name)
    if spec is None:
        family = dtype_family(dtype)
        spec = family.value if family is not None else None
    return spec


def _schema(df: pl.DataFrame) -> LearnedRule | None:
    columns = {name: _spec(dtype) for name, dtype in df.schema.items()}
    if not columns or any(spec is None for spec in columns.values()):
        return None  # a dtype no rule can name: no exact schema
    return LearnedRule(
        column=None, rule_type="schema", parameters={"columns": columns, "exact": True}
    )


def _round_out(value: float, *, up: bool) -> float:
    if value == 0 or not math.isfinite(value):
        return value
    scale = 10 ** (5 - math.floor(math.log10(abs(value))))
    rounded: float = (math.ceil if up else math.floor)(value * scale) / scale
    # Division may land a hair inside; step outward until the bound holds.
    while (rounded < value) if up else (rounded > value):
        rounded = math.nextafter(rounded, math.inf if up else -math.inf)
    return rounded


def _aggregates(df: pl.DataFrame) -> list[LearnedRule]:
    exprs: list[pl.Expr] = []
    numeric: list[int] = []
    for i, dtype in enumerate(df.schema.values()):
        col = pl.nth(i)  # by position: a column called "^a$" is just a name
        missing = missing_values(col, dtype) if dtype != pl.Null else pl.repeat(True, pl.len())
        exprs.append(missing.sum().alias(f"m{i}"))
        if dtype_family(dtype) in (DTypeFamily.INTEGER, DTypeFamily.FLOAT):
            values = col.filter(~missing).cast(pl.Float64)
            exprs += [values.mean().alias(f"a{i}"), values.std().alias(f"s{i}")]
            numeric.append(i)
    stats = df.select(exprs).row(0, named=True)
    rules: list[LearnedRule] = []
    rows = df.height
    for i, name in enumerate(df.columns):
        missing_count = int(stats[f"m{i}"])
        if 0 < missing_count < rows:
            bound = min(1.0, math.ceil(missing_count / rows * 10_000) / 10_000)
            rules.append(_aggregate(name, "null_rate", max=bound))
        if i not in numeric or rows - missing_count < _MIN_MEAN_ROWS:
            continue
        mean, stdev = stats[f"a{i}"], stats[f"s{i}"]
        if mean is None or stdev is None or not (math.isfinite(mean) and math.isfinite(stdev)):
            continue
        margin = 3 * stdev / math.sqrt(rows - missing_count)
        low, high = _round_out(mean - margin, up=False), _round_out(mean + margin, up=True)
        if math.isfinite(low) and math.isfinite(high):
            rules.append(_aggregate(name, "mean", min=low, max=high))
    return rules


def _aggregate(column: str, stat: str, **bounds: float) -> LearnedRule:
    return LearnedRule(column=column, rule_type="aggregate", parameters={"stat": stat, **bounds})


def _compound_key(df: pl.DataFrame) -> LearnedRule | None:
    from truthound_dq._rule_types import Unique

    if "columns" not in Unique._params:
        return None  # the rule core's unique names one column only
    candidates = [
        i
        for i, dtype in enumerate(df.schema.values())
        if dtype_family(dtype) in (DTypeFamily.INTEGER, DTypeFamily.STRING)
    ][:_KEY_CANDIDATES]
    if len(candidates) < 2:
        return None
    singles = [
        pl.nth(i).filter(pl.nth(i).is_not_null()).is_unique().all().alias(f"u{i}")
        for i in candidates
    ]
    single = df.select(singles).row(0)
    if any(single):
        return None  # a single column is the key (learned as unique)
    pairs = list(combinations(candidates, 2))
    exprs = []
    for k, (a, b) in enumerate(pairs):
        both = pl.nth(a).is_not_null() & pl.nth(b).is_not_null()
        key = pl.struct(pl.nth(a).alias("a"), pl.nth(b).alias("b")).filter(both)
        exprs += [key.is_unique().all().alias(f"k{k}"), both.sum().alias(f"n{k}")]
    found = df.select(exprs).row(0, named=True)
    for k, (a, b) in enumerate(pairs):
        # Over at least half the rows: a key that skips most rows says little.
        if found[f"k{k}"] and 2 * int(found[f"n{k}"]) >= df.height:
            return LearnedRule(
                column=None,
                rule_type="unique",
                parameters={"columns": [df.columns[a], df.columns[b]]},
            )
    return None
