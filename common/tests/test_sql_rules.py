"""SQL text in rules: column names read as names, parse-time errors, expression and where."""

from __future__ import annotations

import polars as pl
import pytest

from truthound_dq import Expression, RuleValidationError, parse_rules
from truthound_dq._sql import SQLTextError, sql_columns, sql_expr, sql_rename
from truthound_dq.testing import ReferenceEngine


@pytest.mark.parametrize(
    ("text", "columns"),
    [
        ("price * quantity = total", ("price", "quantity", "total")),
        ('"^a$" > 1', ("^a$",)),  # a quoted name, never a regex
        ('"*" >= 2', ("*",)),  # never a wildcard
        ('"a""b" = 1', ('a"b',)),  # a quote inside quotes
        ('"quo""te\'" > 2', ("quo\"te'",)),
        ('"select" = 1 AND "from" = 2', ("select", "from")),  # keywords as quoted names
        ("upper(upper) = 'X'", ("upper",)),  # a column named like a function
        ("abs(abs) > 1", ("abs",)),
        ("s = 'price'", ("s",)),  # a string literal naming a column is a literal
        ("s = 'it''s \"price\"'", ("s",)),
        ("PRICE = price", ("PRICE", "price")),  # bare names are case-sensitive
        ('"X" = x', ("X", "x")),
        ('x = "x"', ("x",)),  # bare and quoted spell one name
        ('"a.b" > 1', ("a.b",)),
        ('"" > 1', ("",)),
        ('"nul\0name"', ("nul\0name",)),
        ("CASE WHEN a > 1 THEN b ELSE c END = 1", ("a", "b", "c")),
        ("coalesce(a, 0) > 1 -- price", ("a",)),  # a comment is no column
        ('"__tdq_q1" = 1 AND "q" = 2', ("__tdq_q1", "q")),  # the rewriter's own prefix
        ("1 = 1", ()),
    ],
)
def test_sql_columns_are_names(text: str, columns: tuple[str, ...]) -> None:
    assert sql_columns(text) == columns


def test_sql_rename_maps_every_reference_and_nothing_else() -> None:
    text = "upper(upper) = 'upper' AND \"^a$\" > 1 AND s = 's'"
    renamed = sql_rename(text, {"upper": "c0", "^a$": "c1", "s": "c2"})
    assert renamed == 'upper("c0") = \'upper\' AND "c1" > 1 AND "c2" = \'s\''
    frame = pl.DataFrame({"c0": ["upper", "x"], "c1": [2, 2], "c2": ["s", "s"]})
    assert frame.select(sql_expr(renamed)).to_series().to_list() == [False, False]
    # Evaluated, the rewrite reads exactly the named columns even where patterns would not.
    odd = pl.DataFrame({"^a$": [1, 3], "a": [9, 9]})
    names = {c: f"c{i}" for i, c in enumerate(odd.columns)}
    safe = odd.rename(names)
    expr = sql_expr(sql_rename('"^a$" > 2', names))
    assert safe.select(expr).to_series().to_list() == [False, True]


@pytest.mark.parametrize("text", ["a >", "price *", "a = 1 AND", "", "   ", '"upper"(s) = 1'])
def test_sql_that_does_not_parse(text: str) -> None:
    with pytest.raises(SQLTextError) as info:
        sql_columns(text)
    assert "__tdq" not in str(info.value)  # the rewriter's placeholders never show


def test_expression_and_where_errors_are_found_at_parse_time_with_their_index() -> None:
    with pytest.raises(RuleValidationError) as info:
        parse_rules(
            [
                {"type": "expression", "expr": "price *"},
                {"type": "expression", "expr": "1 = 1"},
                {"type": "expression"},
                {"type": "expression", "expr": "a > 1", "column": "a"},
                {"type": "expression", "expr": 3},
                {"column": "a", "type": "not_null", "where": "a >"},
                {"type": "row_count", "min": 1, "where": "a > 1"},
                {"column": "a", "type": "dtype", "dtype": "Int64", "where": "a > 1"},
                {"column": "a", "type": "unique", "where": ""},
                {"column": "a", "type": "unique", "max_failures": -1},
                {"column": "a", "type": "unique", "max_failures": 1.5},
                {"type": "row_count", "min": 1, "max_failures": 1},
            ]
        )
    problems = [(p.index, p.message) for p in info.value.problems]
    assert [i for i, _ in problems] == list(range(12))
    text = dict(problems)
    assert "not a valid SQL expression" in text[0]
    assert "names no column" in text[1]
    assert "needs 'expr'" in text[2]
    assert "takes no 'column'" in text[3]
    assert "must be a SQL expression" in text[4]
    assert "'where'" in text[5] and "not a valid SQL expression" in text[5]
    assert "takes no 'where'" in text[6] and "takes no 'where'" in text[7]
    assert "'where' must be" in text[8]
    assert "whole number >= 0" in text[9] and "whole number >= 0" in text[10]
    assert "takes no 'max_failures'" in text[11]


def test_expression_round_trips_and_has_a_default_name() -> None:
    long = " AND ".join(f"c{i} > {i}" for i in range(30))
    rules = parse_rules(
        [
            {"type": "expression", "expr": "price * quantity = total", "where": "status = 'x'"},
            {"type": "expression", "expr": long, "max_failures": 3, "name": None},
        ]
    )
    assert rules[0].name == "expression(price * quantity = total)"
    assert rules[1].name.startswith("expression(c0 > 0 AND") and rules[1].name.endswith("…)")
    assert len(rules[1].name) <= len("expression()") + 60
    assert parse_rules([r.to_dict() for r in rules]) == rules
    assert isinstance(rules[0], Expression)
    assert rules[0].columns_read() == ("price", "quantity", "total", "status")
    assert rules[0].sample_columns() == ("price", "quantity", "total")


def test_expression_result_shows_the_columns_it_reads() -> None:
    frame = pl.DataFrame({"^a$": [1, 5], "a": [0, 0], "b": ["x", None]})
    result = ReferenceEngine().check(
        frame,
        [{"type": "expression", "expr": '"^a$" * 2 < 3 OR b IS NULL', "where": "a = 0"}],
    )
    (r,) = result.rule_results
    assert (r.failed_count, r.total_count, r.passed) == (0, 2, True)
    failing = ReferenceEngine().check(frame, [{"type": "expression", "expr": '"^a$" > 1'}])
    (f,) = failing.rule_results
    assert (f.failed_count, f.total_count, f.sample_values) == (1, 2, (1,))
    assert f.columns == ("^a$",)
    assert "make '\"^a$\" > 1' false" in f.message


def test_max_failures_message_and_mostly() -> None:
    frame = pl.DataFrame({"x": [1, None, None, 4]})
    rules = [
        {"column": "x", "type": "not_null", "max_failures": 2},
        {"column": "x", "type": "not_null", "max_failures": 1},
        {"column": "x", "type": "not_null", "max_failures": 2, "mostly": 0.75},
    ]
    within, over, mostly = ReferenceEngine().check(frame, rules).rule_results
    assert within.passed and "within max_failures=2" in within.message
    assert not over.passed and "over max_failures=1" in over.message
    assert not mostly.passed and "misses mostly=0.75" in mostly.message
    assert within.max_failures == 2
