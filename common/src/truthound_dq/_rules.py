"""The rule vocabulary (a facade): the rule base, the built-in types and the parser.

``docs/rules.md`` defines what each rule means; each type's definition lives in a module of
its own under ``truthound_dq._rule_types``.
"""

from __future__ import annotations

from truthound_dq._definitions import RULE_CLASSES
from truthound_dq._parse import parse_rules
from truthound_dq._rule import Rule, RuleKind, RuleType, Scalar, Severity
from truthound_dq._rule_types import (
    BUILTIN_RULES,
    Aggregate,
    ColumnExists,
    Compare,
    DType,
    Expression,
    Freshness,
    InRange,
    InSet,
    Monotonic,
    NotInSet,
    NotNull,
    NotRegex,
    Regex,
    RowCount,
    Schema,
    StrLength,
    Unique,
)

__all__ = [
    "RuleType",
    "RuleKind",
    "Severity",
    "Scalar",
    "Rule",
    "NotNull",
    "Unique",
    "Regex",
    "NotRegex",
    "InRange",
    "InSet",
    "NotInSet",
    "StrLength",
    "Compare",
    "Monotonic",
    "Expression",
    "DType",
    "ColumnExists",
    "RowCount",
    "Freshness",
    "Aggregate",
    "Schema",
    "RULE_CLASSES",
    "VALUE_RULE_TYPES",
    "parse_rules",
]

VALUE_RULE_TYPES = frozenset(str(c.type) for c in BUILTIN_RULES if c.kind == RuleKind.VALUE)
"""Built-in rules over the non-missing values of a column (missing values are skipped)."""
