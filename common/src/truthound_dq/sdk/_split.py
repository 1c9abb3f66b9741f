"""``split``: the checked data cut into valid and quarantined rows by the canonical masks.

The check runs first, exactly as ``check`` runs (same code path, same result). The rows are
then split by the shared implementation's failure mask of every row-level rule the check
evaluated, computed on the safe view (columns selected by position, renamed ``c0``...) and
joined back to the data by row position, so no user column name is ever parsed. Each rule's
count of rows naming it must equal its ``failed_count`` in the result: an engine whose
native count differs from the canonical mask's gets an ``EngineError``, never a split that
disagrees with its own result.
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from truthound_dq._cancel import collect_frame
from truthound_dq._data import to_polars
from truthound_dq._errors import ColumnClashError, EngineError
from truthound_dq._polars import rule_masks
from truthound_dq._results import QualityCheckOutput
from truthound_dq._rule import Rule, RuleKind, Severity
from truthound_dq._split import SplitOutput
from truthound_dq.sdk._faults import guard_engine_call
from truthound_dq.sdk._view import build_view

__all__ = ["split_input", "split_checked", "row_failure"]


def row_failure(rule: Rule, view_schema: pl.Schema) -> pl.Expr:
    """The canonical failure mask of a row-level rule (safe names), nulls as False.

    The one place ``split`` gets a mask from: the same expression the shared pass counts
    (``where`` scope and missing values applied; every column the rule reads).
    """
    return rule_masks(rule, view_schema)[1]


def split_input(data: object, reasons_column: str, row_index: str | None) -> pl.DataFrame:
    """The data ``split`` checks and splits: a DataFrame, a LazyFrame read once (collected).

    Raises:
        TypeError: ``data`` is not a supported frame, or a column name is not a string.
        ColumnClashError: The reasons column or the row index is already a column.
    """
    frame = to_polars(data)
    for option, name in (("reasons_column", reasons_column), ("row_index", row_index)):
        if name is not None and (not isinstance(name, str) or not name):
            raise TypeError(f"{option} must be a non-empty string, got {name!r}")
    names = set(frame.collect_schema().names())
    if reasons_column in names:
        raise ColumnClashError("reasons_column", reasons_column)
    if row_index is not None and (row_index in names or row_index == reasons_column):
        raise ColumnClashError("row_index", row_index)
    if isinstance(frame, pl.LazyFrame):
        # One read of the source: the check and the split both run on this DataFrame.
        frame = collect_frame(frame)
    return frame


def split_checked(
    engine: str,
    frame: pl.DataFrame,
    rules: Sequence[Rule],
    result: QualityCheckOutput,
    *,
    reasons_column: str,
    row_index: str | None,
) -> SplitOutput:
    """Split ``frame`` by the rules ``result`` evaluated (``rules[i]`` gave result ``i``).

    Raises:
        EngineError: A rule's canonical mask fails a different number of rows than the
            result's ``failed_count`` (the engine disagrees with the canonical semantics).
    """
    row_rules = [
        (rule, outcome)
        for rule, outcome in zip(rules, result.rule_results, strict=False)
        if rule.kind is not RuleKind.TABLE and outcome.evaluated
    ]
    out = frame.with_row_index(row_index) if row_index is not None else frame
    if not row_rules:
        reasons = pl.Series(reasons_column, [[]] * frame.height, dtype=pl.List(pl.String))
        out = out.hstack([reasons])
        return SplitOutput(
            valid=out,
            invalid=out.clear(),
            result=result,
            reasons_column=reasons_column,
            row_index=row_index,
        )
    masks = guard_engine_call(
        engine, "split (shared Polars implementation)", _masks, frame, [r for r, _ in row_rules]
    )
    counted = masks.sum().row(0)
    wrong = [
        f"{outcome.rule_name}: the result says {outcome.failed_count} failing rows, the "
        f"canonical mask {counted[k]}"
        for k, (_, outcome) in enumerate(row_rules)
        if int(counted[k]) != outcome.failed_count
    ]
    if wrong:
        raise EngineError(
            f"{engine} disagrees with the canonical semantics, so the rows cannot be split "
            f"consistently with its result: {'; '.join(wrong)}",
            engine=engine,
        )
    names = [outcome.rule_name for _, outcome in row_rules]
    errors = [
        pl.col(f"__m{k}")
        for k, (rule, _) in enumerate(row_rules)
        if rule.severity is Severity.ERROR
    ]
    picked = masks.select(
        pl.concat_list(
            [pl.when(pl.col(f"__m{k}")).then(pl.lit(name)) for k, name in enumerate(names)]
        )
        .list.drop_nulls()
        .alias(reasons_column),
        (pl.any_horizontal(errors) if errors else pl.repeat(False, pl.len())).alias("__bad"),
    )
    bad = picked.get_column("__bad")
    out = out.hstack([picked.get_column(reasons_column)])
    return SplitOutput(
        valid=out.filter(~bad),
        invalid=out.filter(bad),
        result=result,
        reasons_column=reasons_column,
        row_index=row_index,
        row_rules=tuple(names),
    )


def _masks(frame: pl.DataFrame, rules: Sequence[Rule]) -> pl.DataFrame:
    """One Boolean column ``__m<k>`` per rule, row-aligned with ``frame``."""
    view, safe = build_view(frame, frame.schema, rules, collect=True)
    schema = view.schema
    data = view.data()
    assert isinstance(data, pl.DataFrame)
    return data.select([row_failure(rule, schema).alias(f"__m{k}") for k, rule in enumerate(safe)])
