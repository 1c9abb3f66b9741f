"""The base's own pass: every borrowed rule, missing totals and samples, fused in one query.

Each failure mask is computed once (as a column) and read twice, for the count and for the
samples; Polars runs the whole ``select`` as one parallel pass over the view.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import polars as pl

from truthound_dq._cancel import collect_frame
from truthound_dq._polars import counts_every_row, counts_present_values, rule_masks
from truthound_dq._results import JSONScalar, json_scalar
from truthound_dq._rule import CheckContext, Rule, RuleKind
from truthound_dq.sdk._view import DataView

__all__ = [
    "SharedRequest",
    "SharedAnswer",
    "shared_pass",
    "is_single_check",
    "single_check",
    "observes",
    "table_failed",
    "sample_value",
]


def is_single_check(rule: Rule) -> bool:
    """Schema and table rules (kind ``table``): one yes/no check."""
    return rule.kind is RuleKind.TABLE


def observes(rule: Rule) -> bool:
    """Whether a ``table`` rule reads the data (an aggregate, freshness), not just the schema."""
    return rule.kind is RuleKind.TABLE and rule.observes_data


def table_failed(rule: Rule, observed: Any, context: CheckContext) -> int:
    """1 if a ``table`` rule fails on ``observed`` (its undefined cases fail), else 0."""
    if rule.undefined(observed, context) is not None:
        return 1
    return 0 if rule.verdict(observed, context) else 1


def single_check(rule: Rule, view: DataView, row_count: int, *, now: Any = None) -> bool:
    """Whether a ``table`` rule that reads no data (safe column name) passes."""
    import datetime as dt

    context = CheckContext(
        row_count=row_count,
        now=now or dt.datetime.now(dt.UTC),
        schema=view.source_schema,
        view=view,
    )
    return table_failed(rule, None, context) == 0


@dataclass(frozen=True, slots=True)
class SharedRequest:
    """What the base pass must compute for one rule (safe column names).

    Row-level rules: ``failed``, ``total``, ``samples``; a ``table`` rule that observes the
    data: ``observe``.
    """

    key: int
    rule: Rule
    failed: bool
    total: bool
    samples: bool
    observe: bool = False


@dataclass(frozen=True, slots=True)
class SharedAnswer:
    """The base pass's answer for one request (fields not requested are None)."""

    failed: int | None
    total: int | None
    samples: tuple[JSONScalar, ...] | None
    observed: Any = None


def _sample_expr(
    rule: Rule, mask: str, key: int, sample_size: int, schema: pl.Schema | None = None
) -> pl.Expr:
    shown = sample_value(rule, schema)
    return shown.filter(pl.col(mask)).head(sample_size).implode().alias(f"__s{key}")


def sample_value(rule: Rule, schema: pl.Schema | None = None) -> pl.Expr:
    """What a failing row shows as its sample: the column's value, or the row's values.

    ``schema`` (the view's) lets values Polars cannot cast to text (durations) be written
    as ISO-8601 text.
    """
    shown = rule.sample_columns()
    if len(shown) == 1:
        return pl.col(shown[0])
    parts = []
    for c in shown:
        dtype = schema.get(c) if schema is not None else None
        text = (
            pl.col(c).dt.to_string()
            if dtype is not None and dtype.base_type() == pl.Duration
            else pl.col(c).cast(pl.String)
        )
        parts.append(text.fill_null("null"))
    return pl.concat_str(parts, separator=", ")


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
    total_of: dict[int, str] = {}
    sampled: list[SharedRequest] = []
    for req in requests:
        rule = req.rule
        if req.observe:
            observed = rule.observe(schema)
            assert observed is not None
            exprs.append(observed.alias(f"__o{req.key}"))
            continue
        wants_samples = req.samples and sample_size > 0 and rule.sampled
        if req.failed or wants_samples or (req.total and not counts_every_row(rule)):
            counted, failed = rule_masks(rule, schema)
            if req.failed or wants_samples:
                masks.append(failed.alias(f"__m{req.key}"))
        if req.failed:
            exprs.append(pl.col(f"__m{req.key}").sum().alias(f"__f{req.key}"))
        if req.total and not counts_every_row(rule):
            if counts_present_values(rule):
                assert rule.column is not None
                if rule.column not in totals:
                    totals[rule.column] = f"__t{len(totals)}"
                    exprs.append(counted.sum().alias(totals[rule.column]))
                total_of[req.key] = totals[rule.column]
            else:
                total_of[req.key] = f"__c{req.key}"
                exprs.append(counted.sum().alias(f"__c{req.key}"))
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
            picks = [
                _sample_expr(r.rule, f"__m{r.key}", r.key, sample_size, schema) for r in failing
            ]
            row.update(masked.select(picks).row(0, named=True))
    else:
        exprs += [_sample_expr(r.rule, f"__m{r.key}", r.key, sample_size, schema) for r in sampled]
        row = collect_frame(data.with_columns(masks).select(exprs)).row(0, named=True)
    rows = int(row["__rows"]) if has_columns else view.row_count()
    if has_columns:
        view._set_row_count(rows)
    return rows, _answers(requests, row, rows, total_of)


def _answers(
    requests: Sequence[SharedRequest],
    row: dict[str, Any],
    rows: int,
    total_of: dict[int, str],
) -> dict[int, SharedAnswer]:
    answers: dict[int, SharedAnswer] = {}
    for req in requests:
        if req.observe:
            answers[req.key] = SharedAnswer(None, None, None, row[f"__o{req.key}"])
            continue
        failed = int(row[f"__f{req.key}"]) if req.failed else None
        total: int | None = None
        if req.total:
            total = rows if req.key not in total_of else int(row[total_of[req.key]])
        samples: tuple[JSONScalar, ...] | None = None
        if req.samples:
            samples = tuple(json_scalar(v) for v in row.get(f"__s{req.key}") or ())
        answers[req.key] = SharedAnswer(failed, total, samples)
    return answers
