"""A Prefect API that fails or hangs never loses a verdict and never holds it for long.

Faults are injected at the boundary with the outside world (the client's HTTP methods), and
once with a real server stopped mid-run.
"""

import json
import logging
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import httpx
import polars as pl
import pytest
from prefect import flow
from prefect.client.orchestration import SyncPrefectClient

from truthound_dq import CheckStatus
from truthound_prefect import DataQualityBlock, DataQualityError, SLAConfig, data_quality_check_task
from truthound_prefect._baseline import PrefectBaselineStore
from truthound_prefect.blocks import DataQualityBaseline

pytestmark = pytest.mark.once  # the guard is in the Prefect layer, whatever the engine

BUDGET = 1.5


def _refused(self: Any, *args: Any, **kwargs: Any) -> Any:
    raise httpx.ConnectError("injected: connection refused")


def _hangs(self: Any, *args: Any, **kwargs: Any) -> Any:
    time.sleep(30)  # an unanswered request (the worker thread is abandoned)


def test_failing_and_hanging_api_keep_the_verdict_within_the_budget(
    bad, good, rules, monkeypatch, caplog
):
    monkeypatch.setattr(SyncPrefectClient, "read_variable_by_name", _refused)
    monkeypatch.setattr(SyncPrefectClient, "set_variable", _refused, raising=False)
    monkeypatch.setattr(SyncPrefectClient, "create_artifact", _hangs)
    block = DataQualityBlock(auto_schema=False, api_timeout_seconds=BUDGET)
    sla = SLAConfig(max_consecutive_failures=0)

    @flow
    def pipeline(data: pl.DataFrame) -> tuple[Any, float]:
        started = time.monotonic()
        try:
            outcome: Any = data_quality_check_task(data, block=block, rules=rules, sla=sla)
        except DataQualityError as exc:
            outcome = exc
        return outcome, time.monotonic() - started

    caplog.set_level(logging.WARNING)
    failed, seconds = pipeline(bad)
    assert isinstance(failed, DataQualityError)
    assert failed.result.failed_count == 5 and len(failed.result.rule_results) == 5
    assert seconds < BUDGET + 5, seconds
    assert "consecutive-failure count is unknown" in caplog.text
    assert "artifact 'quality-check-pipeline-data-quality-check-summary' not done" in caplog.text

    passed, seconds = pipeline(good)
    assert passed.status is CheckStatus.PASSED
    assert seconds < BUDGET + 5, seconds


def test_unreadable_baseline_is_unknown_and_never_overwritten(engine_name, good, monkeypatch):
    block = DataQualityBlock(engine_name=engine_name, api_timeout_seconds=BUDGET)
    dataset = f"guarded-{uuid.uuid4().hex[:8]}"

    @flow
    def pipeline(data: pl.DataFrame) -> Any:
        return data_quality_check_task(
            data, block=block, rules=[], dataset=dataset, create_artifact=False
        )

    pipeline(good)  # learns the baseline
    document = PrefectBaselineStore().document_name(dataset)
    stored = DataQualityBaseline.load(document, _sync=True).baseline  # type: ignore[call-arg]

    monkeypatch.setattr(SyncPrefectClient, "read_block_document_by_name", _refused)
    other = pl.DataFrame({"entirely": ["new"], "columns": [1]})  # would be learned if "absent"
    result = pipeline(other)
    monkeypatch.undo()

    unknown = {r.rule_name: r for r in result.rule_results}["baseline:schema"]
    assert not unknown.evaluated and unknown.severity.value == "warning"
    assert "could not be read" in unknown.message
    assert result.status is CheckStatus.WARNING
    again = DataQualityBaseline.load(document, _sync=True).baseline  # type: ignore[call-arg]
    assert again == stored, "a baseline is never overwritten because the API was down"


_CHILD = textwrap.dedent(
    """
    import json, os, sys, time
    import polars as pl
    from prefect import flow
    from truthound_prefect import DataQualityBlock, DataQualityError, SLAConfig
    from truthound_prefect import data_quality_check_task

    def slow(series):
        print("CHECK-RUNNING", flush=True)  # the test stops the server now
        time.sleep(2.5)
        return series

    def frame(values):
        return pl.LazyFrame({"id": values}).with_columns(
            pl.col("id").map_batches(slow, return_dtype=pl.Int64)
        )

    @flow
    def pipeline():
        block = DataQualityBlock(api_timeout_seconds=float(sys.argv[1]))
        rules = [{"column": "id", "type": "unique"}]
        sla = SLAConfig(max_consecutive_failures=3)
        t0 = time.monotonic()
        failing = data_quality_check_task.submit(
            frame([1, 2, 2]), block=block, rules=rules, sla=sla, dataset="stopped-bad"
        )
        passing = data_quality_check_task.submit(
            frame([1, 2, 3]), block=block, rules=rules, sla=sla, dataset="stopped-good"
        )
        out = {}
        try:
            failing.result()
        except DataQualityError as exc:
            out["failing"] = {
                "seconds": time.monotonic() - t0,
                "failures": [r.rule_name for r in exc.result.failures],
            }
        result = passing.result()
        out["passing"] = {"seconds": time.monotonic() - t0, "status": result.status.value}
        print("RESULT " + json.dumps(out), flush=True)
        os._exit(0)  # the flow's own final API calls would wait on the dead server

    pipeline()
    """
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_healthy(url: str, server: subprocess.Popen[bytes], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"prefect server exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise AssertionError(f"prefect server not healthy within {timeout} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    # Our own child, in its own session: stop it and whatever it started, by its PID.
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


def test_server_stopped_mid_run_keeps_the_verdict(tmp_path: Path):
    port = _free_port()
    url = f"http://127.0.0.1:{port}/api"
    env = {
        **os.environ,
        "PREFECT_HOME": str(tmp_path / "home"),
        "PREFECT_API_URL": url,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_LOCAL_STORAGE_PATH": str(tmp_path / "storage"),
        "PREFECT_API_DATABASE_CONNECTION_URL": f"sqlite+aiosqlite:///{tmp_path / 'db.sqlite'}",
    }
    prefect = [sys.executable, "-m", "prefect"]
    server = subprocess.Popen(
        [*prefect, "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    child = None
    try:
        _wait_healthy(url, server, timeout=180)
        script = tmp_path / "child.py"
        script.write_text(_CHILD)
        budget = 3.0
        child = subprocess.Popen(
            [sys.executable, str(script), str(budget)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
            text=True,
        )
        assert child.stdout is not None
        running = 0
        lines: list[str] = []
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = child.stdout.readline()
            if not line:
                break
            lines.append(line)
            if line.startswith("CHECK-RUNNING"):
                running += 1
                if running == 2:  # both checks are past Prefect's start: stop the server
                    _stop(server)
            if line.startswith("RESULT "):
                break
        found = [ln for ln in lines if ln.startswith("RESULT ")]
        assert found, "".join(lines)
        out = json.loads(found[0][len("RESULT ") :])
        # Engine work (2.5 s per read of the LazyFrame: learn for auto_schema, then the check's
        # batch-size probe, its batches and unique's group_by - at most five reads) plus one
        # budget, plus a few seconds - not the minute per call of the client's retries.
        assert out["failing"]["failures"] == ["unique(id)"]
        assert out["passing"]["status"] == "passed"
        limit = 5 * 2.5 + budget + 8
        assert out["failing"]["seconds"] < limit and out["passing"]["seconds"] < limit, out
    finally:
        if child is not None:
            _stop(child)
            if child.stdout is not None:
                child.stdout.close()
        _stop(server)
