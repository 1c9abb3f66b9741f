"""PySpark DataFrames through the tasks, the block, the decorators and the factories.

On the session's real Prefect server and a local Spark session (``local[2]``): the counts
are Spark's and equal the Polars path's on the same data, the Prefect layer never collects
the frame (a guard column raises if anything evaluated it), masked columns never leave the
process, a split is refused with the engine's error (not retried), and the profile cache key
of a Spark frame is None without running a Spark job.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

import polars as pl
import pytest
from prefect import flow, unmapped
from prefect.client.schemas.filters import (
    ArtifactFilter,
    ArtifactFilterFlowRunId,
    LogFilter,
    LogFilterFlowRunId,
)

from truthound_dq import QualityCheckOutput, get_engine
from truthound_prefect import (
    DataQualityBlock,
    DataQualityError,
    create_quality_flow,
    data_quality_check_task,
    data_quality_split_task,
    quality_checked_flow,
)
from truthound_prefect._fingerprint import profile_cache_key

pytestmark = pytest.mark.spark

ENGINES = ["truthound", "great_expectations", "pandera"]
SCHEMA = "id long, email string, age int, status string"
RULES = [
    {"column": "id", "type": "not_null"},
    {"column": "id", "type": "unique"},
    {"column": "age", "type": "in_range", "min": 0, "max": 150},
    {"column": "status", "type": "in_set", "values": ["active", "inactive"]},
    {"column": "email", "type": "in_set", "values": ["a@x.io"], "severity": "warning"},
    {"type": "row_count", "min": 1},
]
# Distinctive values of the masked column: no id, hash or timestamp can contain them.
SECRETS = ["SECRET-4711", "SECRET-9999"]


def users() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "id": [1, 2, 2, None, 5],
            "email": ["a@x.io", "SECRET-4711", "a@x.io", "SECRET-9999", None],
            "age": [10, 200, 30, 40, None],
            "status": ["active", "inactive", "deleted", "active", "active"],
        },
        schema={"id": pl.Int64, "email": pl.String, "age": pl.Int32, "status": pl.String},
    )


def spark_frame(spark: Any, frame: pl.DataFrame, *, guarded: bool = True) -> Any:
    """``frame`` as a Spark DataFrame, plus a column that raises whenever it is evaluated."""
    from pyspark.sql import functions as F

    df = spark.createDataFrame(frame.rows(), SCHEMA)
    if not guarded:
        return df

    def explode(value):  # no type hints: PySpark would read them as a pandas UDF's
        raise RuntimeError("the Spark frame was collected whole")

    return df.withColumn("payload", F.udf(explode, "double")("age"))


def counts(result: QualityCheckOutput) -> list[tuple[str, int, int, bool]]:
    return [(r.rule_name, r.failed_count, r.total_count, r.passed) for r in result.rule_results]


@pytest.fixture(scope="module")
def polars_results() -> dict[str, QualityCheckOutput]:
    """Each engine's result on the Polars frame: what Spark must reproduce."""
    return {engine: get_engine(engine).check(users(), RULES) for engine in ENGINES}


def test_the_guard_catches_a_full_collect(spark: Any) -> None:
    with pytest.raises(Exception, match="collected whole"):
        spark_frame(spark, users()).collect()


@pytest.mark.parametrize("engine", ENGINES)
def test_the_check_task_counts_on_spark_as_on_polars(
    spark: Any, engine: str, polars_results: dict[str, QualityCheckOutput]
) -> None:
    block = DataQualityBlock(engine_name=engine, auto_schema=False)

    @flow
    def check() -> QualityCheckOutput:
        out: QualityCheckOutput = data_quality_check_task(
            spark_frame(spark, users()),
            block=block,
            rules=RULES,
            fail_on_error=False,
            dataset=f"spark-{engine}",
        )
        return out

    result = check()

    assert result.row_count == 5
    assert counts(result) == counts(polars_results[engine])


def test_the_block_checks_a_spark_frame(spark: Any, polars_results: Any) -> None:
    block = DataQualityBlock(engine_name="truthound", auto_schema=False)

    result = block.check(spark_frame(spark, users()), RULES, fail_on_error=False)

    assert counts(result) == counts(polars_results["truthound"])


def test_a_decorated_flow_checks_the_spark_frame_it_returns(
    spark: Any, polars_results: Any, read: Any
) -> None:
    block = DataQualityBlock(engine_name="pandera", auto_schema=False)
    df = spark_frame(spark, users())

    @quality_checked_flow(rules=RULES, block=block, fail_on_error=False, dataset="spark-returned")
    def build() -> Any:
        return df

    out = build()

    assert out is df  # handed back untouched: still a plan on the cluster
    rows = read.table("quality-check-spark-returned-rules")
    assert [(r["Rule"], r["Failed"], r["Total"]) for r in rows] == [
        (name, failed, total) for name, failed, total, _ in counts(polars_results["pandera"])
    ]


def test_a_factory_flow_takes_a_spark_frame(spark: Any, polars_results: Any, client: Any) -> None:
    check = create_quality_flow(
        "spark-factory",
        rules=RULES,
        block=DataQualityBlock(engine_name="truthound", auto_schema=False),
        fail_on_error=False,
    )

    state = check(data=spark_frame(spark, users()), return_state=True)

    assert counts(state.result()) == counts(polars_results["truthound"])
    stored = client.read_flow_run(state.state_details.flow_run_id).parameters
    assert stored["data"] == "<DataFrame>"  # a placeholder: the server never sees the frame


