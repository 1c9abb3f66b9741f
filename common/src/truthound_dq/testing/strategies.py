"""Hypothesis strategies: small frames full of edge cases, and valid rules over them.

Domains are deliberately tiny so that duplicates, matches, NaN, nulls and empty strings are
common: that is where engines disagree.
"""

from __future__ import annotations

from typing import Any

import polars as pl
from hypothesis import strategies as st

__all__ = ["frames", "rules_for", "INTS", "FLOATS", "STRINGS"]

INTS = [-3, -1, 0, 1, 2, 5, 100]
FLOATS = [-1.5, 0.0, 1.0, 2.5, 100.0, float("nan")]
STRINGS = ["", "a", "ab", "A1", "é", "日本", "a@b.co", " x ", "abc", "Zz9"]
PATTERNS = ["^a", "b$", "^$", r"\d", "@", "^.{2}$", "é", "[A-Z]", r"^\w+$", r"\s", "a|Z"]
COLUMNS = {"i": pl.Int64, "f": pl.Float64, "s": pl.String, "c": pl.Categorical, "b": pl.Boolean}


def _column(values: list[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), st.sampled_from(values))


@st.composite
def frames(draw: st.DrawFn, *, max_rows: int = 25) -> pl.DataFrame:
    """A frame with an integer, float, string, categorical and boolean column."""
    n = draw(st.integers(0, max_rows))
    pools: dict[str, list[Any]] = {
        "i": INTS,
        "f": FLOATS,
        "s": STRINGS,
        "c": STRINGS[:5],
        "b": [True, False],
    }
    data = {
        name: draw(st.lists(_column(pool), min_size=n, max_size=n)) for name, pool in pools.items()
    }
    return pl.DataFrame(
        {name: pl.Series(name, values, dtype=COLUMNS[name]) for name, values in data.items()}
    )


def _bounds(draw: st.DrawFn, pool: list[Any]) -> dict[str, Any]:
    low = draw(st.one_of(st.none(), st.sampled_from(pool)))
    high = draw(st.one_of(st.none(), st.sampled_from(pool)))
    if low is None and high is None:
        low = pool[0]
    if low is not None and high is not None and low > high:
        low, high = high, low
    return {k: v for k, v in (("min", low), ("max", high)) if v is not None}


@st.composite
def _rule(draw: st.DrawFn) -> dict[str, Any]:
    column = draw(st.sampled_from(list(COLUMNS)))
    text = column in ("s", "c")
    number = column in ("i", "f")
    options = ["not_null", "unique", "dtype", "column_exists", "in_set", "not_in_set"]
    options += ["regex", "str_length"] if text else []
    options += ["in_range"] if number else []
    kind = draw(st.sampled_from([*options, "row_count"]))
    rule: dict[str, Any] = {"type": kind}
    if kind != "row_count":
        rule["column"] = column
    if kind == "regex":
        rule["pattern"] = draw(st.sampled_from(PATTERNS))
    elif kind == "in_range":
        rule.update(_bounds(draw, [-2, 0, 1, 2.5, 50] if column == "f" else [-2, 0, 1, 3, 50]))
    elif kind == "str_length":
        rule.update(_bounds(draw, [0, 1, 2, 3, 5]))
    elif kind in ("in_set", "not_in_set"):
        values: dict[str, list[Any]] = {
            "i": INTS,
            "f": FLOATS[:-1],
            "s": STRINGS,
            "c": STRINGS[:5],
            "b": [True, False],
        }
        pool = values[column]
        rule["values"] = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=4, unique=True))
    elif kind == "dtype":
        rule["dtype"] = draw(
            st.sampled_from(
                [
                    "integer",
                    "float",
                    "numeric",
                    "string",
                    "boolean",
                    "Int64",
                    "Float64",
                    "String",
                    "Categorical",
                ]
            )
        )
    elif kind == "column_exists":
        rule["column"] = draw(st.sampled_from([column, "missing_column"]))
    elif kind == "row_count":
        rule.update(_bounds(draw, [0, 1, 5, 10, 30]))
    if kind not in ("dtype", "column_exists", "row_count"):
        rule["mostly"] = draw(st.sampled_from([1.0, 1.0, 0.9, 0.5]))
    rule["severity"] = draw(st.sampled_from(["error", "error", "warning"]))
    return rule


def rules_for(*, max_rules: int = 4) -> st.SearchStrategy[list[dict[str, Any]]]:
    """A list of valid rules over the columns of :func:`frames` (names are made unique)."""
    return st.lists(st.one_of(_rule(), _rules_sql()), min_size=1, max_size=max_rules)


# -- SQL text: expression, where, max_failures (issue 14) ----------------------------------------

#: Boolean SQL over :func:`frames`' columns; each is boolean on every frame (``c`` is read as
#: String), and none can fail at run time on some values only.
SQL_CONDITIONS = [
    "i > 0",
    "f >= 1",
    "i * 2 = f",
    "s = c",
    "length(s) <= 2",
    "b = (i > 0)",
    "i + f > 2",
    "s LIKE '%a%'",
    "coalesce(i, 0) >= 0",
    "CASE WHEN b THEN i > 0 ELSE f < 1 END",
    "s IN ('a', 'ab')",
    "c <> 'ab'",
    "upper(s) = s",
    "b",
    "NOT b",
    "i IS NULL",
    "f IS NOT NULL AND s IS NOT NULL",
]
_ROW_LEVEL = ("not_null", "unique", "regex", "in_range", "in_set", "not_in_set", "str_length")


@st.composite
def _rules_sql(draw: st.DrawFn) -> dict[str, Any]:
    """An ``expression``, or a row-level rule with ``where`` and/or ``max_failures``."""
    if draw(st.booleans()):
        rule: dict[str, Any] = {"type": "expression", "expr": draw(st.sampled_from(SQL_CONDITIONS))}
        rule["mostly"] = draw(st.sampled_from([1.0, 1.0, 0.9, 0.5]))
    else:
        rule = draw(_rule().filter(lambda r: r["type"] in _ROW_LEVEL))
    if draw(st.booleans()):
        rule["where"] = draw(st.sampled_from(SQL_CONDITIONS))
    if draw(st.booleans()):
        rule["max_failures"] = draw(st.sampled_from([0, 1, 3]))
    return rule
