"""The split task and the splitting pipeline in real flows, on the session's engine.

What the task left behind - the quarantine artifact on the server, the Parquet file on disk,
the run's logs - is read back and held to the result it returned.
"""

import asyncio
import time
import uuid
from typing import Any

import polars as pl
import pytest
from prefect import flow
from prefect.client.schemas.filters import LogFilter, LogFilterFlowRunId
from prefect.filesystems import LocalFileSystem

from truthound_dq import CheckStatus, SplitOutput
from truthound_prefect import (
    DataQualityBlock,
    DataQualityError,
    create_pipeline_flow,
    data_quality_split_task,
)

SECRET = "SECRET-4242"
LONG = "x" * 500
RULES = [
    {"column": "id", "type": "not_null"},
    {"column": "id", "type": "unique"},
    {"column": "age", "type": "in_range", "min": 0, "max": 150},
    {"column": "card", "type": "regex", "pattern": "^OK-"},
    {"column": "note", "type": "str_length", "max": 10, "severity": "warning"},
    {"type": "row_count", "min": 1},
]


def orders() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "id": [1, 2, 2, None, 5, 6],
            "age": [10, 200, 30, 40, 50, 60],
            "card": ["OK-1", "OK-2", "OK-3", "OK-4", SECRET, "OK-6"],
            "note": ["a", "b", "c", "d", "e", LONG],
        }
    )


def _logs(client: Any, run_id: Any, marker: str, timeout: float = 60) -> list[str]:
    deadline = time.monotonic() + timeout
    while True:
        found = [
            e.message
            for e in client.read_logs(
                log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run_id]))
            )
        ]
        if any(marker in m for m in found) or time.monotonic() > deadline:
            return found
        time.sleep(0.25)


def test_split_task_quarantine_artifact_and_parquet_agree_with_the_result(
    block, read, client, tmp_path
):
    path = tmp_path / "nested" / "orders-invalid.parquet"

    @flow
    def pipeline(data: pl.DataFrame) -> SplitOutput:
        return data_quality_split_task(
            data,
            block=block,
            rules=RULES,
            artifact_key="split-orders",
            mask_columns=["card"],
            row_index="row",
            invalid_rows_path=path,
            max_quarantine_rows=3,
        )

    state = pipeline(orders(), return_state=True)
    split = state.result()
    result = split.result
    assert result.status is CheckStatus.FAILED and result.engine == block.engine_name
    # id null (row 3), id duplicated (rows 1, 2), age 200 (row 1), card (row 4); note (row
    # 5) is a warning: that row stays valid and names it.
    assert sorted(split.invalid.get_column("row").to_list()) == [1, 2, 3, 4]
    assert split.valid.get_column("row").to_list() == [0, 5]
    assert split.valid.get_column("_dq_failed_rules").to_list() == [[], ["str_length(note)"]]

    # The Parquet file: every quarantined row, unmasked (the user's data), with its reasons.
    written = pl.read_parquet(path)
    assert written.equals(split.invalid)
    assert SECRET in written.get_column("card").to_list()
    counts = {r.rule_name: r.failed_count for r in result.rule_results if r.column}
    named: dict[str, int] = {}
    for frame in (written, split.valid):
        for reasons in frame.get_column("_dq_failed_rules").to_list():
            for name in reasons:
                named[name] = named.get(name, 0) + 1
    assert named == {k: v for k, v in counts.items() if v}

    # The artifact: the first 3 quarantined rows, in order, bounded, masked column hidden.
    table = read.table("split-orders-quarantine")
    assert [row["row"] for row in table] == split.invalid.get_column("row").to_list()[:3]
    assert list(table[0]) == ["row", "id", "age", "card", "note", "_dq_failed_rules"]
    assert {row["card"] for row in table} == {"***"}
    for row, reasons in zip(table, split.invalid.get_column("_dq_failed_rules"), strict=False):
        assert row["_dq_failed_rules"] == ", ".join(reasons)
    description = read.versions("split-orders-quarantine")[0].description
    assert description == "Quarantined rows: first 3 of 4"
    assert read.table("split-orders-summary")[0] == {"Metric": "Status", "Value": "FAILED"}

    # Nothing quarantined reaches the logs raw.
    logs = _logs(client, state.state_details.flow_run_id, "quarantined row(s) to")
    assert any(f"wrote 4 quarantined row(s) to {path}" in m for m in logs), logs
    assert not [m for m in logs if SECRET in m or LONG[:80] in m]