def test_mapped_spark_frames_are_items(spark: Any) -> None:
    block = DataQualityBlock(engine_name="truthound", auto_schema=False)
    frames = [spark_frame(spark, users()), spark_frame(spark, users().head(2))]

    @flow
    def check_all() -> list[QualityCheckOutput]:
        futures = data_quality_check_task.map(
            frames, block=unmapped(block), rules=unmapped(RULES[:1]), fail_on_error=False
        )
        return [f.result() for f in futures]

    results = check_all()

    assert [r.row_count for r in results] == [5, 2]  # each frame checked whole, not its columns
    assert [r.dataset for r in results] == [
        "check-all/data_quality_check[0]",
        "check-all/data_quality_check[1]",
    ]


def _leaks(what: str, text: str) -> list[str]:
    return [f"{what}: {value!r}" for value in SECRETS if value in text]


def test_masked_columns_never_leave_the_process(spark: Any, client: Any, events: Any) -> None:
    dataset = f"spark-masked-{uuid.uuid4().hex[:8]}"
    block = DataQualityBlock(engine_name="truthound", auto_schema=False)
    rules = [*RULES, {"column": "email", "type": "in_set", "values": ["a@x.io"]}]

    @flow(name=dataset)
    def pipeline() -> Any:
        return data_quality_check_task(
            spark_frame(spark, users()),
            block=block,
            rules=rules,
            dataset=dataset,
            mask_columns=["email"],
        )

    state = pipeline(return_state=True)
    error = state.result(raise_on_failure=False)
    assert isinstance(error, DataQualityError)
    shown = {r.rule_name: r for r in error.result.rule_results}
    assert "SECRET-4711" in json.dumps(shown["in_set(email)"].sample_values), "caller sees all"

    run = [state.state_details.flow_run_id]
    leaks = _leaks("error message", str(error))
    found = client.read_artifacts(
        artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=run))
    )
    assert any((a.key or "").endswith("-failures") for a in found)
    for artifact in found:
        leaks += _leaks(f"artifact {artifact.key}", f"{artifact.data}{artifact.description}")
    logs = client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=run)))
    leaks += [leak for entry in logs for leak in _leaks("log", entry.message)]
    from truthound_prefect._events import dataset_resource

    emitted = events.wait(dataset_resource(dataset)["prefect.resource.id"], 1)
    assert emitted
    for event in emitted:
        leaks += _leaks(f"event {event.event}", json.dumps(event.model_dump(mode="json")))
    assert not leaks, leaks


@pytest.mark.parametrize("engine", ["great_expectations", "truthound"])
def test_a_timed_out_spark_check_stops_its_jobs(spark: Any, engine: str) -> None:
    # GX runs its own Spark jobs (native expectations), Truthound borrows the canonical Spark
    # pass: on timeout both are interrupted on the cluster, and the error says it stopped.
    import time

    from truthound_prefect import CheckTimeoutError

    slow = spark.range(0, 10**13, 1, 2).selectExpr("id", "id % 7 AS age")
    rules = [{"column": "age", "type": "in_range", "min": 0, "max": 6}]
    block = DataQualityBlock(engine_name=engine, auto_schema=False, timeout_seconds=2)
    started = time.monotonic()
    with pytest.raises(CheckTimeoutError, match="its work was cancelled and has stopped"):
        block.check(slow, rules)
    assert time.monotonic() - started < 30
    assert list(spark.sparkContext.statusTracker().getActiveJobsIds()) == []


def test_a_split_of_a_spark_frame_is_refused_once(spark: Any, client: Any) -> None:
    @flow
    def split() -> tuple[Any, Any]:
        state = data_quality_split_task(spark_frame(spark, users()), rules=RULES, return_state=True)
        return state.state_details.task_run_id, state.result(raise_on_failure=False)

    task_run_id, error = split()

    assert isinstance(error, TypeError)
    assert "Spark DataFrame" in str(error)
    assert client.read_task_run(task_run_id).run_count == 1  # an input error: not retried


def test_the_profile_key_of_a_spark_frame_runs_no_job(spark: Any) -> None:
    guarded = spark_frame(spark, users())
    context = spark.sparkContext
    group = f"cache-key-{uuid.uuid4().hex[:8]}"
    context.setJobGroup(group, "the profile cache key")
    try:
        assert profile_cache_key(None, {"data": guarded, "block": None, "columns": None}) is None
    finally:
        context.setLocalProperty("spark.jobGroup.id", None)
    assert list(context.statusTracker().getJobIdsForGroup(group)) == []


def test_the_spark_example_checks_on_spark_and_keeps_a_running_session(
    spark: Any, capsys: Any
) -> None:
    import importlib.util
    import sys
    from pathlib import Path

    path = Path(__file__).parents[4] / "examples" / "spark_flow.py"
    spec = importlib.util.spec_from_file_location("examples_spark_flow", path)
    assert spec is not None and spec.loader is not None
    example = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = example
    spec.loader.exec_module(example)

    outcome = example.main("great_expectations")

    frame = pl.DataFrame(
        example.ROWS,
        schema={"user_id": pl.Int64, "email": pl.String, "age": pl.Int32, "country": pl.String},
        orient="row",
    )
    expected = get_engine("great_expectations").check(frame, example.RULES)
    assert [(o["rule"], o["failed"], o["total"], o["passed"]) for o in outcome] == [
        (r.rule_name, r.failed_count, r.total_count, r.passed) for r in expected.rule_results
    ]
    assert {o["evaluated_by"] for o in outcome} <= {"great_expectations", "truthound_dq"}
    printed = capsys.readouterr().out
    assert "in_range(age)" in printed and ("native" in printed or "borrowed" in printed)
    assert spark.range(3).count() == 3  # the session it did not start is still running
