"""Metric history on the session's Prefect server: series, processes, masking, Automations.

The checks run as real tasks in real flows; the history is read back from the server
(artifact versions), the anomaly events through the events API.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import random
import subprocess
import sys
import textwrap
import uuid
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from prefect import flow

from truthound_dq import MetricsUnavailableError
from truthound_prefect import (
    DataQualityBlock,
    PrefectMetricsStore,
    data_quality_check_task,
    data_quality_history_artifact,
)
from truthound_prefect._api import ApiBudget
from truthound_prefect._events import ANOMALY, dataset_resource

EXAMPLE = Path(__file__).parents[3] / "examples" / "daily_history.py"
START = dt.datetime(2026, 6, 1, 6, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)
RULES = [
    {"column": "id", "type": "not_null"},
    {"type": "row_count_anomaly", "window": 14},
    {"type": "metric_anomaly", "metric": "null_rate", "column": "email"},
]


def orders(rows: int, seed: int, nulls: int | None = None) -> pl.DataFrame:
    """``rows`` orders; ``nulls`` missing emails (default 0.5%); amounts around 50."""
    noise = random.Random(seed)
    nulls = rows // 200 if nulls is None else nulls
    return pl.DataFrame(
        {
            "id": list(range(rows)),
            "email": [None if i < nulls else f"u{i}@x.io" for i in range(rows)],
            "amount": [round(50 + noise.uniform(-5, 5), 2) for _ in range(rows)],
        }
    )


def _unique(name: str) -> str:
    return f"{name}-{uuid.uuid4().hex[:8]}"


def test_fifteen_steady_days_then_a_drop_flags_the_drop_only(block, read, events):
    # Fifteen daily checks of about 1,000 rows, a day of 400, then a normal day: one flow run
    # per day would be the real thing; two flow runs (the drop in the second) keep it lean.
    dataset = _unique("daily-orders")
    noise = random.Random(15)
    sizes = [1000 + noise.randint(-10, 10) for _ in range(15)] + [400, 1003]

    @flow
    def days(first: int, last: int) -> list[bool]:
        flags = []
        for day in range(first, last):
            result = data_quality_check_task(
                orders(sizes[day], day),
                block=block,
                rules=RULES,
                dataset=dataset,
                fail_on_error=False,
                create_artifact=day == 15,
                now=START + day * DAY,
            )
            flags.append(result.rule_results[1].passed)
        return flags

    assert days(0, 15) == [True] * 15
    assert days(15, 17) == [False, True]
    store = PrefectMetricsStore()
    history = store.read(dataset, 100)
    assert [r.row_count for r in history] == sizes
    assert [r.checked_at for r in history] == [START + d * DAY for d in range(17)]
    assert [r.anomalies for r in history if r.anomalies] == [("row_count",)]
    assert len(read.versions(store.artifact_key(dataset))) == 17
    # The check's report shows the window as a sparkline, today's value marked.
    report = read.markdown(f"quality-check-{dataset}")
    assert "## History" in report and "row_count 400 is" in report and "[▁]" in report
    # One anomaly event, for the drop, following the check's own event.
    resource = dataset_resource(dataset)["prefect.resource.id"]
    (anomaly,) = events.wait(resource, 1, names=[ANOMALY])
    assert anomaly.payload["rule"] == "row_count_anomaly"
    assert anomaly.payload["observed"] == 400
    assert anomaly.payload["checked_at"] == (START + 15 * DAY).isoformat()


@pytest.mark.once
def test_masked_columns_keep_counts_only(block, read, events):
    dataset = _unique("masked-orders")
    rules = [
        {"type": "metric_anomaly", "metric": "mean", "column": "amount", "min_history": 1},
        {"type": "metric_anomaly", "metric": "null_rate", "column": "email", "min_history": 1},
    ]
    data = [orders(200, 1), orders(200, 2, nulls=150)]
    means = [f"{d['amount'].mean():.6g}" for d in data]

    @flow
    def check_twice() -> list[Any]:
        return [
            data_quality_check_task(
                frame,
                block=block,
                rules=rules,
                dataset=dataset,
                mask_columns=["amount", "email"],
                fail_on_error=False,
                now=START + day * DAY,
            )
            for day, frame in enumerate(data)
        ]

    _, second = check_twice()
    mean, nulls = second.rule_results
    assert not mean.evaluated and "masked" in mean.message
    assert nulls.evaluated and not nulls.passed  # 75% missing: an anomaly, counted only
    store = PrefectMetricsStore()
    stored = [v.data for v in read.versions(store.artifact_key(dataset))]
    records = [r.to_dict() for r in store.read(dataset, 10)]
    assert [r["metrics"] for r in records] == [
        {"null_rate(email)": 0.005},
        {"null_rate(email)": 0.75},
    ]
    report = read.markdown(f"quality-check-{dataset}")
    resource = dataset_resource(dataset)["prefect.resource.id"]
    (anomaly,) = events.wait(resource, 1, names=[ANOMALY])
    assert anomaly.payload["observed"] is None  # a masked column's value never leaves
    shown = json.dumps([stored, report, anomaly.payload])
    for value in (*means, "75.00%", "0.75 "):
        assert value not in shown.replace('"null_rate(email)": 0.75', "")


CROSS_PROCESS = textwrap.dedent(
    """
    import datetime as dt
    import sys

    import polars as pl
    from prefect import flow

    from truthound_prefect import DataQualityBlock, data_quality_check_task

    engine, dataset = sys.argv[1], sys.argv[2]
    start = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)

    @flow
    def week():
        for day in range(6):
            data_quality_check_task(
                pl.DataFrame({"id": range(100 + day % 2)}),
                block=DataQualityBlock(engine_name=engine, auto_schema=False),
                rules=[{"type": "row_count_anomaly"}],
                dataset=dataset,
                create_artifact=False,
                emit_events=False,
                now=start + dt.timedelta(days=day),
            )

    week()
    """
)


@pytest.mark.once
def test_history_survives_processes_and_flow_runs(prefect_server, engine_name, tmp_path, read):
    # Six days checked by another process; the seventh here, in a new flow run, compares
    # with them. The history artifact then shows all seven.
    dataset = _unique("cross-process-orders")
    script = tmp_path / "week.py"
    script.write_text(CROSS_PROCESS, encoding="utf-8")
    out = subprocess.run(  # noqa: PLW1510 - the return code is asserted
        [sys.executable, str(script), engine_name, dataset],
        capture_output=True,
        text=True,
        env={**os.environ, "PREFECT_API_URL": prefect_server},
        timeout=300,
    )
    assert out.returncode == 0, out.stderr

    @flow
    def seventh_day() -> Any:
        result = data_quality_check_task(
            pl.DataFrame({"id": range(30)}),
            block=DataQualityBlock(engine_name=engine_name, auto_schema=False),
            rules=[{"type": "row_count_anomaly"}],
            dataset=dataset,
            fail_on_error=False,
            create_artifact=False,
            emit_events=False,
            now=START + 6 * DAY,
        )
        data_quality_history_artifact(dataset)
        return result

    (judged,) = seventh_day().rule_results
    assert not judged.passed and "median 100.5 of the last 6 checks" in judged.message
    history = read.markdown(f"history-{dataset}")
    assert "7 checks from 2026-06-01" in history
    assert "| 2026-06-07 06:00 | 30 | 0 of 1 | 0.0% | failed |" in history
    # 100 or 101 rows, the six days of the other process
    assert history.count("| 100 | 1 of 1 |") + history.count("| 101 | 1 of 1 |") == 6


@pytest.mark.once
def test_unreadable_history_leaves_anomaly_rules_not_evaluated(block):
    # A server that does not answer in time: the rule is not evaluated (never a false alarm,
    # never a silent pass), the other rules are judged as always.
    store = PrefectMetricsStore(budget=ApiBudget(0.0))
    with pytest.raises(MetricsUnavailableError):
        store.read("anything", 5)

    @flow
    def check() -> Any:
        return block.get_engine().check(
            pl.DataFrame({"id": [1, None]}),
            [{"column": "id", "type": "not_null"}, {"type": "row_count_anomaly"}],
            dataset=_unique("unreachable"),
            metrics_store=store,
        )

    rows, anomaly = check().rule_results
    assert rows.evaluated and rows.failed_count == 1
    assert not anomaly.evaluated
    assert "could not be read: the Prefect API did not answer" in anomaly.message


def _daily_example() -> Any:
    spec = importlib.util.spec_from_file_location("examples_daily_history", EXAMPLE)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # (registered, so Prefect can resolve its hints)
    spec.loader.exec_module(module)
    return module


@pytest.mark.once
def test_daily_example_flags_the_partial_load_and_the_automation_fires_on_that_run_only(
    engine_name, receiver, events, read
):
    # examples/daily_history.py, one flow run per simulated day: five days to learn, a
    # normal day, a partial load, a normal day. The Automation of docs/history.md (with a
    # webhook as its action) fires for the partial load's run and no other.
    from prefect.blocks.webhook import Webhook
    from prefect.events.actions import CallWebhook
    from prefect.events.schemas.automations import AutomationCore, EventTrigger, Posture

    example = _daily_example()
    dataset = _unique("automated-daily-orders")
    resource_id = dataset_resource(dataset)["prefect.resource.id"]
    hook = Webhook(method="POST", url=receiver.url).save(_unique("hook"))
    automation_id = events.client.create_automation(
        AutomationCore(
            name=f"anomaly-{dataset}",
            trigger=EventTrigger(
                expect={"truthound.check.anomaly"},
                match={"prefect.resource.id": resource_id},
                posture=Posture.Reactive,
                threshold=1,
            ),
            actions=[
                CallWebhook(
                    block_document_id=hook,
                    payload='{"rule": "{{ event.payload.rule }}", '
                    '"checked_at": "{{ event.payload.checked_at }}"}',
                )
            ],
        )
    )
    try:
        flagged = example.simulate(days=8, partial_day=6, engine=engine_name, dataset=dataset)
        assert flagged == {6: ["row_count_anomaly", "half_load"]}
        partial_day = (example.FIRST_DAY + 6 * DAY).isoformat()
        want = [{"rule": rule, "checked_at": partial_day} for rule in flagged[6]]
        assert receiver.wait_for(lambda bodies: len(bodies) >= 2), receiver.bodies
        found = events.wait(resource_id, 10)  # 8 check events and 2 anomalies
        anomalies = [e for e in found if e.event == ANOMALY]
        assert [e.payload["checked_at"] for e in anomalies] == [partial_day] * 2
        assert sorted(receiver.bodies, key=str) == sorted(want, key=str)
        history = read.markdown(f"history-{dataset}")
        assert "8 checks from 2026-03-01 06:00 to 2026-03-08 06:00 UTC" in history
        assert history.count(f"| {engine_name} | row_count |") == 1  # the partial load only
    finally:
        events.client.delete_automation(automation_id)


@pytest.mark.once
def test_server_history_is_bounded_by_count_and_age(read):
    # Past max_records the oldest versions are deleted as checks append; past max_age
    # (from the newest record) when the history is read.
    from truthound_dq import MetricsRecord

    dataset = _unique("bounded")
    store = PrefectMetricsStore(max_records=3, max_age=dt.timedelta(days=2))

    @flow
    def append(days: list[int]) -> None:
        for day in days:
            store.append(
                MetricsRecord(dataset=dataset, checked_at=START + day * DAY, row_count=day)
            )

    append([0, 1, 2, 3, 4])
    key = store.artifact_key(dataset)
    assert len(read.versions(key)) == 3
    assert [r.row_count for r in store.read(dataset, 10)] == [2, 3, 4]
    append([9])  # a week later: the others are too old
    assert [r.row_count for r in store.read(dataset, 10)] == [9]
    assert len(read.versions(key)) == 1
