"""The canonical semantics of every rule in plain Polars, plus a shared profile and learn.

This is the oracle the contract suite compares every engine with, and the implementation
adapters fall back to (labelled as such) where their engine has no equivalent, e.g. a
profiler for Great Expectations 1.x. Everything is computed in one ``select`` pass.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import polars as pl

from truthound_dq._dtypes import (
    DTypeFamily,
    describe_dtype,
    dtype_family,
    dtype_matches,
    is_float,
    is_nested,
    is_numeric,
    is_string_like,
)
from truthound_dq._engine import Evaluation, RuleCounts
from truthound_dq._results import (
    ColumnProfile,
    ColumnSchema,
    LearnedRule,
    LearnOutput,
    ProfileOutput,
    json_scalar,
)
from truthound_dq._rules import (
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

__all__ = [
    "DEFAULT_SAMPLE_SIZE",
    "POLARS_PRODUCER",
    "SHARED_EVALUATOR",
    "missing_expr",
    "failure_expr",
    "reference_evaluate",
    "polars_profile",
    "polars_learn",
]

DEFAULT_SAMPLE_SIZE = 5
POLARS_PRODUCER = "truthound_dq (shared Polars implementation)"
SHARED_EVALUATOR = "truthound_dq"
"""``RuleResult.evaluated_by`` of a rule computed by the shared Polars implementation."""


def missing_expr(column: str, dtype: pl.DataType) -> pl.Expr:
    """True where the value is missing: null, or NaN in a float column."""
    col = pl.col(column)
    return col.is_null() | col.is_nan() if is_float(dtype) else col.is_null()


def _value_expr(column: str, dtype: pl.DataType) -> pl.Expr:
    # Categorical and Enum are compared and matched by their string values.
    col = pl.col(column)
    return col.cast(pl.String) if dtype.base_type() in (pl.Categorical, pl.Enum) else col


def _set_expr(column: str, dtype: pl.DataType, values: Sequence[Any]) -> pl.Expr:
    col = _value_expr(column, dtype)
    if is_string_like(dtype):
        members = pl.Series(values, dtype=pl.String)
    elif dtype.base_type() == pl.Boolean:
        members = pl.Series(values, dtype=pl.Boolean)
    elif all(isinstance(v, int) for v in values) and dtype.is_integer():
        # Int128 holds every Int64 and UInt64 value exactly.
        col, members = col.cast(pl.Int128), pl.Series(values, dtype=pl.Int128)
    else:
        col, members = col.cast(pl.Float64), pl.Series(values, dtype=pl.Float64)
    # An imploded list is the one spelling of "is one of these" that Polars 1.x and 2.x
    # both accept without a deprecation notice.
    return col.is_in(members.implode())


def failure_expr(rule: Rule, dtype: pl.DataType) -> pl.Expr:
    """True where a row fails a row-level rule (not_null and the value rules).

    Value rules are False on missing values: they are skipped, not failed.
    """
    assert rule.column is not None
    missing = missing_expr(rule.column, dtype)
    if isinstance(rule, NotNull):
        return missing
    if dtype == pl.Null:
        return ~missing  # all missing: no value can fail
    value = _value_expr(rule.column, dtype)
    if isinstance(rule, Unique):
        # Missing values pair up with each other here, but they are masked out below.
        bad = value.is_duplicated()
    elif isinstance(rule, Regex):
        bad = ~value.str.contains(rule.pattern)
    elif isinstance(rule, InRange):
        bad = pl.lit(False)
        if rule.min is not None:
            bad = bad | (value < rule.min)
        if rule.max is not None:
            bad = bad | (value > rule.max)
    elif isinstance(rule, StrLength):
        length = value.str.len_chars()
        bad = pl.lit(False)
        if rule.min is not None:
            bad = bad | (length < rule.min)
        if rule.max is not None:
            bad = bad | (length > rule.max)
    elif isinstance(rule, InSet):
        bad = ~_set_expr(rule.column, dtype, rule.values)
    elif isinstance(rule, NotInSet):
        bad = _set_expr(rule.column, dtype, rule.values)
    else:
        raise TypeError(f"{rule.type.value} is not a row-level rule")
    return (~missing & bad).fill_null(False)


def _single_check(rule: Rule, schema: pl.Schema, row_count: int) -> RuleCounts:
    if isinstance(rule, ColumnExists):
        ok = rule.column in schema
    elif isinstance(rule, DType):
        assert rule.column is not None
        ok = rule.column in schema and dtype_matches(schema[rule.column], rule.dtype)
    elif isinstance(rule, RowCount):
        ok = (rule.min is None or row_count >= rule.min) and (
            rule.max is None or row_count <= rule.max
        )
    else:  # pragma: no cover - guarded by the caller
        raise TypeError(rule.type.value)
    return RuleCounts(0 if ok else 1, 1)


def reference_evaluate(
    frame: pl.DataFrame | pl.LazyFrame,
    rules: Sequence[Rule],
    *,
    sample_size: int = DEFAULT_SAMPLE_SIZE,
) -> Evaluation:
    """Evaluate rules with the canonical semantics of ``docs/rules.md``, in one pass.

    The rules must be applicable (their columns exist, with compatible dtypes); the shared
    check pipeline sorts out the others before an engine is called.
    """
    df = frame.collect() if isinstance(frame, pl.LazyFrame) else frame
    schema = df.schema
    exprs: list[pl.Expr] = [pl.len().alias("__rows")]
    row_rules: list[tuple[int, Rule]] = []
    for i, rule in enumerate(rules):
        if isinstance(rule, ColumnExists | DType | RowCount):
            continue
        assert rule.column is not None
        dtype = schema[rule.column]
        bad = failure_expr(rule, dtype)
        total = pl.len() if isinstance(rule, NotNull) else (~missing_expr(rule.column, dtype)).sum()
        exprs += [bad.sum().alias(f"f{i}"), total.alias(f"t{i}")]
        if sample_size > 0 and not isinstance(rule, NotNull):
            exprs.append(pl.col(rule.column).filter(bad).head(sample_size).implode().alias(f"s{i}"))
        row_rules.append((i, rule))
    stats = df.select(exprs).row(0, named=True)
    row_count = int(stats["__rows"])
    counts: list[RuleCounts] = []
    for i, rule in enumerate(rules):
        if isinstance(rule, ColumnExists | DType | RowCount):
            counts.append(_single_check(rule, schema, row_count))
            continue
        samples = tuple(json_scalar(v) for v in stats.get(f"s{i}") or ())
        counts.append(RuleCounts(int(stats[f"f{i}"]), int(stats[f"t{i}"]), samples))
    return Evaluation(row_count, counts)


def _profile_exprs(name: str, dtype: pl.DataType) -> list[pl.Expr]:
    present = ~missing_expr(name, dtype)
    col = pl.col(name)
    exprs = [missing_expr(name, dtype).sum().alias(f"{name}\0nulls")]
    if is_nested(dtype):
        return exprs
    exprs.append(col.filter(present).n_unique().alias(f"{name}\0unique"))
    if dtype.base_type() not in (pl.Categorical, pl.Enum, pl.Binary, pl.Null):
        exprs += [
            col.filter(present).min().alias(f"{name}\0min"),
            col.filter(present).max().alias(f"{name}\0max"),
        ]
    if is_numeric(dtype):
        exprs.append(col.filter(present).cast(pl.Float64).mean().alias(f"{name}\0mean"))
    return exprs


def polars_profile(
    frame: pl.DataFrame | pl.LazyFrame,
    columns: Sequence[str] | None = None,
    *,
    produced_by: str = POLARS_PRODUCER,
) -> ProfileOutput:
    """Profile columns in one pass: missing and distinct counts, min, max and mean."""
    df = frame.collect() if isinstance(frame, pl.LazyFrame) else frame
    names = list(columns) if columns is not None else df.columns
    exprs = [pl.len().alias("\0rows")]
    for name in names:
        exprs += _profile_exprs(name, df.schema[name])
    stats = df.select(exprs).row(0, named=True)
    rows = int(stats["\0rows"])
    profiles = []
    for name in names:
        nulls = int(stats[f"{name}\0nulls"])
        mean = stats.get(f"{name}\0mean")
        profiles.append(
            ColumnProfile(
                column_name=name,
                dtype=describe_dtype(df.schema[name]),
                null_count=nulls,
                null_rate=nulls / rows if rows else 0.0,
                unique_count=int(stats.get(f"{name}\0unique") or 0),
                min=json_scalar(stats.get(f"{name}\0min")),
                max=json_scalar(stats.get(f"{name}\0max")),
                mean=float(mean) if mean is not None else None,
            )
        )
    return ProfileOutput(row_count=rows, columns=tuple(profiles), produced_by=produced_by)


_MAX_LEARNED_SET = 20


def polars_learn(
    frame: pl.DataFrame | pl.LazyFrame, *, produced_by: str = POLARS_PRODUCER
) -> LearnOutput:
    """Infer rules the data passes: dtype, not_null, unique, in_range and small in_sets."""
    df = frame.collect() if isinstance(frame, pl.LazyFrame) else frame
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
        if family in (DTypeFamily.INTEGER, DTypeFamily.FLOAT) and col.min is not None:
            bounds = {"min": col.min, "max": col.max}
            rules.append(LearnedRule(column=name, rule_type="in_range", parameters=bounds))
        if family is DTypeFamily.STRING and col.unique_count <= min(_MAX_LEARNED_SET, present // 2):
            values = df.get_column(name).drop_nulls().cast(pl.String).unique().sort().to_list()
            rules.append(
                LearnedRule(column=name, rule_type="in_set", parameters={"values": values})
            )
    return LearnOutput(
        rules=tuple(rules),
        columns=tuple(ColumnSchema(name=n, dtype=describe_dtype(t)) for n, t in df.schema.items()),
        row_count=profile.row_count,
        produced_by=produced_by,
    )
