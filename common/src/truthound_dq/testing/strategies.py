"""Hypothesis strategies: small frames full of edge cases, and valid rules over them.

Domains are deliberately tiny so that duplicates, matches, NaN, nulls and empty strings are
common: that is where engines disagree.
"""

from __future__ import annotations

import datetime as dt
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
    """A frame with integer, float, string, categorical, boolean and time columns.

    Time columns: ``d`` Date, ``t`` Datetime("us", "UTC"), ``n`` Datetime("us") (naive),
    ``u`` Duration("us").
    """
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
    frame = pl.DataFrame(
        {name: pl.Series(name, values, dtype=COLUMNS[name]) for name, values in data.items()}
    )
    times = {
        name: pl.Series(name, draw(st.lists(_column(pool), min_size=n, max_size=n)), dtype=dtype)
        for name, (pool, dtype) in TIME_COLUMNS.items()
    }
    return frame.with_columns(times.values())


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
    return st.lists(
        st.one_of(
            _rule(),
            _rules_dates(),
            _rules_keys(),
            _rules_aggregates(),
            _rules_sql(),
        ),
        min_size=1,
        max_size=max_rules,
    )


# -- dates slice (issue 14): time columns, time bounds, strict bounds, freshness --------------

_UTC = dt.UTC
_DATES = [dt.date(2023, 12, 31), dt.date(2024, 1, 1), dt.date(2024, 1, 2), dt.date(2024, 2, 29)]
_WALL = [
    dt.datetime(2023, 12, 31, 23, 59, 59, 999999),
    dt.datetime(2024, 1, 1),
    dt.datetime(2024, 1, 1, 0, 0, 0, 1),
    dt.datetime(2024, 1, 1, 12),
]
_DURATIONS = [dt.timedelta(hours=-1), dt.timedelta(0), dt.timedelta(microseconds=1),
              dt.timedelta(seconds=1), dt.timedelta(minutes=30), dt.timedelta(days=1)]  # fmt: skip
TIME_COLUMNS: dict[str, tuple[list[Any], pl.DataType]] = {
    "d": (_DATES, pl.Date()),
    "t": ([w.replace(tzinfo=_UTC) for w in _WALL], pl.Datetime("us", "UTC")),
    "n": (_WALL, pl.Datetime("us")),
    "u": (_DURATIONS, pl.Duration("us")),
}
"""The time columns of :func:`frames`: values and dtype."""

# Bounds per column: (sort key, the bound as a rule gives it), several spellings of each.
_TIME_BOUNDS: dict[str, list[tuple[int, Any]]] = {
    "d": [(0, "2023-12-31"), (1, dt.date(2024, 1, 1)), (1, "2024-01-01"), (3, "2024-02-29")],
    "t": [
        (0, "2023-12-31T23:59:59.999999+00:00"),
        (1, "2024-01-01T01:00:00+01:00"),
        (1, dt.datetime(2024, 1, 1, tzinfo=_UTC)),
        (2, "2024-01-01T00:00:00.0000005Z"),
        (3, "2024-01-01T12:00:00Z"),
    ],
    "n": [
        (0, "2023-12-31T00:00:00"),
        (1, "2024-01-01T00:00:00"),
        (2, "2024-01-01T00:00:00.000000500"),
        (3, dt.datetime(2024, 1, 1, 0, 0, 0, 1)),
        (4, "2024-01-01 12:00"),
    ],
    "u": [
        (0, "-1h"),
        (1, "0s"),
        (2, "500ns"),
        (3, "PT1S"),
        (4, dt.timedelta(minutes=30)),
        (5, "1d"),
    ],
}
_MISMATCHED = {  # bounds of the wrong kind or zone: not evaluated on every engine alike
    "d": "2024-01-01T00:00:00",
    "t": "2024-01-01",
    "n": "2024-01-01T00:00:00+00:00",
    "u": "2024-01-01",
}


@st.composite
def _rules_dates(draw: st.DrawFn) -> dict[str, Any]:
    """A dates-slice rule over :func:`frames`.

    in_range with time bounds (some strict, some of a kind or zone that does not apply),
    strict number and length bounds, and freshness over the time columns.
    """
    kind = draw(st.sampled_from(["time_range", "time_range", "strict", "freshness"]))
    rule: dict[str, Any]
    if kind == "time_range":
        column = draw(st.sampled_from(list(TIME_COLUMNS)))
        chance = draw(st.integers(0, 9))
        if chance == 0:
            rule = {"type": "in_range", "column": column, "min": _MISMATCHED[column]}
        elif chance == 1 and column == "n":  # a date on a naive datetime: its midnight
            side = draw(st.sampled_from(["min", "max"]))
            rule = {"type": "in_range", "column": column, side: "2024-01-01"}
        else:
            pool = _TIME_BOUNDS[column]
            drawn = draw(st.lists(st.sampled_from(pool), min_size=1, max_size=2))
            picks = sorted(drawn, key=lambda pick: pick[0])
            rule = {"type": "in_range", "column": column}
            if len(picks) == 2 or draw(st.booleans()):
                rule["min"] = picks[0][1]
            if len(picks) == 2 or "min" not in rule:
                rule["max"] = picks[-1][1]
            if len(picks) == 2 and picks[0][0] == picks[1][0]:
                rule.pop("max")
    elif kind == "strict":
        column = draw(st.sampled_from(["i", "f", "s", "c"]))
        if column in ("i", "f"):
            rule = {"type": "in_range", "column": column}
            rule.update(_bounds(draw, [-2, 0, 1, 2.5, 50]))
        else:
            rule = {"type": "str_length", "column": column}
            rule.update(_bounds(draw, [0, 1, 2, 3, 5]))
        if rule.get("min") is not None and rule.get("min") == rule.get("max"):
            rule.pop("max")
    else:
        column = draw(st.sampled_from(["d", "t", "n"]))
        age = draw(st.sampled_from(["1d", "PT24H", "P36500D", "0s", "1w"]))
        return {"type": "freshness", "column": column, "max_age": age}
    for flag, bound in (("strict_min", "min"), ("strict_max", "max")):
        if bound in rule and draw(st.booleans()):
            rule[flag] = True
    rule["mostly"] = draw(st.sampled_from([1.0, 1.0, 0.5]))
    return rule


