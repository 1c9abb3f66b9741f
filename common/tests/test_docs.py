"""Every Python snippet of docs/rules.md runs, and prints what the page says it prints."""

import contextlib
import io
import re
from pathlib import Path

import pytest

DOC = Path(__file__).parents[2] / "docs" / "rules.md"
BLOCKS = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)


@pytest.mark.parametrize("code", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_snippet_runs(code):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, str(DOC), "exec"), {})
    expected = [line[2:] for line in code.splitlines() if line.startswith("# ")]
    if expected:
        assert out.getvalue().splitlines() == expected


def test_rules_snippet_is_valid():
    from truthound_dq import parse_rules

    namespace: dict = {}
    exec(BLOCKS[0], namespace)
    assert len(parse_rules(namespace["rules"])) == 7
