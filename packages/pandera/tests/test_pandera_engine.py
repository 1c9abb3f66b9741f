"""Pandera-specific behaviour: the traps of its Polars backend, faults, lazy imports."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import sysconfig
import threading
from pathlib import Path

import polars as pl
import pytest

from truthound_dq import CheckStatus, EngineError, get_engine, parse_rules
from truthound_dq.sdk import reference_evaluate
from truthound_dq.testing import people
from truthound_dq_pandera import PanderaEngine

NAN = float("nan")


@pytest.fixture
def engine() -> PanderaEngine:
    return PanderaEngine()


def _counts(
    engine: PanderaEngine, data: object, rules: list[dict[str, object]]
) -> list[tuple[int, int]]:
    result = engine.check(data, rules)
    return [(r.failed_count, r.total_count) for r in result.rule_results]


# -- LazyFrames are validated at schema-and-data depth -------------------------------------


def test_pandera_alone_skips_data_checks_on_a_lazyframe() -> None:
    # The trap this adapter closes: pandera's default for LazyFrames checks the schema only.
    import pandera.polars as pa

    schema = pa.DataFrameSchema({"x": pa.Column(checks=pa.Check.ge(0))})
    lazy = pl.LazyFrame({"x": [-1, -2]})
    assert schema.validate(lazy, lazy=True) is lazy


def test_lazyframe_data_failures_are_counted(engine: PanderaEngine) -> None:
    lazy = pl.LazyFrame({"x": [-1, -2, 3, None]})
    rules = [{"column": "x", "type": "in_range", "min": 0}, {"column": "x", "type": "not_null"}]
    result = engine.check(lazy, rules)
    assert [(r.failed_count, r.total_count) for r in result.rule_results] == [(2, 3), (1, 4)]
    assert result.status is CheckStatus.FAILED


@pytest.mark.parametrize(
    ("setting", "value"), [("validation_depth", "SCHEMA_ONLY"), ("validation_enabled", False)]
)
def test_global_pandera_config_cannot_switch_the_checks_off(
    engine: PanderaEngine, setting: str, value: object
) -> None:
    from pandera import config

    saved = config._copy_config(config.CONFIG)
    config.set_config(**{setting: value})
    config.reset_config_context()
    try:
        for data in (pl.DataFrame({"x": [-1, 1]}), pl.LazyFrame({"x": [-1, 1]})):
            assert _counts(engine, data, [{"column": "x", "type": "in_range", "min": 0}]) == [
                (1, 2)
            ]
    finally:
        config.CONFIG.validation_depth = saved.validation_depth
        config.CONFIG.validation_enabled = saved.validation_enabled
        config.reset_config_context()


def test_the_depth_setting_does_not_leak_out_of_a_check(engine: PanderaEngine) -> None:
    from pandera.config import get_config_context

    before = get_config_context(validation_depth_default=None).validation_depth
    engine.check(pl.LazyFrame({"x": [-1]}), [{"column": "x", "type": "in_range", "min": 0}])
    assert get_config_context(validation_depth_default=None).validation_depth == before


def test_concurrent_checks_each_get_their_own_counts(engine: PanderaEngine) -> None:
    results: dict[int, list[tuple[int, int]]] = {}

    def run(n: int) -> None:
        data = pl.LazyFrame({"x": [-1] * n + [1] * 3})
        results[n] = _counts(engine, data, [{"column": "x", "type": "in_range", "min": 0}])

    threads = [threading.Thread(target=run, args=(n,)) for n in range(1, 9)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {n: [(n, n + 3)] for n in range(1, 9)}


# -- canonical semantics where pandera's built-ins differ ----------------------------------


def test_unique_skips_nulls_and_nan(engine: PanderaEngine) -> None:
    frame = pl.DataFrame({"i": [1, 2, 2, None, None], "f": [1.0, NAN, NAN, None, 2.0]})
    rules = [{"column": "i", "type": "unique"}, {"column": "f", "type": "unique"}]
    assert _counts(engine, frame, rules) == [(2, 3), (0, 2)]


def test_not_null_counts_nan_as_missing(engine: PanderaEngine) -> None:
    frame = pl.DataFrame({"f": [1.0, NAN, None], "s": ["", None, "a"]})
    rules = [{"column": "f", "type": "not_null"}, {"column": "s", "type": "not_null"}]
    assert _counts(engine, frame, rules) == [(2, 3), (1, 3)]


def test_regex_is_a_search_and_empty_strings_are_values(engine: PanderaEngine) -> None:
    frame = pl.DataFrame({"s": ["box", "xa", "", None, "a"]})
    rules = [
        {"column": "s", "type": "regex", "pattern": "x"},  # str_matches would fail "box"
        {"column": "s", "type": "regex", "pattern": "^$"},
    ]
    assert _counts(engine, frame, rules) == [(2, 4), (3, 4)]


def test_nan_is_skipped_by_range_and_set_rules(engine: PanderaEngine) -> None:
    frame = pl.DataFrame({"f": [NAN, 1.0, 200.0, None]})
    rules = [
        {"column": "f", "type": "in_range", "min": 0, "max": 150},
        {"column": "f", "type": "in_range", "max": 150},
        {"column": "f", "type": "in_set", "values": [1.0]},
        {"column": "f", "type": "not_in_set", "values": [1.0]},
    ]
    result = engine.check(frame, rules)
    got = [(r.failed_count, r.total_count, r.sample_values) for r in result.rule_results]
    assert got == [(1, 2, (200.0,)), (1, 2, (200.0,)), (1, 2, (200.0,)), (1, 2, (1.0,))]


def test_several_checks_on_one_column_are_attributed_by_name(engine: PanderaEngine) -> None:
    frame = pl.DataFrame({"x": [0, 5, 10, 15, 20]})
    rules = [
        {"column": "x", "type": "in_range", "min": 0, "max": 10},
        {"column": "x", "type": "in_range", "min": 0, "max": 15, "name": "wider"},
        {"column": "x", "type": "in_set", "values": [0]},
        {"column": "x", "type": "in_set", "values": [0, 5], "name": "bigger-set"},
        {"column": "x", "type": "not_null"},
        {"column": "x", "type": "not_null", "name": "again"},
    ]
    assert _counts(engine, frame, rules) == [(2, 5), (1, 5), (4, 5), (3, 5), (0, 5), (0, 5)]


def test_counts_are_exact_and_samples_bounded_on_many_failures(engine: PanderaEngine) -> None:
    n = 200_000
    frame = pl.DataFrame({"x": pl.int_range(n, eager=True), "s": ["a", "b"] * (n // 2)})
    rules = parse_rules(
        [
            {"column": "x", "type": "in_range", "max": n // 4},
            {"column": "s", "type": "regex", "pattern": "a"},
            {"column": "x", "type": "unique"},
        ]
    )
    expected = reference_evaluate(frame, rules, sample_size=3)
    result = engine.check(frame, [r.to_dict() for r in rules], sample_size=3)
    got = [(r.failed_count, r.total_count, r.sample_values) for r in result.rule_results]
    assert got == [(c.failed_count, c.total_count, c.sample_values) for c in expected.counts]
    assert got[0][:2] == (n - n // 4 - 1, n)


# -- faults --------------------------------------------------------------------------------


class _Panic(BaseException):
    """Stands in for pyo3's PanicException, which derives from BaseException."""


