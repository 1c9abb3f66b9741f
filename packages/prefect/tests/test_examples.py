"""Every example in examples/ runs, on the session's real Prefect server, with small data.

The examples do not depend on the engine, so the nox matrix runs them only in the
Truthound session (``TRUTHOUND_PREFECT_TEST_ENGINE``) - except the engine-swapping example,
which runs in every session over the engines installed there.
"""

import importlib.util
import os
import sys
from pathlib import Path
from types import ModuleType

import polars as pl
import pytest

from truthound_dq import available_engines
from truthound_prefect import DataQualityError

ENGINE = os.environ.get("TRUTHOUND_PREFECT_TEST_ENGINE", "truthound")
EXAMPLES = Path(__file__).parents[3] / "examples"
once = pytest.mark.skipif(
    ENGINE != "truthound", reason="engine-independent: runs in the truthound session only"
)


def load_example(name: str) -> ModuleType:
    """Import examples/<name>.py as a module (registered, so Prefect can resolve its hints)."""
    spec = importlib.util.spec_from_file_location(f"examples_{name}", EXAMPLES / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


@once
def test_etl_pipeline_reads_and_writes_parquet(tmp_path, read):
    etl = load_example("etl_pipeline")
    source = etl.write_sample_orders(tmp_path / "raw" / "orders.parquet", rows=120)
    destination = tmp_path / "clean" / "orders.parquet"

    out = etl.etl_pipeline(str(source), str(destination))

    clean = pl.read_parquet(destination)
    assert out["extracted_rows"] == 120
    assert out["loaded_rows"] == clean.height > 0
    assert out["raw_status"] == "warning"  # bad emails and amounts are warnings
    assert out["clean_status"] == "passed"
    assert set(clean["status"].unique()) <= {"active", "pending"}
    assert (clean["amount"] >= 0).all()
    assert read.table("etl-clean-check-summary")[0] == {"Metric": "Status", "Value": "PASSED"}
    assert read.versions("etl-raw-profile-columns")


@once
def test_etl_pipeline_gate_stops_the_load(tmp_path):
    etl = load_example("etl_pipeline")
    source = etl.write_sample_orders(tmp_path / "raw.parquet", rows=50, duplicate_ids=True)
    destination = tmp_path / "clean.parquet"

    with pytest.raises(DataQualityError) as caught:
        etl.etl_pipeline(str(source), str(destination))

    assert [r.rule_name for r in caught.value.result.failures if r.severity.value == "error"]
    assert not destination.exists()


@once
def test_lazy_parquet_checks_the_folder_without_collecting_it(tmp_path, capsys):
    lazy = load_example("lazy_parquet")

    out = lazy.main(str(tmp_path), rows_per_file=2_000)

    frame = pl.read_parquet(tmp_path / "events" / "*.parquet")
    assert frame.height == out["rows"] == 10_000
    # The example's defects, counted on the eager frame: the same on the scan.
    negative = frame.filter(pl.col("amount") < 0).height
    no_at = frame.filter(~pl.col("email").str.contains("@")).height
    assert negative and no_at
    assert out == {
        "status": "failed",
        "rows": 10_000,
        "failed": {"in_range(amount)": negative, "regex(email)": no_at},
    }
    printed = capsys.readouterr().out
    assert "10,000 rows in 5 files" in printed and "peak memory of this process:" in printed


@once
def test_parallel_validation_collects_every_result(tmp_path):
    parallel = load_example("parallel_validation")
    datasets = parallel.write_sample_datasets(tmp_path)

    summaries = parallel.validate_datasets(datasets)

    by_name = {s["name"]: s for s in summaries}
    assert [s["name"] for s in summaries] == ["users", "orders", "payments"]
    assert by_name["users"]["status"] == "passed"
    assert by_name["orders"]["status"] == "passed"
    assert by_name["payments"]["status"] == "failed"  # reported, not raised
    assert by_name["payments"]["failed_rules"]
    assert all(s["rows"] == 3 for s in summaries)


@once
def test_parallel_validation_with_map(tmp_path):
    parallel = load_example("parallel_validation")
    paths = [d["path"] for d in parallel.write_sample_datasets(tmp_path)]

    statuses = parallel.validate_with_shared_rules(paths, [{"column": "id", "type": "unique"}])

    assert statuses == ["passed", "passed", "failed"]


@once
def test_write_audit_publish_publishes_valid_rows_and_keeps_the_quarantined(tmp_path):
    wap = load_example("write_audit_publish")
    batch = pl.DataFrame({"id": [1, 2, 2, None, 5], "amount": [9.5, 0.0, -3.0, 4.0, -1.0]})
    staging, target = tmp_path / "staging.parquet", tmp_path / "published" / "orders.parquet"
    quarantine = tmp_path / "quarantine" / "orders.parquet"

    out = wap.write_audit_publish(batch, str(staging), str(target), str(quarantine))

    assert out == {
        "published": True,
        "target": str(target),
        "published_rows": 1,
        "quarantined_rows": 4,
    }
    assert pl.read_parquet(target).equals(batch.head(1))  # only the row that passed
    kept = pl.read_parquet(quarantine)
    assert kept.get_column("row").to_list() == [1, 2, 3, 4]
    assert kept.get_column("_dq_failed_rules").to_list() == [
        ["unique(id)"],
        ["unique(id)", "in_range(amount)"],
        ["not_null(id)"],
        ["in_range(amount)"],
    ]
    assert kept.drop("row", "_dq_failed_rules").equals(batch.tail(4))
    assert not staging.exists()


@once
def test_write_audit_publish_rolls_back_on_a_failed_table_rule(tmp_path):
    wap = load_example("write_audit_publish")
    empty = pl.DataFrame(schema={"id": pl.Int64, "amount": pl.Float64})
    staging, target = tmp_path / "staging.parquet", tmp_path / "published" / "orders.parquet"
    quarantine = tmp_path / "quarantine" / "orders.parquet"

    out = wap.write_audit_publish(empty, str(staging), str(target), str(quarantine))

    assert out == {"published": False, "failed_rules": ["row_count"]}
    assert list(tmp_path.rglob("*")) == [], "the on_rollback hook left staged files behind"


def test_swap_engines_by_loading_saved_blocks():
    swap = load_example("swap_engines")
    engines = [e for e in swap.ENGINES if e in available_engines()]
    assert ENGINE in engines

    names = swap.save_blocks()

    outcomes = {name: swap.check_with_block(name) for name in names}
    assert [o["engine"] for o in outcomes.values()] == engines
    # The same rules give the same answer on every engine.
    first = next(iter(outcomes.values()))
    assert first["status"] == "failed"
    assert len(first["failed"]) == 4  # not_null, unique, regex and in_range each fail
    assert all(o["failed"] == first["failed"] for o in outcomes.values())


def test_rules_file_example_on_the_sessions_engine():
    # The YAML rule file (schema, compound key, order, dates, compare, expression, where,
    # aggregate, freshness with now=, max_failures) on this session's engine: the known
    # defects and nothing else, with the shared implementation's counts.
    from truthound_dq import get_engine, load_rules
    from truthound_dq.testing import ReferenceEngine

    example = load_example("rules_file")

    out = example.check_orders(ENGINE)

    assert out["engine"] == ENGINE and out["status"] == "failed"
    assert out["failed"] == {
        "unique(order_id, line_no)": 2,
        "compare(shipped_at >= ordered_at)": 1,
        "line_total": 1,
        "not_null(shipped_at)": 1,
        "not_regex(email)": 1,  # a warning
    }
    rules = load_rules(example.RULES_FILE)
    expected = ReferenceEngine().check(example.make_orders(), rules, now=example.NOW)
    assert out["counts"] == [
        (r.rule_name, r.failed_count, r.total_count) for r in expected.rule_results
    ]
    clean = get_engine(ENGINE).check(example.make_orders(defects=False), rules, now=example.NOW)
    assert clean.status.value == "passed", [r.message for r in clean.failures]
