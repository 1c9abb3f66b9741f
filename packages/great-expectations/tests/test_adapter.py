"""What is specific to the GX adapter: discovery, laziness, no files, no progress bars,
exact large integers, samples, threads, fault wrapping and labelled profile/learn."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any

import polars as pl
import pytest

from truthound_dq import EngineError, RuleType, get_engine
from truthound_dq.testing import CASES, ReferenceEngine, people
from truthound_dq_great_expectations import GreatExpectationsEngine

PEOPLE_RULES = [case.rule for case in CASES if case.frame is people]


@pytest.fixture(scope="module")
def engine() -> GreatExpectationsEngine:
    return GreatExpectationsEngine()


def _counts(result: Any) -> list[tuple[str, int, int, bool]]:
    return [(r.rule_name, r.failed_count, r.total_count, r.passed) for r in result.rule_results]


@pytest.mark.parametrize("name", ["great_expectations", "great-expectations", "gx", "ge"])
def test_every_spelling_resolves_to_this_engine(name: str) -> None:
    engine = get_engine(name)
    assert isinstance(engine, GreatExpectationsEngine)
    assert engine.engine_name == "great_expectations"


def test_importing_the_adapter_does_not_import_gx() -> None:
    code = (
        "import sys, truthound_dq_great_expectations as m, truthound_dq as dq;"
        "m.GreatExpectationsEngine(); dq.available_engines();"
        "heavy = sorted(n for n in ('great_expectations', 'pandas', 'pyarrow') if n in sys.modules);"
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


def test_check_writes_nothing_to_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # A fresh engine, so the GX context is built while the working directory is watched.
    monkeypatch.chdir(tmp_path)
    caplog.set_level("INFO", logger="great_expectations")
    engine = GreatExpectationsEngine()
    engine.check(people(), PEOPLE_RULES)
    engine.profile(people())
    engine.learn(people())
    assert os.listdir(tmp_path) == []
    assert engine._session.context.root_directory is None
    # gx.get_context(mode="ephemeral") would also make a data docs site in a temp directory
    assert "temporary directory" not in caplog.text


def test_no_progress_bars_reach_the_terminal(
    engine: GreatExpectationsEngine, capfd: pytest.CaptureFixture[str]
) -> None:
    engine.check(people(), PEOPLE_RULES)
    out, err = capfd.readouterr()
    assert (out, err) == ("", "")


def test_gx_would_print_progress_bars_if_left_on(capfd: pytest.CaptureFixture[str]) -> None:
    # Proves the test above can fail: the same run with GX's default setting prints a bar.
    from great_expectations.data_context.types.base import ProgressBarsConfig

    engine = GreatExpectationsEngine()
    engine.check(people(), [{"column": "id", "type": "not_null"}])
    capfd.readouterr()
    engine._session.context.variables.progress_bars = ProgressBarsConfig(globally=True)
    engine.check(people(), PEOPLE_RULES)
    assert "Calculating Metrics" in capfd.readouterr().err


def test_large_integers_stay_exact_in_counts_and_samples(engine: GreatExpectationsEngine) -> None:
    big = 2**62
    frame = pl.DataFrame({"n": pl.Series([big, big + 1, None, big + 1, 1], dtype=pl.Int64)})
    result = engine.check(
        frame,
        [
            {"column": "n", "type": "unique"},
            {"column": "n", "type": "in_set", "values": [big, 1]},
            {"column": "n", "type": "in_range", "max": big},
        ],
    )
    unique, in_set, in_range = result.rule_results
    assert (unique.failed_count, unique.total_count) == (2, 4)
    assert unique.sample_values == (big + 1, big + 1)
    assert in_set.sample_values == (big + 1, big + 1)
    assert in_range.failed_count == 2
    assert {r.evaluated_by for r in result.rule_results} == {"great_expectations"}


def test_integer_samples_come_back_as_integers(engine: GreatExpectationsEngine) -> None:
    # Small integers with nulls travel as float64 (exact, and GX's fast path); 2.0 -> 2.
    frame = pl.DataFrame({"n": [1, 2, 2, None]})
    (result,) = engine.check(frame, [{"column": "n", "type": "unique"}]).rule_results
    assert result.sample_values == (2, 2)
    assert all(type(v) is int for v in result.sample_values)


def test_rules_run_as_one_gx_validation(
    engine: GreatExpectationsEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    real = engine._session.validate

    def counting(frame: Any, expectations: Any, result_format: Any) -> Any:
        calls.append(len(expectations))
        return real(frame, expectations, result_format)

    monkeypatch.setattr(engine._session, "validate", counting)
    # (empty value sets are borrowed: not every rule of a translated type is GX's)
    rules = [r for r in PEOPLE_RULES if r.get("values") != []]
    result = engine.check(people(), rules)
    by_gx = [r for r in result.rule_results if r.evaluated_by == "great_expectations"]
    assert calls == [len(by_gx)]
    # Every rule of a translated type on these plain columns is GX's (in_range(big) too:
    # its integers beyond 2**53 travel as Python ints, compared exactly). A rule with a
    # where is borrowed (GX's row_condition is another dialect).
    native = engine.capabilities.native_rule_types
    assert [r.rule_name for r in by_gx] == [
        r.rule_name
        for r, raw in zip(result.rule_results, rules, strict=True)
        if r.evaluated and r.rule_type in native and "where" not in raw
    ]


def test_context_is_built_once_and_reused(engine: GreatExpectationsEngine) -> None:
    engine.check(people(), [{"column": "id", "type": "not_null"}])
    context = engine._session.context
    engine.check(people(), [{"column": "id", "type": "unique"}])
    assert engine._session.context is context
    # and the frame of the last check is not kept alive by GX's batch cache
    manager = engine._session._execution_engine.batch_manager
    assert manager.batch_data_cache == {}


def test_concurrent_checks_from_threads_agree_with_serial_ones(
    engine: GreatExpectationsEngine,
) -> None:
    frames = [people().head(n) for n in range(1, 7)]
    expected = [_counts(ReferenceEngine().check(f, PEOPLE_RULES)) for f in frames]
    got: dict[int, Any] = {}
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            got[i] = _counts(engine.check(frames[i], PEOPLE_RULES))
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(frames))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert [got[i] for i in range(len(frames))] == expected


def test_users_own_current_gx_context_stays_current(engine: GreatExpectationsEngine) -> None:
    import great_expectations as gx
    from great_expectations.data_context.data_context.context_factory import project_manager

    mine = gx.get_context(mode="ephemeral")
    result = engine.check(people(), [{"column": "id", "type": "not_null"}])
    assert result.rule_results[0].failed_count == 1
    assert project_manager.get_current_project() is mine


def test_engine_fault_is_an_engine_error_with_the_cause(
    engine: GreatExpectationsEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise ValueError("GX blew up")

    monkeypatch.setattr(engine._session, "validate", broken)
    with pytest.raises(EngineError, match="GX blew up") as info:
        engine.check(people(), [{"column": "id", "type": "not_null"}])
    assert isinstance(info.value.__cause__, ValueError)


def test_rules_gx_cannot_evaluate_faithfully_are_labelled(engine: GreatExpectationsEngine) -> None:
    caps = engine.capabilities
    borrowed = caps.rule_types - caps.native_rule_types
    assert borrowed == {
        RuleType.REGEX,
        RuleType.NOT_REGEX,
        RuleType.DTYPE,
        RuleType.EXPRESSION,
        RuleType.SCHEMA,
        RuleType.ROW_COUNT_ANOMALY,  # judged by the base from the history, on every engine
        RuleType.METRIC_ANOMALY,
    }
    assert {t.value for t in borrowed} <= set(caps.notes)


def test_profile_and_learn_say_who_produced_them(engine: GreatExpectationsEngine) -> None:
    profile = engine.profile(people())
    learned = engine.learn(people())
    assert "no profiler" in profile.produced_by and profile.engine == "great_expectations"
    assert "no profiler" in learned.produced_by and learned.rules


def test_only_table_level_rules_need_no_columns(engine: GreatExpectationsEngine) -> None:
    result = engine.check(
        people(),
        [{"type": "row_count", "min": 6, "max": 6}, {"column": "x", "type": "column_exists"}],
    )
    assert [(r.failed_count, r.total_count) for r in result.rule_results] == [(0, 1), (1, 1)]


def test_temporal_samples_keep_their_kind(engine: GreatExpectationsEngine) -> None:
    # pandas widens Date to datetime64; the samples must still read as dates.
    import datetime as dt

    day = dt.date(2020, 1, 1)
    frame = pl.DataFrame({"d": [day, None, day], "t": [dt.timedelta(seconds=1)] * 3})
    result = engine.check(
        frame, [{"column": "d", "type": "unique"}, {"column": "t", "type": "unique"}]
    )
    expected = ReferenceEngine().check(
        frame, [{"column": "d", "type": "unique"}, {"column": "t", "type": "unique"}]
    )
    assert [r.sample_values for r in result.rule_results] == [
        r.sample_values for r in expected.rule_results
    ]
    assert result.rule_results[0].sample_values == ("2020-01-01", "2020-01-01")


# -- why two rules are not left to GX: these document GX's behaviour, and fail if it changes --


def _gx_alone(frame: Any, expectation: Any) -> Any:
    import great_expectations as gx

    context = gx.get_context(mode="ephemeral")
    asset = context.data_sources.add_pandas("p").add_dataframe_asset("a")
    batch = asset.add_batch_definition_whole_dataframe("w").get_batch(
        batch_parameters={"dataframe": frame}
    )
    return batch.validate(expectation)


def test_gx_compares_large_integers_as_floats() -> None:
    import great_expectations.expectations as gxe
    import pandas as pd

    frame = pd.DataFrame({"n": [2**62 + 1]})
    result = _gx_alone(frame, gxe.ExpectColumnValuesToBeBetween(column="n", max_value=2**62))
    assert result.success  # canonically 2**62 + 1 > 2**62 fails: in_range needs the fallback


def test_gx_regex_dialect_is_not_the_canonical_one() -> None:
    import great_expectations.expectations as gxe
    import pandas as pd

    # GX runs pandas str.contains (Python re): "$" also matches before a trailing newline.
    # Canonically (docs/rules.md, the Rust dialect Polars uses) "a\n" does not match "^a$".
    frame = pd.DataFrame({"s": ["a\n"]})
    result = _gx_alone(frame, gxe.ExpectColumnValuesToMatchRegex(column="s", regex="^a$"))
    canonical = pl.Series(["a\n"]).str.contains("^a$").item()
    assert result.success and not canonical


def test_regex_gets_the_canonical_answer(engine: GreatExpectationsEngine) -> None:
    frame = pl.DataFrame({"s": ["a\n", "a", "\u0301"]})
    rules = [
        {"column": "s", "type": "regex", "pattern": "^a$"},
        {"column": "s", "type": "regex", "pattern": r"^\w$"},
    ]
    assert _counts(engine.check(frame, rules)) == _counts(ReferenceEngine().check(frame, rules))
    assert [r.failed_count for r in engine.check(frame, rules).rule_results] == [2, 1]


def test_without_gx_the_error_gives_the_pip_line() -> None:
    # Inject the fault: make `import great_expectations` fail in a fresh interpreter.
    code = (
        "import sys; sys.modules['great_expectations'] = None\n"
        "import polars as pl\n"
        "from truthound_dq import EngineNotInstalledError, get_engine\n"
        "try:\n"
        "    get_engine('gx').check(pl.DataFrame({'a': [1]}), [{'column': 'a', 'type': 'unique'}])\n"
        "except EngineNotInstalledError as exc:\n"
        "    print(exc)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "pip install 'truthound-prefect[great-expectations]'" in out.stdout, out


def test_wide_checks_run_as_one_validation_per_few_columns(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # GX copies the whole batch for each metric: the adapter validates a few columns at a time.
    engine = GreatExpectationsEngine()
    monkeypatch.setattr(GreatExpectationsEngine, "cells_per_validation", 16 * 10)  # 4 columns
    frame = pl.DataFrame({f"c{i}": [i, i, None, 1, 2, 3, 4, 5, 6, 7] for i in range(10)})
    rules: list[dict[str, Any]] = [{"type": "row_count", "min": 11}]
    for name in frame.columns:
        rules += [
            {"column": name, "type": "unique"},
            {"column": name, "type": "in_range", "max": 5},
            {"column": name, "type": "not_null"},
        ]
    rules.append({"column": "nope", "type": "column_exists"})
    sizes: list[int] = []
    real = engine._session.validate

    def counting(frame: Any, expectations: Any, result_format: Any) -> Any:
        sizes.append(len(expectations))
        return real(frame, expectations, result_format)

    monkeypatch.setattr(engine._session, "validate", counting)
    result = engine.check(frame, rules)
    assert sizes == [13, 12, 7]  # row_count with the first group, column_exists with the last
    assert {r.evaluated_by for r in result.rule_results} == {"great_expectations"}
    assert _counts(result) == _counts(ReferenceEngine().check(frame, rules))


def test_readme_snippet_runs(capsys: pytest.CaptureFixture[str]) -> None:
    import re

    readme = Path(__file__).parents[1] / "README.md"
    (code,) = re.findall(r"```python\n(.*?)```", readme.read_text(encoding="utf-8"), flags=re.S)
    exec(compile(code, str(readme), "exec"), {"__name__": "__main__"})
    assert "failed" in capsys.readouterr().out


def test_without_the_gx_distribution_get_engine_gives_the_pip_line() -> None:
    # Inject the fault: no importable module and no distribution metadata, as if never
    # installed (engine_version reads the metadata; the registry checks the engine).
    code = (
        "import sys, importlib.metadata as md\n"
        "sys.modules['great_expectations'] = None\n"
        "real = md.version\n"
        "def version(name):\n"
        "    if name == 'great-expectations':\n"
        "        raise md.PackageNotFoundError(name)\n"
        "    return real(name)\n"
        "md.version = version\n"
        "from truthound_dq import EngineNotInstalledError, get_engine\n"
        "try:\n"
        "    get_engine('gx').engine_version\n"
        "except EngineNotInstalledError as exc:\n"
        "    print(exc.install)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.startswith("pip install 'truthound-prefect[great-expectations]'"), out
