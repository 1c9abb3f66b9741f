"""The base's own pass: every borrowed rule, missing totals and samples, fused in one query.

Each failure mask is computed once (as a column) and read twice, for the count and for the
samples; Polars runs the whole ``select`` as one parallel pass over the view.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from truthound_dq._polars import failure_expr, missing_expr
from truthound_dq._results import JSONScalar, json_scalar
from truthound_dq._rule import Rule, RuleKind
from truthound_dq.sdk._view import DataView

__all__ = ["SharedRequest", "SharedAnswer", "shared_pass", "is_single_check", "single_check"]


def is_single_check(rule: Rule) -> bool:
    """Schema and table rules (kind ``table``): one yes/no check, no values read."""
    return rule.kind is RuleKind.TABLE


def single_check(rule: Rule, view: DataView, row_count: int) -> bool:
    """Whether a ``table`` rule (with a safe column name) passes."""
    column = view.column(rule.column) if rule.column is not None else None
    return rule.check(column, row_count)


@dataclass(frozen=True, slots=True)
class SharedRequest:
    """What the base pass must compute for one row-level rule (safe column names)."""

    key: int
    rule: Rule
    failed: bool
    total: bool
    samples: bool


@dataclass(frozen=True, slots=True)
class SharedAnswer:
    """The base pass's answer for one request (fields not requested are None)."""

    failed: int | None
    total: int | None
    samples: tuple[JSONScalar, ...] | None


def _sample_expr(rule: Rule, mask: str, key: int, sample_size: int) -> pl.Expr:
    assert rule.column is not None
    return pl.col(rule.column).filter(pl.col(mask)).head(sample_size).implode().alias(f"__s{key}")


def shared_pass(
    view: DataView, requests: Sequence[SharedRequest], *, sample_size: int
) -> tuple[int, dict[int, SharedAnswer]]:
    """Run every request over the view, each mask computed once; also returns the row count.

    On a DataFrame the masks become columns of one eager ``with_columns`` (Polars computes
    them in parallel), the counts are one ``select`` over them, and the samples a second
    ``select`` over the same mask columns for the failing rules only - measured faster than
    one lazy query with common-subexpression elimination on 250 columns x 4 rules. A
    LazyFrame view runs as one lazy query.
    """
    schema = view.schema
    has_columns = len(schema) > 0
    if not requests:
        return view.row_count(), {}
    masks: list[pl.Expr] = []
    exprs: list[pl.Expr] = [pl.len().alias("__rows")]
    totals: dict[str, str] = {}
    sampled: list[SharedRequest] = []
    for req in requests:
        rule = req.rule
        assert rule.column is not None
        dtype = schema[rule.column]
        wants_samples = req.samples and sample_size > 0 and rule.sampled
        if req.failed or wants_samples:
            masks.append(failure_expr(rule, dtype).alias(f"__m{req.key}"))
        if req.failed:
            exprs.append(pl.col(f"__m{req.key}").sum().alias(f"__f{req.key}"))
        if req.total and rule.kind is RuleKind.VALUE and rule.column not in totals:
            totals[rule.column] = alias = f"__t{len(totals)}"
            exprs.append((~missing_expr(rule.column, dtype)).sum().alias(alias))
        if wants_samples:
            sampled.append(req)
    data = view.data()
    if isinstance(data, pl.DataFrame):
        masked = data.with_columns(masks)
        row = masked.select(exprs).row(0, named=True)
        # Samples only where something failed (a borrowed rule with failures, or a native
        # one the adapter reported failing), read from the mask columns already computed.
        failing = [r for r in sampled if not r.failed or row[f"__f{r.key}"]]
        if failing:
            picks = [_sample_expr(r.rule, f"__m{r.key}", r.key, sample_size) for r in failing]
            row.update(masked.select(picks).row(0, named=True))
    else:
        exprs += [_sample_expr(r.rule, f"__m{r.key}", r.key, sample_size) for r in sampled]
        row = data.with_columns(masks).select(exprs).collect().row(0, named=True)
    rows = int(row["__rows"]) if has_columns else view.row_count()
    if has_columns:
        view._set_row_count(rows)
    answers: dict[int, SharedAnswer] = {}
    for req in requests:
        rule = req.rule
        assert rule.column is not None
        failed = int(row[f"__f{req.key}"]) if req.failed else None
        total: int | None = None
        if req.total:
            total = rows if rule.kind is RuleKind.ROW else int(row[totals[rule.column]])
        samples: tuple[JSONScalar, ...] | None = None
        if req.samples:
            samples = tuple(json_scalar(v) for v in row.get(f"__s{req.key}") or ())
        answers[req.key] = SharedAnswer(failed, total, samples)
    return rows, answers