def test_split_task_truncates_values_and_fails_only_on_what_it_cannot_fix(block, read, tmp_path):
    storage = LocalFileSystem(basepath=str(tmp_path / "bucket"))
    data = orders().with_columns(pl.col("card").str.replace(SECRET, LONG))
    rules = [*RULES[:3], {"type": "row_count", "max": 3}]  # the table rule fails

    @flow
    async def pipeline(frame: pl.LazyFrame) -> Any:
        return await data_quality_split_task(
            frame,
            block=block,
            rules=rules,
            artifact_key="split-table-rule",
            invalid_rows_path="q/invalid.parquet",
            invalid_rows_storage=storage,
        )

    state = asyncio.run(pipeline(data.lazy(), return_state=True))
    error = state.result(raise_on_failure=False)
    assert isinstance(error, DataQualityError)
    assert "1 error rule(s) failed that quarantine no rows (row_count)" in str(error)
    # Artifacts and the file were written before the task failed.
    written = pl.read_parquet(tmp_path / "bucket" / "q" / "invalid.parquet")
    assert written.height == 3 and written.columns[-1] == "_dq_failed_rules"
    table = read.table("split-table-rule-quarantine")
    assert len(table) == 3
    assert all(len(str(v)) <= 80 for row in table for v in row.values())

    # The same data, table rule passing: the quarantined rows do not fail the task, until
    # more of them than fail_if_invalid_fraction_above allows.
    @flow
    def sync_pipeline(limit: float | None, include_samples: bool = True) -> Any:
        return data_quality_split_task(
            data,
            block=block,
            rules=RULES,
            artifact_key="split-long" if include_samples else "split-hidden",
            include_samples=include_samples,
            fail_if_invalid_fraction_above=limit,
        )

    split = sync_pipeline(0.7)
    assert split.invalid.height == 4 and split.blocking_failures == ()
    long_row = next(r for r in read.table("split-long-quarantine") if len(str(r["card"])) > 10)
    assert long_row["card"] == "x" * 79 + "…"
    with pytest.raises(DataQualityError, match=r"66\.67% of the rows .* above"):
        sync_pipeline(0.5)
    # include_samples=False: no value of the data in the table, only the reasons.
    sync_pipeline(None, include_samples=False)
    hidden = read.table("split-hidden-quarantine")
    assert len(hidden) == 4
    assert {v for row in hidden for k, v in row.items() if k != "_dq_failed_rules"} == {"***"}


def test_pipeline_flow_publishes_the_valid_rows(engine_name, tmp_path):
    block = DataQualityBlock(engine_name=engine_name, auto_schema=False)
    name = f"split-pipeline-{uuid.uuid4().hex[:6]}"
    quarantine = tmp_path / "quarantine.parquet"

    @create_pipeline_flow(
        name,
        pre_check_rules=[{"column": "id", "type": "not_null", "mostly": 0.5}],
        post_check_rules=RULES[:3],
        block=block,
        on_invalid="split",
        fail_if_invalid_fraction_above=0.5,
        invalid_rows_path=quarantine,
    )
    def clean(data: pl.DataFrame) -> pl.DataFrame:
        return data.with_columns(pl.col("age") + 1)

    published = clean(data=orders())
    assert published.columns == orders().columns  # the transform's columns, no reasons
    assert published.get_column("id").to_list() == [1, 5, 6]
    assert pl.read_parquet(quarantine).get_column("id").to_list() == [2, 2, None]
    with pytest.raises(DataQualityError, match="above fail_if_invalid_fraction_above=0.5"):
        clean(data=orders().with_columns(pl.lit(500).alias("age")))
    with pytest.raises(ValueError, match="on_invalid"):
        create_pipeline_flow(name, on_invalid="quarantine")  # type: ignore[arg-type]


def test_split_task_refuses_a_clashing_reasons_column(block):
    @flow
    def pipeline() -> Any:
        return data_quality_split_task(
            orders(), block=block, rules=RULES, reasons_column="id", create_artifact=False
        )

    state = pipeline(return_state=True)
    with pytest.raises(ValueError, match="reasons_column='id'"):
        state.result()
