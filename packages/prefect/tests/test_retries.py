"""Only engine and infrastructure faults are retried; input errors and timeouts run once.

``run_count`` is read back from the server, so the test sees what Prefect recorded.
"""

import pickle
import threading
import time
from pathlib import Path
from typing import Any

import pandas as pd
import polars as pl
import pytest
from prefect import flow

from truthound_dq import EngineError
from truthound_prefect import DataQualityBlock, MaskedEngineError, data_quality_check_task
from truthound_prefect._errors import CheckTimeoutError

pytestmark = pytest.mark.once  # the decision is the Prefect layer's, made from the cause

# Retries as shipped (2), without the 10 s delay, so a wrong retry shows as run_count 3 fast.
check = data_quality_check_task.with_options(retry_delay_seconds=0)


def _raising(exc: BaseException) -> pl.LazyFrame:
    # A frame whose collection raises ``exc`` inside the engine (wrapped as EngineError).
    def udf(series: pl.Series) -> pl.Series:
        raise exc

    return pl.LazyFrame({"id": [1, 2]}).with_columns(
        pl.col("id").map_batches(udf, return_dtype=pl.Int64)
    )


def _outcome(state: Any) -> tuple[Any, BaseException | None]:
    # What a flow returns instead of the failed state itself (which would fail the flow).
    exc = state.result(raise_on_failure=False)
    return state.state_details.task_run_id, exc if isinstance(exc, BaseException) else None


def _run_count(client: Any, task_run_id: Any) -> int:
    deadline = time.monotonic() + 30
    while True:  # task runs reach the server as events: poll, bounded
        try:
            run = client.read_task_run(task_run_id)
            if run.state is not None and run.state.is_final():
                return int(run.run_count)
        except Exception:
            if time.monotonic() > deadline:
                raise
        if time.monotonic() > deadline:
            raise AssertionError("the task run never reached a final state on the server")
        time.sleep(0.25)


CASES = {
    "bad rules": (lambda tmp: pl.DataFrame({"id": [1]}), [{"column": "id", "type": "nope"}]),
    "bad data": (lambda tmp: "not a frame", []),
    "missing file": (lambda tmp: pl.scan_parquet(tmp / "missing.parquet"), []),
    "overflow": (
        lambda tmp: _raising(OverflowError("too big")),
        [{"column": "id", "type": "unique"}],
    ),
    "bad value": (lambda tmp: _raising(ValueError("bad")), [{"column": "id", "type": "unique"}]),
    "lookup": (lambda tmp: _raising(KeyError("gone")), [{"column": "id", "type": "unique"}]),
    "duplicate columns": (lambda tmp: pd.DataFrame([[1, 2]], columns=["a", "a"]), []),
}


@pytest.mark.parametrize("case", list(CASES))
def test_input_errors_fail_once(case: str, tmp_path: Path, client: Any):
    make, rules = CASES[case]
    block = DataQualityBlock(auto_schema=False)

    @flow
    def pipeline() -> Any:
        return _outcome(check(make(tmp_path), block=block, rules=rules, return_state=True))

    task_run_id, exc = pipeline()
    assert exc is not None
    assert _run_count(client, task_run_id) == 1, f"{case} was retried: {exc!r}"


def test_engine_faults_are_retried(client: Any):
    block = DataQualityBlock(auto_schema=False)

    @flow
    def pipeline() -> Any:
        data = _raising(ConnectionError("storage unreachable"))
        rules = [{"column": "id", "type": "unique"}]
        return _outcome(check(data, block=block, rules=rules, return_state=True))

    task_run_id, exc = pipeline()
    assert isinstance(exc, EngineError) and isinstance(exc.__cause__, ConnectionError)
    assert _run_count(client, task_run_id) == 3


@pytest.mark.parametrize(
    ("fault", "runs"),
    [(ValueError("bad value 'SECRET-9999'"), 1), (ConnectionError("lost SECRET-9999"), 3)],
    ids=["input error", "engine fault"],
)
def test_with_mask_columns_an_engine_fault_keeps_no_text(fault, runs, client: Any):
    # An engine's message may quote the data: with mask_columns only the exception types
    # leave the process, and the retry decision is the one the original would have had.
    block = DataQualityBlock(auto_schema=False)

    @flow
    def pipeline() -> Any:
        rules = [{"column": "id", "type": "unique"}]
        return _outcome(
            check(_raising(fault), block=block, rules=rules, mask_columns=["id"], return_state=True)
        )

    task_run_id, exc = pipeline()
    assert isinstance(exc, MaskedEngineError), repr(exc)
    assert type(fault).__name__ in exc.kinds and "SECRET" not in str(exc)
    assert exc.__cause__ is None and "SECRET" not in str(pickle.dumps(exc))
    assert _run_count(client, task_run_id) == runs
    state = client.read_task_run(task_run_id).state
    assert state is not None and "SECRET" not in str(state.message)


def test_a_timed_out_check_runs_once_and_starts_no_further_work(client: Any, caplog):
    calls = []
    lock = threading.Lock()

    def slow(series: pl.Series) -> pl.Series:
        with lock:
            calls.append(time.monotonic())
        time.sleep(0.2)
        return series

    steps = 15  # one collection: about 3 s of Polars work that cannot be interrupted
    data = pl.LazyFrame({"id": [1, 2, 3]})
    for _ in range(steps):
        data = data.with_columns(pl.col("id").map_batches(slow, return_dtype=pl.Int64))
    # auto_schema: the first check learns (one collection), then checks (another) - unless
    # the time limit passed, when the second is never started.
    block = DataQualityBlock(auto_schema=True, timeout_seconds=1)

    @flow
    def pipeline() -> Any:
        rules = [{"column": "id", "type": "unique"}]
        return _outcome(
            check(data, block=block, rules=rules, dataset="timed-out", return_state=True)
        )

    task_run_id, exc = pipeline()
    assert isinstance(exc, CheckTimeoutError)
    assert "could not be stopped in-process" in str(exc)
    assert "goes on in a background thread until it ends" in caplog.text
    assert _run_count(client, task_run_id) == 1
    deadline = time.monotonic() + 30
    while len(calls) < steps and time.monotonic() < deadline:
        time.sleep(0.1)
    time.sleep(1)
    assert len(calls) == steps, "the abandoned work is one collection: not checked, not retried"
