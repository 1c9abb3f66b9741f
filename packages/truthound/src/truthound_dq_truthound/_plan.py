"""Rules as Truthound validators, and the recipes that turn Truthound's issues into counts.

Every rule reads its own column of a *view* of the data: an alias of the rule's column (no
copy for a DataFrame), normalised where a Truthound validator would otherwise mean something
other than ``docs/rules.md`` (see ``_translate.value_view``).

One column per rule also ties every Truthound issue to its rule by the issue's column, even
where validators share a name or an issue type: Truthound files the issues of every ``regex``
validator under one ``regex_mismatch`` check, and gives each check of a shared name all of
that name's issues, so ``result.checks`` cannot be trusted for attribution.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from truthound_dq import (
    ColumnExists,
    DType,
    InRange,
    InSet,
    NotInSet,
    NotNull,
    Regex,
    RowCount,
    Rule,
    StrLength,
    Unique,
)
from truthound_dq.sdk import failure_expr
from truthound_dq_truthound._imports import validators
from truthound_dq_truthound._translate import dtype_classes, set_values, value_view

__all__ = ["Part", "Plan", "Recipe", "build_plan"]

Counts = Mapping[str, int]
Combine = Callable[[Counts, int], tuple[int, int]]


@dataclass(frozen=True, slots=True)
class Part:
    """Issues of one Truthound validator that count towards one key.

    Attributes:
        key: Where the issue counts go, e.g. ``3:fail``.
        issue_type: The issue type the validator reports, e.g. ``regex_mismatch``.
        column: The issue's column as the validator reports it.
        validator_name: The validator instance's (unique) name.
    """

    key: str
    issue_type: str
    column: str
    validator_name: str


@dataclass(frozen=True, slots=True)
class Recipe:
    """How one rule's counts come out of its parts.

    Attributes:
        rule: The rule.
        alias: The rule's column in the view (None for row_count).
        combine: ``(counts by key, row count) -> (failed, total)``.
        sampled: ``row`` (failing rows, filtered in row order), ``unique``, or None.
        native: Whether Truthound's validators produced the failure count.
    """

    rule: Rule
    alias: str | None
    combine: Combine
    sampled: str | None = None
    native: bool = True


@dataclass
class Plan:
    """What to run for a batch of rules.

    Attributes:
        view: View column name -> expression over the data.
        validators: Truthound validator instances, one or more per rule.
        parts: Which issues count towards which key.
        polars: Key -> count expression over the view, for what the shared Polars
            implementation computes: the blank strings Truthound's regex skips, and rules
            Truthound refuses.
        recipes: One per rule, in order.
    """

    view: dict[str, pl.Expr] = field(default_factory=dict)
    validators: list[Any] = field(default_factory=list)
    parts: list[Part] = field(default_factory=list)
    polars: dict[str, pl.Expr] = field(default_factory=dict)
    recipes: list[Recipe] = field(default_factory=list)

    def add(self, validator: Any, *parts: tuple[str, str, str]) -> None:
        """Add a validator whose issues ``(key, issue type, issue column)`` count."""
        # A unique instance name: Truthound names the check after it, and the issues of two
        # row_count rules (both on "_table_") can only be told apart by it.
        validator.name = f"truthound_dq[{parts[0][0]}]:{validator.name}"
        self.validators.append(validator)
        self.parts += [Part(key, kind, column, validator.name) for key, kind, column in parts]


def view_alias(index: int) -> str:
    """The view column of the rule at ``index``."""
    return f"r{index}"


def build_plan(rules: Sequence[Rule], schema: pl.Schema) -> Plan:
    """Translate rules into Truthound validators over a per-rule view of the data."""
    tv = validators()
    plan = Plan()
    value_columns: dict[str, int] = {}
    for i, rule in enumerate(rules):
        alias, key = view_alias(i), f"{i}:fail"
        if isinstance(rule, RowCount):
            validator = tv.RowCountValidator(min_count=rule.min, max_count=rule.max)
            plan.add(validator, (key, "too_few_rows", "_table_"), (key, "too_many_rows", "_table_"))
            plan.recipes.append(Recipe(rule, None, _flag(key)))
        elif isinstance(rule, ColumnExists):
            if rule.column is not None and rule.column in schema:
                plan.view[alias] = pl.col(rule.column)
            plan.add(tv.ColumnExistsValidator(columns=[alias]), (key, "missing_column", alias))
            plan.recipes.append(Recipe(rule, alias, _flag(key)))
        elif isinstance(rule, DType):
            _add_dtype(plan, tv, i, rule)
        else:
            assert rule.column is not None
            view = value_view(rule, schema[rule.column])
            plan.view[alias] = view
            value_columns[alias] = i
            view_dtype = pl.LazyFrame(schema=schema).select(view).collect_schema().dtypes()[0]
            plan.recipes.append(_add_value_rule(plan, tv, i, rule, view_dtype))
    if value_columns:
        # Missing values per view column: the total of every value rule.
        nulls = [(f"{i}:null", "null", alias) for alias, i in value_columns.items()]
        plan.add(tv.NullValidator(columns=list(value_columns)), *nulls)
    return plan


def _add_value_rule(plan: Plan, tv: Any, i: int, rule: Rule, dtype: pl.DataType) -> Recipe:
    alias, key = view_alias(i), f"{i}:fail"
    if isinstance(rule, NotNull):
        plan.add(tv.NotNullValidator(columns=[alias]), (key, "not_null_violation", alias))
        return Recipe(rule, alias, lambda found, rows: (found.get(key, 0), rows))
    if isinstance(rule, Unique):
        # DuplicateValidator counts every row of a repeated value, the canonical count, but
        # null rows pair up with each other there. (UniqueValidator counts only the extra
        # copies, and is off by one when the column has nulls.)
        plan.add(tv.DuplicateValidator(subset=[alias]), (f"{i}:dup", "duplicate_row", f"[{alias}]"))
        return Recipe(rule, alias, _unique(i), sampled="unique")
    validator, issue_type = _value_validator(tv, rule, alias, dtype)
    if validator is None:
        plan.polars[key] = failure_expr(dataclasses.replace(rule, column=alias), dtype).sum()
        return Recipe(rule, alias, _value(i), sampled="row", native=False)
    plan.add(validator, (key, issue_type, alias))
    extra = None
    if isinstance(rule, Regex):
        # Truthound's regex skips empty and whitespace-only strings; they are values here,
        # checked against the pattern like any other.
        extra = f"{i}:blank"
        blank = pl.col(alias).filter(pl.col(alias).str.strip_chars() == "")
        plan.polars[extra] = blank.str.contains(rule.pattern).not_().sum()
    return Recipe(rule, alias, _value(i, extra), sampled="row")


def _value_validator(tv: Any, rule: Rule, alias: str, dtype: pl.DataType) -> tuple[Any, str]:
    """The configured validator and its issue type, or None if Truthound cannot take the rule."""
    if isinstance(rule, Regex):
        try:
            # match_full=False: search semantics, like re.search. dotall=False: "." does not
            # match a newline in the default dialect of Python's re or Rust's regex.
            regex = tv.RegexValidator(
                pattern=rule.pattern, match_full=False, dotall=False, columns=[alias]
            )
        except tv.RegexValidationError:
            return None, ""  # its ReDoS guard refuses the pattern; Polars' regex is linear
        # Otherwise a table over 50,000 rows gets a count extrapolated from its first 10,000
        # rows whenever more than 1% of those fail.
        regex.early_termination_min_rows = 2**62
        return regex, "regex_mismatch"
    if isinstance(rule, InRange):
        if type(dtype) not in tv.NUMERIC_TYPES:
            return None, ""  # Decimal, Int128, Float16: `between` would skip the column
        return tv.BetweenValidator(
            min_value=rule.min, max_value=rule.max, inclusive=True, columns=[alias]
        ), "out_of_range"
    if isinstance(rule, InSet):
        values = set_values(rule.values, dtype)
        return tv.InSetValidator(allowed_values=values, columns=[alias]), "not_in_set"
    if isinstance(rule, NotInSet):
        values = set_values(rule.values, dtype)
        return tv.NotInSetValidator(forbidden_values=values, columns=[alias]), "in_forbidden_set"
    if isinstance(rule, StrLength):
        return tv.LengthValidator(
            min_length=rule.min, max_length=rule.max, columns=[alias]
        ), "length_violation"
    raise TypeError(f"no Truthound validator for {rule.type.value}")  # pragma: no cover


def _add_dtype(plan: Plan, tv: Any, i: int, rule: DType) -> None:
    # ColumnTypeValidator compares dtype classes, so parameters (time unit, zone) are not
    # compared. A family is the union of its classes: one validator per class, each on its
    # own view column, and the rule fails when every one of them reports a mismatch.
    assert rule.column is not None
    keys = []
    for k, cls in enumerate(dtype_classes(rule.dtype)):
        alias, key = f"{view_alias(i)}.{k}", f"{i}:type{k}"
        plan.view[alias] = pl.col(rule.column)
        plan.add(tv.ColumnTypeValidator(expected_types={alias: cls}), (key, "type_mismatch", alias))
        keys.append(key)
    plan.recipes.append(
        Recipe(rule, None, lambda found, rows: (int(all(found.get(k, 0) for k in keys)), 1))
    )


def _flag(key: str) -> Combine:
    return lambda found, rows: (int(found.get(key, 0) > 0), 1)


def _value(i: int, extra: str | None = None) -> Combine:
    def combine(found: Counts, rows: int) -> tuple[int, int]:
        failed = found.get(f"{i}:fail", 0) + (found.get(extra, 0) if extra else 0)
        return failed, rows - found.get(f"{i}:null", 0)

    return combine


def _unique(i: int) -> Combine:
    def combine(found: Counts, rows: int) -> tuple[int, int]:
        nulls = found.get(f"{i}:null", 0)
        return found.get(f"{i}:dup", 0) - (nulls if nulls >= 2 else 0), rows - nulls

    return combine
