"""Rule files: a list of rules kept in version control as YAML or JSON.

A rule file holds either a list of rules or a mapping with a ``rules:`` list (and, optionally,
``version: 1``, a ``description`` and a ``$schema`` for editors). The rules are validated like
any others, with the file's name in the error and, for YAML, each rule's line.

YAML is read with a safe loader (no Python objects are ever built) that resolves plain
scalars as YAML 1.2 does, so a YAML file means what its JSON twin means: ``on``/``yes``/``no``
are strings (YAML 1.1 makes them booleans), ``1e3`` is a number (PyYAML's YAML 1.1 leaves it
a string), ``017`` is 17 (not octal 15), ``1:30`` is a string (not 90), and dates and times
(``2024-01-01``, ``2024-01-01T10:00:00Z``) stay the text written, which bounds accept as
ISO-8601. A key given twice in one mapping is an error (YAML and JSON parsers otherwise keep
the last one silently). Anchors, aliases and merge keys (``<<: *defaults``) work.
"""

from __future__ import annotations

import difflib
import functools
import json
import math
import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from truthound_dq._errors import (
    RuleFileError,
    RuleFileFormatError,
    RuleFileNotFoundError,
    RuleFileSyntaxError,
    RuleFileValidationError,
    RuleValidationError,
)

__all__ = ["load_rules", "RULE_FILE_SUFFIXES", "RULE_FILE_KEYS", "RULE_FILE_VERSION"]

RULE_FILE_SUFFIXES = (".yaml", ".yml", ".json")
RULE_FILE_VERSION = 1
RULE_FILE_KEYS = ("rules", "version", "description", "$schema")
"""The keys a rule file's top-level mapping may have (``rules`` is required)."""


def load_rules(path: str | os.PathLike[str]) -> list[dict[str, Any]]:
    """Read and validate the rules of a YAML (``.yaml``/``.yml``) or JSON (``.json``) file.

    Args:
        path: The file: a list of rules, or a mapping with a ``rules:`` list.

    Returns:
        The rule dicts as written, in order, already validated.

    Raises:
        RuleFileNotFoundError: No file at ``path``.
        RuleFileSyntaxError: Not valid YAML/JSON (with the line and column) or not UTF-8.
        RuleFileFormatError: Another suffix, or a top level that is not rules.
        RuleFileValidationError: The rules are invalid (a ``RuleValidationError``: every
            problem, each with its rule's index and, in YAML, its line).
        RuleFileError: The file cannot be read (a directory, no permission).
    """
    from truthound_dq._parse import parse_rules

    shown = os.fspath(path)
    file = Path(shown)
    suffix = file.suffix.lower()
    if suffix not in RULE_FILE_SUFFIXES:
        raise RuleFileFormatError(
            f"{shown!r} is not a rule file: rule files end in .yaml, .yml or .json "
            "(rules given as a string are a path to one; pass a list for rules themselves)",
            path=shown,
        )
    text = _read(file, shown)
    lines: dict[int, int] = {}
    if suffix == ".json":
        document = _parse_json(text, shown)
    else:
        document, lines = _parse_yaml(text, shown)
    rules = _rules_of(document, shown)
    try:
        parse_rules(rules)
    except RuleValidationError as exc:
        raise RuleFileValidationError(exc.problems, path=shown, lines=lines) from None
    return rules


def _read(file: Path, shown: str) -> str:
    try:
        data = file.read_bytes()
    except FileNotFoundError:
        raise RuleFileNotFoundError(
            f"rule file {shown!r} not found (relative paths are read from the working "
            f"directory, {os.getcwd()!r})",
            path=shown,
        ) from None
    except OSError as exc:
        reason = exc.strerror or type(exc).__name__
        raise RuleFileError(f"rule file {shown!r} cannot be read: {reason}", path=shown) from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise RuleFileSyntaxError(
            f"rule file {shown!r} is not UTF-8 text (byte {exc.start})", path=shown
        ) from None


