"""Where GX alone would not give the canonical answer, and what the adapter does instead.

Each case states the canonical counts (``docs/rules.md``) and who must evaluate the rule: GX
wherever the conversion or the translation makes its comparison exact, the shared Polars
implementation (labelled) where it cannot.
"""

from __future__ import annotations

import decimal
import enum
from typing import Any

import polars as pl
import pytest

from truthound_dq import EngineError
from truthound_dq.sdk import SHARED_EVALUATOR
from truthound_dq.testing import ReferenceEngine
from truthound_dq_great_expectations import GreatExpectationsEngine

GX = "great_expectations"
BIG = 2**53


@pytest.fixture(scope="module")
def engine() -> GreatExpectationsEngine:
    return GreatExpectationsEngine()


def _got(engine: GreatExpectationsEngine, frame: pl.DataFrame, rules: list[dict[str, Any]]) -> Any:
    return [
        (r.failed_count, r.total_count, r.evaluated_by)
        for r in engine.check(frame, rules).rule_results
    ]


def test_names_are_never_patterns_nor_folded_by_case(engine: GreatExpectationsEngine) -> None:
    frame = pl.DataFrame(
        {
            "a": [1, 1, 2],
            "A": [1, 2, 3],
            "^a$": ["5", "5", "5"],
            "*": ["x", "y", None],
            "a.b 'c\"\x00": [None, 1, 2],
            "x" * 300: [7, 8, 7],
        }
    )
    rules = [
        {"column": "A", "type": "unique"},
        {"column": "a", "type": "unique"},
        {"column": "^a$", "type": "in_set", "values": ["5"]},
        {"column": "^a$", "type": "regex", "pattern": "^5$"},
        {"column": "*", "type": "not_null"},
        {"column": "a.b 'c\"\x00", "type": "in_range", "max": 1},
        {"column": "x" * 300, "type": "unique"},
        {"column": "A", "type": "column_exists"},
        {"column": "AA", "type": "column_exists"},
    ]
    assert _got(engine, frame, rules) == [
        (0, 3, GX),
        (2, 3, GX),
        (0, 3, GX),
        (0, 3, SHARED_EVALUATOR),
        (1, 3, GX),
        (1, 2, GX),
        (2, 3, GX),
        (0, 1, GX),
        (1, 1, GX),
    ]


def test_decimal_sets_mean_the_decimal_number_written(engine: GreatExpectationsEngine) -> None:
    frame = pl.DataFrame(
        {
            "d": pl.Series(
                [decimal.Decimal("1.10"), None, decimal.Decimal("2.50")], dtype=pl.Decimal(10, 2)
            )
        }
    )
    rules = [
        {"column": "d", "type": "in_set", "values": [1.1, 2]},
        {"column": "d", "type": "not_in_set", "values": [1.1]},
        {"column": "d", "type": "unique"},
        {"column": "d", "type": "not_null"},
        # GX would compare each Decimal with the bound's binary value: borrowed.
        {"column": "d", "type": "in_range", "max": 1.1},
    ]
    assert _got(engine, frame, rules) == [
        (1, 2, GX),
        (1, 2, GX),
        (0, 2, GX),
        (1, 3, GX),
        (1, 2, SHARED_EVALUATOR),
    ]
    samples = [r.sample_values for r in engine.check(frame, rules[:2]).rule_results]
    assert samples == [("2.50",), ("1.10",)]


def test_int128_with_nulls_is_exact(engine: GreatExpectationsEngine) -> None:
    frame = pl.DataFrame({"n": pl.Series([2**100, None, 2**100 + 1, 5], dtype=pl.Int128)})
    rules = [
        {"column": "n", "type": "not_null"},
        {"column": "n", "type": "unique"},
        {"column": "n", "type": "in_set", "values": [2**100, 5.0]},
        {"column": "n", "type": "in_range", "max": 2**100},  # a bound float64 holds exactly
        {"column": "n", "type": "in_range", "max": 2**100 + 1},  # one it does not: borrowed
    ]
    assert _got(engine, frame, rules) == [
        (1, 4, GX),
        (0, 3, GX),
        (1, 3, GX),
        (1, 3, GX),
        (0, 3, SHARED_EVALUATOR),
    ]
    (in_set,) = engine.check(frame, [rules[2]]).rule_results
    assert in_set.sample_values == (2**100 + 1,)


