"""Flow decorators and factories, sync and async, on a real Prefect server."""

import asyncio
import inspect

import polars as pl
import pytest
from prefect import flow
from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterParentFlowRunId

from truthound_dq import CheckStatus
from truthound_prefect import (
    DataQualityError,
    create_pipeline_flow,
    create_quality_flow,
    create_validation_flow,
    profiled_flow,
    quality_checked_flow,
    validated_flow,
)

ID_RULES = [{"column": "id", "type": "not_null"}, {"column": "id", "type": "unique"}]


@pytest.mark.once  # the decorator's signature, whatever the engine
def test_quality_checked_flow_sync_keeps_the_signature(block, good, bad):
    @quality_checked_flow(rules=ID_RULES, block=block, name="users-sync")
    def build(frame: pl.DataFrame, limit: int = 10) -> pl.DataFrame:
        """Build users."""
        return frame.head(limit)

    assert list(inspect.signature(build.fn).parameters) == ["frame", "limit"]
    assert set(build.parameters.properties) == {"frame", "limit"}
    assert build.name == "users-sync"
    assert build(good).equals(good)
    with pytest.raises(DataQualityError):
        build(bad)


def test_quality_checked_flow_async_and_lazy(block, good, bad):
    @quality_checked_flow(rules=ID_RULES, block=block)
    async def build(frame: pl.DataFrame) -> pl.LazyFrame:
        return frame.lazy()

    out = asyncio.run(build(good))
    assert isinstance(out, pl.LazyFrame)
    with pytest.raises(DataQualityError):
        asyncio.run(build(bad))


@pytest.mark.once  # no engine runs for a non-frame return value
def test_non_frame_return_values_pass_through(block):
    @quality_checked_flow(rules=ID_RULES, block=block)
    def count() -> int:
        return 3

    @quality_checked_flow
    def bare() -> dict:
        return {"a": 1}

    assert count() == 3
    assert bare() == {"a": 1}


def test_fail_on_error_false_keeps_the_flow_green(block, bad):
    @quality_checked_flow(rules=ID_RULES, block=block, fail_on_error=False)
    def build() -> pl.DataFrame:
        return bad

    assert build().equals(bad)


def test_validated_flow_always_fails_on_error(engine_name, bad):
    from truthound_prefect import DataQualityBlock

    lenient = DataQualityBlock(engine_name=engine_name, fail_on_error=False, auto_schema=False)

    @validated_flow(ID_RULES, block=lenient)
    def build() -> pl.DataFrame:
        return bad

    with pytest.raises(DataQualityError):
        build()


@pytest.mark.once  # sync/async plumbing of the decorator, whatever the engine
def test_profiled_flow_sync_and_async(block, good, read):
    @profiled_flow(block=block)
    def sync_build() -> pl.DataFrame:
        return good

    @profiled_flow
    async def async_build() -> pl.DataFrame:
        return good

    assert sync_build().equals(good)
    assert asyncio.run(async_build()).equals(good)
    assert read.table("data-profile-columns")[0]["Column"] == "id"


@pytest.mark.once  # sync/async plumbing of the factory, whatever the engine
def test_create_quality_flow_sync_and_async(block, good, bad):
    check = create_quality_flow("orders-quality", ID_RULES, block=block)
    assert check.name == "orders-quality"
    result = check(good)
    assert result.status is CheckStatus.PASSED and result.dataset == "orders-quality"
    with pytest.raises(DataQualityError):
        check(bad)

    async def from_async_code():
        return await check(data=good)

    assert asyncio.run(from_async_code()).status is CheckStatus.PASSED
    acheck = create_quality_flow(
        "orders-quality-async", ID_RULES, block=block, fail_on_error=False, asynchronous=True
    )
    assert asyncio.run(acheck(bad)).status is CheckStatus.FAILED


def test_create_validation_flow_returns_the_data_only_when_valid(block, good, bad):
    validate = create_validation_flow("validate-orders", ID_RULES, block=block)
    assert validate(good).equals(good)
    with pytest.raises(DataQualityError):
        validate(bad)
    avalidate = create_validation_flow(
        "validate-orders-async", ID_RULES, block=block, asynchronous=True
    )
    assert asyncio.run(avalidate(good)).equals(good)


@pytest.mark.once  # the pipeline factory's plumbing, whatever the engine
def test_create_pipeline_flow_sync_transform(block, good):
    @create_pipeline_flow(
        "clean",
        pre_check_rules=[{"column": "id", "type": "not_null"}],
        post_check_rules=[{"column": "age", "type": "in_range", "max": 30}],
        block=block,
    )
    def transform(data: pl.DataFrame, cutoff: int = 30) -> pl.DataFrame:
        return data.filter(pl.col("age") <= cutoff)

    assert transform(good).height == 3
    with pytest.raises(DataQualityError) as info:
        transform(good, cutoff=100)
    assert info.value.result.dataset == "clean/post"


