"""The Truthound engine as a plugin: lazy import, no files left behind, one collect, samples."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given, settings

from truthound_dq import CheckStatus, get_engine
from truthound_dq.testing import ReferenceEngine, people
from truthound_dq.testing.strategies import frames
from truthound_dq_truthound import TruthoundEngine

REFERENCE = ReferenceEngine()


@pytest.fixture
def engine() -> TruthoundEngine:
    return TruthoundEngine()


def test_importing_and_listing_does_not_import_truthound() -> None:
    code = textwrap.dedent(
        """
        import sys
        import truthound_dq_truthound
        from truthound_dq import available_engines, get_engine
        assert "truthound" in available_engines()
        engine = get_engine("truthound")
        assert engine.engine_version
        print(sorted(m for m in sys.modules if m.split(".")[0] == "truthound"))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_entry_point_gives_the_engine() -> None:
    assert isinstance(get_engine("truthound"), TruthoundEngine)


def test_nothing_is_written_to_the_working_directory(
    engine: TruthoundEngine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cwd, home = tmp_path / "cwd", tmp_path / "home"
    cwd.mkdir()
    home.mkdir()
    monkeypatch.chdir(cwd)
    monkeypatch.setenv("HOME", str(home))
    rules = [
        {"column": "id", "type": "unique"},
        {"column": "email", "type": "regex", "pattern": "@"},
    ]
    result = engine.check(people(), rules)
    assert result.status is CheckStatus.FAILED
    engine.profile(people())
    engine.learn(people())
    assert list(cwd.iterdir()) == []
    assert list(home.iterdir()) == []


def test_truthound_context_goes_to_workdir_and_is_removed(tmp_path: Path) -> None:
    engine = TruthoundEngine(workdir=tmp_path)
    engine.check(people(), [{"column": "id", "type": "not_null"}])
    assert list(tmp_path.iterdir()) == []


def _counting(frame: pl.DataFrame) -> tuple[pl.LazyFrame, list[int]]:
    runs: list[int] = []

    def count(batch: pl.Series) -> pl.Series:
        runs.append(len(batch))
        return batch

    lazy = frame.lazy().with_columns(pl.col("id").map_batches(count, return_dtype=pl.Int64))
    return lazy, runs


def test_a_lazyframe_is_checked_in_batches(engine: TruthoundEngine) -> None:
    rules = [
        {"column": "id", "type": "not_null"},
        {"column": "id", "type": "unique"},
        {"column": "id", "type": "in_range", "min": 2},
        {"column": "email", "type": "regex", "pattern": "@"},
        {"column": "id", "type": "dtype", "dtype": "integer"},
        {"type": "row_count", "min": 1},
    ]
    lazy, runs = _counting(people())
    lazy_result = engine.check(lazy, rules, batch_rows=4)
    assert runs  # the plan ran (in batches: every id passed through it)
    eager = engine.check(people(), rules)
    changed = {"evaluated_by"}
    assert [
        {k: v for k, v in r.to_dict().items() if k not in changed} for r in lazy_result.rule_results
    ] == [{k: v for k, v in r.to_dict().items() if k not in changed} for r in eager.rule_results]
    # unique and row_count do not merge across batches: the shared implementation's.
    assert [r.evaluated_by for r in lazy_result.rule_results] == [
        "truthound", "truthound_dq", "truthound", "truthound", "truthound", "truthound_dq"
    ]  # fmt: skip
    for call in (engine.profile, engine.learn):
        lazy, runs = _counting(people())
        call(lazy)
        assert runs == [6]


def test_row_count_alone_collects_only_a_count(engine: TruthoundEngine) -> None:
    lazy, runs = _counting(people())
    result = engine.check(lazy, [{"type": "row_count", "min": 7}])
    assert (result.row_count, result.rule_results[0].failed_count) == (6, 1)
    assert runs == []  # no column is read for a row count


def _big(rows: int) -> pl.DataFrame:
    ids = list(range(rows))
    ids[rows // 3] = ids[rows // 3 - 7]  # two sparse duplicates, far from the start
    ids[rows - 1] = ids[rows - 2]
    return pl.DataFrame(
        {
            "id": ids,
            "email": [f"u{i}@x.io" if i % 997 else f"broken {i}" for i in range(rows)],
            "age": [i % 170 for i in range(rows)],
        }
    )


@pytest.mark.parametrize("rows", [100, 70_000, 300_000])
def test_samples_are_the_first_failing_values_in_row_order(
    engine: TruthoundEngine, rows: int
) -> None:
    frame = _big(rows)
    rules = [
        {"column": "id", "type": "unique"},
        {"column": "email", "type": "regex", "pattern": "@"},
        {"column": "age", "type": "in_range", "max": 150},
    ]
    for size in (1, 3, 5):
        got = engine.check(frame, rules, sample_size=size)
        expected = REFERENCE.check(frame, rules, sample_size=size)
        assert [r.sample_values for r in got.rule_results] == [
            r.sample_values for r in expected.rule_results
        ]
        assert [r.failed_count for r in got.rule_results] == [
            r.failed_count for r in expected.rule_results
        ]


def test_no_samples_when_sample_size_is_zero(engine: TruthoundEngine) -> None:
    result = engine.check(people(), [{"column": "id", "type": "unique"}], sample_size=0)
    assert result.rule_results[0].failed_count == 2
    assert result.rule_results[0].sample_values == ()


def test_profile_is_exact(engine: TruthoundEngine) -> None:
    got = engine.profile(people())
    expected = REFERENCE.profile(people())
    strip = ("produced_by", "engine", "engine_version", "execution_time_ms", "timestamp")
    mine = {k: v for k, v in got.to_dict().items() if k not in strip}
    truth = {k: v for k, v in expected.to_dict().items() if k not in strip}
    assert mine == truth
    assert "th.profile" in got.produced_by
    assert got.column("big").max == 2**62 + 1  # exact, printed back by th.profile


def test_learned_rules_translate_truthound_and_pass(engine: TruthoundEngine) -> None:
    nan = float("nan")
    frame = pl.DataFrame(
        {
            "id": [1, 2, 3, 4],
            "big": [2**62 + 1, 2**62 + 3, -(2**62) - 1, 0],
            "f": [0.5, nan, 2.5, 0.5],
            "s": ["a", "bb", "a", None],
        }
    )
    learned = engine.learn(frame)
    assert learned.produced_by.startswith("truthound th.learn")
    rules = {(r.column, r.rule_type): dict(r.parameters) for r in learned.rules}
    assert rules[("id", "dtype")] == {"dtype": "Int64"}
    assert ("id", "unique") in rules and ("id", "not_null") in rules
    assert rules[("id", "in_range")] == {"min": 1, "max": 4}
    assert ("f", "not_null") not in rules  # NaN is missing
    assert rules[("f", "in_set")] == {"values": [0.5, 2.5]}
    assert rules[("s", "str_length")] == {"min": 1, "max": 2}
    assert rules[("s", "in_set")] == {"values": ["a", "bb"]}
    low, high = rules[("big", "in_range")]["min"], rules[("big", "in_range")]["max"]
    assert low <= -(2**62) - 1 and high >= 2**62 + 3
    result = engine.check(frame, learned.to_rules())
    assert result.status is CheckStatus.PASSED, [r.message for r in result.failures]


def test_capabilities_say_how_each_rule_is_evaluated(engine: TruthoundEngine) -> None:
    caps = engine.capabilities.to_dict()
    # Borrowed, with the reason in the notes: freshness (RecentDataValidator gives no newest
    # value), monotonic (its validator compares with the previous row), expression
    # (Truthound's ExpressionValidator would only run the same Polars SQL), aggregate and
    # schema.
    borrowed = set(caps["rule_types"]) - set(caps["native_rule_types"])
    assert borrowed == {
        "freshness",
        "monotonic",
        "expression",
        "aggregate",
        "schema",
        "row_count_anomaly",
        "metric_anomaly",
    }
    notes: dict[str, Any] = caps["notes"]
    assert set(caps["rule_types"]) <= set(notes)
    assert "Polars" in notes["regex"] and "Polars" in notes["profile"]


def test_engine_version_is_truthounds() -> None:
    import truthound

    assert TruthoundEngine().engine_version == truthound.__version__


def test_learn_leaves_value_rules_off_nested_columns(engine: TruthoundEngine) -> None:
    frame = pl.DataFrame({"l": [[1], [2], None], "s": [{"a": 1}, {"a": 2}, None]})
    learned = engine.learn(frame)
    # Besides the table-level proposals (the schema, null_rate, which nested values have).
    table = {
        (None, "schema", None),
        ("l", "aggregate", "null_rate"),
        ("s", "aggregate", "null_rate"),
    }
    found = {(r.column, r.rule_type, r.parameters.get("stat")) for r in learned.rules}
    assert found - table == {("l", "dtype", None), ("s", "dtype", None)}
    assert engine.check(frame, learned.to_rules()).status is CheckStatus.PASSED


@settings(max_examples=40, deadline=None, database=None)
@given(frame=frames(max_rows=25))
def test_property_learned_rules_pass_on_their_data(frame: pl.DataFrame) -> None:
    engine = TruthoundEngine()
    result = engine.check(frame, engine.learn(frame).to_rules())
    assert result.status is CheckStatus.PASSED, [r.message for r in result.failures]


@pytest.mark.parametrize("rows", [70_000, 300_000])
def test_unique_samples_of_long_columns_come_from_a_prefix_search(
    engine: TruthoundEngine, rows: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    from truthound_dq_truthound import _check

    monkeypatch.setattr(_check, "_LONG_COLUMN", 50_000)  # as if these columns were long
    frame = _big(rows)
    rules = [{"column": "id", "type": "unique"}]
    for size in (1, 3):
        got = engine.check(frame, rules, sample_size=size).rule_results[0]
        expected = REFERENCE.check(frame, rules, sample_size=size).rule_results[0]
        assert (got.sample_values, got.failed_count) == (
            expected.sample_values,
            expected.failed_count,
        )


def test_unique_samples_decided_by_the_first_rows(engine: TruthoundEngine) -> None:
    # Every value repeats within the first rows (the prefix decides), or only far below.
    frame = pl.DataFrame(
        {
            "often": [None if i % 7 == 0 else i % 500 for i in range(20_000)],
            "late": [i if i < 19_990 else 3 for i in range(20_000)],
        }
    )
    rules = [{"column": c, "type": "unique"} for c in frame.columns]
    for size in (1, 5):
        got = engine.check(frame, rules, sample_size=size)
        expected = REFERENCE.check(frame, rules, sample_size=size)
        assert [(r.sample_values, r.failed_count) for r in got.rule_results] == [
            (r.sample_values, r.failed_count) for r in expected.rule_results
        ]
