"""Metric history outside Prefect: records, the in-memory and file stores, anomaly rule parsing."""

from __future__ import annotations

import datetime as dt
import json
import multiprocessing
import random
import threading
from pathlib import Path

import polars as pl
import pytest

from truthound_dq import (
    FileMetricsStore,
    InMemoryMetricsStore,
    MetricsRecord,
    MetricsStore,
    MetricsUnavailableError,
    RuleMetrics,
    RuleValidationError,
    parse_rules,
)
from truthound_dq._rule_types._anomaly import sparkline
from truthound_dq.testing._reference import ReferenceEngine

DAY = dt.timedelta(days=1)
START = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
ENGINE = ReferenceEngine()


def _record(day: int, rows: int = 10, dataset: str = "orders") -> MetricsRecord:
    return MetricsRecord(
        dataset=dataset,
        checked_at=START + day * DAY,
        row_count=rows,
        rules=(RuleMetrics(name="not_null(id)", failed_count=1, total_count=rows, passed=False),),
        metrics={"null_rate(email)": 0.25},
        anomalies=("row_count",),
        status="failed",
        engine="reference",
        execution_time_ms=1.5,
    )


def test_record_round_trips_through_json() -> None:
    record = _record(3)
    back = MetricsRecord.from_dict(json.loads(json.dumps(record.to_dict())))
    assert back == record
    assert back.value("row_count") == 10
    assert back.value("pass_rate(not_null(id))") == pytest.approx(0.9)
    assert back.value("null_rate(email)") == 0.25
    assert back.value("pass_rate(nope)") is None and back.value("mean(x)") is None


@pytest.mark.parametrize("kind", ["memory", "file"])
def test_stores_keep_the_newest_within_count_and_age(kind: str, tmp_path: Path) -> None:
    bounds = {"max_records": 5, "max_age": 10 * DAY}
    store: MetricsStore = (
        InMemoryMetricsStore(**bounds) if kind == "memory" else FileMetricsStore(tmp_path, **bounds)
    )
    assert isinstance(store, MetricsStore)
    for day in random.Random(4).sample(range(8), 8):  # written out of order (a backfill)
        store.append(_record(day))
    store.append(_record(0, dataset="other"))
    got = store.read("orders", 100)
    assert [r.checked_at for r in got] == [START + d * DAY for d in range(3, 8)]
    assert [r.checked_at.day for r in store.read("orders", 2)] == [7, 8]
    store.append(_record(30))  # 23 days after the others: they age out
    assert [r.checked_at for r in store.read("orders", 100)] == [START + 30 * DAY]
    assert len(store.read("other", 100)) == 1
    if kind == "file":  # aged-out files are deleted, not just hidden
        assert len(list(store.dataset_directory("orders").glob("*.json"))) == 1


def _append_many(directory: str, start: int) -> None:
    store = FileMetricsStore(directory)
    for day in range(start, start + 20):
        store.append(_record(day))


def test_file_store_concurrent_writers_lose_nothing(tmp_path: Path) -> None:
    # One file per record: writers in threads and processes never overwrite each other.
    context = multiprocessing.get_context("spawn")
    processes = [context.Process(target=_append_many, args=(str(tmp_path), 0))]
    threads = [threading.Thread(target=_append_many, args=(str(tmp_path), s)) for s in (20, 40, 60)]
    for worker in (*processes, *threads):
        worker.start()
    for worker in (*processes, *threads):
        worker.join()
    got = FileMetricsStore(tmp_path).read("orders", 1000)
    assert sorted(r.checked_at for r in got) == [START + d * DAY for d in range(80)]


def test_file_store_unreadable_history_is_unavailable(tmp_path: Path) -> None:
    store = FileMetricsStore(tmp_path)
    store.append(_record(1))
    (store.dataset_directory("orders") / "20260302T000000000000Z-x.json").write_text("{oops")
    with pytest.raises(MetricsUnavailableError, match="cannot read"):
        store.read("orders", 10)
    result = ENGINE.check(
        pl.DataFrame({"a": [1]}),
        [{"type": "row_count_anomaly"}],
        dataset="orders",
        metrics_store=store,
    )
    (r,) = result.rule_results
    assert not r.evaluated and "could not be read" in r.message


def test_bad_bounds_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="max_records"):
        InMemoryMetricsStore(max_records=0)
    with pytest.raises(ValueError, match="max_age"):
        FileMetricsStore(tmp_path, max_age=dt.timedelta(0))


@pytest.mark.parametrize(
    ("rule", "says"),
    [
        ({"type": "row_count_anomaly", "column": "a"}, "takes no 'column'"),
        ({"type": "row_count_anomaly", "window": 0}, "'window' must be a whole number"),
        ({"type": "row_count_anomaly", "window": 4}, "'min_history' 5 is larger than 'window' 4"),
        ({"type": "row_count_anomaly", "max_deviation": -1}, "'max_deviation' must be above 0"),
        ({"type": "row_count_anomaly", "min_change": -2}, "below -1"),
        ({"type": "row_count_anomaly", "min_change": 0.5, "max_change": 0.1}, "is above"),
        ({"type": "row_count_anomaly", "max_change": float("nan")}, "finite number"),
        ({"type": "metric_anomaly", "column": "a"}, "needs 'metric'"),
        ({"type": "metric_anomaly", "metric": "nul_rate", "column": "a"}, "did you mean"),
        ({"type": "metric_anomaly", "metric": "mean"}, "missing key 'column'"),
        ({"type": "metric_anomaly", "metric": "pass_rate"}, "needs 'rule'"),
        ({"type": "metric_anomaly", "metric": "pass_rate", "rule": "r", "column": "a"}, "no 'col"),
        ({"type": "metric_anomaly", "metric": "mean", "column": "a", "rule": "r"}, "no 'rule'"),
        ({"type": "row_count_anomaly", "where": "a > 1"}, "where"),
    ],
)
def test_anomaly_rules_refuse_bad_parameters(rule: dict[str, object], says: str) -> None:
    with pytest.raises(RuleValidationError, match=says):
        parse_rules([rule])


