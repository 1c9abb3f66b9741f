"""docs/spark.md's python blocks run as written, in order, on the local Spark session,
and print what the page says they print."""

import contextlib
import io
import re
from pathlib import Path

import pytest

from truthound_dq import unregister_rule
from truthound_dq.testing import local_spark_session

pytestmark = pytest.mark.spark

PAGE = Path(__file__).parents[3] / "docs" / "spark.md"
FENCE = re.compile(r"^```python\n(.*?)^```", flags=re.S | re.M)


def test_spark_page_snippets_run() -> None:
    local_spark_session()  # (the page's builder gets this session)
    blocks = FENCE.findall(PAGE.read_text(encoding="utf-8"))
    assert len(blocks) >= 2
    namespace: dict[str, object] = {"__name__": "__main__"}
    try:
        for i, code in enumerate(blocks):
            out = io.StringIO()
            try:
                with contextlib.redirect_stdout(out):
                    exec(compile(code, f"spark.md (python block {i})", "exec"), namespace)
            except Exception as exc:
                raise AssertionError(f"spark.md, python block {i} failed: {exc!r}") from exc
            # What the page says a block prints (its "# " lines) is what it prints.
            expected = [line[2:] for line in code.splitlines() if line.startswith("# ")]
            if expected:
                assert out.getvalue().splitlines() == expected, i
    finally:
        unregister_rule("even")
