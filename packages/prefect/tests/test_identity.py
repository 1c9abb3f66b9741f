"""Default dataset names: derived from the code, the same on every run, retry and schedule.

With the block's defaults (``auto_schema=True``, ``fail_on_error=True``) every frame must be
compared with its own baseline, however ``.map()`` happens to schedule the checks.
"""

import uuid
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from prefect import flow, task
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId
from prefect.context import get_run_context
from prefect.task_runners import ThreadPoolTaskRunner
from prefect.utilities.annotations import unmapped

from truthound_dq import CheckStatus
from truthound_prefect import DataQualityBlock, DataQualityError, data_quality_check_task

pytestmark = pytest.mark.once  # the names come from the Prefect layer, not the engine


def frames(count: int) -> list[pl.DataFrame]:
    """``count`` small frames, each with its own column names (so its own schema)."""
    return [
        pl.DataFrame({f"f{i}_c{j}": [i, j, i + j] for j in range(1 + i % 3)}) for i in range(count)
    ]


def _artifact_keys(client: Any, flow_run_id: str) -> set[str]:
    found = client.read_artifacts(
        artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
    )
    return {a.key for a in found}


def _outcome(value: Any) -> tuple[str, str | None, list[str]]:
    """(status, dataset, failing rule names) of a result or a DataQualityError."""
    if isinstance(value, DataQualityError):
        result = value.result
        return "raised", result.dataset, [r.rule_name for r in result.failures]
    return value.status.value, value.dataset, [r.rule_name for r in value.failures]


def test_mapped_checks_keep_their_own_baselines(engine_name, client):
    # The defaults (auto_schema, fail_on_error), with a long API budget: the harness's SQLite
    # server answers 16 concurrent baseline writes slowly on a shared machine, and a write
    # skipped for time would (correctly) learn again next run - not what this test is about.
    block = DataQualityBlock(engine_name=engine_name, api_timeout_seconds=120)
    assert block.auto_schema and block.fail_on_error
    name = f"map-{uuid.uuid4().hex[:8]}"

    # Four workers: the same scheduling freedom, less load on the harness's SQLite server.
    @flow(name=name, task_runner=ThreadPoolTaskRunner(max_workers=4))
    def pipeline(batch: list[pl.DataFrame], artifacts: bool = True) -> tuple[str, list[Any]]:
        futures = data_quality_check_task.map(
            batch, block=unmapped(block), rules=unmapped([]), create_artifact=artifacts
        )
        run_id = str(get_run_context().flow_run.id)  # type: ignore[union-attr]
        return run_id, [f.result(raise_on_failure=False) for f in futures]

    data = frames(16)
    first_run, first = pipeline(data)
    second_run, second = pipeline(data)
    names = [_outcome(r)[1] for r in first]
    assert names == [f"{name}/data_quality_check[{i}]" for i in range(16)]
    assert all(_outcome(r)[0] == "passed" for r in first), [_outcome(r) for r in first]
    assert [_outcome(r) for r in second] == [("passed", n, []) for n in names]
    assert _artifact_keys(client, first_run) == _artifact_keys(client, second_run)
    # summary, rules, report, and the metrics record (a version of metrics-<dataset>)
    assert len(_artifact_keys(client, first_run)) == 16 * 4

    changed = list(data)
    changed[5] = changed[5].rename({"f5_c0": "renamed"})
    _, third = pipeline(changed, artifacts=False)
    outcomes = [_outcome(r) for r in third]
    assert outcomes[5][0] == "raised"
    assert "baseline:column_exists(f5_c0)" in outcomes[5][2]
    assert [o for i, o in enumerate(outcomes) if i != 5] == [
        ("passed", n, []) for i, n in enumerate(names) if i != 5
    ]


def test_checks_nested_in_mapped_tasks_keep_their_own_baselines(engine_name, tmp_path: Path):
    # The design's concurrency example (sync here; the task is mapped over dataset specs).
    block = DataQualityBlock(engine_name=engine_name, auto_schema=True)
    specs = []
    for i, frame in enumerate(frames(4)):
        path = tmp_path / f"d{i}.parquet"
        frame.write_parquet(path)
        specs.append({"name": f"d{i}", "path": str(path), "rules": []})

    @task
    def check_dataset(dataset: dict[str, Any]) -> dict[str, Any]:
        data = pl.read_parquet(dataset["path"])
        result = data_quality_check_task(
            data=data, block=block, rules=dataset["rules"], fail_on_error=False
        )
        return {"name": dataset["name"], "result": result}

    name = f"nested-{uuid.uuid4().hex[:8]}"

    @flow(name=name)
    def parallel_validation_flow(datasets: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [f.result() for f in check_dataset.map(datasets)]

    first = parallel_validation_flow(specs)
    second = parallel_validation_flow(specs)
    names = [r["result"].dataset for r in first]
    assert len(set(names)) == 4 and all(n.startswith(f"{name}/check_dataset(") for n in names)
    assert [r["result"].dataset for r in second] == names
    assert all(r["result"].status is CheckStatus.PASSED for r in second)

    pl.read_parquet(specs[2]["path"]).rename({"f2_c0": "renamed"}).write_parquet(specs[2]["path"])
    third = parallel_validation_flow(specs)
    statuses = [r["result"].status for r in third]
    assert statuses[2] is CheckStatus.FAILED
    assert "baseline:column_exists(f2_c0)" in [r.rule_name for r in third[2]["result"].failures]
    assert statuses[:2] + statuses[3:] == [CheckStatus.PASSED] * 3
    assert [r["result"].dataset for r in third] == names


def test_indistinguishable_checks_warn_naming_dataset(caplog):
    block = DataQualityBlock(auto_schema=False)

    @flow(name="loop-checks")
    def pipeline(batch: list[pl.DataFrame]) -> list[str | None]:
        return [
            data_quality_check_task(f, block=block, rules=[], create_artifact=False).dataset
            for f in batch
        ]

    assert pipeline(frames(2)) == ["loop-checks/data_quality_check"] * 1 + [
        "loop-checks/data_quality_check#2"
    ]
    assert "pass dataset='...' to name each check" in caplog.text
