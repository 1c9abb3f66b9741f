"""Exact answers on Truthound: native where its validators give them, borrowed (and said so)."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from decimal import Decimal
from typing import Any

import polars as pl
import pytest

from truthound_dq import EngineError
from truthound_dq.sdk import SHARED_EVALUATOR
from truthound_dq.testing import ReferenceEngine
from truthound_dq_truthound import TruthoundEngine
from truthound_dq_truthound._imports import truthound, validators
from truthound_dq_truthound._plan import BATCH_COLUMNS

REFERENCE = ReferenceEngine()
NATIVE = "truthound"


@pytest.fixture
def engine() -> TruthoundEngine:
    return TruthoundEngine()


def _results(engine: Any, frame: pl.DataFrame, rules: list[dict[str, Any]]) -> list[Any]:
    result = engine.check(frame, rules)
    return [(r.failed_count, r.total_count, r.evaluated_by) for r in result.rule_results]


def _check(
    engine: TruthoundEngine, frame: pl.DataFrame, rules: list[dict[str, Any]], by: list[str]
) -> list[int]:
    """Counts equal the oracle's; ``by`` says who evaluated each rule."""
    mine, truth = _results(engine, frame, rules), _results(REFERENCE, frame, rules)
    assert [m[:2] for m in mine] == [t[:2] for t in truth]
    assert [m[2] for m in mine] == by
    return [m[0] for m in mine]


@pytest.fixture
def spy(monkeypatch: pytest.MonkeyPatch) -> list[tuple[list[str], list[str]]]:
    """Every th.check call: (frame columns, validator class names)."""
    calls: list[tuple[list[str], list[str]]] = []
    real = truthound().check

    def record(data: Any, **kwargs: Any) -> Any:
        calls.append((list(data.columns), [type(v).__name__ for v in kwargs["validators"]]))
        return real(data, **kwargs)

    monkeypatch.setattr(truthound(), "check", record)
    return calls


def test_float32_bounds_are_compared_exactly(engine: TruthoundEngine) -> None:
    inf = float("inf")
    frame = pl.DataFrame(
        {
            "f32": pl.Series([0.1, -inf, 1.0, None], dtype=pl.Float32),
            "f64": pl.Series([0.1, -inf, 1e308, float("nan")], dtype=pl.Float64),
        }
    )
    # The trap is real: Truthound compares in Float32, where 0.1 is not above 0.1.
    between = validators().BetweenValidator(max_value=0.1, columns=["f32"])
    assert between.validate(frame.lazy().select("f32").head(1)) == []  # Float32 0.1 alone
    rules = [
        {"column": "f32", "type": "in_range", "max": 0.1},
        {"column": "f32", "type": "in_range", "min": -1e308},
        {"column": "f64", "type": "in_range", "min": -1e308, "max": 1e307},
        {"column": "f32", "type": "in_range", "min": 0, "max": 2**127},
    ]
    failed = _check(engine, frame, rules, [NATIVE] * 4)
    assert failed == [2, 1, 2, 1]  # Float32 0.1 is above 0.1; -inf is below -1e308


def test_big_integers_are_compared_exactly(engine: TruthoundEngine) -> None:
    big = 2**53 + 1
    frame = pl.DataFrame(
        {
            "i": pl.Series([big, 2**62, -5, None], dtype=pl.Int64),
            "u": pl.Series([0, 2**64 - 1, 5, None], dtype=pl.UInt64),
            "i8": pl.Series([1, 127, -128, None], dtype=pl.Int8),
        }
    )
    rules = [
        {"column": "i", "type": "in_range", "max": float(2**53)},  # big is above 2.0**53
        {"column": "i", "type": "in_range", "min": -4.5, "max": 2**62},
        {"column": "u", "type": "in_range", "min": -5, "max": 2**64 - 2},
        {"column": "i8", "type": "in_range", "min": -1000, "max": 300},  # passes
        {"column": "i", "type": "in_set", "values": [big, 1.5]},
        {"column": "i", "type": "not_in_set", "values": [float(2**53)]},
        {"column": "u", "type": "in_set", "values": [2**64 - 1, -1, 5.0]},
        {"column": "i8", "type": "in_set", "values": [300, 1]},
    ]
    failed = _check(engine, frame, rules, [NATIVE] * len(rules))
    assert failed == [2, 1, 1, 0, 2, 0, 1, 2]


def test_float_members_are_exact(engine: TruthoundEngine) -> None:
    frame = pl.DataFrame(
        {
            "f32": pl.Series([0.1, 0.5, None], dtype=pl.Float32),
            "f64": pl.Series([0.1, float(2**60), 3.0], dtype=pl.Float64),
        }
    )
    rules = [
        {"column": "f32", "type": "in_set", "values": [0.1, 0.5]},  # Float32 0.1 is not 0.1
        {"column": "f64", "type": "in_set", "values": [0.1, 2**60 + 1, 3]},
        {"column": "f64", "type": "not_in_set", "values": [2**60]},
    ]
    assert _check(engine, frame, rules, [NATIVE] * 3) == [1, 1, 1]


