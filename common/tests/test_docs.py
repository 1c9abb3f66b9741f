"""Every Python snippet of docs/rules.md runs, and prints what the page says it prints.

A page's titled YAML/JSON blocks (```yaml title="x.yaml") are files its snippets read: they
are written to the working directory first.
"""

import contextlib
import io
import re
from pathlib import Path

import pytest

DOCS = Path(__file__).parents[2] / "docs"
DOC = DOCS / "rules.md"
BLOCKS = re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
FILES = re.compile(r'^```(?:yaml|json) title="([^"]+)"\n(.*?)^```', flags=re.S | re.M)


@pytest.fixture
def page_files(tmp_path, monkeypatch):
    """Write a page's titled blocks into a fresh working directory."""

    def write(page: Path) -> dict[str, Path]:
        written = {}
        for name, text in FILES.findall(page.read_text(encoding="utf-8")):
            written[name] = tmp_path / name
            written[name].write_text(text, encoding="utf-8")
        monkeypatch.chdir(tmp_path)
        return written

    return write


def _run(page: Path, codes: list[str], namespace: dict[str, object]) -> None:
    for code in codes:
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, str(page), "exec"), namespace)
        expected = [line[2:] for line in code.splitlines() if line.startswith("# ")]
        if expected:
            assert out.getvalue().splitlines() == expected


@pytest.mark.parametrize("code", BLOCKS, ids=[f"block{i}" for i in range(len(BLOCKS))])
def test_snippet_runs(code, page_files):
    page_files(DOC)
    _run(DOC, [code], {})


def test_rule_file_example_is_valid_for_the_published_schema(page_files):
    import json

    import jsonschema

    from truthound_dq._files import _parse_yaml

    (path,) = page_files(DOC).values()
    document, _ = _parse_yaml(path.read_text(encoding="utf-8"), path.name)
    schema = json.loads((DOCS / "rules.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(document)
    assert path.read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=rules.schema.json\n"
    )


def test_custom_rules_page_runs_in_order(monkeypatch):
    # The page registers rule types and checks with the engine; here the oracle stands in
    # for get_engine (no adapter is installed in this session); the docs session runs the
    # page as written against Truthound.
    import truthound_dq
    from truthound_dq import unregister_rule
    from truthound_dq.testing import ReferenceEngine

    page = DOCS / "custom-rules.md"
    codes = re.findall(r"```python\n(.*?)```", page.read_text(encoding="utf-8"), flags=re.S)
    reference = ReferenceEngine()
    monkeypatch.setattr(truthound_dq, "get_engine", lambda name="truthound": reference)
    before = set(truthound_dq.RULE_CLASSES)
    try:
        _run(page, codes, {"__name__": "custom_rules_page"})
    finally:
        for name in set(truthound_dq.RULE_CLASSES) - before:
            unregister_rule(name)


def test_rule_table_is_generated_from_the_definitions(monkeypatch):
    import runpy

    monkeypatch.syspath_prepend(str(DOCS))  # the generators import docs/_generated.py
    gen = runpy.run_path(str(DOCS / "gen_rule_table.py"))
    page = DOC.read_text(encoding="utf-8")
    assert gen["replace"](page, gen["render"]()) == page, "run python docs/gen_rule_table.py"


def test_rules_schema_file_is_generated_from_the_definitions(monkeypatch):
    import runpy

    monkeypatch.syspath_prepend(str(DOCS))
    gen = runpy.run_path(str(DOCS / "gen_rules_schema.py"))
    committed = (DOCS / "rules.schema.json").read_text(encoding="utf-8")
    assert gen["render"]() == committed, "run python docs/gen_rules_schema.py"


def test_rules_snippet_is_valid():
    from truthound_dq import parse_rules

    namespace: dict = {}
    exec(BLOCKS[0], namespace)
    assert len(parse_rules(namespace["rules"])) == 7