def test_small_int128_travels_as_int64(engine: GreatExpectationsEngine) -> None:
    frame = pl.DataFrame({"n": pl.Series([1, None, 3, 3], dtype=pl.Int128)})
    rules = [
        {"column": "n", "type": "unique"},
        {"column": "n", "type": "in_range", "min": 2},
    ]
    assert _got(engine, frame, rules) == [(2, 3, GX), (1, 3, GX)]


def test_uint64_beyond_int64_is_exact(engine: GreatExpectationsEngine) -> None:
    top = 2**64 - 1
    frame = pl.DataFrame({"u": pl.Series([top, top - 1, None], dtype=pl.UInt64)})
    rules = [
        {"column": "u", "type": "unique"},  # as float64 both would be 2**64
        {"column": "u", "type": "in_set", "values": [top]},
        {"column": "u", "type": "not_in_set", "values": [top - 1, -1]},
    ]
    assert _got(engine, frame, rules) == [(0, 2, GX), (1, 2, GX), (1, 2, GX)]


@pytest.mark.parametrize("nulls", [False, True])
def test_mixed_int_float_sets_are_not_rounded(engine: GreatExpectationsEngine, nulls: bool) -> None:
    values = [BIG, BIG + 1, 3] + ([None] if nulls else [])
    frame = pl.DataFrame({"n": pl.Series(values, dtype=pl.Int64)})
    # As float64, BIG + 1 is BIG: pandas' isin would match BIG too.
    rules = [
        {"column": "n", "type": "in_set", "values": [BIG + 1, 0.5]},
        {"column": "n", "type": "not_in_set", "values": [BIG + 1, 0.5, 3.0]},
    ]
    assert _got(engine, frame, rules) == [(2, 3, GX), (2, 3, GX)]


def test_sets_within_two_to_the_53_keep_the_fast_path(engine: GreatExpectationsEngine) -> None:
    frame = pl.DataFrame({"n": [BIG, 1, None], "f": [float(BIG), 1.5, None]})
    rules = [
        {"column": "n", "type": "in_set", "values": [BIG + 1, 1.0]},
        {"column": "f", "type": "in_set", "values": [BIG + 1, 1.5]},  # no float64 is BIG + 1
        {"column": "f", "type": "in_set", "values": [BIG, 1]},
    ]
    assert _got(engine, frame, rules) == [(1, 2, GX), (1, 2, GX), (1, 2, GX)]


@pytest.mark.parametrize("dtype", [pl.Float32, pl.Float64])
def test_float_bounds_compare_exactly(engine: GreatExpectationsEngine, dtype: Any) -> None:
    frame = pl.DataFrame({"x": pl.Series([0.1, float("-inf"), float("nan"), None], dtype=dtype)})
    rules = [
        {"column": "x", "type": "in_range", "max": 0.1},
        {"column": "x", "type": "in_range", "min": -1e308},
        {"column": "x", "type": "in_set", "values": [0.1]},
    ]
    # Float32 0.1 is 0.100000001...: above max=0.1, and not the member 0.1.
    above = 1 if dtype == pl.Float32 else 0
    assert _got(engine, frame, rules) == [
        (above, 2, GX),
        (1, 2, GX),
        (1 + above, 2, GX),
    ]


def test_a_bound_float64_cannot_hold_is_borrowed(engine: GreatExpectationsEngine) -> None:
    frame = pl.DataFrame({"n": [BIG, 1], "f": [float(BIG), 1.0]})
    rules = [
        {"column": "n", "type": "in_range", "min": BIG + 1},
        {"column": "f", "type": "in_range", "min": BIG + 1},
        {"column": "n", "type": "in_range", "max": 300},
    ]
    got = _got(engine, frame, rules)
    assert [by for *_, by in got] == [SHARED_EVALUATOR, SHARED_EVALUATOR, GX]
    assert got[0][:2] == (2, 2) and got[2][:2] == (1, 2)
    # Borrowed: whatever the shared implementation says is the canonical answer.
    oracle = ReferenceEngine().check(frame, rules).rule_results[1]
    assert got[1][:2] == (oracle.failed_count, oracle.total_count)


