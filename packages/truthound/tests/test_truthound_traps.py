"""Truthound 3.2's traps, each shown to be real and shown to be handled."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import polars as pl
import pytest

from truthound_dq import EngineError, parse_rules
from truthound_dq.testing import ReferenceEngine
from truthound_dq_truthound import TruthoundEngine
from truthound_dq_truthound._imports import truthound, validators

REFERENCE = ReferenceEngine()


@pytest.fixture
def engine() -> TruthoundEngine:
    return TruthoundEngine()


def _counts(engine: Any, frame: Any, rules: list[dict[str, Any]], **options: Any) -> list[Any]:
    result = engine.check(frame, rules, **options)
    return [(r.rule_name, r.failed_count, r.total_count, r.passed) for r in result.rule_results]


def _by(engine: Any, frame: Any, rules: list[dict[str, Any]]) -> list[str | None]:
    return [r.evaluated_by for r in engine.check(frame, rules).rule_results]


def _same_as_oracle(engine: TruthoundEngine, frame: Any, rules: list[dict[str, Any]]) -> None:
    assert _counts(engine, frame, rules) == _counts(REFERENCE, frame, rules)


def _emails(rows: int, bad_until: int) -> pl.DataFrame:
    # Half the first `bad_until` rows fail the pattern, none of the rest.
    return pl.DataFrame(
        {"email": ["bad" if i < bad_until and i % 2 else f"u{i}@x.io" for i in range(rows)]}
    )


def test_regex_counts_are_exact_beyond_10000_rows(engine: TruthoundEngine) -> None:
    frame = _emails(60_000, bad_until=10_000)
    # The trap is real: Truthound's default regex extrapolates from the first 10,000 rows.
    default = validators().RegexValidator(pattern="@", match_full=False, columns=["email"])
    (issue,) = default.validate(frame.lazy())
    assert issue.count == 30_000
    result = engine.check(frame, [{"column": "email", "type": "regex", "pattern": "@"}])
    assert (result.rule_results[0].failed_count, result.rule_results[0].total_count) == (
        5_000,
        60_000,
    )


def test_unique_with_nulls_is_not_off_by_one(engine: TruthoundEngine) -> None:
    frame = pl.DataFrame({"id": [1, 2, 2, None, None]})
    from truthound.validators.uniqueness.unique import UniqueValidator

    # The trap is real: non-null count 3 minus n_unique 3 (the null bucket is a value there)
    # is 0, so Truthound's unique finds nothing wrong with two 2s.
    assert UniqueValidator(columns=["id"]).validate(frame.lazy()) == []
    assert _counts(engine, frame, [{"column": "id", "type": "unique"}]) == [
        ("unique(id)", 2, 3, False)
    ]


def test_regex_rules_sharing_a_validator_name_are_attributed(engine: TruthoundEngine) -> None:
    frame = pl.DataFrame({"a": ["x", "y", "xy", None], "b": ["y", "y", "x", "z"]})
    rules = [
        {"column": "a", "type": "regex", "pattern": "x"},
        {"column": "b", "type": "regex", "pattern": "x"},
        {"column": "a", "type": "regex", "pattern": "y"},
        {"column": "b", "type": "regex", "pattern": "^[xy]$"},
        {"type": "row_count", "min": 5},
        {"type": "row_count", "max": 10},
    ]
    assert _counts(engine, frame, rules) == [
        ("regex(a)", 1, 3, False),
        ("regex(b)", 3, 4, False),
        ("regex(a)#2", 1, 3, False),
        ("regex(b)#2", 1, 4, False),
        ("row_count", 1, 1, False),
        ("row_count#2", 0, 1, True),
    ]


def test_blank_strings_are_values_for_regex(engine: TruthoundEngine) -> None:
    frame = pl.DataFrame({"s": ["", " ", "\t ", "a", " a ", None, "  "]})
    # The trap is real: Truthound's RegexValidator skips the empty and whitespace-only strings.
    stock = validators().RegexValidator(pattern="a", match_full=False, columns=["s"])
    assert stock.validate(frame.lazy()) == []  # four of them fail the pattern
    for pattern in ["a", "^$", r"^\s+$", r"\S", "^ ", "^"]:
        _same_as_oracle(engine, frame, [{"column": "s", "type": "regex", "pattern": pattern}])
    rule = [{"column": "s", "type": "regex", "pattern": "a"}]
    assert _counts(engine, frame, rule) == [("regex(s)", 4, 6, False)]


def test_regex_search_semantics_and_no_dotall(engine: TruthoundEngine) -> None:
    frame = pl.DataFrame({"s": ["box", "x", "a\nb", "ab"]})
    rules = [
        {"column": "s", "type": "regex", "pattern": "x"},
        {"column": "s", "type": "regex", "pattern": "a.b"},
        {"column": "s", "type": "regex", "pattern": "^a"},
    ]
    assert _counts(engine, frame, rules) == [
        ("regex(s)", 2, 4, False),
        ("regex(s)#2", 4, 4, False),
        ("regex(s)#3", 2, 4, False),
    ]


def test_nan_is_missing(engine: TruthoundEngine) -> None:
    nan = float("nan")
    frame = pl.DataFrame({"f": [1.0, nan, nan, None, 200.0, 1.0]})
    rules = [
        {"column": "f", "type": "not_null"},
        {"column": "f", "type": "unique"},
        {"column": "f", "type": "in_range", "min": 0, "max": 150},
        {"column": "f", "type": "in_set", "values": [1, 2]},
        {"column": "f", "type": "not_in_set", "values": [200]},
    ]
    assert _counts(engine, frame, rules) == [
        ("not_null(f)", 3, 6, False),
        ("unique(f)", 2, 3, False),
        ("in_range(f)", 1, 3, False),
        ("in_set(f)", 1, 3, False),
        ("not_in_set(f)", 1, 3, False),
    ]


def test_pattern_refused_by_truthound_is_still_evaluated(engine: TruthoundEngine) -> None:
    pattern = "^(a|b)+$"
    with pytest.raises(validators().RegexValidationError):
        validators().RegexValidator(pattern=pattern)
    frame = pl.DataFrame({"s": ["ab", "abc", "", None, "ba"]})
    rules = [{"column": "s", "type": "regex", "pattern": pattern}]
    assert _counts(engine, frame, rules) == [("regex(s)", 2, 4, False)]
    _same_as_oracle(engine, frame, rules)


def test_numeric_dtypes_truthound_does_not_range_check(engine: TruthoundEngine) -> None:
    frame = pl.DataFrame(
        {
            "d": pl.Series([Decimal("1.50"), Decimal("9.00"), None], dtype=pl.Decimal(10, 2)),
            "i": pl.Series([2**100, 5, None], dtype=pl.Int128),
        }
    )
    rules = [
        {"column": "d", "type": "in_range", "min": 2},
        {"column": "i", "type": "in_range", "max": 10},
        {"column": "d", "type": "in_set", "values": [1.5]},
        {"column": "i", "type": "unique"},
    ]
    assert _counts(engine, frame, rules) == [
        ("in_range(d)", 1, 2, False),
        ("in_range(i)", 1, 2, False),
        ("in_set(d)", 1, 2, False),
        ("unique(i)", 0, 2, True),
    ]
    _same_as_oracle(engine, frame, rules)
    # Borrowed where Truthound skips the column or Polars rounds the members; said so.
    assert _by(engine, frame, rules) == [
        "truthound_dq",
        "truthound_dq",
        "truthound_dq",
        "truthound",
    ]


def test_dtype_families_and_exact_names(engine: TruthoundEngine) -> None:
    frame = pl.DataFrame(
        {
            "u": pl.Series([1], dtype=pl.UInt8),
            "e": pl.Series(["a"], dtype=pl.Enum(["a", "b"])),
            "t": pl.Series([0], dtype=pl.Datetime("ms", "UTC")),
            "l": [[1]],
        }
    )
    specs = [
        ("u", "integer", 0), ("u", "numeric", 0), ("u", "Int8", 1), ("e", "string", 0),
        ("e", "Enum", 0), ("e", "Categorical", 1), ("t", "datetime", 0), ("t", "Datetime", 0),
        ("t", "date", 1), ("l", "List", 0), ("l", "numeric", 1),
    ]  # fmt: skip
    rules = [{"column": c, "type": "dtype", "dtype": d} for c, d, _ in specs]
    got = [failed for _, failed, _, _ in _counts(engine, frame, rules)]
    assert got == [failed for _, _, failed in specs]
    _same_as_oracle(engine, frame, rules)


def test_every_rule_type_goes_through_th_check(
    engine: TruthoundEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[list[str]] = []
    real_check = truthound().check

    def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append([type(v).__name__ for v in kwargs["validators"]])
        return real_check(*args, **kwargs)

    monkeypatch.setattr(truthound(), "check", spy)
    frame = pl.DataFrame({"i": [1, 2], "s": ["a", "b"], "j": [2, 3]})
    rules = [
        {"column": "i", "type": "not_null"},
        {"column": "i", "type": "unique"},
        {"column": "s", "type": "regex", "pattern": "a"},
        {"column": "i", "type": "in_range", "min": 0},
        {"column": "s", "type": "in_set", "values": ["a"]},
        {"column": "s", "type": "not_in_set", "values": ["a"]},
        {"column": "s", "type": "str_length", "max": 3},
        {"column": "i", "type": "dtype", "dtype": "Int64"},
        {"column": "x", "type": "column_exists"},
        {"type": "row_count", "min": 1},
        {"column": "s", "type": "not_regex", "pattern": "z"},
        {"column": "i", "type": "compare", "op": "<", "other": "j"},
    ]
    engine.check(frame, rules)
    # Two th.check calls, side by side: the duplicate count apart from the rest.
    assert sorted(calls) == [
        ["DuplicateValidator"],
        [
            "NotNullValidator", "SearchRegexValidator", "BetweenValidator", "InSetValidator",
            "NotInSetValidator", "LengthValidator", "ColumnTypeValidator",
            "ColumnExistsValidator", "RowCountValidator", "SearchNotMatchRegexValidator",
            "ColumnComparisonValidator",
        ],
    ]  # fmt: skip
    result = engine.check(frame, rules)
    assert {r.evaluated_by for r in result.rule_results} == {"truthound"}
    assert parse_rules(rules)  # every rule type of the vocabulary is in this check
    # (the borrowed types say why in the capability notes)
    native = set(engine.capabilities.native_rule_types)
    assert {r["type"] for r in rules} == native
    borrowed = {
        "monotonic",
        "freshness",
        "expression",
        "aggregate",
        "schema",
        "row_count_anomaly",
        "metric_anomaly",
    }
    assert set(engine.capabilities.rule_types) - native == borrowed


def test_a_truthound_fault_is_an_engine_error(
    engine: TruthoundEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    boom = RuntimeError("validator exploded")

    def explode(self: Any, lf: Any) -> Any:
        raise boom

    monkeypatch.setattr(validators().BetweenValidator, "validate", explode)
    rules = [{"column": "a", "type": "in_range", "min": 0}]
    with pytest.raises(EngineError, match="validator exploded") as info:
        engine.check(pl.DataFrame({"a": [1, -1]}), rules)
    assert info.value.__cause__ is boom


def test_a_truthound_profile_fault_is_an_engine_error(
    engine: TruthoundEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    boom = ValueError("profiler exploded")

    def explode(*args: Any, **kwargs: Any) -> Any:
        raise boom

    monkeypatch.setattr(truthound(), "profile", explode)
    monkeypatch.setattr(truthound(), "learn", explode)
    with pytest.raises(EngineError) as info:
        engine.profile(pl.DataFrame({"a": [1]}))
    assert info.value.__cause__ is boom
    with pytest.raises(EngineError) as info:
        engine.learn(pl.DataFrame({"a": [1]}))
    assert info.value.__cause__ is boom
