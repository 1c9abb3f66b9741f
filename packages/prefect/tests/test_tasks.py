"""The tasks in real flows: failure contract, precedence, retries, caching, baselines."""

import asyncio
import logging
import uuid

import polars as pl
import pytest
from prefect import flow, task, unmapped
from prefect.states import State

from truthound_dq import (
    CheckStatus,
    EngineError,
    LearnOutput,
    Origin,
    ProfileOutput,
    register_engine,
    unregister_engine,
)
from truthound_dq.testing import ReferenceEngine
from truthound_prefect import (
    DataQualityBlock,
    DataQualityError,
    data_quality_check_task,
    data_quality_learn_task,
    data_quality_profile_task,
)
from truthound_prefect.blocks import DataQualityBaseline


def test_check_task_in_a_sync_flow(block, good, rules, read):
    @flow
    def pipeline(data: pl.DataFrame):
        return data_quality_check_task(data, block=block, rules=rules, artifact_key="sync-ok")

    result = pipeline(good)
    assert result.status is CheckStatus.PASSED
    assert result.engine == block.engine_name
    assert read.table("sync-ok-summary")[0] == {"Metric": "Status", "Value": "PASSED"}


def test_check_task_in_an_async_flow(block, good, rules, read):
    @flow
    async def pipeline(data: pl.DataFrame):
        direct = await data_quality_check_task(
            data, block=block, rules=rules, artifact_key="async-ok"
        )
        submitted = data_quality_check_task.submit(
            data, block=block, rules=rules, create_artifact=False
        )
        return direct, submitted.result()

    direct, submitted = asyncio.run(pipeline(good))
    assert direct.status is CheckStatus.PASSED and submitted.status is CheckStatus.PASSED
    assert read.markdown("async-ok").startswith("# Data quality check: PASSED")


@pytest.mark.once  # sync/async dispatch is the Prefect layer's
def test_every_task_serves_sync_and_async_callers(block, good, client):
    """Awaitable in async flows and tasks, a plain result in sync ones; still real task runs."""
    one = [{"column": "id", "type": "unique"}]
    quiet = {"block": block, "create_artifact": False}
    frames = [good, good.head(2)]

    @task
    async def nested(data: pl.DataFrame):  # an async task awaits it too
        return await data_quality_check_task(data, rules=one, **quiet)

    @flow
    async def async_flow(data: pl.DataFrame):
        checked = await data_quality_check_task(data, rules=one, return_state=True, **quiet)
        profile = await data_quality_profile_task(data.head(3), **quiet)  # no cache hit elsewhere
        learned = await data_quality_learn_task(data, **quiet)
        renamed = data_quality_check_task.with_options(name="renamed_check")
        again = await renamed(data, rules=one, **quiet)
        mapped = data_quality_check_task.map(
            frames, block=unmapped(block), rules=unmapped(one), create_artifact=False
        ).result()
        return checked, profile, learned, again, mapped, await nested(data)

    @flow
    def sync_flow(data: pl.DataFrame):
        checked = data_quality_check_task(data, rules=one, return_state=True, **quiet)
        profile = data_quality_profile_task(data.head(3), **quiet)
        learned = data_quality_learn_task(data, **quiet)
        again = data_quality_check_task.with_options(name="renamed_check")(data, rules=one, **quiet)
        mapped = data_quality_check_task.map(
            frames, block=unmapped(block), rules=unmapped(one), create_artifact=False
        ).result()
        return checked, profile, learned, again, mapped, asyncio.run(nested(data))

    for outcome in (asyncio.run(async_flow(good)), sync_flow(good)):
        state, profile, learned, again, mapped, from_task = outcome
        assert isinstance(state, State) and state.is_completed()
        run = client.read_task_run(state.state_details.task_run_id)
        assert run.name.startswith("data_quality_check") and run.flow_run_id is not None
        assert state.result().status is CheckStatus.PASSED
        assert isinstance(profile, ProfileOutput) and profile.row_count == 3
        assert isinstance(learned, LearnOutput) and learned.rules
        assert again.status is CheckStatus.PASSED
        assert [r.row_count for r in mapped] == [4, 2]
        assert from_task.status is CheckStatus.PASSED
    renamed = data_quality_check_task.with_options(name="renamed_check")
    assert type(renamed) is type(data_quality_check_task) and renamed.name == "renamed_check"
    # .fn is the plain function, outside any run.
    assert data_quality_check_task.fn(good, rules=one, **quiet).status is CheckStatus.PASSED