@pytest.mark.parametrize("exc", [ZeroDivisionError("injected"), _Panic("injected")])
def test_an_exception_inside_a_pandera_check_is_an_engine_error(
    engine: PanderaEngine, monkeypatch: pytest.MonkeyPatch, exc: BaseException
) -> None:
    # Called directly, a pandera Check raises what its function raises (nothing is counted
    # as a failure); the base turns it into an EngineError with the cause chained.
    from pandera.backends.polars.checks import PolarsCheckBackend

    def boom(*args: object, **kwargs: object) -> None:
        raise exc

    monkeypatch.setattr(PolarsCheckBackend, "apply", boom)
    with pytest.raises(EngineError, match="pandera raised during check") as info:
        engine.check(people(), [{"column": "age", "type": "in_range", "min": 0}])
    assert info.value.__cause__ is exc


def test_a_crash_in_pandera_column_validation_is_an_engine_error_with_the_cause(
    engine: PanderaEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    import pandera.polars as pa

    def boom(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("injected")

    monkeypatch.setattr(pa.Column, "validate", boom)
    with pytest.raises(EngineError, match="ZeroDivisionError") as info:
        engine.check(people(), [{"column": "id", "type": "not_null"}])
    assert isinstance(info.value.__cause__, ZeroDivisionError)


def test_a_cancellation_inside_pandera_passes_through(
    engine: PanderaEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pandera.backends.polars.checks import PolarsCheckBackend

    def interrupt(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(PolarsCheckBackend, "apply", interrupt)
    with pytest.raises(KeyboardInterrupt):
        engine.check(people(), [{"column": "age", "type": "in_range", "min": 0}])


# -- learn and profile ---------------------------------------------------------------------


def test_learn_uses_pandera_inference_without_rounding_big_integers(engine: PanderaEngine) -> None:
    learned = engine.learn(people())
    assert learned.produced_by.startswith("pandera.polars.infer_schema")
    ranges = {r.column: r.parameters for r in learned.rules if r.rule_type == "in_range"}
    assert ranges["big"] == {"min": 3, "max": 2**62 + 1}
    assert "blank" not in ranges  # all missing: no bounds
    not_null = {r.column for r in learned.rules if r.rule_type == "not_null"}
    assert not_null == {"score"}  # age has NaN but no null: pandera calls it non-nullable
    lengths = {r.column: r.parameters for r in learned.rules if r.rule_type == "str_length"}
    assert lengths["email"] == {"min": 0, "max": 8}


def test_learn_falls_back_to_the_shared_implementation_where_pandera_has_no_dtype(
    engine: PanderaEngine,
) -> None:
    frame = pl.DataFrame(
        {"wide": pl.Series([2**100, 3], dtype=pl.Int128), "n": [1, 2]}
    )  # pandera's infer_schema raises TypeError on Int128
    learned = engine.learn(frame)
    assert learned.produced_by.startswith("pandera.polars.infer_schema")
    assert "1 column(s) of dtypes pandera cannot infer" in learned.produced_by
    ranges = {r.column: r.parameters for r in learned.rules if r.rule_type == "in_range"}
    assert ranges == {"wide": {"min": 3, "max": 2**100}, "n": {"min": 1, "max": 2}}
    assert engine.check(frame, learned.to_rules()).status is CheckStatus.PASSED


def test_profile_is_labelled_as_the_shared_implementation(engine: PanderaEngine) -> None:
    profile = engine.profile(people())
    assert "shared Polars implementation" in profile.produced_by


def test_nothing_is_written_to_the_working_directory(
    engine: PanderaEngine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    engine.check(people().lazy(), [{"column": "id", "type": "unique"}])
    engine.learn(people())
    engine.profile(people())
    assert list(tmp_path.iterdir()) == []


# -- packaging -----------------------------------------------------------------------------


def _run(code: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PANDERA_")}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    return done.stdout.strip()


def test_importing_the_adapter_and_listing_engines_imports_no_pandera() -> None:
    out = _run(
        "import sys, truthound_dq_pandera\n"
        "from truthound_dq import available_engines\n"
        "assert 'pandera' in available_engines()\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('pandera', 'pandas')))"
    )
    assert out == "[]"


def test_polars_data_is_never_converted_to_pandas(
    engine: PanderaEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    # pandera.polars itself imports pandas when it is installed; what matters is that the
    # data is validated as Polars. Any conversion would hit these and fail the check.
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("converted to pandas")

    for cls in (pl.DataFrame, pl.Series):
        monkeypatch.setattr(cls, "to_pandas", refuse)
    rules = [{"column": "id", "type": "unique"}, {"column": "age", "type": "in_range", "max": 9}]
    for data in (people(), people().lazy()):
        assert _counts(engine, data, rules) == [(2, 5), (3, 4)]


def test_without_pandera_installed_the_error_gives_the_pip_line(tmp_path: Path) -> None:
    # A real environment without pandera: this venv's site-packages, minus pandera's package
    # and metadata, as the only site directory of a child interpreter (-S: no default site).
    site_packages = Path(sysconfig.get_paths()["purelib"])
    overlay = tmp_path / "site-packages"
    overlay.mkdir()
    for entry in site_packages.iterdir():
        if entry.name == "pandera" or entry.name.startswith("pandera-"):
            continue
        (overlay / entry.name).symlink_to(entry)
    code = (
        "import site, sys\n"
        f"site.addsitedir({str(overlay)!r})\n"
        "import polars as pl\n"
        "from truthound_dq import EngineNotInstalledError, get_engine\n"
        "from truthound_dq_pandera import PanderaEngine\n"
        "engine = PanderaEngine()\n"
        "calls = [lambda: get_engine('pandera'), lambda: engine.engine_version,\n"
        "         lambda: engine.check(pl.DataFrame({'x': [1]}),\n"
        "                              [{'column': 'x', 'type': 'in_range', 'min': 0}])]\n"
        "for call in calls:\n"
        "    try:\n"
        "        call()\n"
        "    except Exception as exc:\n"
        "        assert isinstance(exc, EngineNotInstalledError), repr(exc)\n"
        "        print(exc.install)\n"
        "assert 'pandera' not in sys.modules\n"
    )
    done = subprocess.run(
        [sys.executable, "-S", "-c", code], capture_output=True, text=True, check=True
    )
    hint = "pip install 'truthound-prefect[pandera]' (or 'truthound-dq-pandera' without Prefect)"
    assert done.stdout.splitlines() == [hint, hint, hint]


def test_the_readme_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    (snippet,) = re.findall(r"```python\n(.*?)```", readme, flags=re.DOTALL)
    monkeypatch.chdir(tmp_path)
    pl.DataFrame({"id": [1, 2, 2], "age": [5, 200, None]}).write_parquet("orders.parquet")
    namespace: dict[str, object] = {}
    exec(compile(snippet, "README.md", "exec"), namespace)
    result = namespace["result"]
    assert [(r.failed_count, r.evaluated_by) for r in result.rule_results] == [  # type: ignore[attr-defined]
        (0, "pandera"),
        (2, "truthound_dq"),  # on a lazy scan, unique is the shared streaming group_by
        (1, "pandera"),
    ]


def test_the_entry_point_resolves_to_this_engine() -> None:
    assert isinstance(get_engine("pandera"), PanderaEngine)
