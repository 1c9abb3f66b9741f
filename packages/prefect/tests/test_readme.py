"""Every Python snippet of the README runs as written (users copy them)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

# The README uses the default engine (Truthound): run once, in its session.
pytestmark = pytest.mark.once

README = Path(__file__).parents[3] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
# A block that starts with ``# needs pyspark`` runs in nox's tests_spark session (marker spark).
PARAMS = [
    pytest.param(
        code,
        id=f"block{i}",
        marks=[pytest.mark.spark] if code.lstrip().startswith("# needs pyspark") else [],
    )
    for i, code in enumerate(BLOCKS)
]


def test_the_readme_has_snippets():
    assert len(BLOCKS) >= 2


@pytest.mark.parametrize("code", PARAMS)
def test_readme_snippet_runs(code):
    exec(compile(code, str(README), "exec"), {"__name__": "__main__"})
