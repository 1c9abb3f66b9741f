"""One check: collect the data once, run Truthound's validators, turn issues into counts."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import polars as pl

from truthound_dq import Frame, Rule
from truthound_dq.sdk import Evaluation, RuleCounts
from truthound_dq_truthound._plan import Plan, build_plan
from truthound_dq_truthound._run import count_issues, run_check, truthound_context
from truthound_dq_truthound._samples import JSONScalar, row_samples, unique_samples

__all__ = ["evaluate", "collect_once"]


def collect_once(frame: Frame, columns: Sequence[str]) -> tuple[pl.DataFrame, int]:
    """The columns the rules read, collected once, and the row count.

    Truthound runs one or more queries per validator; over a LazyFrame each would run the
    whole plan again (a scan, a join...), so it gets a DataFrame.
    """
    if columns:
        df = frame.select(columns)
        if isinstance(df, pl.LazyFrame):
            df = df.collect()
        return df, df.height
    if isinstance(frame, pl.LazyFrame):
        return pl.DataFrame(), int(frame.select(pl.len()).collect().item())
    return pl.DataFrame(), frame.height


def _view(source: pl.DataFrame, plan: Plan, rows: int) -> pl.DataFrame:
    if plan.view:
        return source.select(**plan.view)
    # Only table-level rules: a column of nulls, which costs no memory, carries the height.
    return pl.select(rows=pl.repeat(None, rows, dtype=pl.Null))


def _polars_counts(view: pl.DataFrame, exprs: dict[str, pl.Expr]) -> dict[str, int]:
    # The streaming engine splits the column into morsels and uses every core.
    row = view.lazy().select(**exprs).collect(engine="streaming").row(0, named=True)
    return {key: int(value or 0) for key, value in row.items()}


def evaluate(
    frame: Frame, rules: Sequence[Rule], *, sample_size: int, workdir: str | Path | None
) -> Evaluation:
    """Counts (and samples) for each rule, from Truthound's validators."""
    schema = frame.collect_schema()
    needed = list(dict.fromkeys(r.column for r in rules if r.column and r.column in schema))
    source, rows = collect_once(frame, needed)
    if not rules:
        return Evaluation(rows, [])
    plan = build_plan(rules, schema)
    view = _view(source, plan, rows)
    with ThreadPoolExecutor(max_workers=1) as pool:
        # The shared Polars counts do not depend on Truthound's: run them alongside, on the
        # cores Truthound's mostly one-column-at-a-time queries leave idle.
        extra = pool.submit(_polars_counts, view, plan.polars) if plan.polars else None
        with truthound_context(workdir) as context:
            result = run_check(view, plan.validators, context)
        found = count_issues(result, plan.parts)
        if extra is not None:
            found.update(extra.result())
    if result.row_count != rows:
        raise RuntimeError(f"Truthound counted {result.row_count} rows, the data has {rows}")
    counts = []
    for recipe in plan.recipes:
        failed, total = recipe.combine(found, rows)
        samples: tuple[JSONScalar, ...] = ()
        if failed and sample_size > 0 and recipe.alias is not None:
            if recipe.sampled == "row":
                samples = row_samples(view, recipe.rule, recipe.alias, sample_size)
            elif recipe.sampled == "unique":
                samples = unique_samples(view, recipe.alias, sample_size)
        counts.append(RuleCounts(failed, total, samples))
    return Evaluation(rows, counts)
