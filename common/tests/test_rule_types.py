"""Rule definitions: the registry, custom rule types, parameters as the numbers they are."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

import polars as pl
import pytest

from truthound_dq import (
    RULE_CLASSES,
    EngineNotInstalledError,
    Rule,
    RuleDefinitionError,
    RuleKind,
    RuleValidationError,
    parse_rules,
    register_rule,
    rule_types,
    unregister_rule,
)
from truthound_dq.sdk import SHARED_EVALUATOR, engine_library_version
from truthound_dq.testing import ReferenceEngine


@dataclass(frozen=True, slots=True, kw_only=True)
class Positive(Rule):
    """Every non-missing number is > 0."""

    type: ClassVar[str] = "positive_test"
    compatible: ClassVar[frozenset[str] | None] = frozenset({"numeric"})

    def failure(self, value: pl.Expr, dtype: pl.DataType) -> pl.Expr:
        return value <= 0

    def problem(self) -> str:
        return "are not positive"


@dataclass(frozen=True, slots=True, kw_only=True)
class Between(Rule):
    """A custom rule with required, validated parameters."""

    type: ClassVar[str] = "between_test"
    _params: ClassVar[tuple[str, ...]] = ("low", "high")
    low: int
    high: int = 10

    @classmethod
    def validate(cls, params: Mapping[str, Any]) -> Iterable[str]:
        if params.get("low", 0) > params.get("high", 10):
            yield "'low' is greater than 'high'"

    def failure(self, value: pl.Expr, dtype: pl.DataType) -> pl.Expr:
        return (value < self.low) | (value > self.high)


@pytest.fixture
def registered():
    register_rule(Positive)
    register_rule(Between)
    yield
    unregister_rule("positive_test")
    unregister_rule("between_test")


def test_builtins_come_from_the_registry():
    assert list(RULE_CLASSES)[:17] == [
        "not_null", "unique", "regex", "not_regex", "in_range", "in_set", "not_in_set",
        "str_length", "compare", "monotonic", "expression", "dtype", "column_exists",
        "row_count", "freshness", "aggregate", "schema",
    ]  # fmt: skip
    kinds = {name: cls.kind for name, cls in RULE_CLASSES.items()}
    assert kinds["not_null"] is RuleKind.ROW and kinds["row_count"] is RuleKind.TABLE
    assert "divisible_by" in rule_types()  # the dq-test-rules plugin, via its entry point


def test_a_registered_rule_is_parsed_and_evaluated(registered):
    frame = pl.DataFrame({"x": [1, -2, 0, None], "s": ["a", "b", "c", "d"]})
    result = ReferenceEngine().check(
        frame,
        [
            {"column": "x", "type": "positive_test", "mostly": 0.5},
            {"column": "x", "type": "between_test", "low": 0},
            {"column": "s", "type": "positive_test"},
        ],
    )
    positive, between, wrong = result.rule_results
    assert (positive.failed_count, positive.total_count, positive.passed) == (2, 3, False)
    assert positive.evaluated_by == SHARED_EVALUATOR
    assert (
        positive.message
        == "2 of 3 non-missing values (66.67%) are not positive; misses mostly=0.5 (at least 50.00% must pass)"
    )
    assert (between.failed_count, between.total_count) == (1, 3)
    assert not wrong.evaluated and "positive_test needs a numeric column" in wrong.message
    assert parse_rules([{"column": "x", "type": "between_test", "low": 1}])[0].to_dict() == {
        "type": "between_test", "column": "x", "low": 1, "high": 10, "name": "between_test(x)",
    }  # fmt: skip


def test_custom_parameters_are_validated(registered):
    with pytest.raises(RuleValidationError) as info:
        parse_rules(
            [
                {"column": "x", "type": "between_test"},
                {"column": "x", "type": "between_test", "low": 5, "high": 1},
                {"column": "x", "type": "between_test", "low": 1, "hgih": 3},
                {"column": "x", "type": "positive_tset"},
            ]
        )
    text = str(info.value)
    assert "rule 0: between_test needs 'low'" in text
    assert "rule 1: 'low' is greater than 'high'" in text
    assert "unknown key 'hgih' for between_test (did you mean 'high'?)" in text
    assert "unknown type 'positive_tset' (did you mean 'positive_test'?)" in text


def test_invalid_definitions_are_refused(registered):
    class NotADataclass(Rule):
        type: ClassVar[str] = "nodc"

    @dataclass(frozen=True, slots=True, kw_only=True)
    class NoMask(Rule):
        type: ClassVar[str] = "no_mask"

    @dataclass(frozen=True, slots=True, kw_only=True)
    class BadName(Positive):
        type: ClassVar[str] = "Bad Name"

    @dataclass(frozen=True, slots=True, kw_only=True)
    class NotNullAgain(Positive):
        type: ClassVar[str] = "not_null"

    with pytest.raises(RuleDefinitionError, match="must define failure"):
        register_rule(NoMask)
    with pytest.raises(RuleDefinitionError, match="lowercase name"):
        register_rule(BadName)
    with pytest.raises(RuleDefinitionError, match="built in"):
        register_rule(NotNullAgain)
    with pytest.raises(RuleDefinitionError, match="already registered"):
        register_rule(
            dataclass(frozen=True, slots=True, kw_only=True)(type("Other", (Positive,), {}))
        )
    with pytest.raises(RuleDefinitionError, match="not a Rule subclass"):
        register_rule(dict)  # type: ignore[type-var]


class Color(enum.Enum):
    RED = "red"


@pytest.mark.parametrize(
    ("rule", "message"),
    [
        ({"column": "x", "type": "in_range", "max": 10**400}, "128-bit integer range"),
        ({"column": "x", "type": "in_set", "values": [1, -(2**128)]}, "128-bit integer range"),
        ({"column": "x", "type": "in_range", "min": float("-inf")}, "finite number"),
        ({"column": "x", "type": "in_set", "values": [Color.RED]}, "strings, numbers or booleans"),
        ({"column": "x", "type": "dtype", "dtype": "string_"}, "did you mean 'string'"),
        ({"column": "x", "type": "dtype", "dtype": "int64"}, "did you mean 'Int64'"),
        ({"column": "x", "type": "dtype", "dtype": "STRING"}, "did you mean 'string'"),
    ],
)
def test_numbers_no_column_can_hold_and_unknown_dtypes_are_refused(rule, message):
    with pytest.raises(RuleValidationError, match=message):
        parse_rules([rule])


def test_parameters_become_plain_python_values():
    np = pytest.importorskip("numpy")

    class Status(enum.StrEnum):
        ACTIVE = "active"

    (in_range, in_set, length) = parse_rules(
        [
            {"column": "x", "type": "in_range", "min": np.int64(2), "max": np.float32(2.5)},
            {"column": "s", "type": "in_set", "values": [Status.ACTIVE, np.str_("b")]},
            {"column": "s", "type": "str_length", "max": np.uint8(3)},
        ]
    )
    assert (in_range.min, in_range.max) == (2, 2.5) and type(in_range.min) is int
    assert in_set.values == ("active", "b") and all(type(v) is str for v in in_set.values)
    assert length.max == 3 and type(length.max) is int
    assert parse_rules([{"column": "x", "type": "in_range", "max": 2**127}])[0].max == 2**127


def test_dtype_names_are_exact_and_families_lowercase():
    frame = pl.DataFrame({"s": pl.Series(["a"], dtype=pl.Categorical), "t": ["a"]})
    result = ReferenceEngine().check(
        frame,
        [
            {"column": "s", "type": "dtype", "dtype": "String"},
            {"column": "t", "type": "dtype", "dtype": "String"},
            {"column": "s", "type": "dtype", "dtype": "string"},
            {"column": "t", "type": "dtype", "dtype": "Utf8"},
        ],
    )
    assert [r.passed for r in result.rule_results] == [False, True, True, True]


def test_missing_engine_library_gives_the_pip_line():
    with pytest.raises(
        EngineNotInstalledError, match=r"pip install 'truthound-prefect\[pandera\]'"
    ):
        engine_library_version("pandera-that-is-not-there", "pandera")
    assert engine_library_version("polars", "pandera") == pl.__version__