def test_create_pipeline_flow_async_transform(block, good, bad):
    @create_pipeline_flow("clean-async", pre_check_rules=ID_RULES, block=block)
    async def transform(data: pl.DataFrame) -> pl.DataFrame:
        await asyncio.sleep(0)
        return data.with_columns(pl.col("age") * 2)

    out = transform(good)  # a sync caller gets the result
    assert out["age"].to_list() == [20, 40, 60, 80]
    with pytest.raises(DataQualityError) as info:
        transform(bad)
    assert info.value.result.dataset == "clean-async/pre"

    async def from_async_code():
        return await transform(data=good)

    assert asyncio.run(from_async_code())["age"].to_list() == [20, 40, 60, 80]


@pytest.mark.once  # sync/async callers and subflows are Prefect plumbing
def test_factory_flows_serve_both_callers_and_run_as_subflows(block, good, bad, client):
    """``flow(data=df)`` in sync code, ``await flow(data=df)`` in async code; subflows of either."""
    quality = create_quality_flow("subflow-quality", ID_RULES, block=block, fail_on_error=False)
    gate = create_validation_flow("subflow-gate", ID_RULES, block=block)

    @create_pipeline_flow("subflow-pipeline", post_check_rules=ID_RULES, block=block)
    async def double(data: pl.DataFrame) -> pl.DataFrame:
        return data.with_columns(pl.col("age") * 2)

    @flow
    def sync_parent(data: pl.DataFrame):
        return quality(data=data).status, gate(data=data).height, double(data=data)["age"].sum()

    @flow
    async def async_parent(data: pl.DataFrame):
        checked = await quality(data=data)
        return (
            checked.status,
            (await gate(data=data)).height,
            (await double(data=data))["age"].sum(),
        )

    expected = (CheckStatus.PASSED, 4, 200)
    assert sync_parent(good) == expected
    assert asyncio.run(async_parent(good)) == expected
    assert quality(bad).status is CheckStatus.FAILED
    # Each ran as a child flow run of its parent.
    state = sync_parent(good, return_state=True)
    parent = FlowRunFilterParentFlowRunId(any_=[state.state_details.flow_run_id])
    children = client.read_flow_runs(flow_run_filter=FlowRunFilter(parent_flow_run_id=parent))
    assert len(children) == 3
    renamed = quality.with_options(name="renamed-quality")
    assert type(renamed) is type(quality) and renamed(data=good).status is CheckStatus.PASSED


@pytest.mark.once
def test_demo_pipeline_runs(prefect_server, engine_name):
    import os
    import subprocess
    import sys
    from pathlib import Path

    demo = Path(__file__).parents[3] / "examples" / "demo_pipeline.py"
    out = subprocess.run(  # noqa: PLW1510 - the return code is asserted
        [sys.executable, str(demo), engine_name],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PREFECT_API_URL": prefect_server},
    )
    assert out.returncode == 0, out.stderr[-3000:]
    printed = out.stdout + out.stderr  # the flow logs its prints (log_prints=True)
    assert "raw check: WARNING, 2 warning(s) over 1000 rows" in printed
    assert "clean check: PASSED, 5 of 5 rules passed" in printed


def test_frame_parameters_never_reach_the_server(block, client):
    # FastAPI's encoder turns a two-row Polars frame into {row 0 value: row 1 value} per
    # column: the flows built here store a placeholder instead (no value, no collect).
    secret = pl.DataFrame({"id": [1, 2], "ssn": ["123-45-6789", "987-65-4321"]})
    check = create_quality_flow("params-check", rules=ID_RULES, block=block)

    @quality_checked_flow(rules=ID_RULES, block=block, name="params-decorated")
    def build(frame: pl.DataFrame, frames: list[pl.LazyFrame], limit: int) -> pl.DataFrame:
        return frame.head(limit)

    states = [
        check(data=secret, return_state=True),
        build(secret, [secret.lazy()], 2, return_state=True),
    ]

    stored = [client.read_flow_run(s.state_details.flow_run_id).parameters for s in states]
    assert stored[0]["data"] == "<DataFrame>"
    assert stored[1] == {"frame": "<DataFrame>", "frames": ["<LazyFrame>"], "limit": 2}
    assert "123-45-6789" not in repr(stored)