def test_anomaly_rules_round_trip_and_name_themselves() -> None:
    rules = [
        {"type": "row_count_anomaly", "window": 7, "min_change": -0.5},
        {"type": "metric_anomaly", "metric": "null_rate", "column": "email", "max_deviation": 4},
        {"type": "metric_anomaly", "metric": "pass_rate", "rule": "not_null(id)"},
    ]
    parsed = parse_rules(rules)
    assert [r.name for r in parsed] == [
        "row_count_anomaly",
        "metric_anomaly(null_rate(email))",
        "metric_anomaly(pass_rate(not_null(id)))",
    ]
    assert parse_rules([r.to_dict() for r in parsed]) == parsed
    assert parsed[0].to_dict() == {**rules[0], "name": "row_count_anomaly"}


def test_sparkline_marks_today() -> None:
    assert sparkline([1, 2, 3, 4, 5, 6, 7, 8], 1) == "▁▂▃▄▅▆▇█[▁]"
    assert sparkline([5, 5, 5], 5) == "▄▄▄[▄]"
    assert sparkline([], 3) == "[▄]"


def test_daily_series_flags_the_drop_and_only_the_drop(tmp_path: Path) -> None:
    # Fifteen days of about 1,000 rows, then 400: only day 16 is an anomaly; day 17 is back
    # to normal, judged against a window that left the drop out.
    store = FileMetricsStore(tmp_path)
    noise = random.Random(17)
    rules = [{"type": "row_count_anomaly"}, {"type": "row_count", "min": 1}]
    flagged = []
    for day in range(17):
        rows = 400 if day == 15 else 1000 + noise.randint(-8, 8)
        data = pl.DataFrame({"id": range(rows)})
        result = ENGINE.check(
            data, rules, dataset="daily", metrics_store=store, now=START + day * DAY
        )
        if not result.rule_results[0].passed:
            flagged.append(day)
    assert flagged == [15]
    history = store.read("daily", 100)
    assert len(history) == 17
    assert [r.anomalies for r in history if r.anomalies] == [("row_count",)]


def test_record_written_without_anomaly_rules_and_notes_a_failed_write(tmp_path: Path) -> None:
    store = InMemoryMetricsStore()
    data = pl.DataFrame({"id": [1, None]})
    ENGINE.check(data, [{"column": "id", "type": "not_null"}], dataset="d", metrics_store=store)
    (record,) = store.read("d", 5)
    assert record.rules[0].pass_rate == 0.5 and record.metrics == {} and record.status == "failed"

    class Full(InMemoryMetricsStore):
        def append(self, record: MetricsRecord) -> None:
            raise OSError("disk full")

    result = ENGINE.check(
        data, [{"column": "id", "type": "not_null"}], dataset="d", metrics_store=Full()
    )
    assert result.notes == ("metrics not recorded (OSError: disk full)",)
    assert result.rule_results[0].failed_count == 1  # the verdict stands


def test_masked_columns_keep_counts_only() -> None:
    class Masked(InMemoryMetricsStore):
        mask_columns = frozenset({"amount"})

    store = Masked()
    data = pl.DataFrame({"amount": [1.5, None, 2.5, 7.0]})
    rules = [
        {"type": "metric_anomaly", "metric": "mean", "column": "amount"},
        {"type": "metric_anomaly", "metric": "null_rate", "column": "amount"},
    ]
    result = ENGINE.check(data, rules, dataset="m", metrics_store=store)
    mean, nulls = result.rule_results
    assert not mean.evaluated and "masked" in mean.message
    assert nulls.evaluated
    (record,) = store.read("m", 5)
    assert record.metrics == {"null_rate(amount)": 0.25}
    assert "3.6" not in json.dumps(record.to_dict())


def test_a_rerun_or_backfill_compares_with_the_days_before_it_only() -> None:
    store = InMemoryMetricsStore()
    rules = [{"type": "row_count_anomaly", "min_history": 3}]
    for day in range(10):
        data = pl.DataFrame({"id": range(100)})
        ENGINE.check(data, rules, dataset="b", metrics_store=store, now=START + day * DAY)
    again = ENGINE.check(
        pl.DataFrame({"id": range(100)}), rules, dataset="b", metrics_store=store, now=START
    )
    assert "still learning (0 of 3" in again.rule_results[0].message
    third = ENGINE.check(
        pl.DataFrame({"id": range(10)}),
        rules,
        dataset="b",
        metrics_store=store,
        now=START + 3 * DAY,
    )
    assert "of the last 4 checks" in third.rule_results[0].message  # days 0-2 and the re-run
