"""Parsing the rule vocabulary: valid rules become typed rules, invalid ones one error."""

import pytest

from truthound_dq import (
    InRange,
    NotNull,
    Regex,
    RowCount,
    RuleType,
    RuleValidationError,
    Severity,
    parse_rules,
)


def problems(rules):
    with pytest.raises(RuleValidationError) as info:
        parse_rules(rules)
    return [str(p) for p in info.value.problems]


def test_parses_into_typed_frozen_rules():
    rules = parse_rules(
        [
            {"column": "id", "type": "not_null"},
            {
                "column": "email",
                "type": "regex",
                "pattern": "@",
                "severity": "warning",
                "mostly": 0.9,
            },
            {"column": "age", "type": "in_range", "min": 0, "max": 150, "name": "age ok"},
            {"type": "row_count", "min": 1},
        ]
    )
    assert [type(r) for r in rules] == [NotNull, Regex, InRange, RowCount]
    assert rules[0].name == "not_null(id)" and rules[0].severity is Severity.ERROR
    assert rules[1].severity is Severity.WARNING and rules[1].mostly == 0.9
    assert rules[2].name == "age ok" and (rules[2].min, rules[2].max) == (0, 150)
    assert rules[3].column is None and rules[3].name == "row_count"
    with pytest.raises(AttributeError):
        rules[0].column = "other"  # type: ignore[misc]


def test_every_type_round_trips_through_to_dict():
    raw = [
        {"column": "a", "type": "not_null"},
        {"column": "a", "type": "unique", "severity": "warning"},
        {"column": "a", "type": "regex", "pattern": "^x"},
        {"column": "a", "type": "in_range", "min": 1.5},
        {"column": "a", "type": "in_set", "values": ["x", "y"], "mostly": 0.5},
        {"column": "a", "type": "not_in_set", "values": [1, 2]},
        {"column": "a", "type": "str_length", "max": 3},
        {"column": "a", "type": "dtype", "dtype": "Int64"},
        {"column": "a", "type": "column_exists"},
        {"type": "row_count", "max": 10},
        {"column": "a", "type": "freshness", "max_age": "24h"},
        {
            "column": "a",
            "type": "in_range",
            "min": "2024-01-01",
            "max": "2024-02-01",
            "strict_max": True,
        },
        {"column": "a", "type": "not_regex", "pattern": "^x"},
        {"type": "unique", "columns": ["a", "b"], "where": "a > 1"},
        {"column": "a", "type": "compare", "op": "<=", "other": "b", "mostly": 0.5},
        {"column": "a", "type": "monotonic", "direction": "decreasing", "strict": True},
        {"column": "a", "type": "aggregate", "stat": "mean", "min": 1, "strict_min": True},
        {"type": "schema", "columns": {"a": "Int64", "b": "string"}, "ordered": True},
        {"type": "expression", "expr": "a > 1", "where": "b = 'x'", "max_failures": 2},
        {"type": "row_count_anomaly", "window": 7, "min_change": -0.5, "min_history": 3},
        {"type": "metric_anomaly", "metric": "pass_rate", "rule": "x", "max_deviation": 4.0},
    ]
    rules = parse_rules(raw)
    assert {r.type for r in rules} == set(RuleType)
    assert parse_rules([r.to_dict() for r in rules]) == rules
    assert rules[7].dtype == "Int64", "dtype names are normalized"


def test_parsed_rules_pass_through():
    rules = parse_rules([{"column": "id", "type": "not_null"}])
    assert parse_rules(rules) == rules
    assert parse_rules(None) == ()


def test_duplicate_default_names_get_a_suffix_and_explicit_ones_are_refused():
    rules = parse_rules(
        [
            {"column": "e", "type": "regex", "pattern": "a"},
            {"column": "e", "type": "regex", "pattern": "b"},
        ]
    )
    assert [r.name for r in rules] == ["regex(e)", "regex(e)#2"]
    assert problems(
        [
            {"column": "a", "type": "unique", "name": "x"},
            {"column": "b", "type": "unique", "name": "x"},
        ]
    ) == ["rule 1: name 'x' is already used by rule 0"]


def test_not_a_list():
    assert problems({"column": "id", "type": "not_null"}) == [
        "rules must be a list of rule dicts, got dict"
    ]
    assert problems("not_null") == [
        "rules must be a list of rule dicts, got str "
        "(a rule file? read it with truthound_dq.load_rules(path))"
    ]


def test_every_problem_is_reported_with_its_index():
    found = problems(
        [
            {"column": "id", "type": "not_null"},
            {"column": "id", "type": "notnull"},
            {"column": "id", "check": "not_null"},
            "id",
            {"type": "unique"},
            {"column": "age", "type": "in_range", "min": 10, "max": 1},
            {"column": "email", "type": "regex", "pattern": "("},
            {"column": "id", "type": "not_null", "mostly": 0},
            {"column": "id", "type": "not_null", "mostly": 1.5},
            {"column": "id", "type": "not_null", "colour": "red"},
            {"column": "id", "type": "in_set", "values": "abc"},
            {"column": "id", "type": "in_range"},
            {"column": "id", "type": "not_null", "severity": "fatal"},
            {"column": 3, "type": "not_null"},
            {"column": "id", "type": "dtype", "dtype": "int65"},
            {"column": "id", "type": "str_length", "min": -1},
            {"column": "id", "type": "in_set", "values": [1, "a"]},
            {"column": "id", "type": "in_set", "values": [None]},
            {"type": "row_count", "column": "id", "min": 1},
            {"column": "id", "type": "dtype", "dtype": "integer", "mostly": 0.5},
            {"column": "e", "type": "regex", "pattern": "(?=a)"},
            {"column": "id", "type": "in_range", "min": True},
            {"column": "id", "type": "in_range", "max": float("inf")},
            {"type": "unique", "columns": ["a", "a"]},
        ]
    )
    indices = [int(p.split(":")[0].split()[1]) for p in found]
    assert indices == sorted(indices)
    assert set(indices) == set(range(1, 24)), found
    text = "\n".join(found)
    for fragment in [
        "unknown type 'notnull' (did you mean 'not_null'?)",
        "missing key 'type' (the key is 'type', not 'check')",
        "rule 3: must be a dict",
        "rule 4: unique needs 'column' or 'columns'",
        "'min' 10 is greater than 'max' 1",
        "pattern '(' does not compile",
        "'mostly' must be a fraction in (0, 1], got 0",
        "unknown key 'colour'",
        "'values' must be a list of values, got 'abc'",
        "in_range needs 'min', 'max' or both",
        "'severity' must be 'error' or 'warning'",
        "'column' must be a non-empty string, got 3",
        "'dtype' must be a Polars dtype name",
        "'min' must be a non-negative whole number",
        "'values' mixes number and string",
        "must not contain None",
        "row_count is table-level and takes no 'column'",
        "dtype is a single yes/no check and takes no 'mostly'",
        "look-around",
        "'min' must be a finite number, got True",
        "'max' must be a finite number, got inf",
        "'columns' names 'a' more than once",
    ]:
        assert fragment in text, fragment


def test_error_message_lists_problems():
    with pytest.raises(RuleValidationError, match=r"2 problems in the rules:\n  - rule 0"):
        parse_rules([{"type": "x"}, {"type": "y"}])
    with pytest.raises(ValueError, match="1 problem in the rules"):
        parse_rules([{"type": "x"}])
