"""The canonical semantics of every rule in plain Polars, plus a shared profile and learn.

This is the oracle the contract suite compares every engine with, and the implementation
adapters fall back to (labelled as such) where their engine has no equivalent, e.g. a
profiler for Great Expectations 1.x. Everything is computed in one ``select`` pass.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence

import polars as pl

from truthound_dq._cancel import collect_frame
from truthound_dq._dtypes import (
    DTypeFamily,
    describe_dtype,
    dtype_family,
    is_nested,
    is_numeric,
)
from truthound_dq._engine import Evaluation, RuleCounts
from truthound_dq._learn_table import learn_table_rules
from truthound_dq._results import (
    ColumnProfile,
    ColumnSchema,
    LearnedRule,
    LearnOutput,
    ProfileOutput,
    json_scalar,
)
from truthound_dq._rule import Rule, RuleKind, missing_values
from truthound_dq._sql import sql_expr

__all__ = [
    "DEFAULT_SAMPLE_SIZE",
    "POLARS_PRODUCER",
    "SHARED_EVALUATOR",
    "missing_expr",
    "value_expr",
    "failure_expr",
    "total_expr",
    "rule_masks",
    "scope_expr",
    "counts_every_row",
    "counts_present_values",
    "reference_evaluate",
    "polars_profile",
    "polars_learn",
]

DEFAULT_SAMPLE_SIZE = 5
POLARS_PRODUCER = "truthound_dq (shared Polars implementation)"
SHARED_EVALUATOR = "truthound_dq"
"""``RuleResult.evaluated_by`` of a rule computed by the shared Polars implementation."""


def missing_expr(column: str, dtype: pl.DataType) -> pl.Expr:
    """True where the value is missing: null, or NaN in a float column.

    ``column`` is used as ``pl.col(column)``: pass a safe name (the view's), never a user's.
    """
    return missing_values(pl.col(column), dtype)


def value_expr(column: str, dtype: pl.DataType) -> pl.Expr:
    """The column as value rules read it: Categorical and Enum values as strings."""
    col = pl.col(column)
    return col.cast(pl.String) if dtype.base_type() in (pl.Categorical, pl.Enum) else col


def _schema_of(rule: Rule, dtype_or_schema: pl.DataType | pl.Schema) -> pl.Schema:
    if isinstance(dtype_or_schema, pl.Schema):
        return dtype_or_schema
    assert rule.column is not None
    return pl.Schema({rule.column: dtype_or_schema})


def scope_expr(rule: Rule) -> pl.Expr | None:
    """True where a row is in the rule's ``where`` scope (null counts as out); None: no where."""
    if rule.where is None:
        return None
    return sql_expr(rule.where).fill_null(False)


def rule_masks(rule: Rule, schema: pl.Schema) -> tuple[pl.Expr, pl.Expr]:
    """``(counted, failed)`` masks of a row-level rule, canonically (nulls read as False).

    ``counted``: rows the rule counts (in the ``where`` scope, not skipped as missing);
    ``failed``: counted rows that fail. ``schema`` holds the rule's columns (safe names).
    """
    if rule.kind is RuleKind.TABLE:
        raise TypeError(f"{rule.type} is not a row-level rule")
    counted = rule.counted(schema)
    scope = scope_expr(rule)
    if scope is not None:
        counted = counted & scope
    counted = counted.fill_null(False)
    if rule.kind is RuleKind.VALUE and rule.column is not None and schema[rule.column] == pl.Null:
        return counted, pl.repeat(False, pl.len())  # all missing: no value can fail
    return counted, (counted & rule.failing(schema, counted)).fill_null(False)


def counts_every_row(rule: Rule) -> bool:
    """Whether a row-level rule's total is the row count (kind ``row``, no ``where``)."""
    return rule.kind is RuleKind.ROW and rule.where is None and type(rule).counted is Rule.counted


def counts_present_values(rule: Rule) -> bool:
    """Whether the total is the column's non-missing values (kind ``value``, no ``where``)."""
    return rule.kind is RuleKind.VALUE and rule.where is None and type(rule).counted is Rule.counted


def failure_expr(rule: Rule, dtype_or_schema: pl.DataType | pl.Schema) -> pl.Expr:
    """True where a row fails a row-level rule (``row`` and ``value`` kinds), canonically.

    Skipped rows (missing values, rows outside ``where``) are False. The rule's columns must
    be safe names (the view's); pass the view's schema, or the dtype of a single-column rule.
    """
    return rule_masks(rule, _schema_of(rule, dtype_or_schema))[1]


def total_expr(rule: Rule, dtype_or_schema: pl.DataType | pl.Schema) -> pl.Expr:
    """Rows a row-level rule counts (all rows for ``not_null`` without ``where``)."""
    if counts_every_row(rule):
        return pl.len()
    return rule_masks(rule, _schema_of(rule, dtype_or_schema))[0].sum()


def reference_evaluate(
    frame: pl.DataFrame | pl.LazyFrame,
    rules: Sequence[Rule],
    *,
    sample_size: int = DEFAULT_SAMPLE_SIZE,
    now: dt.datetime | None = None,
) -> Evaluation:
    """Evaluate rules with the canonical semantics of ``docs/rules.md`` (any column names).

    The rules must be applicable (their columns exist, with compatible dtypes); the shared
    check pipeline sorts out the others before an engine is called. Runs through the same
    safe view and fused pass as every check.
    """
    from truthound_dq._rule import CheckContext
    from truthound_dq.sdk._shared import SharedRequest, observes, shared_pass, table_failed
    from truthound_dq.sdk._view import build_view

    schema = frame.collect_schema()
    view, safe = build_view(frame, schema, rules, collect=True)
    requests = [
        SharedRequest(i, r, failed=True, total=True, samples=True)
        if r.kind is not RuleKind.TABLE
        else SharedRequest(i, r, False, False, False, observe=True)
        for i, r in enumerate(safe)
        if r.kind is not RuleKind.TABLE or observes(r)
    ]
    row_count, answers = shared_pass(view, requests, sample_size=sample_size)
    when = now if now is not None else dt.datetime.now(dt.UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.UTC)
    context = CheckContext(row_count=row_count, now=when, schema=schema, view=view)
    counts: list[RuleCounts] = []
    for i, rule in enumerate(safe):
        if rule.kind is RuleKind.TABLE:
            observed = answers[i].observed if i in answers else None
            counts.append(RuleCounts(table_failed(rule, observed, context), 1, (), observed))
            continue
        answer = answers[i]
        assert answer.failed is not None
        assert answer.total is not None
        counts.append(RuleCounts(answer.failed, answer.total, answer.samples or ()))
    return Evaluation(row_count, counts)


def _profile_exprs(position: int, key: str, dtype: pl.DataType) -> list[pl.Expr]:
    # By position and under a synthetic key: a column called "^a$" or "*" is just a name.
    col = pl.nth(position)
    missing = missing_values(col, dtype)
    exprs = [missing.sum().alias(f"{key}nulls")]
    if is_nested(dtype):
        return exprs
    present = ~missing
    exprs.append(col.filter(present).n_unique().alias(f"{key}unique"))
    if dtype.base_type() not in (pl.Categorical, pl.Enum, pl.Binary, pl.Null):
        exprs += [
            col.filter(present).min().alias(f"{key}min"),
            col.filter(present).max().alias(f"{key}max"),
        ]
    if is_numeric(dtype):
        exprs.append(col.filter(present).cast(pl.Float64).mean().alias(f"{key}mean"))
    return exprs


def polars_profile(
    frame: pl.DataFrame | pl.LazyFrame,
    columns: Sequence[str] | None = None,
    *,
    produced_by: str = POLARS_PRODUCER,
) -> ProfileOutput:
    """Profile columns in one pass: missing and distinct counts, min, max and mean."""
    schema = frame.collect_schema()
    names = list(columns) if columns is not None else schema.names()
    positions = {name: i for i, name in enumerate(schema.names())}
    exprs = [pl.len().alias("rows")]
    for k, name in enumerate(names):
        exprs += _profile_exprs(positions[name], f"p{k}_", schema[name])
    stats = collect_frame(frame.lazy().select(exprs)).row(0, named=True)
    rows = int(stats["rows"])
    profiles = []
    for k, name in enumerate(names):
        key = f"p{k}_"
        nulls = int(stats[f"{key}nulls"])
        mean = stats.get(f"{key}mean")
        profiles.append(
            ColumnProfile(
                column_name=name,
                dtype=describe_dtype(schema[name]),
                null_count=nulls,
                null_rate=nulls / rows if rows else 0.0,
                unique_count=int(stats.get(f"{key}unique") or 0),
                min=json_scalar(stats.get(f"{key}min")),
                max=json_scalar(stats.get(f"{key}max")),
                mean=float(mean) if mean is not None else None,
            )
        )
    return ProfileOutput(row_count=rows, columns=tuple(profiles), produced_by=produced_by)


_MAX_LEARNED_SET = 20


def polars_learn(
    frame: pl.DataFrame | pl.LazyFrame, *, produced_by: str = POLARS_PRODUCER
) -> LearnOutput:
    """Infer rules the data passes: dtype, not_null, unique, in_range and small in_sets.

    Plus the table-level proposals of ``truthound_dq._learn_table`` (a ``schema``, aggregate
    ranges of ``null_rate`` and ``mean``, a compound key).
    """
    df = collect_frame(frame)
    profile = polars_profile(df, produced_by=produced_by)
    rules: list[LearnedRule] = []
    for col in profile.columns:
        dtype = df.schema[col.column_name]
        family = dtype_family(dtype)
        name = col.column_name
        spec = family.value if family is not None else dtype.base_type().__name__
        rules.append(LearnedRule(column=name, rule_type="dtype", parameters={"dtype": spec}))
        present = profile.row_count - col.null_count
        if profile.row_count and col.null_count == 0:
            rules.append(LearnedRule(column=name, rule_type="not_null"))
        if present == 0 or family is None:
            continue
        if family in (DTypeFamily.INTEGER, DTypeFamily.STRING) and col.unique_count == present:
            rules.append(LearnedRule(column=name, rule_type="unique"))
        finite = all(
            isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
            for v in (col.min, col.max)
        )
        if family in (DTypeFamily.INTEGER, DTypeFamily.FLOAT) and finite:
            # (-inf and inf are stored values, but no bound: they are below and above any)
            bounds = {"min": col.min, "max": col.max}
            rules.append(LearnedRule(column=name, rule_type="in_range", parameters=bounds))
        if family is DTypeFamily.STRING and col.unique_count <= min(_MAX_LEARNED_SET, present // 2):
            values = df.get_column(name).drop_nulls().cast(pl.String).unique().sort().to_list()
            rules.append(
                LearnedRule(column=name, rule_type="in_set", parameters={"values": values})
            )
    rules += learn_table_rules(df)  # schema, aggregate ranges, a compound key
    return LearnOutput(
        rules=tuple(rules),
        columns=tuple(ColumnSchema(name=n, dtype=describe_dtype(t)) for n, t in df.schema.items()),
        row_count=profile.row_count,
        produced_by=produced_by,
    )
