"""Events driving an Automation, and the SLA count carried between processes.

``prefect_test_harness()`` runs the server's event services - the reactive triggers and the
actions among them (they are ``RunInEphemeralServers`` services) - so an Automation fires on
the session's server; no second server is needed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
import uuid
from typing import Any

import pytest
from prefect import flow

from truthound_prefect import SLAConfig, SLAMonitor, data_quality_check_task
from truthound_prefect._events import dataset_resource


@pytest.mark.once
def test_automation_fires_on_failed_checks_and_not_on_passing_ones(
    block, good, bad, receiver, events
):
    from prefect.blocks.webhook import Webhook
    from prefect.events.actions import CallWebhook
    from prefect.events.schemas.automations import AutomationCore, EventTrigger, Posture

    dataset = f"automated-{uuid.uuid4().hex[:8]}"
    resource_id = dataset_resource(dataset)["prefect.resource.id"]
    hook = Webhook(method="POST", url=receiver.url).save(f"hook-{uuid.uuid4().hex[:8]}")
    client = events.client
    automation_id = client.create_automation(
        AutomationCore(
            name=f"alert-{dataset}",
            trigger=EventTrigger(
                expect={"truthound.check.failed"},
                match={"prefect.resource.id": resource_id},
                posture=Posture.Reactive,
                threshold=1,
            ),
            actions=[
                CallWebhook(
                    block_document_id=hook,
                    payload='{"event_id": "{{ event.id }}", "dataset": '
                    '"{{ event.resource.name }}", "failed": {{ event.payload.failed_count }}}',
                )
            ],
        )
    )
    try:

        @flow
        def pipeline(data):
            return data_quality_check_task(
                data,
                block=block,
                rules=[{"column": "id", "type": "not_null"}],
                dataset=dataset,
                fail_on_error=False,
                create_artifact=False,
            )

        # Passing, failing, passing, failing: the trigger sees them in this order, so by the
        # time the second failure's call arrives, a call for the passing check in between
        # would have been made.
        for data in (good, bad, good, bad):
            pipeline(data)
        assert receiver.wait_for(lambda bodies: len(bodies) >= 2), receiver.bodies
        found = events.wait(resource_id, 4)
        assert [e.event.rsplit(".", 1)[1] for e in found] == ["passed", "failed"] * 2
        stored = {str(e.id) for e in found if e.event == "truthound.check.failed"}
        assert len(stored) == 2
        assert {b["event_id"] for b in receiver.bodies} == stored
        assert all(b == {**b, "dataset": dataset, "failed": 1} for b in receiver.bodies)
        assert len(receiver.bodies) == 2
    finally:
        client.delete_automation(automation_id)


SCRIPT = textwrap.dedent(
    """
    import json
    import sys

    import polars as pl

    from truthound_prefect import (
        DataQualityBlock, SLAConfig, SLAMonitor, SLAViolationError, create_quality_flow,
    )

    engine, name = sys.argv[1], sys.argv[2]
    monitor = SLAMonitor(name, SLAConfig(max_consecutive_failures=1))
    check = create_quality_flow(
        "cross-process",
        [{"column": "id", "type": "not_null"}],
        block=DataQualityBlock(engine_name=engine, auto_schema=False),
        fail_on_error=False,
        sla=monitor,
    )
    try:
        check(pl.DataFrame({"id": [1, None]}))
        violations = []
    except SLAViolationError as error:
        violations = [v.to_dict() for v in error.violations]
    print(json.dumps({"count": monitor.consecutive_failures(), "violations": violations}))
    """
)


@pytest.mark.once
def test_consecutive_failures_carry_across_processes(prefect_server, engine_name, tmp_path):
    script = tmp_path / "run_check.py"
    script.write_text(SCRIPT, encoding="utf-8")
    name = f"cross-process-{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "PREFECT_API_URL": prefect_server}

    def run() -> dict[str, Any]:
        out = subprocess.run(  # noqa: PLW1510 - the return code is asserted
            [sys.executable, str(script), engine_name, name],
            capture_output=True,
            text=True,
            env=env,
            timeout=300,
        )
        assert out.returncode == 0, out.stderr
        return json.loads(out.stdout.strip().splitlines()[-1])

    first = run()
    assert first == {"count": 1, "violations": []}  # one failure: tolerated
    second = run()  # a new process: the count comes from the server
    assert second["count"] == 2
    assert [(v["limit"], v["observed"], v["threshold"]) for v in second["violations"]] == [
        ("max_consecutive_failures", 2, 1)
    ]
    assert SLAMonitor(name, SLAConfig(max_consecutive_failures=1)).consecutive_failures() == 2
