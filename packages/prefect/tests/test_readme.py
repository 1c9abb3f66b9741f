"""Every Python snippet of the README runs as written (users copy them)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

# The README uses the default engine (Truthound): run once, in its session.
pytestmark = pytest.mark.once

README = Path(__file__).parents[3] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


def test_the_readme_has_snippets():
    assert len(BLOCKS) >= 2


@pytest.mark.parametrize("code", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_readme_snippet_runs(code):
    exec(compile(code, str(README), "exec"), {"__name__": "__main__"})