def test_bounds_outside_a_narrow_dtype_are_simply_evaluated(
    engine: GreatExpectationsEngine,
) -> None:
    frame = pl.DataFrame({"i": pl.Series([1, -3, None], dtype=pl.Int8)})
    rules = [
        {"column": "i", "type": "in_range", "max": 300},
        {"column": "i", "type": "in_range", "min": -300, "max": 0},
        {"column": "i", "type": "in_set", "values": [1, 300]},
    ]
    assert _got(engine, frame, rules) == [(0, 2, GX), (1, 2, GX), (1, 2, GX)]


class Colour(enum.StrEnum):
    RED = "red"


def test_str_subclass_members_are_strings(engine: GreatExpectationsEngine) -> None:
    frame = pl.DataFrame({"c": ["red", "blue", None]})
    rules = [{"column": "c", "type": "in_set", "values": [Colour.RED]}]
    assert _got(engine, frame, rules) == [(1, 2, GX)]


def test_null_dtype_column_is_all_missing(engine: GreatExpectationsEngine) -> None:
    frame = pl.DataFrame({"n": pl.Series([None, None], dtype=pl.Null)})
    rules = [
        {"column": "n", "type": "in_set", "values": [1]},
        {"column": "n", "type": "unique"},
        {"column": "n", "type": "not_null"},
        {"column": "n", "type": "column_exists"},
    ]
    result = engine.check(frame, rules)
    got = [(r.failed_count, r.total_count, r.passed) for r in result.rule_results]
    assert got == [(0, 0, True), (0, 0, True), (2, 2, False), (0, 1, True)]


def test_every_case_here_agrees_with_the_oracle_where_the_oracle_is_exact(
    engine: GreatExpectationsEngine,
) -> None:
    # A spot check that the adapter and the shared implementation read the same columns.
    frame = pl.DataFrame({"a": [1, 1, 2], "A": [1, 2, None], "^a$": [None, 2, 2]})
    rules = [{"column": c, "type": t} for c in ("a", "A", "^a$") for t in ("unique", "not_null")]
    ours = [(r.failed_count, r.total_count) for r in engine.check(frame, rules).rule_results]
    oracle = [
        (r.failed_count, r.total_count) for r in ReferenceEngine().check(frame, rules).rule_results
    ]
    assert ours == oracle == [(2, 3), (0, 3), (0, 2), (1, 3), (2, 2), (1, 3)]


# -- GX's own behaviour, the reason for the conversion: these fail if GX changes ----------


def _gx_alone(frame: Any, expectation: Any) -> Any:
    import great_expectations as gx

    context = gx.get_context(mode="ephemeral")
    asset = context.data_sources.add_pandas("p").add_dataframe_asset("a")
    batch = asset.add_batch_definition_whole_dataframe("w").get_batch(
        batch_parameters={"dataframe": frame}
    )
    return batch.validate(expectation)


def test_gx_folds_column_names_by_case() -> None:
    import great_expectations.expectations as gxe
    import pandas as pd

    frame = pd.DataFrame({"a": [1, 1], "A": [1, 2]})
    result = _gx_alone(frame, gxe.ExpectColumnValuesToBeUnique(column="A"))
    assert not result.success  # it read "a": the adapter hands GX the view's safe names


def test_polars_cannot_hand_int128_to_pandas() -> None:
    with pytest.raises(Exception, match="i128"):
        pl.Series([1, None], dtype=pl.Int128).to_pandas()


# -- faults ---------------------------------------------------------------------------------


class _Panic(BaseException):
    """Stands in for pyo3's PanicException (a BaseException, not an Exception)."""


