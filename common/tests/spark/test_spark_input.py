"""Spark input beyond the contract: the schema mapping, refusals, imports, Spark Connect."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

import polars as pl
import pytest

from truthound_dq import Rule, is_supported_data, register_rule, unregister_rule
from truthound_dq._data import is_spark_frame
from truthound_dq.spark import SparkUnsupportedError, polars_schema
from truthound_dq.testing import ReferenceEngine, local_spark_session, to_spark_frame

pytestmark = pytest.mark.spark

ENGINE = ReferenceEngine()


@pytest.fixture(scope="module")
def spark() -> Any:
    return local_spark_session()


def test_spark_frames_are_recognised_without_importing_pyspark(spark: Any) -> None:
    frame = spark.range(3)
    assert is_spark_frame(frame) and is_supported_data(frame)
    assert not is_spark_frame(pl.DataFrame({"a": [1]}))


def test_importing_the_packages_never_imports_pyspark() -> None:
    # With pyspark installed: importing truthound-dq, its Spark package, every installed
    # adapter and truthound-prefect leaves it out of sys.modules.
    code = (
        "import sys, json, importlib.util\n"
        "import truthound_dq, truthound_dq.spark, truthound_dq.sdk, truthound_dq.testing\n"
        "for name in ('truthound_dq_truthound', 'truthound_dq_great_expectations',"
        " 'truthound_dq_pandera', 'truthound_prefect'):\n"
        "    if importlib.util.find_spec(name):\n"
        "        __import__(name)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] == 'pyspark')))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_the_polars_schema_of_every_spark_type(spark: Any) -> None:
    ddl = (
        "b TINYINT, s SMALLINT, i INT, l BIGINT, f FLOAT, d DOUBLE, m DECIMAL(12,3), "
        "t STRING, c STRING, v STRING, o BOOLEAN, dt DATE, ts TIMESTAMP, "
        "ntz TIMESTAMP_NTZ, iv INTERVAL DAY TO SECOND, bin BINARY, arr ARRAY<INT>, "
        "st STRUCT<x: INT, y: STRING>, mp MAP<STRING, INT>, ym INTERVAL YEAR TO MONTH"
    )
    from pyspark.sql import types as T

    schema = spark.createDataFrame([], ddl).schema
    # (CHAR/VARCHAR columns exist in tables; a DataFrame built here reads them as STRING)
    schema = T.StructType(
        [*schema.fields[:8], T.StructField("c", T.CharType(3)), T.StructField("v", T.VarcharType(5)),
         *schema.fields[10:]]
    )  # fmt: skip
    got = polars_schema(schema)
    assert dict(got) == {
        "b": pl.Int8(), "s": pl.Int16(), "i": pl.Int32(), "l": pl.Int64(),
        "f": pl.Float32(), "d": pl.Float64(), "m": pl.Decimal(12, 3),
        "t": pl.String(), "c": pl.String(), "v": pl.String(), "o": pl.Boolean(),
        "dt": pl.Date(), "ts": pl.Datetime("us", "UTC"), "ntz": pl.Datetime("us"),
        "iv": pl.Duration("us"), "bin": pl.Binary(), "arr": pl.List(pl.Int32()),
        "st": pl.Struct({"x": pl.Int32(), "y": pl.String()}),
        "mp": pl.List(pl.Struct({"key": pl.String(), "value": pl.Int32()})),
        "ym": pl.Object(),
    }  # fmt: skip


def test_a_type_with_no_polars_equivalent_is_not_evaluated(spark: Any) -> None:
    frame = spark.sql("SELECT INTERVAL '1-2' YEAR TO MONTH AS ym, 1 AS id")
    rules = [
        {"column": "ym", "type": "in_set", "values": [1]},
        {"column": "ym", "type": "not_null"},
        {"column": "ym", "type": "dtype", "dtype": "Object"},
    ]
    in_set, not_null, dtype = ENGINE.check(frame, rules).rule_results
    assert not in_set.evaluated and "nested" in in_set.message
    assert (not_null.failed_count, not_null.total_count, not_null.passed) == (0, 1, True)
    assert dtype.passed


def test_a_timestamp_is_an_instant_whatever_the_session_time_zone(spark: Any) -> None:
    frame = pl.DataFrame(
        {"at": [dt.datetime(2024, 1, 1, 23, 30, tzinfo=dt.UTC), None]},
        schema={"at": pl.Datetime("us", "UTC")},
    )
    rules: list[dict[str, Any]] = [
        {"column": "at", "type": "in_range", "max": "2024-01-01T23:00:00+00:00"},
        {"column": "at", "type": "freshness", "max_age": "1h"},
    ]
    now = dt.datetime(2024, 1, 2, 0, 0, tzinfo=dt.UTC)
    want = ENGINE.check(frame, rules, now=now)
    data = to_spark_frame(spark, frame)
    previous = spark.conf.get("spark.sql.session.timeZone")
    try:
        spark.conf.set("spark.sql.session.timeZone", "America/Los_Angeles")
        got = ENGINE.check(data, rules, now=now)
    finally:
        spark.conf.set("spark.sql.session.timeZone", previous)
    assert [(r.failed_count, r.passed, r.message) for r in got.rule_results] == [
        (r.failed_count, r.passed, r.message) for r in want.rule_results
    ]
    assert got.rule_results[0].sample_values == ("2024-01-01T23:30:00+00:00",)


@dataclass(frozen=True, slots=True, kw_only=True)
class _PolarsOnly(Rule):
    type: ClassVar[str] = "polars_only_for_spark_test"
    summary: ClassVar[str] = "a custom rule with no Spark implementation"

    def failure(self, value: pl.Expr, dtype: pl.DataType) -> pl.Expr:
        return value > 1


@pytest.fixture
def polars_only_rule() -> Iterator[str]:
    register_rule(_PolarsOnly)
    yield _PolarsOnly.type
    unregister_rule(_PolarsOnly.type)


@pytest.mark.parametrize(
    ("rule", "says"),
    [
        ({"column": "x", "type": "monotonic"}, "no row order"),
        ({"type": "expression", "expr": "x > 1"}, "Polars' SQL dialect"),
        ({"column": "x", "type": "not_null", "where": "x > 1"}, "'where' is Polars SQL"),
        ({"column": "s", "type": "regex", "pattern": r"\bfoo"}, "cannot run on Spark"),
        ({"column": "missing", "type": "monotonic"}, "no row order"),
    ],
    ids=["monotonic", "expression", "where", "regex", "monotonic-missing-column"],
)
def test_refusals_name_the_rule_and_run_no_job(spark: Any, rule: dict[str, Any], says: str) -> None:
    data = to_spark_frame(spark, pl.DataFrame({"x": [1, 2], "s": ["a", "b"]}))
    tracker = spark.sparkContext.statusTracker()
    spark.sparkContext.setJobGroup("refusals", "refusals run no job")
    try:
        with pytest.raises(SparkUnsupportedError, match=says) as info:
            ENGINE.check(data, [{"column": "x", "type": "not_null"}, {**rule, "name": "r"}])
        assert tracker.getJobIdsForGroup("refusals") == []
    finally:
        spark.sparkContext.setLocalProperty("spark.jobGroup.id", None)
    assert info.value.rule_name == "r" and "cannot be evaluated on Spark" in str(info.value)


def test_a_custom_rule_without_a_spark_implementation_is_refused(
    spark: Any, polars_only_rule: str
) -> None:
    data = to_spark_frame(spark, pl.DataFrame({"x": [1, 2]}))
    with pytest.raises(SparkUnsupportedError, match="register_spark_rule"):
        ENGINE.check(data, [{"column": "x", "type": polars_only_rule}])
    # The same rule on Polars is evaluated by the shared implementation.
    (result,) = ENGINE.check(
        pl.DataFrame({"x": [1, 2]}), [{"column": "x", "type": polars_only_rule}]
    ).rule_results
    assert result.failed_count == 1


def test_profile_of_odd_names_and_selected_columns(spark: Any) -> None:
    frame = pl.DataFrame({"a.b": [1, 2, None], "`q`": ["x", "x", "y"], "A": [0.5, None, 1.5]})
    got = ENGINE.profile(to_spark_frame(spark, frame), columns=["`q`", "a.b"])
    want = ENGINE.profile(frame, columns=["`q`", "a.b"])
    assert [(c.column_name, c.null_count, c.unique_count, c.min, c.max) for c in got.columns] == [
        (c.column_name, c.null_count, c.unique_count, c.min, c.max) for c in want.columns
    ]
    assert got.produced_by == "truthound_dq (canonical Spark implementation)"


def test_auto_schema_learns_a_schema_baseline_then_reports_drift(spark: Any, tmp_path: Any) -> None:
    from truthound_dq import FileBaselineStore

    store = FileBaselineStore(tmp_path)
    rules = [{"column": "id", "type": "not_null"}]
    first = pl.DataFrame({"id": [1, 2], "name": ["a", "b"]})
    learned = ENGINE.check(
        to_spark_frame(spark, first), rules, auto_schema=True, dataset="s", baseline_store=store
    )
    assert learned.is_success and "learned a schema baseline" in " ".join(learned.notes)
    baseline = store.load("s")
    assert baseline is not None and [c.name for c in baseline.columns] == ["id", "name"]
    assert baseline.rules == ()  # value rules are learned from Polars or pandas data only
    # The same schema as a Polars frame compares equal; a dropped column is drift, on Spark too.
    assert ENGINE.check(
        first, rules, auto_schema=True, dataset="s", baseline_store=store
    ).is_success
    drifted = ENGINE.check(
        to_spark_frame(spark, first.drop("name")),
        rules,
        auto_schema=True,
        dataset="s",
        baseline_store=store,
    )
    assert not drifted.is_success
    assert any("name" in r.message for r in drifted.failures)


def test_anomaly_rules_give_the_polars_verdicts(spark: Any) -> None:
    from truthound_dq import InMemoryMetricsStore

    rules = [
        {"column": "id", "type": "not_null"},
        {"type": "row_count_anomaly", "window": 14},
        {"type": "metric_anomaly", "metric": "null_rate", "column": "e"},
        {"type": "metric_anomaly", "metric": "distinct_count", "column": "c"},
        {"type": "metric_anomaly", "metric": "mean", "column": "x"},
        {"type": "metric_anomaly", "metric": "pass_rate", "rule": "not_null(id)"},
    ]

    def day(i: int) -> pl.DataFrame:
        n = 40 if i == 7 else 100  # the last day's load is partial, and more is off
        return pl.DataFrame(
            {
                "id": [None if i == 7 and k % 2 else k for k in range(n)],
                "e": [None if i == 7 and k % 3 == 0 else "u" for k in range(n)],
                "c": [("a", "b", "c")[k % 3] for k in range(n)],
                "x": [float(20 + (k + i) % 7) for k in range(n)],
            }
        )

    def verdicts(as_spark: bool) -> list[list[tuple[bool, bool]]]:
        store, out = InMemoryMetricsStore(), []
        for i in range(8):
            data = to_spark_frame(spark, day(i)) if as_spark else day(i)
            now = dt.datetime(2026, 3, 1, tzinfo=dt.UTC) + dt.timedelta(days=i)
            result = ENGINE.check(data, rules, dataset="d", metrics_store=store, now=now)
            out.append([(r.passed, r.evaluated) for r in result.rule_results])
        return out

    expected = verdicts(as_spark=False)
    assert [passed for passed, _ in expected[-1][1:]] == [False, False, True, True, False]
    assert verdicts(as_spark=True) == expected


def _active_jobs(spark: Any) -> list[int]:
    return list(spark.sparkContext.statusTracker().getActiveJobsIds())


def test_a_cancelled_check_interrupts_its_spark_jobs(spark: Any) -> None:
    # A time limit that passes mid-check interrupts the check's jobs on the cluster: the
    # check raises CheckCancelledError within seconds, and no job of it runs on.
    import threading
    import time

    from truthound_dq import CheckCancelledError
    from truthound_dq._cancel import cancel_scope

    slow = spark.range(0, 10**13, 1, 2)  # minutes of work for an aggregate on local[2]
    rules = [{"column": "id", "type": "in_range", "min": 0}]
    for run in (lambda: ENGINE.check(slow, rules), lambda: ENGINE.profile(slow)):
        event = threading.Event()
        timer = threading.Timer(2.0, event.set)
        started = time.monotonic()
        timer.start()
        try:
            with cancel_scope(event), pytest.raises(CheckCancelledError, match="interrupted"):
                run()
        finally:
            timer.cancel()
        assert time.monotonic() - started < 30
        deadline = time.monotonic() + 10
        while _active_jobs(spark) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert _active_jobs(spark) == []
    # The tag is gone: the next check of the session runs, uncancelled.
    assert ENGINE.check(spark.range(5), rules).is_success
    assert set(spark.sparkContext.getJobTags()) == set()