def _rules_of(document: Any, shown: str) -> list[dict[str, Any]]:
    """The rule list of a parsed document: itself, or its ``rules:``."""
    if isinstance(document, list):
        return document
    if not isinstance(document, Mapping):
        got = "an empty file" if document is None else f"a {type(document).__name__}"
        raise RuleFileFormatError(
            f"rule file {shown!r} holds {got}; it must hold a list of rules or a mapping "
            "with a 'rules' list",
            path=shown,
        )
    problems = []
    for key in document:
        if key not in RULE_FILE_KEYS:
            close = difflib.get_close_matches(str(key), RULE_FILE_KEYS, n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            problems.append(f"unknown top-level key {key!r}{hint}")
    if "rules" not in document:
        problems.append("no 'rules' key")
    elif not isinstance(document["rules"], list):
        problems.append(f"'rules' must be a list, got {type(document['rules']).__name__}")
    version = document.get("version", RULE_FILE_VERSION)
    if version != RULE_FILE_VERSION or isinstance(version, bool):
        problems.append(f"'version' must be {RULE_FILE_VERSION}, got {version!r}")
    if not isinstance(document.get("description", ""), str):
        problems.append("'description' must be a string")
    if problems:
        allowed = ", ".join(RULE_FILE_KEYS)
        raise RuleFileFormatError(
            f"rule file {shown!r}: {'; '.join(problems)} (a rule file's mapping takes {allowed})",
            path=shown,
        )
    rules: list[dict[str, Any]] = document["rules"]
    return rules


# -- JSON -----------------------------------------------------------------------------------


def _parse_json(text: str, shown: str) -> Any:
    def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                raise _DuplicateKey(key)
            out[key] = value
        return out

    try:
        return json.loads(text, object_pairs_hook=unique_keys)
    except json.JSONDecodeError as exc:
        raise RuleFileSyntaxError(
            f"rule file {shown!r} is not valid JSON: {exc.msg} "
            f"(line {exc.lineno}, column {exc.colno})",
            path=shown,
            line=exc.lineno,
            column=exc.colno,
        ) from None
    except _DuplicateKey as exc:
        # json gives no position for a pair; name the key instead.
        raise RuleFileSyntaxError(
            f"rule file {shown!r}: key {exc.key!r} is given twice in one object", path=shown
        ) from None


class _DuplicateKey(Exception):
    def __init__(self, key: str) -> None:
        self.key = key


# -- YAML -----------------------------------------------------------------------------------

# YAML 1.2 core schema for plain (unquoted) scalars; everything else is a string.
_MERGE = "tag:yaml.org,2002:merge"
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_INT = re.compile(r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)


@functools.cache
def _yaml_loader() -> type[Any]:
    import yaml

    class Loader(yaml.SafeLoader):
        """SafeLoader with YAML 1.2 plain scalars and refused duplicate keys."""

        def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
            seen: dict[Any, Any] = {}
            for key_node, _ in node.value:
                if key_node.tag == _MERGE:  # `<<: *defaults`, flattened by the base class
                    continue
                key = self.construct_object(key_node, deep=deep)
                if key in seen:
                    mark = key_node.start_mark
                    raise yaml.constructor.ConstructorError(
                        None, None, f"key {key!r} is given twice in one mapping", mark
                    )
                seen[key] = True
            return super().construct_mapping(node, deep=deep)

    # Replace YAML 1.1's implicit resolvers (bool, int, float, null, timestamp...) wholesale.
    Loader.yaml_implicit_resolvers = {}
    for tag, pattern, first in (
        ("merge", re.compile(r"^<<$"), ["<"]),  # YAML 1.1's merge key, which editors know
        ("null", _NULL, ["", "~", "n", "N"]),
        ("bool", _BOOL, list("tTfF")),
        ("int", _INT, list("-+0123456789")),
        ("float", _FLOAT, list("-+.0123456789")),
    ):
        Loader.add_implicit_resolver(f"tag:yaml.org,2002:{tag}", pattern, first)
    Loader.add_constructor("tag:yaml.org,2002:int", _construct_int)
    Loader.add_constructor("tag:yaml.org,2002:float", _construct_float)
    # An explicit !!timestamp (or a date written by another tool) stays its text too.
    Loader.add_constructor("tag:yaml.org,2002:timestamp", _construct_text)
    return Loader


def _construct_text(loader: Any, node: Any) -> str:
    return str(loader.construct_scalar(node))


def _construct_int(loader: Any, node: Any) -> int:
    text = loader.construct_scalar(node)
    if text.startswith("0o"):
        return int(text[2:], 8)
    if text.startswith("0x"):
        return int(text[2:], 16)
    return int(text, 10)


def _construct_float(loader: Any, node: Any) -> float:
    text = loader.construct_scalar(node).lower()
    if text.endswith(".inf"):
        return -math.inf if text.startswith("-") else math.inf
    if text == ".nan":
        return math.nan
    return float(text)


def _parse_yaml(text: str, shown: str) -> tuple[Any, dict[int, int]]:
    """The document and, when it is rules, the 1-based line of each rule."""
    import yaml

    loader = _yaml_loader()(text)
    try:
        node = loader.get_single_node()
        document = None if node is None else loader.construct_document(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        where = f" (line {line}, column {column})" if line is not None else ""
        raise RuleFileSyntaxError(
            f"rule file {shown!r} is not valid YAML: {problem}{where}",
            path=shown,
            line=line,
            column=column,
        ) from None
    finally:
        loader.dispose()
    return document, _rule_lines(node)


def _rule_lines(node: Any) -> dict[int, int]:
    import yaml

    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == "rules":
                node = value
                break
    if not isinstance(node, yaml.SequenceNode):
        return {}
    return {i: item.start_mark.line + 1 for i, item in enumerate(node.value)}
