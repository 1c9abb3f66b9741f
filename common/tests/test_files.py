"""Rule files: YAML and JSON in, validated rule dicts out, every bad file a named error."""

import json
import os

import pytest

from truthound_dq import (
    RuleFileError,
    RuleFileFormatError,
    RuleFileNotFoundError,
    RuleFileSyntaxError,
    RuleFileValidationError,
    RuleValidationError,
    load_rules,
)

RULES = [
    {"column": "id", "type": "not_null"},
    {"column": "age", "type": "in_range", "min": 0, "max": 150},
]


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("suffix", [".yaml", ".yml", ".YAML"])
def test_yaml_list_and_mapping(tmp_path, suffix):
    listed = _write(
        tmp_path,
        f"list{suffix}",
        "- {column: id, type: not_null}\n- {column: age, type: in_range, min: 0, max: 150}\n",
    )
    mapped = _write(
        tmp_path,
        f"map{suffix}",
        "# yaml-language-server: $schema=rules.schema.json\n"
        "version: 1\n"
        "description: people\n"
        "rules:\n"
        "  - column: id\n"
        "    type: not_null\n"
        "  - {column: age, type: in_range, min: 0, max: 150}\n",
    )
    assert load_rules(listed) == RULES
    assert load_rules(str(mapped)) == RULES


def test_json_list_and_mapping(tmp_path):
    listed = _write(tmp_path, "r.json", json.dumps(RULES))
    mapped = _write(tmp_path, "m.json", json.dumps({"$schema": "x", "rules": RULES}))
    assert load_rules(listed) == RULES == load_rules(mapped)
    assert load_rules(_write(tmp_path, "empty.json", '{"rules": []}')) == []


def test_yaml_scalars_mean_what_json_means(tmp_path):
    # YAML 1.1 (PyYAML's safe_load) would read on/yes/no as booleans, 1e3 as a string,
    # 017 as octal 15, 1:30 as 90 and 2024-01-01 as a date; YAML 1.2 and JSON do not.
    from truthound_dq._files import _parse_yaml

    text = (
        "[on, yes, no, off, y, true, False, TRUE, ~, null, '', 1e3, 017, 0x1F, 0o17, -2.5,"
        " .5, 1_0, .inf, -.Inf, 1:30, 2024-01-01, 2024-01-01T10:00:00Z, !!timestamp 2024-01-02]"
    )
    document, _ = _parse_yaml(text, "x.yaml")
    assert document == [
        "on", "yes", "no", "off", "y", True, False, True, None, None, "", 1000.0, 17, 31,
        15, -2.5, 0.5, "1_0", float("inf"), float("-inf"), "1:30", "2024-01-01",
        "2024-01-01T10:00:00Z", "2024-01-02",
    ]  # fmt: skip
    path = _write(tmp_path, "flags.yaml", "- {column: flag, type: in_set, values: [on, off]}\n")
    assert load_rules(path)[0]["values"] == ["on", "off"]


def test_yaml_null_and_infinity(tmp_path):
    path = _write(tmp_path, "n.yaml", "- {column: a, type: in_range, min: ~, max: .inf}\n")
    with pytest.raises(RuleFileValidationError, match="'max' must be a finite number"):
        load_rules(path)


def test_invalid_rules_name_the_file_index_and_line(tmp_path):
    path = _write(
        tmp_path,
        "bad.yaml",
        "rules:\n"
        "  - {column: id, type: not_null}\n"
        "  - column: age\n"
        "    check: in_range\n"
        "  - {column: age, type: in_range, min: 10, max: 1}\n",
    )
    with pytest.raises(RuleFileValidationError) as info:
        load_rules(path)
    error = info.value
    assert isinstance(error, RuleValidationError) and isinstance(error, RuleFileError)
    assert [p.index for p in error.problems] == [1, 2]
    assert error.path == str(path) and error.lines == {0: 2, 1: 3, 2: 5}
    assert str(error).splitlines() == [
        f"2 problems in the rules of {path}:",
        "  - rule 1 (line 3): missing key 'type' (the key is 'type', not 'check')",
        "  - rule 2 (line 5): 'min' 10 is greater than 'max' 1",
    ]


