"""Baseline storage, accepted input, and what importing the package costs."""

import json
import os
import subprocess
import sys
from pathlib import Path

import polars as pl
import pytest

from truthound_dq import (
    Baseline,
    BaselineStore,
    ColumnNotFoundError,
    ColumnSchema,
    FileBaselineStore,
    default_baseline_dir,
    to_polars,
)
from truthound_dq.testing import ReferenceEngine, people


def test_file_store_round_trip(tmp_path):
    store = FileBaselineStore(tmp_path / "b")
    assert isinstance(store, BaselineStore)
    assert store.load("orders/daily") is None
    baseline = Baseline(
        dataset="orders/daily",
        columns=(ColumnSchema(name="a", dtype="Int64"),),
        rules=({"type": "not_null", "column": "a"},),
        engine="x",
    )
    store.save(baseline)
    assert store.load("orders/daily") == baseline
    assert store.path("orders/daily").parent == tmp_path / "b"
    assert "/" not in store.path("orders/daily").name
    assert store.path("a b") != store.path("a-b"), "names that sanitize alike stay apart"
    assert [p.name for p in (tmp_path / "b").iterdir()] == [store.path("orders/daily").name]


def test_default_dir_is_the_user_cache_never_the_cwd(monkeypatch, tmp_path):
    monkeypatch.delenv("TRUTHOUND_DQ_BASELINE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    assert default_baseline_dir() == tmp_path / "cache" / "truthound-dq" / "baselines"
    monkeypatch.setenv("TRUTHOUND_DQ_BASELINE_DIR", str(tmp_path / "mine"))
    assert default_baseline_dir() == tmp_path / "mine"


def test_auto_schema_default_store_writes_nothing_in_the_cwd(monkeypatch, tmp_path):
    monkeypatch.setenv("TRUTHOUND_DQ_BASELINE_DIR", str(tmp_path / "baselines"))
    work = tmp_path / "work"
    work.mkdir()
    monkeypatch.chdir(work)
    engine = ReferenceEngine()
    engine.check(people(), [], auto_schema=True, dataset="p")
    second = engine.check(people(), [], auto_schema=True, dataset="p")
    assert list(work.iterdir()) == []
    assert len(list((tmp_path / "baselines").iterdir())) == 1
    assert second.status.value == "passed"
    assert any(r.rule_name == "baseline:schema" and r.passed for r in second.rule_results)
    learned = [r for r in second.rule_results if r.rule_name.startswith("baseline:not_null")]
    assert learned and all(r.severity.value == "warning" for r in learned)


def test_auto_schema_on_a_lazy_scan_learns_its_schema_and_reads_only_the_rule_columns(tmp_path):
    # learn reads every value of every column: on a LazyFrame (data maybe bigger than
    # memory) the first check's baseline is the schema alone, as on Spark. A wide column no
    # rule names raises if anything evaluates it.
    def explode(s: pl.Series) -> pl.Series:
        raise AssertionError("the payload column was read")

    def scan(columns: dict[str, list[object]]) -> pl.LazyFrame:
        return pl.LazyFrame(columns).with_columns(
            pl.col("payload").map_batches(explode, return_dtype=pl.String)
        )

    store = FileBaselineStore(tmp_path)
    rules = [{"column": "id", "type": "not_null"}]
    engine = ReferenceEngine()
    data = {"id": [1, None, 3], "payload": ["a", "b", "c"]}
    first = engine.check(scan(data), rules, auto_schema=True, dataset="d", baseline_store=store)
    assert [r.failed_count for r in first.rule_results] == [1]
    assert "learned a schema baseline" in " ".join(first.notes)
    assert "LazyFrame" in " ".join(first.notes)
    baseline = store.load("d")
    assert baseline is not None and baseline.rules == ()
    assert [c.name for c in baseline.columns] == ["id", "payload"]
    drifted = scan({**data, "extra": [0, 0, 0]})
    second = engine.check(drifted, rules, auto_schema=True, dataset="d", baseline_store=store)
    drift = {r.rule_name: r.passed for r in second.rule_results}
    assert drift == {"not_null(id)": False, "baseline:new_column(extra)": False}


def test_unusable_baseline_is_a_named_error(tmp_path):
    from truthound_dq import BaselineError

    store = FileBaselineStore(tmp_path)
    store.save(
        Baseline(
            dataset="p",
            columns=(ColumnSchema(name="id", dtype="Int64"),),
            rules=({"type": "bogus", "column": "id"},),
        )
    )
    with pytest.raises(BaselineError, match="baseline of 'p' is unusable"):
        ReferenceEngine().check(people(), [], auto_schema=True, dataset="p", baseline_store=store)


def test_to_polars():
    frame = pl.DataFrame({"a": [1]})
    assert to_polars(frame) is frame
    lazy = frame.lazy()
    assert to_polars(lazy) is lazy
    with pytest.raises(TypeError, match="got builtins.dict"):
        to_polars({"a": [1]})
    with pytest.raises(TypeError, match=r"\.to_frame\(\)"):
        to_polars(pl.Series([1]))


def test_unknown_check_option_is_refused():
    with pytest.raises(TypeError, match="unknown option.*colour"):
        ReferenceEngine().check(people(), [], colour="red")


def test_profile_unknown_column_error_message():
    with pytest.raises(ColumnNotFoundError) as info:
        ReferenceEngine().profile(people(), columns=["nope", "id"])
    assert str(info.value).startswith("column(s) 'nope' not found; the data has: 'id'")


def test_lazyframe_is_not_collected_twice_by_the_oracle(tmp_path):
    path = tmp_path / "p.parquet"
    people().drop("code").write_parquet(path)
    result = ReferenceEngine().check(pl.scan_parquet(path), [{"column": "id", "type": "unique"}])
    assert result.rule_results[0].failed_count == 2


def test_import_imports_no_engine_pandas_prefect_or_pyspark():
    code = (
        "import sys, json, truthound_dq, truthound_dq.spark\n"
        "heavy = ['pandas', 'prefect', 'truthound', 'great_expectations', 'pandera', 'pyarrow',"
        " 'pytest', 'hypothesis', 'pyspark']\n"
        "print(json.dumps([m for m in heavy if m in sys.modules]))\n"
    )
    env = {**os.environ, "PYTHONPATH": ""}
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=Path(__file__).parent,
    )
    assert json.loads(out.stdout) == []
