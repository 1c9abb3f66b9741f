"""The base's own pass: every borrowed rule, missing totals and samples, fused in one query.

Each failure mask is computed once (as a column) and read twice, for the count and for the
samples; Polars runs the whole ``select`` as one parallel pass over the view.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import polars as pl

from truthound_dq._dtypes import dtype_matches
from truthound_dq._polars import failure_expr, missing_expr
from truthound_dq._results import JSONScalar, json_scalar
from truthound_dq._rules import ColumnExists, DType, NotNull, RowCount, Rule
from truthound_dq.sdk._view import DataView

__all__ = ["SharedRequest", "SharedAnswer", "shared_pass", "is_single_check", "single_check"]


def is_single_check(rule: Rule) -> bool:
    """Schema and table rules: one yes/no check, decided without reading values."""
    return isinstance(rule, ColumnExists | DType | RowCount)


def single_check(rule: Rule, view: DataView, row_count: int) -> bool:
    """Whether a schema or table rule (with a safe column name) passes."""
    if isinstance(rule, ColumnExists):
        assert rule.column is not None
        return view.column(rule.column).exists
    if isinstance(rule, DType):
        assert rule.column is not None
        column = view.column(rule.column)
        return column.source_dtype is not None and dtype_matches(column.source_dtype, rule.dtype)
    if isinstance(rule, RowCount):
        return (rule.min is None or row_count >= rule.min) and (
            rule.max is None or row_count <= rule.max
        )
    raise TypeError(f"{rule.type} is not a single check")  # pragma: no cover


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


def shared_pass(
    view: DataView, requests: Sequence[SharedRequest], *, sample_size: int
) -> tuple[int, dict[int, SharedAnswer]]:
    """Run every request in one Polars query over the view; also returns the row count."""
    schema = view.schema
    has_columns = len(schema) > 0
    if not requests:
        return view.row_count(), {}
    masks: list[pl.Expr] = []
    exprs: list[pl.Expr] = [pl.len().alias("__rows")]
    totals: dict[str, str] = {}
    for req in requests:
        rule = req.rule
        assert rule.column is not None
        dtype = schema[rule.column]
        mask = f"__m{req.key}"
        if req.failed or (req.samples and sample_size > 0 and not isinstance(rule, NotNull)):
            masks.append(failure_expr(rule, dtype).alias(mask))
        if req.failed:
            exprs.append(pl.col(mask).sum().alias(f"__f{req.key}"))
        if req.total and not isinstance(rule, NotNull) and rule.column not in totals:
            totals[rule.column] = alias = f"__t{len(totals)}"
            exprs.append((~missing_expr(rule.column, dtype)).sum().alias(alias))
        if req.samples and sample_size > 0 and not isinstance(rule, NotNull):
            exprs.append(
                pl.col(rule.column)
                .filter(pl.col(mask))
                .head(sample_size)
                .implode()
                .alias(f"__s{req.key}")
            )
    data = view.data()
    row = data.lazy().with_columns(masks).select(exprs).collect().row(0, named=True)
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
            total = rows if isinstance(rule, NotNull) else int(row[totals[rule.column]])
        samples: tuple[JSONScalar, ...] | None = None
        if req.samples:
            samples = tuple(json_scalar(v) for v in row.get(f"__s{req.key}") or ())
        answers[req.key] = SharedAnswer(failed, total, samples)
    return rows, answers
