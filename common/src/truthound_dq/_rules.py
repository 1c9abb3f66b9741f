"""The rule vocabulary: rule dicts in, typed frozen rules out, every problem reported at once.

Rules arrive as plain dicts (they live in saved Prefect blocks and flow parameters) and are
parsed here, once, before any engine sees them. ``docs/rules.md`` defines what each rule means.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, ClassVar, TypeAlias

from truthound_dq._dtypes import normalize_dtype_spec
from truthound_dq._errors import RuleProblem, RuleValidationError

__all__ = [
    "RuleType",
    "Severity",
    "Scalar",
    "Rule",
    "NotNull",
    "Unique",
    "Regex",
    "InRange",
    "InSet",
    "NotInSet",
    "StrLength",
    "DType",
    "ColumnExists",
    "RowCount",
    "RULE_CLASSES",
    "VALUE_RULE_TYPES",
    "parse_rules",
]

Scalar: TypeAlias = str | int | float | bool
"""A value a rule may hold (``in_set`` members, range bounds)."""


class RuleType(StrEnum):
    """Every rule type of the vocabulary."""

    NOT_NULL = "not_null"
    UNIQUE = "unique"
    REGEX = "regex"
    IN_RANGE = "in_range"
    IN_SET = "in_set"
    NOT_IN_SET = "not_in_set"
    STR_LENGTH = "str_length"
    DTYPE = "dtype"
    COLUMN_EXISTS = "column_exists"
    ROW_COUNT = "row_count"


class Severity(StrEnum):
    """How a failed rule weighs: ``error`` fails the check, ``warning`` only warns."""

    ERROR = "error"
    WARNING = "warning"


VALUE_RULE_TYPES = frozenset(
    {
        RuleType.UNIQUE,
        RuleType.REGEX,
        RuleType.IN_RANGE,
        RuleType.IN_SET,
        RuleType.NOT_IN_SET,
        RuleType.STR_LENGTH,
    }
)
"""Rules over the non-missing values of a column (missing values are skipped)."""

_WHOLE_RULE_TYPES = frozenset({RuleType.DTYPE, RuleType.COLUMN_EXISTS, RuleType.ROW_COUNT})


@dataclass(frozen=True, slots=True, kw_only=True)
class Rule:
    """A parsed, valid rule. Build rules with :func:`parse_rules`, not directly.

    Attributes:
        name: Unique within one check; defaults to ``type(column)``, e.g. ``not_null(id)``.
        column: The column the rule applies to (None only for ``row_count``).
        severity: ``error`` (a failure fails the check) or ``warning``.
        mostly: Fraction of rows (0, 1] that must pass for the rule to pass.
    """

    type: ClassVar[RuleType]
    _params: ClassVar[tuple[str, ...]] = ()

    name: str
    column: str | None = None
    severity: Severity = Severity.ERROR
    mostly: float = 1.0

    @property
    def parameters(self) -> dict[str, Any]:
        """The type-specific parameters as JSON values (``pattern``, ``min``, ``values``...)."""
        params: dict[str, Any] = {}
        for key in self._params:
            value = getattr(self, key)
            if value is None:
                continue
            params[key] = list(value) if isinstance(value, tuple) else value
        return params

    def to_dict(self) -> dict[str, Any]:
        """The rule as the dict :func:`parse_rules` accepts (round-trips)."""
        out: dict[str, Any] = {"type": self.type.value}
        if self.column is not None:
            out["column"] = self.column
        out.update(self.parameters)
        out["name"] = self.name
        if self.severity is not Severity.ERROR:
            out["severity"] = self.severity.value
        if self.mostly != 1.0:
            out["mostly"] = self.mostly
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class NotNull(Rule):
    """No missing values (null, or NaN in a float column)."""

    type: ClassVar[RuleType] = RuleType.NOT_NULL


@dataclass(frozen=True, slots=True, kw_only=True)
class Unique(Rule):
    """No non-missing value occurs more than once."""

    type: ClassVar[RuleType] = RuleType.UNIQUE


@dataclass(frozen=True, slots=True, kw_only=True)
class Regex(Rule):
    """Every non-missing value contains a match of ``pattern`` (search semantics)."""

    type: ClassVar[RuleType] = RuleType.REGEX
    _params: ClassVar[tuple[str, ...]] = ("pattern",)
    pattern: str


@dataclass(frozen=True, slots=True, kw_only=True)
class InRange(Rule):
    """Every non-missing value lies in ``[min, max]`` (inclusive; either may be open)."""

    type: ClassVar[RuleType] = RuleType.IN_RANGE
    _params: ClassVar[tuple[str, ...]] = ("min", "max")
    min: int | float | None = None
    max: int | float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class InSet(Rule):
    """Every non-missing value is one of ``values``."""

    type: ClassVar[RuleType] = RuleType.IN_SET
    _params: ClassVar[tuple[str, ...]] = ("values",)
    values: tuple[Scalar, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class NotInSet(Rule):
    """No non-missing value is one of ``values``."""

    type: ClassVar[RuleType] = RuleType.NOT_IN_SET
    _params: ClassVar[tuple[str, ...]] = ("values",)
    values: tuple[Scalar, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class StrLength(Rule):
    """Every non-missing string has ``min <= len <= max`` characters (code points)."""

    type: ClassVar[RuleType] = RuleType.STR_LENGTH
    _params: ClassVar[tuple[str, ...]] = ("min", "max")
    min: int | None = None
    max: int | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class DType(Rule):
    """The column's dtype is ``dtype`` (a Polars dtype name or a family such as ``integer``)."""

    type: ClassVar[RuleType] = RuleType.DTYPE
    _params: ClassVar[tuple[str, ...]] = ("dtype",)
    dtype: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ColumnExists(Rule):
    """The data has the column."""

    type: ClassVar[RuleType] = RuleType.COLUMN_EXISTS


