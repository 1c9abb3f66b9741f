"""Rule dicts in, typed frozen rules out, every problem reported at once.

Rules arrive as plain dicts (they live in saved Prefect blocks and flow parameters) and are
parsed here, once, before any engine sees them. The type's definition (its ``Rule`` subclass)
validates its own parameters.
"""

from __future__ import annotations

import dataclasses
import difflib
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from truthound_dq._definitions import advertised_rule_types, rule_class
from truthound_dq._errors import RuleProblem, RuleValidationError
from truthound_dq._params import is_number, plain_value
from truthound_dq._rule import Rule, RuleKind, Severity

__all__ = ["parse_rules"]

_COMMON_KEYS = ("type", "column", "name", "severity", "mostly", "where", "max_failures")
_SEVERITIES = frozenset(s.value for s in Severity)


@dataclass
class _Parser:
    """Collects every problem of one rule list instead of stopping at the first."""

    problems: list[RuleProblem] = field(default_factory=list)

    def fail(self, index: int | None, message: str) -> None:
        self.problems.append(RuleProblem(index, message))

    def parse(self, index: int, raw: object) -> Rule | None:
        if isinstance(raw, Rule):
            return raw
        if not isinstance(raw, Mapping):
            self.fail(
                index,
                f"must be a dict like {{'column': 'id', 'type': 'not_null'}}, "
                f"got {type(raw).__name__}",
            )
            return None
        before = len(self.problems)
        cls = self._rule_class(index, raw)
        if cls is None:
            return None
        allowed = (*_COMMON_KEYS, *cls._params)
        for key in raw:
            if key not in allowed:
                hint = _did_you_mean(str(key), allowed)
                self.fail(index, f"unknown key {key!r} for {cls.type}{hint}")
        kwargs: dict[str, Any] = {
            "column": self._column(index, raw, cls),
            "severity": self._severity(index, raw),
            "mostly": self._mostly(index, raw, cls),
            "where": self._where(index, raw, cls),
            "max_failures": self._max_failures(index, raw, cls),
        }
        kwargs.update(cls.parse_parameters(raw, lambda message: self.fail(index, message)))
        name = plain_value(raw.get("name"))
        if name is not None and (not isinstance(name, str) or not name.strip()):
            self.fail(index, f"'name' must be a non-empty string, got {name!r}")
        if len(self.problems) > before:
            return None
        kwargs["name"] = name or default_name(cls, kwargs)
        try:
            return cls(**kwargs)
        except (TypeError, ValueError) as exc:
            self.fail(index, f"{cls.type}: {exc}")
            return None

    def _rule_class(self, index: int, raw: Mapping[Any, Any]) -> type[Rule] | None:
        if "type" not in raw:
            hint = " (the key is 'type', not 'check')" if "check" in raw else ""
            self.fail(index, f"missing key 'type'{hint}")
            return None
        value = plain_value(raw["type"])
        cls = rule_class(value) if isinstance(value, str) else None
        if cls is None:
            known = advertised_rule_types()
            hint = _did_you_mean(str(value), known)
            self.fail(index, f"unknown type {value!r}{hint}; known types: {', '.join(known)}")
        return cls

    def _column(self, index: int, raw: Mapping[Any, Any], cls: type[Rule]) -> str | None:
        column = plain_value(raw.get("column"))
        if cls.needs_column is False:
            if column is not None:
                what = "is table-level" if cls.kind is RuleKind.TABLE else "names its columns"
                self.fail(index, f"{cls.type} {what} and takes no 'column'")
            return None
        if column is None:
            if cls.needs_column is None:
                return None  # optional: the type's parse_parameters decides
            self.fail(index, f"missing key 'column' for {cls.type}")
        elif not isinstance(column, str) or not column:
            self.fail(index, f"'column' must be a non-empty string, got {column!r}")
        return column if isinstance(column, str) else None

    def _severity(self, index: int, raw: Mapping[Any, Any]) -> Severity:
        value = plain_value(raw.get("severity", Severity.ERROR))
        if isinstance(value, str) and value in _SEVERITIES:
            return Severity(value)
        self.fail(index, f"'severity' must be 'error' or 'warning', got {value!r}")
        return Severity.ERROR

    def _mostly(self, index: int, raw: Mapping[Any, Any], cls: type[Rule]) -> float:
        value = plain_value(raw.get("mostly", 1.0))
        if not is_number(value) or not 0 < value <= 1:  # type: ignore[operator]
            self.fail(index, f"'mostly' must be a fraction in (0, 1], got {value!r}")
            return 1.0
        if cls.kind is RuleKind.TABLE and value != 1:
            self.fail(index, f"{cls.type} is a single yes/no check and takes no 'mostly'")
        return float(value)  # type: ignore[arg-type]

    def _where(self, index: int, raw: Mapping[Any, Any], cls: type[Rule]) -> str | None:
        from truthound_dq._sql import SQLTextError, sql_columns

        value = plain_value(raw.get("where"))
        if value is None:
            return None
        if not cls.takes_where():
            self.fail(index, f"{cls.type} is a single check of the table and takes no 'where'")
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(index, f"'where' must be a SQL condition as text, got {value!r}")
            return None
        try:
            sql_columns(value)
        except SQLTextError as exc:
            self.fail(index, f"'where': {exc}")
            return None
        return value

    def _max_failures(self, index: int, raw: Mapping[Any, Any], cls: type[Rule]) -> int | None:
        value = plain_value(raw.get("max_failures"))
        if value is None:
            return None
        if cls.kind is RuleKind.TABLE:
            self.fail(index, f"{cls.type} is a single yes/no check and takes no 'max_failures'")
            return None
        if (
            not is_number(value)
            or not float(value).is_integer()  # type: ignore[arg-type]
            or value < 0  # type: ignore[operator]
        ):
            self.fail(index, f"'max_failures' must be a whole number >= 0, got {value!r}")
            return None
        return int(value)  # type: ignore[call-overload, no-any-return]


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _default_name(rule_type: str, column: str | None) -> str:
    return rule_type if column is None else f"{rule_type}({column})"