_COMPARABLE = [("i", "f"), ("f", "i"), ("i", "i"), ("f", "f"), ("s", "c"), ("c", "s"), ("b", "b")]


@st.composite
def _rules_keys(draw: st.DrawFn) -> dict[str, Any]:
    """Compound ``unique``, ``compare``, ``not_regex``, ``monotonic``, empty ``values``."""
    kind = draw(st.sampled_from(["unique", "compare", "not_regex", "monotonic", "empty_set"]))
    rule: dict[str, Any]
    if kind == "unique":
        columns = draw(
            st.lists(st.sampled_from(list(COLUMNS)), min_size=1, max_size=3, unique=True)
        )
        rule = {"type": "unique", "columns": columns}
    elif kind == "compare":
        column, other = draw(st.sampled_from(_COMPARABLE))
        op = draw(st.sampled_from(["<", "<=", "==", "!=", ">=", ">"]))
        rule = {"type": "compare", "column": column, "op": op, "other": other}
    elif kind == "not_regex":
        column = draw(st.sampled_from(["s", "c"]))
        rule = {"type": "not_regex", "column": column, "pattern": draw(st.sampled_from(PATTERNS))}
    elif kind == "monotonic":
        rule = {
            "type": "monotonic",
            "column": draw(st.sampled_from(["i", "f"])),
            "direction": draw(st.sampled_from(["increasing", "decreasing"])),
            "strict": draw(st.booleans()),
        }
    else:
        set_type = draw(st.sampled_from(["in_set", "not_in_set"]))
        rule = {"type": set_type, "column": draw(st.sampled_from(list(COLUMNS))), "values": []}
    rule["mostly"] = draw(st.sampled_from([1.0, 1.0, 0.9, 0.5]))
    rule["severity"] = draw(st.sampled_from(["error", "error", "warning"]))
    return rule


_AGGREGATE_BOUNDS: dict[str, list[int | float]] = {
    "i": [-3, -1, 0, 1, 2, 5, 100, 1.5, 33.3333333333],
    "f": [-1.5, 0.0, 1.0, 2.5, 100.0, 1.25, 50.75],
    "rate": [0.0, 0.25, 0.5, 0.75, 1.0, 0.333333333333],
    "count": [0, 1, 2, 3, 5, 7],
}


@st.composite
def _rules_aggregates(draw: st.DrawFn) -> dict[str, Any]:
    """``aggregate`` (bounds drawn where the statistics of tiny frames land) and ``schema``."""
    if draw(st.integers(0, 4)) == 0:
        names = draw(st.lists(st.sampled_from([*COLUMNS, "missing"]), min_size=1, max_size=4,
                              unique=True))  # fmt: skip
        specs = ["Int64", "Float64", "String", "Categorical", "Boolean", "integer", "string"]
        return {
            "type": "schema",
            "columns": {name: draw(st.sampled_from(specs)) for name in names},
            "exact": draw(st.booleans()),
            "ordered": draw(st.booleans()),
            "severity": draw(st.sampled_from(["error", "warning"])),
        }
    column = draw(st.sampled_from(list(COLUMNS)))
    stats = ["distinct_count", "null_rate", "unique_rate"]
    stats += ["min", "max", "mean", "median", "sum", "stdev"] if column in ("i", "f") else []
    stat = draw(st.sampled_from(stats))
    pool = (
        _AGGREGATE_BOUNDS["rate"]
        if stat in ("null_rate", "unique_rate")
        else _AGGREGATE_BOUNDS["count"]
        if stat == "distinct_count"
        else _AGGREGATE_BOUNDS["f" if column == "f" else "i"]
    )
    rule: dict[str, Any] = {"type": "aggregate", "column": column, "stat": stat}
    rule.update(_bounds(draw, sorted(pool)))
    if "min" in rule and draw(st.booleans()):
        rule["strict_min"] = True
    if "max" in rule and draw(st.booleans()):
        rule["strict_max"] = True
    rule["severity"] = draw(st.sampled_from(["error", "error", "warning"]))
    return rule


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
