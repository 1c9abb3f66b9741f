"""Every Python snippet of docs/sla.md runs on the test server, and prints what it says."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from truthound_prefect import DataQualityBlock
from truthound_prefect._events import CHECK_EVENTS, SLA_VIOLATED

DOC = Path(__file__).parents[3] / "docs" / "sla.md"
TEXT = DOC.read_text(encoding="utf-8")
pytestmark = pytest.mark.once

BLOCKS = re.findall(r"```python\n(.*?)```", TEXT, flags=re.S)


def test_every_snippet_runs_in_order(engine_name, client):
    # The page's flow names a saved DataQualityBlock "quality": here, on the engine under test.
    DataQualityBlock(engine_name=engine_name, auto_schema=False).save("quality", overwrite=True)
    assert len(BLOCKS) == 4
    namespace: dict = {}
    try:
        for code in BLOCKS:
            out = io.StringIO()
            with contextlib.redirect_stdout(out):
                exec(compile(code, str(DOC), "exec"), namespace)
            expected = [line[2:] for line in code.splitlines() if line.startswith("# ")]
            if expected:
                assert out.getvalue().splitlines() == expected
        automation = client.read_automation(namespace["automation_id"])
        assert automation.name == "orders: data quality alert"
        assert automation.trigger.match.get("prefect.resource.id") == ["truthound.dataset.orders"]
    finally:
        # The page's webhook points at example.com: never let it fire from later tests.
        for automation in client.read_automations_by_name("orders: data quality alert"):
            client.delete_automation(automation.id)


def test_every_event_name_is_documented():
    for name in [*CHECK_EVENTS.values(), SLA_VIOLATED]:
        assert f"`{name}`" in TEXT
