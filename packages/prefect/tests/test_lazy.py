"""A lazy scan of a Parquet folder through the check task and a decorator, never collected whole.

The scan carries a column whose evaluation raises: the rules do not read it, so an engine
that projects the rules' columns never evaluates it, while anything in the Prefect layer that
collected the whole frame (to hash it, count it or sample it) would fail the run.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl
import pytest
from prefect import flow

from truthound_dq import QualityCheckOutput, get_engine
from truthound_prefect import data_quality_check_task, quality_checked_flow

RULES = [
    {"column": "id", "type": "not_null"},
    {"column": "amount", "type": "in_range", "min": 0},
    {"column": "status", "type": "in_set", "values": ["open", "closed"]},
    {"type": "row_count", "min": 1},
]


class FullCollectError(AssertionError):
    """Raised when the column no rule reads is evaluated: the scan was collected whole."""


def _explode(series: pl.Series) -> pl.Series:
    raise FullCollectError("the lazy scan was collected whole")


def write_folder(folder: Path) -> Path:
    folder.mkdir()
    for i in range(3):
        ids = [i * 10 + k for k in range(10)]
        pl.DataFrame(
            {
                "id": [None if n == 13 else n for n in ids],
                "amount": [-1.0 if n % 7 == 0 else n * 1.5 for n in ids],
                "status": ["gone" if n == 25 else ("open", "closed")[n % 2] for n in ids],
            }
        ).write_parquet(folder / f"part-{i}.parquet")
    return folder


def guarded_scan(folder: Path) -> pl.LazyFrame:
    """``scan_parquet`` of the folder plus a column that raises when it is evaluated."""
    scan = pl.scan_parquet(folder / "*.parquet")
    return scan.with_columns(
        pl.col("amount").map_batches(_explode, return_dtype=pl.Float64).alias("payload")
    )


def counts(result: QualityCheckOutput) -> list[tuple[Any, ...]]:
    return [
        (r.rule_name, r.failed_count, r.total_count, r.passed, r.sample_values)
        for r in result.rule_results
    ]


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return write_folder(tmp_path / "orders")


def test_the_guard_catches_a_full_collect(folder: Path) -> None:
    with pytest.raises(FullCollectError):
        guarded_scan(folder).collect()


def test_a_lazy_scan_through_the_check_task_equals_the_eager_check(
    folder: Path, block: Any
) -> None:
    eager = get_engine(block.engine_name).check(pl.read_parquet(folder / "*.parquet"), RULES)

    @flow
    def check_scan() -> QualityCheckOutput:
        result: QualityCheckOutput = data_quality_check_task(
            guarded_scan(folder), block=block, rules=RULES, fail_on_error=False, dataset="lazy"
        )
        return result

    result = check_scan()

    assert result.row_count == eager.row_count == 30
    assert counts(result) == counts(eager)
    assert [r.failed_count for r in result.rule_results] == [1, 5, 1, 0]


def test_a_decorated_flow_checks_the_scan_it_returns(folder: Path, block: Any, read: Any) -> None:
    eager = get_engine(block.engine_name).check(pl.read_parquet(folder / "*.parquet"), RULES)

    @quality_checked_flow(rules=RULES, block=block, fail_on_error=False, dataset="lazy-returned")
    def build() -> pl.LazyFrame:
        return guarded_scan(folder)

    out = build()

    assert isinstance(out, pl.LazyFrame)  # handed back as it was, still a plan
    rows = read.table("quality-check-lazy-returned-rules")
    assert [(r["Rule"], r["Failed"], r["Total"]) for r in rows] == [
        (name, failed, total) for name, failed, total, *_ in counts(eager)
    ]
    summary = {r["Metric"]: r["Value"] for r in read.table("quality-check-lazy-returned-summary")}
    assert summary["Rows"] == "30"