@dataclass(frozen=True, slots=True, kw_only=True)
class RowCount(Rule):
    """The table has ``min <= rows <= max`` rows (table-level: no column)."""

    type: ClassVar[RuleType] = RuleType.ROW_COUNT
    _params: ClassVar[tuple[str, ...]] = ("min", "max")
    min: int | None = None
    max: int | None = None


RULE_CLASSES: Mapping[RuleType, type[Rule]] = {
    cls.type: cls
    for cls in (
        NotNull,
        Unique,
        Regex,
        InRange,
        InSet,
        NotInSet,
        StrLength,
        DType,
        ColumnExists,
        RowCount,
    )
}

_COMMON_KEYS = ("type", "column", "name", "severity", "mostly")


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
        rule_type = self._rule_type(index, raw)
        if rule_type is None:
            return None
        cls = RULE_CLASSES[rule_type]
        allowed = (*_COMMON_KEYS, *cls._params)
        for key in raw:
            if key not in allowed:
                hint = _did_you_mean(str(key), allowed)
                self.fail(index, f"unknown key {key!r} for {rule_type.value}{hint}")
        kwargs: dict[str, Any] = {
            "column": self._column(index, raw, rule_type),
            "severity": self._severity(index, raw),
            "mostly": self._mostly(index, raw, rule_type),
        }
        kwargs.update(self._params(index, raw, rule_type))
        name = raw.get("name")
        if name is not None and (not isinstance(name, str) or not name.strip()):
            self.fail(index, f"'name' must be a non-empty string, got {name!r}")
        if len(self.problems) > before:
            return None
        kwargs["name"] = name or _default_name(rule_type, kwargs["column"])
        return cls(**kwargs)

    def _rule_type(self, index: int, raw: Mapping[Any, Any]) -> RuleType | None:
        if "type" not in raw:
            hint = " (the key is 'type', not 'check')" if "check" in raw else ""
            self.fail(index, f"missing key 'type'{hint}")
            return None
        value = raw["type"]
        try:
            return RuleType(value)
        except ValueError:
            known = [t.value for t in RuleType]
            hint = _did_you_mean(str(value), known)
            self.fail(index, f"unknown type {value!r}{hint}; known types: {', '.join(known)}")
            return None

    def _column(self, index: int, raw: Mapping[Any, Any], rule_type: RuleType) -> str | None:
        column = raw.get("column")
        if rule_type is RuleType.ROW_COUNT:
            if column is not None:
                self.fail(index, "row_count is table-level and takes no 'column'")
            return None
        if column is None:
            self.fail(index, f"missing key 'column' for {rule_type.value}")
        elif not isinstance(column, str) or not column:
            self.fail(index, f"'column' must be a non-empty string, got {column!r}")
        return column if isinstance(column, str) else None

    def _severity(self, index: int, raw: Mapping[Any, Any]) -> Severity:
        value = raw.get("severity", Severity.ERROR)
        try:
            return Severity(value)
        except ValueError:
            self.fail(index, f"'severity' must be 'error' or 'warning', got {value!r}")
            return Severity.ERROR

    def _mostly(self, index: int, raw: Mapping[Any, Any], rule_type: RuleType) -> float:
        value = raw.get("mostly", 1.0)
        if not _is_number(value) or not 0 < value <= 1:
            self.fail(index, f"'mostly' must be a fraction in (0, 1], got {value!r}")
            return 1.0
        if rule_type in _WHOLE_RULE_TYPES and value != 1:
            self.fail(index, f"{rule_type.value} is a single yes/no check and takes no 'mostly'")
        return float(value)

    def _params(self, index: int, raw: Mapping[Any, Any], rule_type: RuleType) -> dict[str, Any]:
        if rule_type is RuleType.REGEX:
            return {"pattern": self._pattern(index, raw)}
        if rule_type is RuleType.IN_RANGE:
            return self._bounds(index, raw, integer=False)
        if rule_type in (RuleType.STR_LENGTH, RuleType.ROW_COUNT):
            return self._bounds(index, raw, integer=True)
        if rule_type in (RuleType.IN_SET, RuleType.NOT_IN_SET):
            return {"values": self._values(index, raw)}
        if rule_type is RuleType.DTYPE:
            return {"dtype": self._dtype(index, raw)}
        return {}

    def _pattern(self, index: int, raw: Mapping[Any, Any]) -> str:
        pattern = raw.get("pattern")
        if not isinstance(pattern, str):
            self.fail(index, f"regex needs 'pattern' as a string, got {pattern!r}")
            return ""
        try:
            re.compile(pattern)
        except re.error as exc:
            self.fail(index, f"pattern {pattern!r} does not compile: {exc}")
            return pattern
        if (problem := _portable_regex_problem(pattern)) is not None:
            self.fail(index, problem)
        return pattern

    def _bounds(self, index: int, raw: Mapping[Any, Any], *, integer: bool) -> dict[str, Any]:
        bounds: dict[str, Any] = {"min": None, "max": None}
        given = [key for key in ("min", "max") if raw.get(key) is not None]
        if not given:
            self.fail(index, f"{raw['type']} needs 'min', 'max' or both")
        for key in given:
            value = raw[key]
            if integer and not (_is_number(value) and float(value).is_integer() and value >= 0):
                self.fail(index, f"'{key}' must be a non-negative whole number, got {value!r}")
            elif not integer and not (_is_number(value) and math.isfinite(value)):
                self.fail(index, f"'{key}' must be a finite number, got {value!r}")
            else:
                bounds[key] = int(value) if integer else value
        lo, hi = bounds["min"], bounds["max"]
        if lo is not None and hi is not None and lo > hi:
            self.fail(index, f"'min' {lo!r} is greater than 'max' {hi!r}")
        return bounds

    def _values(self, index: int, raw: Mapping[Any, Any]) -> tuple[Scalar, ...]:
        values = raw.get("values")
        if isinstance(values, str | bytes) or not isinstance(
            values, list | tuple | set | frozenset
        ):
            self.fail(index, f"'values' must be a list of values, got {values!r}")
            return ()
        if not values:
            self.fail(index, "'values' must not be empty")
            return ()
        kinds: set[str] = set()
        for value in values:
            if value is None:
                self.fail(
                    index,
                    "'values' must not contain None (missing values are skipped; "
                    "use not_null to forbid them)",
                )
            elif isinstance(value, bool):
                kinds.add("boolean")
            elif isinstance(value, str):
                kinds.add("string")
            elif _is_number(value) and math.isfinite(value):
                kinds.add("number")
            else:
                self.fail(index, f"'values' may hold strings, numbers or booleans, got {value!r}")
        if len(kinds) > 1:
            self.fail(index, f"'values' mixes {' and '.join(sorted(kinds))}; use one kind")
        ordered = sorted(values, key=repr) if isinstance(values, set | frozenset) else values
        return tuple(ordered)

    def _dtype(self, index: int, raw: Mapping[Any, Any]) -> str:
        value = raw.get("dtype")
        spec = normalize_dtype_spec(value) if isinstance(value, str) else None
        if spec is None:
            self.fail(
                index,
                f"'dtype' must be a Polars dtype name (Int64, String, ...) or one of integer, "
                f"float, numeric, string, boolean, date, datetime; got {value!r}",
            )
            return ""
        return spec


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _did_you_mean(word: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(word, list(choices), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _default_name(rule_type: RuleType, column: str | None) -> str:
    return rule_type.value if column is None else f"{rule_type.value}({column})"


def _portable_regex_problem(pattern: str) -> str | None:
    """Reject patterns that some engines' regex dialects cannot run.

    Polars-based engines (Truthound, Pandera) use the Rust ``regex`` crate, which has no
    look-around and no back-references; Great Expectations uses Python's ``re``. A pattern that
    only one dialect accepts would mean different things on different engines, so it is refused.
    """
    import polars as pl

    try:
        pl.select(pl.lit("").str.contains(pattern))
    except pl.exceptions.PolarsError as exc:
        reason = str(exc).split("error:")[-1].strip().splitlines()[0]
        return (
            f"pattern {pattern!r} uses a feature not every engine supports ({reason}); "
            "use the common subset (no look-around or back-references)"
        )
    return None


def parse_rules(rules: Iterable[Mapping[str, Any] | Rule] | None) -> tuple[Rule, ...]:
    """Parse and validate rule dicts (or already-parsed rules) into typed rules.

    Args:
        rules: A list of rule dicts such as ``{"column": "id", "type": "not_null"}``.

    Returns:
        The rules in the order given, each with a unique name.

    Raises:
        RuleValidationError: Listing every problem found, each with its rule's index.
    """
    parser = _Parser()
    if rules is None:
        return ()
    if isinstance(rules, Mapping | str | bytes) or not isinstance(rules, Iterable):
        raise RuleValidationError(
            [RuleProblem(None, f"rules must be a list of rule dicts, got {type(rules).__name__}")]
        )
    parsed: list[Rule] = []
    names: dict[str, int] = {}
    for index, raw in enumerate(rules):
        rule = parser.parse(index, raw)
        if rule is None:
            continue
        if rule.name in names:
            explicit = isinstance(raw, Mapping) and raw.get("name") is not None
            if explicit or isinstance(raw, Rule):
                parser.fail(index, f"name {rule.name!r} is already used by rule {names[rule.name]}")
                continue
            rule = _renamed(rule, names)
        names[rule.name] = index
        parsed.append(rule)
    if parser.problems:
        raise RuleValidationError(parser.problems)
    return tuple(parsed)


def _renamed(rule: Rule, taken: Mapping[str, int]) -> Rule:
    """Give a defaulted duplicate name a suffix: ``regex(email)#2``."""
    import dataclasses

    suffix = 2
    while f"{rule.name}#{suffix}" in taken:
        suffix += 1
    return dataclasses.replace(rule, name=f"{rule.name}#{suffix}")
