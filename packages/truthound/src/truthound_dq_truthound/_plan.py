"""Checks grouped into as few Truthound validators as possible, in batches ``th.check`` runs.

Truthound's column validators take a list of columns and check them all in one query, so
every check of one kind and parameters (``not_null``; ``between`` with the same bounds; ...)
becomes one validator over all its columns. That keeps the validator count - and Truthound's
per-validator cost: a schema lookup, a query plan, a result - far below the rule count.

Truthound's cost per validator also grows with the width of the frame it is given (each one
reads the schema and matches its columns against the frame's with a list scan), which made
10,000 rules over as many columns quadratic. So checks go into *batches* of at most
``BATCH_COLUMNS`` columns, each a ``th.check`` over only its own columns (a zero-copy select).

Every Truthound issue is tied to its check by ``(validator name, issue column, issue type)``:
each validator instance gets a unique name. ``LengthValidator`` leaves the name out of its
issues, so two of its validators that check one column go into different batches (the
adapter's regex validator puts it back, see ``_imports.search_regex_validator``).

Most ``duplicate`` checks go into a second lane of batches: a duplicate count hashes the
whole column on about one core, so two batches running side by side (in two threads, each its own
``th.check`` over its own frame; Polars releases the GIL) use the cores a sequential
``th.check`` leaves idle.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from truthound_dq_truthound._imports import (
    not_match_regex_validator,
    search_regex_validator,
    validators,
)
from truthound_dq_truthound._translate import Spec

__all__ = ["BATCH_COLUMNS", "Batch", "IssueKey", "plan_batches"]

BATCH_COLUMNS = 256
"""Columns per ``th.check`` call (a wide table's 250 columns run in one)."""

IssueKey = tuple[str | None, str, str]
"""``(validator name, issue column, issue type)`` of a Truthound issue."""

Build = Callable[[Any, tuple[Any, ...], list[str]], Any]


@dataclass(frozen=True, slots=True)
class _Kind:
    build: Build
    issue_types: tuple[str, ...]
    many_columns: bool = True
    named_issues: bool = True


def _regex(tv: Any, params: tuple[Any, ...], columns: list[str]) -> Any:
    # match_full=False: search semantics, like re.search. dotall=False: "." does not match
    # a newline in the default dialect of Python's re or Rust's regex.
    regex = search_regex_validator()(
        pattern=params[0], match_full=False, dotall=False, columns=columns
    )
    # Otherwise a table over 50,000 rows gets a count extrapolated from its first 10,000
    # rows whenever more than 1% of those fail.
    regex.early_termination_min_rows = 2**62
    return regex


def _not_regex(tv: Any, params: tuple[Any, ...], columns: list[str]) -> Any:
    # Search semantics (match_full=False), like not_regex; blank strings are values.
    return not_match_regex_validator()(pattern=params[0], match_full=False, columns=columns)


def _compare(tv: Any, params: tuple[Any, ...], columns: list[str]) -> Any:
    # One validator per pair: ``params`` is ``(op, other)``, ``columns`` the rule's column.
    (column,) = columns
    return tv.ColumnComparisonValidator(columns=[column, params[1]], operator=params[0])


def _between(tv: Any, params: tuple[Any, ...], columns: list[str]) -> Any:
    _, low, high = params
    return tv.BetweenValidator(min_value=low, max_value=high, inclusive=True, columns=columns)


KINDS: dict[str, _Kind] = {
    "not_null": _Kind(lambda tv, p, c: tv.NotNullValidator(columns=c), ("not_null_violation",)),
    "duplicate": _Kind(
        lambda tv, p, c: tv.DuplicateValidator(subset=c), ("duplicate_row",), many_columns=False
    ),
    "regex": _Kind(_regex, ("regex_mismatch",)),
    "not_regex": _Kind(_not_regex, ("regex_unexpected_match",)),
    "compare": _Kind(
        _compare, ("column_comparison_failed",), many_columns=False, named_issues=False
    ),
    "between": _Kind(_between, ("out_of_range",)),
    "in_set": _Kind(
        lambda tv, p, c: tv.InSetValidator(allowed_values=list(p[1]), columns=c), ("not_in_set",)
    ),
    "not_in_set": _Kind(
        lambda tv, p, c: tv.NotInSetValidator(forbidden_values=list(p[1]), columns=c),
        ("in_forbidden_set",),
    ),
    "length": _Kind(
        lambda tv, p, c: tv.LengthValidator(min_length=p[0], max_length=p[1], columns=c),
        ("length_violation",),
        named_issues=False,
    ),
    "column_type": _Kind(
        lambda tv, p, c: tv.ColumnTypeValidator(expected_types=dict.fromkeys(c, p[0])),
        ("type_mismatch",),
    ),
    "column_exists": _Kind(
        lambda tv, p, c: tv.ColumnExistsValidator(columns=c), ("missing_column",)
    ),
    "row_count": _Kind(
        lambda tv, p, c: tv.RowCountValidator(min_count=p[0], max_count=p[1]),
        ("too_few_rows", "too_many_rows"),
        many_columns=False,
    ),
}


def _issue_column(kind: str, column: str | None, params: tuple[Any, ...] = ()) -> str:
    if column is None:
        return "_table_"
    if kind == "compare":
        return f"{column}, {params[1]}"  # ColumnComparisonValidator names both columns
    return f"[{column}]" if kind == "duplicate" else column


@dataclass
class Batch:
    """One ``th.check`` call.

    Attributes:
        columns: The frame columns it reads (safe names).
        validators: Truthound validator instances.
        keys: The issue keys of each check in the batch.
    """

    columns: list[str] = field(default_factory=list)
    validators: list[Any] = field(default_factory=list)
    keys: dict[Spec, tuple[IssueKey, ...]] = field(default_factory=dict)


def plan_batches(specs: Iterable[Spec], frame_columns: frozenset[str]) -> list[Batch]:
    """Group checks into validators, and validators into batches (first-seen order).

    Args:
        specs: Every check of every native rule (duplicates are checked once).
        frame_columns: The columns the frame has (``column_exists`` may name others).
    """
    tv = validators()
    position: dict[str, int] = {}
    rounds: dict[tuple[str, str], list[tuple[Any, ...]]] = {}
    groups: dict[tuple[int, int, str, tuple[Any, ...], str | None], list[Spec]] = {}
    for spec in dict.fromkeys(specs):
        kind = KINDS[spec.kind]
        chunk = 0
        if spec.column is not None:
            chunk = position.setdefault(spec.column, len(position)) // BATCH_COLUMNS
        round_ = 0
        if not kind.named_issues and spec.column is not None:
            seen = rounds.setdefault((spec.kind, spec.column), [])
            if spec.params not in seen:
                seen.append(spec.params)
            round_ = seen.index(spec.params)
        own = None if kind.many_columns else spec.column
        groups.setdefault((chunk, round_, spec.kind, spec.params, own), []).append(spec)
    batches: dict[tuple[int, int, int], Batch] = {}
    duplicates = 0
    for number, ((chunk, round_, kind_name, params, _), members) in enumerate(groups.items()):
        kind = KINDS[kind_name]
        # Duplicate checks (a hash of the whole column, mostly on one core) go two in three
        # to a second lane of batches, which runs alongside the first (see ``_check``); the
        # first lane has every other check, which together cost about as much as a third.
        lane = 0
        if kind_name == "duplicate":
            lane, duplicates = (0 if duplicates % 3 == 2 else 1), duplicates + 1
        batch = batches.setdefault((chunk, round_, lane), Batch())
        columns = [s.column for s in members if s.column is not None]
        validator = kind.build(tv, params, columns)
        # A unique instance name: issues (and the checks Truthound reports) carry it.
        validator.name = f"truthound_dq[{number}]:{validator.name}"
        batch.validators.append(validator)
        name = validator.name if kind.named_issues else None
        for spec in members:
            issue_column = _issue_column(kind_name, spec.column, spec.params)
            batch.keys[spec] = tuple((name, issue_column, t) for t in kind.issue_types)
        read = [*columns, *(o for s in members for o in s.others)]
        batch.columns += [c for c in read if c in frame_columns]
    for batch in batches.values():
        batch.columns = list(dict.fromkeys(batch.columns))
    return list(batches.values())