def test_failed_check_raises_after_the_artifacts_are_written(block, bad, rules, read, client):
    @flow
    def pipeline(data: pl.DataFrame):
        return data_quality_check_task(
            data, block=block, rules=rules, artifact_key="gate-bad", return_state=True
        )

    state: State = pipeline(bad, return_state=True)
    assert state.is_failed()
    task_state = state.result(raise_on_failure=False)
    with pytest.raises(DataQualityError) as info:
        task_state.result()
    result = info.value.result
    assert result.status is CheckStatus.FAILED and result.failed_count == 5
    assert "5 of 5 rules failed" in str(info.value)
    # Written before raising, and never retried: the failure is deterministic.
    failures = read.table("gate-bad-failures")
    assert {f["Rule"] for f in failures} == {
        "not_null(id)",
        "unique(id)",
        "regex(email)",
        "in_range(age)",
        "in_set(status)",
    }
    assert client.read_task_run(task_state.state_details.task_run_id).run_count == 1


def test_warning_only_result_never_raises(block, bad):
    @flow
    def pipeline(data: pl.DataFrame):
        return data_quality_check_task(
            data,
            block=block,
            create_artifact=False,
            rules=[{"column": "id", "type": "unique", "severity": "warning"}],
        )

    result = pipeline(bad)
    assert result.status is CheckStatus.WARNING and result.warning_count == 1


@pytest.mark.once  # the precedence is decided by the Prefect layer
def test_fail_on_error_precedence(engine_name, bad, rules):
    strict = DataQualityBlock(engine_name=engine_name, auto_schema=False, fail_on_error=True)
    lenient = DataQualityBlock(engine_name=engine_name, auto_schema=False, fail_on_error=False)

    @flow
    def pipeline(data: pl.DataFrame, blk: DataQualityBlock, fail: bool | None):
        return data_quality_check_task(
            data, block=blk, rules=rules, fail_on_error=fail, create_artifact=False
        )

    # The task's argument decides; the block's value applies only when the task says nothing.
    assert pipeline(bad, strict, False).status is CheckStatus.FAILED
    assert pipeline(bad, lenient, None).status is CheckStatus.FAILED
    with pytest.raises(DataQualityError):
        pipeline(bad, lenient, True)
    with pytest.raises(DataQualityError):
        pipeline(bad, strict, None)


def test_rules_precedence_and_block_by_name(engine_name, bad):
    name = "tasks-block-by-name"
    DataQualityBlock(
        engine_name=engine_name,
        auto_schema=False,
        fail_on_error=False,
        default_rules=[{"column": "id", "type": "unique"}],
    ).save(name, overwrite=True)

    @flow
    def pipeline(data: pl.DataFrame):
        by_default = data_quality_check_task(data, block=name, create_artifact=False)
        explicit = data_quality_check_task(
            data,
            block=f"data-quality/{name}",
            rules=[{"column": "id", "type": "not_null"}],
            create_artifact=False,
        )
        return by_default, explicit

    by_default, explicit = pipeline(bad)
    assert [r.rule_name for r in by_default.rule_results] == ["unique(id)"]
    assert [r.rule_name for r in explicit.rule_results] == ["not_null(id)"]


class Faulty(ReferenceEngine):
    engine_name = "faulty-prefect"

    def _evaluate(self, frame, rules, *, sample_size, options):
        raise ConnectionError("the engine's backend is unreachable")


def test_retries_happen_for_engine_faults_only(good, bad, rules, client):
    register_engine("faulty-prefect", Faulty, force=True)  # a fault injected into the engine
    try:
        faulty = DataQualityBlock(engine_name="faulty-prefect", auto_schema=False)
        fast = data_quality_check_task.with_options(retry_delay_seconds=0)

        @flow
        def pipeline(data: pl.DataFrame, blk: DataQualityBlock):
            return fast(data, block=blk, rules=rules, create_artifact=False, return_state=True)

        state = pipeline(good, faulty, return_state=True).result(raise_on_failure=False)
        with pytest.raises(EngineError) as info:
            state.result()
        assert isinstance(info.value.__cause__, ConnectionError)
        assert not isinstance(info.value, DataQualityError)
        assert client.read_task_run(state.state_details.task_run_id).run_count == 3
    finally:
        unregister_engine("faulty-prefect")