def test_what_truthound_cannot_answer_exactly_is_borrowed(engine: TruthoundEngine) -> None:
    frame = pl.DataFrame(
        {
            "d": pl.Series([Decimal("1.10"), Decimal("2.50"), None], dtype=pl.Decimal(10, 2)),
            "i128": pl.Series([2**100, 5, None], dtype=pl.Int128),
            "i8": pl.Series([1, 2, None], dtype=pl.Int8),
            "s": ["ab", "abc", None],
        }
    )
    rules = [
        {"column": "d", "type": "in_set", "values": [1.1]},  # matches Decimal 1.10
        {"column": "d", "type": "in_range", "max": 2},
        {"column": "i128", "type": "in_range", "max": 10},
        {"column": "i128", "type": "in_set", "values": [2**100]},  # Truthound: exact
        {"column": "i8", "type": "in_range", "min": 200},  # every value fails
        {"column": "s", "type": "regex", "pattern": "^(a|b)+$"},  # ReDoS guard refuses it
    ]
    by = [SHARED_EVALUATOR, SHARED_EVALUATOR, SHARED_EVALUATOR, NATIVE, SHARED_EVALUATOR]
    assert _check(engine, frame, rules, [*by, SHARED_EVALUATOR]) == [1, 1, 1, 1, 2, 1]


def test_truthound_sees_only_safe_names(
    engine: TruthoundEngine, spy: list[tuple[list[str], list[str]]]
) -> None:
    frame = pl.DataFrame(
        {"^a$": [1, 1, None], "*": ["x", "y", "x"], "a": [1, 2, 3], "A": [3, 4, 4]}
    )
    rules = [
        {"column": "^a$", "type": "unique"},
        {"column": "*", "type": "in_set", "values": ["x"]},
        {"column": "a", "type": "not_null"},
        {"column": "A", "type": "unique"},
    ]
    assert _check(engine, frame, rules, [NATIVE] * 4) == [2, 1, 0, 2]
    names = {name for columns, _ in spy for name in columns}
    assert names <= {"c0", "c1", "c2", "c3"}


def test_wide_checks_run_in_batches_of_validators_over_many_columns(
    engine: TruthoundEngine, spy: list[tuple[list[str], list[str]]]
) -> None:
    width = BATCH_COLUMNS + 20
    frame = pl.DataFrame({f"x{i}": [i % 3, None, 1] for i in range(width)})
    rules = [r for i in range(width) for r in (
        {"column": f"x{i}", "type": "not_null"},
        {"column": f"x{i}", "type": "in_range", "max": 1},
    )]  # fmt: skip
    failed = _check(engine, frame, rules, [NATIVE] * len(rules))
    assert sum(failed) == width + sum(1 for i in range(width) if i % 3 == 2)
    # One validator per kind and bounds, per batch of at most BATCH_COLUMNS columns.
    assert sorted(len(columns) for columns, _ in spy) == [20, BATCH_COLUMNS]  # side by side
    assert [names for _, names in spy] == [["NotNullValidator", "BetweenValidator"]] * 2


def test_checks_whose_issues_carry_no_validator_name_run_apart(
    engine: TruthoundEngine, spy: list[tuple[list[str], list[str]]]
) -> None:
    frame = pl.DataFrame({"s": ["a", "bb", "ccc", None]})
    rules = [
        {"column": "s", "type": "str_length", "min": 2},
        {"column": "s", "type": "str_length", "max": 2},
        {"column": "s", "type": "regex", "pattern": "a"},
        {"column": "s", "type": "regex", "pattern": "b"},
        {"column": "s", "type": "str_length", "min": 2},  # the same check as the first
    ]
    assert _check(engine, frame, rules, [NATIVE] * 5) == [1, 1, 2, 2, 1]
    assert len(spy) == 2  # LengthValidator's issues (no validator name) are told apart by call


class _Panic(BaseException):
    """Stands in for pyo3's PanicException, a BaseException."""


@pytest.mark.parametrize("exc", [_Panic("rust panicked"), MemoryError("out of memory")])
def test_anything_truthound_raises_is_an_engine_error(
    engine: TruthoundEngine, monkeypatch: pytest.MonkeyPatch, exc: BaseException
) -> None:
    def explode(self: Any, lf: Any) -> Any:
        raise exc

    monkeypatch.setattr(validators().NotNullValidator, "validate", explode)
    with pytest.raises(EngineError) as info:
        engine.check(pl.DataFrame({"a": [1]}), [{"column": "a", "type": "not_null"}])
    assert info.value.__cause__ is exc


def test_a_keyboard_interrupt_passes_through(
    engine: TruthoundEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupt(self: Any, lf: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(validators().NotNullValidator, "validate", interrupt)
    with pytest.raises(KeyboardInterrupt):
        engine.check(pl.DataFrame({"a": [1]}), [{"column": "a", "type": "not_null"}])


def test_without_truthound_the_error_gives_the_pip_line() -> None:
    code = textwrap.dedent(
        """
        import sys
        sys.modules["truthound"] = None  # installed, but unimportable
        import polars as pl
        from truthound_dq import EngineNotInstalledError, get_engine
        try:
            get_engine("truthound").check(
                pl.DataFrame({"a": [1]}), [{"column": "a", "type": "not_null"}]
            )
        except EngineNotInstalledError as exc:
            print(exc.install)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == (
        "pip install 'truthound-prefect[truthound]' (or 'truthound-dq-truthound' without Prefect)"
    )
