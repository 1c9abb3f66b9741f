"""Every ```python block of docs/*.md runs as written, against the real packages.

A page's blocks run in order in one namespace (a page reads top to bottom), on the session's
Prefect test server. Blocks that include a file (``--8<--``) show an example whose own tests
are in test_examples.py. The snippets use every engine, so they run where all adapters are
installed: the nox ``docs`` session, which sets ``TRUTHOUND_PREFECT_DOCS_SNIPPETS=1``.

A block whose first line is a ``# needs pyspark`` comment runs on its own (its own namespace)
in the ``tests_spark`` session instead (marker ``spark``), which has pyspark and Java; the docs
session lists it as skipped, with that reason.
"""

import os
import re
from pathlib import Path

import pytest

DOCS = Path(__file__).parents[3] / "docs"
FENCE = re.compile(r"^```python\n(.*?)^```", flags=re.S | re.M)
# A titled YAML/JSON block (```yaml title="rules.yaml") is a file the page's snippets read.
FILES = re.compile(r'^```(?:yaml|json) title="([^"]+)"\n(.*?)^```', flags=re.S | re.M)
SPARK = re.compile(r"\A\s*# needs pyspark")


def blocks(page: Path) -> list[str]:
    found = FENCE.findall(page.read_text(encoding="utf-8"))
    return [b for b in found if not b.lstrip().startswith("--8<--")]


def snippets(page: Path) -> list[str]:
    """The page's blocks that run in the docs session, in order."""
    return [b for b in blocks(page) if not SPARK.match(b)]


# sla.md's snippets need a saved block first and run in order in test_docs_sla.py; spark.md's
# need a Spark session and run in the tests_spark session (common/tests/spark/test_spark_docs.py).
PAGES = [
    p for p in sorted(DOCS.glob("*.md")) if snippets(p) and p.name not in ("sla.md", "spark.md")
]
SPARK_SNIPPETS = [
    pytest.param(code, id=f"{page.stem}-{i}")
    for page in sorted(DOCS.glob("*.md"))
    if page.name != "spark.md"
    for i, code in enumerate(b for b in blocks(page) if SPARK.match(b))
]

docs_session = pytest.mark.skipif(
    os.environ.get("TRUTHOUND_PREFECT_DOCS_SNIPPETS") != "1",
    reason="docs snippets run in the nox docs session (TRUTHOUND_PREFECT_DOCS_SNIPPETS=1)",
)


@docs_session
def test_the_docs_have_snippets():
    names = {p.name for p in PAGES}
    assert {"getting-started.md", "prefect.md", "engines.md", "rules.md"} <= names


@docs_session
@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_page_snippets_run(page, tmp_path, monkeypatch):
    files = FILES.findall(page.read_text(encoding="utf-8"))
    for name, text in files:
        (tmp_path / name).write_text(text, encoding="utf-8")
    if files:  # other pages may read paths relative to the checkout
        monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "__main__"}
    for i, code in enumerate(snippets(page)):
        try:
            exec(compile(code, f"{page.name} (python block {i})", "exec"), namespace)
        except Exception as exc:
            raise AssertionError(f"{page.name}, python block {i} failed: {exc!r}") from exc


def test_the_docs_have_spark_snippets():
    assert len(SPARK_SNIPPETS) >= 1


@pytest.mark.spark
@pytest.mark.parametrize("code", SPARK_SNIPPETS)
def test_spark_snippet_runs(code, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "a Spark snippet of docs/", "exec"), {"__name__": "__main__"})
