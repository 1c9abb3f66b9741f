"""One check: the native rules' Truthound validators, run in batches, issues back into counts."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import polars as pl

from truthound_dq import NotNull, Rule
from truthound_dq.sdk import DataView, JSONScalar, NativeCounts, is_float, scope_expr
from truthound_dq_truthound._plan import Batch, plan_batches
from truthound_dq_truthound._run import count_issues, run_check, truthound_context
from truthound_dq_truthound._samples import (
    row_samples,
    unique_samples,
    unique_samples_in_prefix,
)
from truthound_dq_truthound._translate import TRANSLATIONS, Spec, Translation

__all__ = ["evaluate_native"]

_LONG_COLUMN = 1_000_000


def _truthound_frame(view: DataView, columns: Sequence[str]) -> pl.DataFrame:
    """The view's columns as Truthound's validators must see them to mean ``docs/rules.md``.

    NaN becomes null in float columns: Truthound's validators skip nulls but take NaN for a
    value (and Polars orders NaN above every number, so ``between`` would fail it); in the
    vocabulary NaN is missing.
    """
    data = view.collect() if view.is_lazy else view.frame
    assert isinstance(data, pl.DataFrame)
    schema = data.schema
    return data.select(
        pl.col(c).fill_nan(None) if is_float(schema[c]) else pl.col(c) for c in columns
    )


def _height_only(rows: int) -> pl.DataFrame:
    # Only table-level checks: a column of nulls, which costs no memory, carries the height.
    return pl.select(rows=pl.repeat(None, rows, dtype=pl.Null))


def _failed(how: str, counts: list[int], nulls: int) -> int:
    if how == "count":
        return counts[0]
    if how == "any":
        return int(counts[0] > 0)
    if how == "all":
        return int(all(counts))
    # unique: DuplicateValidator pairs the null rows up with each other.
    return counts[0] - (nulls if nulls >= 2 else 0)


def _samples(
    frame: pl.DataFrame,
    rules: Sequence[Rule],
    plans: Sequence[Translation],
    failed: Sequence[int],
    size: int,
    *,
    decided: Mapping[str, tuple[JSONScalar, ...] | None],
) -> list[tuple[JSONScalar, ...] | None]:
    """Samples of each rule: None for table rules (they have none), () when it passed.

    ``decided``: the unique columns' samples a short prefix decided (None where it did not).
    """
    out: list[tuple[JSONScalar, ...] | None] = [None if how.total == "one" else () for how in plans]
    if size <= 0:
        return out
    rows: dict[int, Rule] = {}
    repeated: dict[int, str] = {}
    for i, (rule, how) in enumerate(zip(rules, plans, strict=True)):
        if how.total == "pair":
            out[i] = None  # both values of a row: the base takes them
            continue
        if how.total == "one" or not failed[i] or isinstance(rule, NotNull):
            continue
        assert how.column is not None
        if how.failed == "unique":
            repeated[i] = how.column
        else:
            rows[i] = rule
    if repeated:
        # Where the first rows decide them, no full pass; on long columns a prefix search
        # finds them without a full duplicate pass; otherwise (None) the base's one fused
        # pass takes every remaining unique rule's samples at once.
        for i, column in repeated.items():
            found = decided.get(column)
            if found is None and frame.height >= _LONG_COLUMN:
                found = unique_samples(frame.get_column(column), size)
            out[i] = found
    if rows:
        columns = list(dict.fromkeys(r.column for r in rows.values() if r.column is not None))
        for i, values in row_samples(frame.select(columns), rows, size).items():
            out[i] = values
    return out


def evaluate_native(
    view: DataView, rules: Sequence[Rule], *, sample_size: int, workdir: str | Path | None
) -> list[NativeCounts]:
    """Counts, totals and samples of each rule (safe names), from Truthound's validators.

    Rules with a ``where`` scope are checked by Truthound on their in-scope rows only (the
    view filtered by the canonical scope, null out of scope), one run per distinct scope:
    Truthound's counts and totals there are the rule's, duplicates among in-scope rows.
    """
    scopes: dict[str | None, list[int]] = {}
    for i, rule in enumerate(rules):
        scopes.setdefault(rule.where, []).append(i)
    if list(scopes) == [None]:
        return _evaluate(view, rules, sample_size=sample_size, workdir=workdir)
    out: dict[int, NativeCounts] = {}
    for where, positions in scopes.items():
        scoped = view
        if where is not None:
            scope = scope_expr(rules[positions[0]])
            assert scope is not None
            scoped = DataView(view.collect().filter(scope), view.source_schema, view.columns)
        # On the in-scope rows the rule is the same rule without its scope.
        unscoped = [dataclasses.replace(rules[i], where=None) for i in positions]
        found = _evaluate(scoped, unscoped, sample_size=sample_size, workdir=workdir)
        out.update(zip(positions, found, strict=True))
    return [out[i] for i in range(len(rules))]


def _evaluate(
    view: DataView, rules: Sequence[Rule], *, sample_size: int, workdir: str | Path | None
) -> list[NativeCounts]:
    plans = [TRANSLATIONS.translate(rule, view) for rule in rules]
    # Missing values per column: the total of every value rule, and the null rows unique's
    # duplicate count includes. NotNullValidator's count is exactly that (NaN is null here),
    # so a column with a not_null rule needs no other check, and the others share one.
    value_columns = dict.fromkeys(p.column for p in plans if p.total == "values")
    nulls = {c: Spec("not_null", (), c) for c in value_columns if c is not None}
    specs = [s for p in plans for s in p.specs] + list(nulls.values())
    present = view.schema
    read = [c for s in specs for c in (s.column, *s.others) if c]
    columns = list(dict.fromkeys(c for c in read if c in present))
    frame = _truthound_frame(view, columns)
    rows = view.row_count()
    batches = plan_batches(specs, frozenset(columns))

    def run(batch: Batch) -> dict[Spec, int]:
        data = frame.select(batch.columns) if batch.columns else _height_only(rows)
        # A context of its own per call: batches may run in two threads at once.
        with truthound_context(workdir) as context:
            result = run_check(data, batch.validators, context)
        if result.row_count != rows:
            raise RuntimeError(f"Truthound counted {result.row_count} rows, the data has {rows}")
        found = count_issues(result, [k for keys in batch.keys.values() for k in keys])
        return {spec: sum(found[k] for k in keys) for spec, keys in batch.keys.items()}

    # Which of the unique rules' samples the first rows decide does not depend on the
    # counts (it reads a short prefix only), so it runs alongside Truthound.
    unique_columns = list(
        dict.fromkeys(p.column for p in plans if p.failed == "unique" and p.column is not None)
    )
    probe = unique_columns and sample_size > 0
    counts: dict[Spec, int] = {}
    decided: dict[str, tuple[JSONScalar, ...] | None] = {}
    if len(batches) == 1 and not probe:
        counts = run(batches[0])
    else:
        # Two lanes of batches (see ``_plan``) and the probe: three threads at most.
        workers = min(len(batches), 2) + (1 if probe else 0)
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="truthound-dq") as pool:
            pending = (
                pool.submit(unique_samples_in_prefix, frame, unique_columns, sample_size)
                if probe
                else None
            )
            for found in pool.map(run, batches):
                counts.update(found)
            if pending is not None:
                decided = pending.result()
    failed: list[int] = []
    totals: list[int | None] = []
    for how in plans:
        missing = counts[nulls[how.column]] if how.total == "values" and how.column else 0
        failed.append(_failed(how.failed, [counts[s] for s in how.specs], missing))
        totals.append({"rows": rows, "values": rows - missing}.get(how.total))
    samples = _samples(frame, rules, plans, failed, sample_size, decided=decided)
    return [
        NativeCounts(failed_count=f, total_count=t, sample_values=s)
        for f, t, s in zip(failed, totals, samples, strict=True)
    ]
