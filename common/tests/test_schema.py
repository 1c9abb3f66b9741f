"""The JSON Schema of rule files: a valid 2020-12 schema that every contract case satisfies."""

import dataclasses
import datetime as dt
import json
from typing import ClassVar, Literal

import jsonschema
import polars as pl
import pytest

from truthound_dq import Rule, register_rule, rules_json_schema, unregister_rule
from truthound_dq.testing._cases import CASES, CUSTOM_CASES


def _as_file(rule):
    """A rule dict as it would be written in a JSON (or YAML) file."""

    def default(value):
        if isinstance(value, dt.date | dt.datetime | dt.time):
            return value.isoformat()
        if isinstance(value, dt.timedelta):
            return f"{value // dt.timedelta(microseconds=1)}us"
        if isinstance(value, set | frozenset | tuple):
            return sorted(value, key=repr)
        if hasattr(value, "item"):  # numpy scalars
            return value.item()
        raise TypeError(repr(value))

    return json.loads(json.dumps(rule, default=default))


@pytest.fixture(scope="module")
def validator():
    schema = rules_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_schema_is_valid_2020_12():
    schema = rules_json_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    # One self-contained branch per rule type (the Prefect block inlines them).
    for name, branch in schema["$defs"].items():
        if name.startswith("rule."):
            assert branch["properties"]["type"] == {"const": name[5:]}
            assert branch["additionalProperties"] is False
            assert "$ref" not in json.dumps(branch)


@pytest.mark.parametrize("case", CASES + CUSTOM_CASES, ids=lambda case: case.id)
def test_every_contract_case_validates(validator, case):
    rule = _as_file(case.rule)
    validator.validate([rule])
    validator.validate({"version": 1, "rules": [rule]})


@pytest.mark.parametrize(
    "rule",
    [
        {"column": "id"},  # no type
        {"column": "id", "type": "not_nul"},
        {"column": "id", "type": "not_null", "check": "x"},
        {"type": "not_null"},  # no column
        {"column": "", "type": "not_null"},
        {"column": "id", "type": "not_null", "severity": "fatal"},
        {"column": "id", "type": "not_null", "mostly": 0},
        {"column": "id", "type": "not_null", "mostly": 1.5},
        {"column": "id", "type": "not_null", "name": " "},
        {"column": "a", "type": "in_range"},  # neither bound
        {"column": "a", "type": "in_range", "min": None, "max": None},
        {"column": "a", "type": "in_range", "min": [1]},
        {"column": "a", "type": "in_set", "values": "abc"},
        {"column": "a", "type": "in_set", "values": [1, "a"]},
        {"column": "a", "type": "regex"},
        {"column": "a", "type": "dtype", "dtype": "int64"},
        {"column": "a", "type": "dtype", "dtype": "Int64", "mostly": 0.5},
        {"column": "a", "type": "row_count", "min": 1},  # table-level: no column
        {"type": "row_count", "min": 1.5},
    ],
)
def test_invalid_rules_are_rejected(validator, rule):
    assert not validator.is_valid([rule])


@pytest.mark.parametrize(
    "document",
    [
        {"rule": []},
        {"rules": [], "version": 2},
        {"rules": {"column": "id", "type": "not_null"}},
        {"column": "id", "type": "not_null"},
        "not_null",
    ],
)
def test_invalid_files_are_rejected(validator, document):
    assert not validator.is_valid(document)


def test_the_files_keys_validate(validator):
    document = {"$schema": "rules.schema.json", "description": "d", "version": 1, "rules": []}
    assert validator.is_valid(document)


def test_a_new_type_gets_its_schema_from_its_annotations():
    @dataclasses.dataclass(frozen=True, slots=True, kw_only=True)
    class Between(Rule):
        type: ClassVar[str] = "between_for_schema"
        _params: ClassVar[tuple[str, ...]] = ("low", "unit", "labels", "exact", "since")
        low: int
        unit: Literal["s", "ms"] = "s"
        labels: tuple[str, ...] = ()
        exact: bool = False
        since: dt.date | None = None

        def failure(self, value: pl.Expr, dtype: pl.DataType) -> pl.Expr:
            return value < self.low

    register_rule(Between)
    try:
        schema = rules_json_schema(["between_for_schema"])
    finally:
        unregister_rule("between_for_schema")
    branch = schema["$defs"]["rule.between_for_schema"]
    assert branch["required"] == ["type", "column", "low"]
    props = branch["properties"]
    assert props["low"] == {"type": "integer"}
    assert props["unit"] == {"anyOf": [{"enum": ["s", "ms"]}, {"type": "null"}], "default": "s"}
    assert props["labels"] == {"anyOf": [{"type": "array", "items": {"type": "string"}},
                                         {"type": "null"}]}  # fmt: skip
    assert props["exact"] == {"type": ["boolean", "null"], "default": False}
    assert props["since"] == {"anyOf": [{"type": "string", "format": "date"}, {"type": "null"}]}
    validator = jsonschema.Draft202012Validator(schema)
    assert validator.is_valid([{"type": "between_for_schema", "column": "a", "low": 1}])
    assert not validator.is_valid([{"type": "between_for_schema", "column": "a", "low": "1"}])
    assert not validator.is_valid(
        [{"type": "between_for_schema", "column": "a", "low": 1, "unit": "h"}]
    )


def test_unknown_types_are_refused():
    with pytest.raises(KeyError, match="nope"):
        rules_json_schema(["nope"])