@pytest.mark.once  # the cache key is the Prefect layer's, whatever the engine
def test_profile_task_is_cached_by_content(block, good, client, read):
    @flow
    def pipeline(data: pl.DataFrame | pl.LazyFrame):
        return data_quality_profile_task(
            data, block=block, artifact_key="profile-cache", return_state=True
        )

    # A column unique to this test run, so no earlier test's cache entry can match.
    data = good.with_columns(pl.lit(uuid.uuid4().hex).alias("run"))
    first = pipeline(data)
    second = pipeline(data.clone())
    changed = pipeline(data.with_columns(pl.col("age") + 1))
    lazy = pipeline(data.lazy())
    assert first.name == "Completed"
    assert second.name == "Cached", "same content, same engine: served from the cache"
    assert changed.name == "Completed", "changed content must not hit the cache"
    assert lazy.name == "Completed", "LazyFrame profiles are not cached"
    profile = second.result()
    assert profile.row_count == 4 and profile.column("id").null_count == 0
    columns = read.table("profile-cache-columns")
    assert [c["Column"] for c in columns] == ["id", "email", "age", "status", "run"]


def test_learn_task_rules_pass_a_check(block, good):
    @flow
    def pipeline(data: pl.DataFrame):
        learned = data_quality_learn_task(data, block=block, create_artifact=False)
        return data_quality_check_task(
            data, block=block, rules=learned.to_rules(), create_artifact=False
        )

    assert pipeline(good).status is CheckStatus.PASSED


def test_auto_schema_baseline_lives_on_the_server(engine_name, good, client):
    block = DataQualityBlock(engine_name=engine_name, auto_schema=True)

    @flow(name="baseline-flow")
    def pipeline(data: pl.DataFrame):
        return data_quality_check_task(
            data, block=block, rules=[], fail_on_error=False, create_artifact=False
        )

    first = pipeline(good)
    assert "learned a baseline for 'baseline-flow/data_quality_check'" in first.notes[0]
    docs = [
        d for d in client.read_block_documents() if d.block_type.slug == "data-quality-baseline"
    ]
    assert any(d.data["dataset"] == "baseline-flow/data_quality_check" for d in docs)
    second = pipeline(good.drop("status").with_columns(pl.col("age").cast(pl.String)))
    drift = {
        (r.rule_type, r.column)
        for r in second.rule_results
        if r.origin is Origin.BASELINE and not r.passed
    }
    assert {("column_exists", "status"), ("dtype", "age")} <= drift
    assert second.status is CheckStatus.FAILED
    assert isinstance(DataQualityBaseline, type)


def test_artifact_api_failure_keeps_the_result(block, bad, rules, monkeypatch, caplog):
    from prefect.client.orchestration import SyncPrefectClient

    def broken(self, *args, **kwargs):
        raise ConnectionError("Prefect API unreachable")

    # A fault injected at the boundary with the outside world: the API call itself.
    monkeypatch.setattr(SyncPrefectClient, "create_artifact", broken)

    @flow
    def pipeline(data: pl.DataFrame):
        return data_quality_check_task(data, block=block, rules=rules, artifact_key="api-down")

    caplog.set_level(logging.WARNING)
    with pytest.raises(DataQualityError) as info:
        pipeline(bad)
    assert info.value.result.failed_count == 5
    assert "Prefect API: artifact 'api-down-summary' not done (ConnectionError" in caplog.text


@pytest.mark.once  # dataset names come from the Prefect layer
def test_default_dataset_names_are_stable_per_call(block, good):
    @flow(name="two-checks")
    def pipeline(data: pl.DataFrame):
        first = data_quality_check_task(data, block=block, rules=[], create_artifact=False)
        second = data_quality_check_task(data, block=block, rules=[], create_artifact=False)
        return first.dataset, second.dataset

    expected = ("two-checks/data_quality_check", "two-checks/data_quality_check#2")
    assert pipeline(good) == expected
    assert pipeline(good) == expected, "the same names on every run"