def test_invalid_json_rules_name_the_file(tmp_path):
    path = _write(tmp_path, "bad.json", json.dumps([{"column": "id", "type": "nul"}]))
    with pytest.raises(RuleFileValidationError, match=r"in the rules of .*bad\.json:\n  - rule 0"):
        load_rules(path)


def test_missing_file(tmp_path):
    with pytest.raises(RuleFileNotFoundError, match="not found") as info:
        load_rules(tmp_path / "nope.yaml")
    assert isinstance(info.value, FileNotFoundError)


def test_a_string_that_is_no_rule_file_is_refused(tmp_path):
    with pytest.raises(RuleFileFormatError, match="not a rule file"):
        load_rules("not_null")
    with pytest.raises(RuleFileFormatError, match="not a rule file"):
        load_rules(_write(tmp_path, "rules.txt", "[]"))


def test_unreadable(tmp_path):
    (tmp_path / "dir.yaml").mkdir()
    with pytest.raises(RuleFileError, match="cannot be read"):
        load_rules(tmp_path / "dir.yaml")
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("- {column: caf\xe9, type: not_null}\n".encode("latin-1"))
    with pytest.raises(RuleFileSyntaxError, match="not UTF-8"):
        load_rules(latin)


@pytest.mark.parametrize(
    ("name", "text", "line", "column"),
    [
        ("s.yaml", "rules:\n  - {column: id, type: not_null\n", 3, 1),
        ("d.yaml", "- {column: id, type: not_null, column: x}\n", 1, 32),
        ("two.yaml", "- {column: id, type: not_null}\n---\n- {}\n", 2, 1),
        ("s.json", '[\n  {"column": "id",, "type": "not_null"}\n]', 2, 19),
    ],
)
def test_syntax_errors_say_where(tmp_path, name, text, line, column):
    with pytest.raises(RuleFileSyntaxError) as info:
        load_rules(_write(tmp_path, name, text))
    assert (info.value.line, info.value.column) == (line, column)
    assert f"line {line}, column {column}" in str(info.value)


def test_duplicate_json_key(tmp_path):
    path = _write(tmp_path, "d.json", '[{"column": "a", "type": "not_null", "type": "unique"}]')
    with pytest.raises(RuleFileSyntaxError, match="'type' is given twice"):
        load_rules(path)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "holds an empty file"),
        ("not_null\n", "holds a str"),
        ("{column: id, type: not_null}\n", "unknown top-level key 'column'.*no 'rules' key"),
        ("rule:\n  - {column: id, type: not_null}\n", "'rule' \\(did you mean 'rules'\\?\\)"),
        ("rules: {column: id, type: not_null}\n", "'rules' must be a list, got dict"),
        ("version: 2\nrules: []\n", "'version' must be 1, got 2"),
        ("version: true\nrules: []\n", "'version' must be 1, got True"),
        ("description: [a]\nrules: []\n", "'description' must be a string"),
    ],
)
def test_wrong_shape(tmp_path, text, message):
    with pytest.raises(RuleFileFormatError, match=message):
        load_rules(_write(tmp_path, "shape.yaml", text))


def test_relative_paths_are_read_from_the_working_directory(tmp_path, monkeypatch):
    _write(tmp_path, "rules.yml", "- {column: id, type: not_null}\n")
    monkeypatch.chdir(tmp_path)
    assert load_rules("rules.yml") == RULES[:1]
    assert load_rules(os.path.join(".", "rules.yml")) == RULES[:1]


def test_anchors_and_merge_keys(tmp_path):
    path = _write(
        tmp_path,
        "merge.yaml",
        "- &soft {column: a, type: not_null, severity: warning}\n"
        "- {<<: *soft, column: b}\n"
        "- {<<: *soft, column: c, column: d}\n",
    )
    with pytest.raises(RuleFileSyntaxError, match="'column' is given twice"):
        load_rules(path)
    path.write_text(path.read_text().replace(", column: d", ""), encoding="utf-8")
    assert [(r["column"], r["severity"]) for r in load_rules(path)] == [
        ("a", "warning"),
        ("b", "warning"),
        ("c", "warning"),
    ]