def test_a_base_exception_from_gx_is_an_engine_error(
    engine: GreatExpectationsEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise _Panic("panicked")

    monkeypatch.setattr(engine._session, "validate", broken)
    with pytest.raises(EngineError, match="panicked") as info:
        engine.check(pl.DataFrame({"a": [1]}), [{"column": "a", "type": "unique"}])
    assert isinstance(info.value.__cause__, _Panic)


def test_a_keyboard_interrupt_passes_through(
    engine: GreatExpectationsEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(*args: Any, **kwargs: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr(engine._session, "validate", interrupted)
    with pytest.raises(KeyboardInterrupt):
        engine.check(pl.DataFrame({"a": [1]}), [{"column": "a", "type": "unique"}])


def test_an_exception_gx_reports_in_a_result_is_an_engine_error(
    engine: GreatExpectationsEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # GX catches a metric's exception and reports it in the result (raised_exception):
    # inject one by dropping the column the expectation reads from the pandas frame.
    from truthound_dq_great_expectations import _convert

    real = _convert.to_pandas

    def without_the_column(view: Any, columns: Any) -> Any:
        converted = real(view, columns)
        return _convert.Converted(converted.frame.drop(columns=columns), frozenset())

    monkeypatch.setattr("truthound_dq_great_expectations._engine.to_pandas", without_the_column)
    with pytest.raises(EngineError, match=r"GX failed on unique\(a\)"):
        engine.check(pl.DataFrame({"a": [1]}), [{"column": "a", "type": "unique"}])


def test_without_gx_metadata_the_version_gives_the_pip_line(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from importlib.metadata import PackageNotFoundError

    from truthound_dq import EngineNotInstalledError

    def missing(name: str) -> str:
        raise PackageNotFoundError(name)

    monkeypatch.setattr("truthound_dq._registry.version", missing)
    with pytest.raises(EngineNotInstalledError, match=r"pip install 'truthound-prefect\[great"):
        _ = GreatExpectationsEngine().engine_version


def test_aggregates_are_gx_s_statistic_only_where_it_is_the_canonical_one(
    engine: GreatExpectationsEngine,
) -> None:
    # One check: who measured each statistic, and the verdict from its observed value.
    frame = pl.DataFrame(
        {
            "wrap": pl.Series([BIG, BIG - 1, 3, 4], dtype=pl.Int64),  # int64 sum beyond 2**53
            "big": pl.Series([2**62, 2**62, 2**62, None], dtype=pl.Int64),  # Python ints
            "dec": pl.Series(["0.10", "0.20", "0.30", None], dtype=pl.Decimal(10, 2)),
            "inf": [float("inf"), 1.0, 2.0, None],
            "f": [0.1, 0.2, None, float("nan")],
        }
    )
    agg = [
        ("sum", "wrap", 2 * BIG + 6),  # borrowed: numpy's int64/float64 would round it
        ("sum", "big", 3 * 2**62),  # GX, Python's exact sum
        ("sum", "dec", 0.6),  # borrowed: GX converts decimals to float
        ("max", "dec", 0.3),  # GX: Decimal objects compare exactly
        ("mean", "inf", float("inf")),  # borrowed: numpy warns on inf in GX
        ("sum", "f", 0.3),  # GX: 0.30000000000000004 meets 0.3 at 12 digits
        ("null_rate", "f", 0.5),  # GX: 1 - the non-null proportion (NaN is missing)
        ("stdev", "big", 0.0),  # borrowed: pandas' std loses a small spread under a big mean
    ]
    rules = [
        {"type": "aggregate", "column": c, "stat": s, "min": v, "max": v}
        if v != float("inf")
        else {"type": "aggregate", "column": c, "stat": s, "min": 1e308}
        for s, c, v in agg
    ]
    result = engine.check(frame, rules)
    assert [r.passed for r in result.rule_results] == [True] * len(agg), [
        r.message for r in result.failures
    ]
    assert [r.evaluated_by for r in result.rule_results] == [
        SHARED_EVALUATOR, GX, SHARED_EVALUATOR, GX, SHARED_EVALUATOR, GX, GX, SHARED_EVALUATOR,
    ]  # fmt: skip
    assert result.rule_results[1].observed_value == 3 * 2**62