def default_name(cls: type[Rule], kwargs: Mapping[str, Any]) -> str:
    """The name of a rule without one: the type's ``default_name`` or ``type(column)``."""
    custom = cls.default_name(kwargs)
    return custom if custom is not None else _default_name(str(cls.type), kwargs.get("column"))


def parse_rules(rules: Iterable[Mapping[str, Any] | Rule] | None) -> tuple[Rule, ...]:
    """Parse and validate rule dicts (or already-parsed rules) into typed rules.

    Args:
        rules: A list of rule dicts such as ``{"column": "id", "type": "not_null"}``.

    Returns:
        The rules in the order given, each with a unique name.

    Raises:
        RuleValidationError: Listing every problem found, each with its rule's index.
        RuleDefinitionError: A rule type's plugin fails to load.
    """
    parser = _Parser()
    if rules is None:
        return ()
    if isinstance(rules, Mapping | str | bytes) or not isinstance(rules, Iterable):
        hint = (
            " (a rule file? read it with truthound_dq.load_rules(path))"
            if isinstance(rules, str | os.PathLike)
            else ""
        )
        raise RuleValidationError(
            [
                RuleProblem(
                    None, f"rules must be a list of rule dicts, got {type(rules).__name__}{hint}"
                )
            ]
        )
    parsed: list[Rule] = []
    names: dict[str, int] = {}
    suffixes: dict[str, int] = {}
    for index, raw in enumerate(rules):
        rule = parser.parse(index, raw)
        if rule is None:
            continue
        if rule.name in names:
            explicit = isinstance(raw, Mapping) and raw.get("name") is not None
            if explicit or isinstance(raw, Rule):
                parser.fail(index, f"name {rule.name!r} is already used by rule {names[rule.name]}")
                continue
            rule = _renamed(rule, names, suffixes)
        names[rule.name] = index
        parsed.append(rule)
    if parser.problems:
        raise RuleValidationError(parser.problems)
    return tuple(parsed)


def _renamed(rule: Rule, taken: Mapping[str, int], suffixes: dict[str, int]) -> Rule:
    """Give a defaulted duplicate name a suffix: ``regex(email)#2``.

    ``suffixes`` remembers the last suffix per name, so 10,000 rules on one column do not
    search from #2 each time.
    """
    suffix = suffixes.get(rule.name, 1) + 1
    while f"{rule.name}#{suffix}" in taken:
        suffix += 1
    suffixes[rule.name] = suffix
    return dataclasses.replace(rule, name=f"{rule.name}#{suffix}")
