"""Masked values reach no artifact, event, log line, state message, baseline or stored result.

A failing check with ``mask_columns`` and ``auto_schema`` on: everything it left on the
server and in Prefect's result storage is read back and searched for the masked values.
"""

import json
import os
import pickle
import time
import uuid
from pathlib import Path
from typing import Any

import polars as pl
from prefect import flow
from prefect.client.schemas.filters import (
    ArtifactFilter,
    ArtifactFilterFlowRunId,
    FlowRunFilter,
    FlowRunFilterId,
    LogFilter,
    LogFilterFlowRunId,
)

from truthound_prefect import (
    DataQualityBlock,
    DataQualityError,
    SLAConfig,
    data_quality_check_task,
    data_quality_profile_task,
)
from truthound_prefect._baseline import PrefectBaselineStore
from truthound_prefect._events import dataset_resource
from truthound_prefect.blocks import DataQualityBaseline

MASKED = ["secret", "amount"]
# Distinctive values: no id, hash or timestamp can contain them ("S", "-" and "." are no hex).
FORBIDDEN = ["SECRET-", "777.125", "778.375", "999.625", "777.75", "777.12", "778.37", "999.62"]


def good() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "id": [1, 2, 3, 4],
            "secret": ["SECRET-4711", "SECRET-4712", "SECRET-4711", "SECRET-4712"],
            "amount": [777.125, 778.375, 777.125, 778.375],
        }
    )


def bad() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "id": [1, 2, 2, 4],
            "secret": ["SECRET-4711", "SECRET-9999", "SECRET-4711", "SECRET-4712"],
            "amount": [777.125, 999.625, 777.125, 778.375],
        }
    )


RULES = [
    {"column": "id", "type": "unique"},
    {"column": "secret", "type": "regex", "pattern": "^OK-"},  # fails, with samples
    {"column": "amount", "type": "in_range", "min": 0, "max": 10},
]


def _leaks(what: str, text: str) -> list[str]:
    return [f"{what}: {value!r}" for value in FORBIDDEN if value in text]


def _poll(read: Any, done: Any, timeout: float = 60) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        found = read()
        if done(found) or time.monotonic() > deadline:
            return found
        time.sleep(0.25)


def test_masked_values_never_leave_the_process(engine_name, client, events):
    block = DataQualityBlock(engine_name=engine_name)  # auto_schema on
    dataset = f"masked-{uuid.uuid4().hex[:8]}"

    @flow(name=dataset)
    def pipeline(data: pl.DataFrame) -> Any:
        data_quality_profile_task(data, block=block, mask_columns=MASKED)
        return data_quality_check_task(
            data,
            block=block,
            rules=RULES,
            dataset=dataset,
            mask_columns=MASKED,
            sla=SLAConfig(max_failure_rate=0.0, severity="warning"),
        )

    first = pipeline(good(), return_state=True)
    second = pipeline(bad(), return_state=True)
    error = second.result(raise_on_failure=False)
    assert isinstance(error, DataQualityError)
    full = {r.rule_name: r for r in error.result.rule_results}
    assert "SECRET-9999" in json.dumps(full["regex(secret)"].sample_values), "caller sees all"
    learned = [r for r in error.result.rule_results if r.rule_name.startswith("baseline:")]
    assert learned, "the second check compared with the learned baseline"

    leaks = _leaks("error message", str(error)) + _leaks("pickled error", str(pickle.dumps(error)))
    runs = [first.state_details.flow_run_id, second.state_details.flow_run_id]
    for artifact in client.read_artifacts(
        artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=runs))
    ):
        leaks += _leaks(f"artifact {artifact.key}", f"{artifact.data}{artifact.description}")

    logs = _poll(
        lambda: client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=runs))),
        lambda found: any("check FAILED" in entry.message for entry in found),
    )
    assert any("check FAILED" in entry.message for entry in logs)
    leaks += [leak for entry in logs for leak in _leaks("log", entry.message)]

    flow_runs = client.read_flow_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=runs)))
    task_runs = _poll(
        lambda: client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=runs))),
        lambda found: sum(t.state is not None and t.state.is_failed() for t in found) >= 1,
    )
    for run in [*flow_runs, *task_runs]:
        leaks += _leaks(f"state of {run.name}", str(run.state.message if run.state else ""))

    resource = dataset_resource(dataset)["prefect.resource.id"]
    emitted = events.wait(resource, 3)  # passed, failed, sla.violated
    assert len(emitted) >= 3
    leaks += [
        leak
        for event in emitted
        for leak in _leaks(f"event {event.event}", json.dumps(event.model_dump(mode="json")))
    ]

    document = PrefectBaselineStore().document_name(dataset)
    stored = DataQualityBaseline.load(document, _sync=True).baseline  # type: ignore[call-arg]
    assert {c["name"] for c in stored["columns"]} == {"id", "secret", "amount"}
    leaks += _leaks("baseline document", json.dumps(stored))

    storage = Path(os.environ["PREFECT_LOCAL_STORAGE_PATH"])
    files = [p for p in storage.rglob("*") if p.is_file()]
    assert files, "the profile task persisted its result"
    for path in files:
        leaks += _leaks(f"stored result {path.name}", path.read_bytes().decode("latin-1"))
    assert not leaks, leaks
