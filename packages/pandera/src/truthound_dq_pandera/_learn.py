"""``learn`` through ``pandera.polars.infer_schema``, mapped onto the rule vocabulary.

Pandera infers, per column: its dtype, ``nullable``, and ``ge``/``le`` bounds (numeric),
``str_length`` bounds (strings) or ``isin`` (pandas-style categories). Each becomes the
matching rule, corrected where pandera's inference means something else than our rules:

- ``nullable`` is inferred from nulls alone, but NaN is missing here (and pandera's own
  nullable check fails NaN too), so ``not_null`` is learned only without nulls *and* NaN;
- numeric bounds are inferred as ``float``, which rounds integers beyond 2**53 (the learned
  rule would then fail the data it came from), so integer bounds outside that range are
  taken exactly from the data instead; NaN bounds (an all-NaN column) give no rule;
- pandera's Polars engine has no dtype for some columns (Int128, UInt128, Float16: its
  ``infer_schema`` raises ``TypeError``); those columns are learned by the shared Polars
  implementation, and ``produced_by`` says how many.
"""

from __future__ import annotations

import math
from typing import Any

import polars as pl

from truthound_dq import ColumnSchema, DTypeFamily, Frame, LearnedRule, LearnOutput
from truthound_dq.sdk import (
    collect_frame,
    dtype_family,
    import_engine_library,
    learn_table_rules,
    missing_expr,
    polars_learn,
)

__all__ = ["learn_with_pandera"]

_EXACT_FLOAT_INTS = 2**53
# A learned in_set is a baseline kept as JSON; pandera would list every category.
_MAX_LEARNED_SET = 1000


def learn_with_pandera(frame: Frame, *, pandera_version: str) -> LearnOutput:
    """Rules inferred by ``pandera.polars.infer_schema``; the data passes all of them."""
    pa = import_engine_library("pandera.polars", "pandera")
    df = collect_frame(frame)  # cancellable inside a caller's time limit
    inferred, others = _infer(pa, df)
    missing = (
        df.select(
            missing_expr(name, dtype).sum().alias(name) for name, dtype in df.schema.items()
        ).row(0, named=True)
        if df.width
        else {}
    )
    rules: list[LearnedRule] = []
    for name, column in inferred.columns.items():
        dtype = df.schema[name]
        family = dtype_family(dtype)
        spec = family.value if family is not None else dtype.base_type().__name__
        rules.append(LearnedRule(column=name, rule_type="dtype", parameters={"dtype": spec}))
        if not column.nullable and df.height and missing[name] == 0:
            rules.append(LearnedRule(column=name, rule_type="not_null"))
        stats = {check.name: dict(check.statistics or {}) for check in column.checks or ()}
        if family in (DTypeFamily.INTEGER, DTypeFamily.FLOAT):
            bounds = _bounds(df, name, family, stats)
            if bounds:
                rules.append(LearnedRule(column=name, rule_type="in_range", parameters=bounds))
        if family is DTypeFamily.STRING and "str_length" in stats:
            lengths = stats["str_length"]
            params = {"min": lengths.get("min_value"), "max": lengths.get("max_value")}
            params = {k: v for k, v in params.items() if v is not None}
            if params:
                rules.append(LearnedRule(column=name, rule_type="str_length", parameters=params))
        if family is DTypeFamily.STRING and "isin" in stats:
            values = sorted(str(v) for v in stats["isin"].get("allowed_values", ()))
            if 0 < len(values) <= _MAX_LEARNED_SET:
                rules.append(
                    LearnedRule(column=name, rule_type="in_set", parameters={"values": values})
                )
    produced_by = f"pandera.polars.infer_schema (pandera {pandera_version})"
    if others:
        # (the shared learn's table-level proposals of these columns alone are dropped)
        rules += [r for r in polars_learn(df.select(others)).rules if r.column is not None]
        produced_by += (
            f"; {len(others)} column(s) of dtypes pandera cannot infer learned by "
            "truthound_dq (shared Polars implementation)"
        )
    # Pandera infers per column only: the table-level proposals (schema, aggregate ranges, a
    # compound key) are the shared ones.
    rules += learn_table_rules(df)
    produced_by += "; schema and aggregate proposals by truthound_dq"
    return LearnOutput(
        rules=tuple(rules),
        columns=tuple(ColumnSchema(name=n, dtype=str(t)) for n, t in df.schema.items()),
        row_count=df.height,
        produced_by=produced_by,
    )


def _infer(pa: Any, df: pl.DataFrame) -> tuple[Any, list[str]]:
    """``infer_schema`` of the columns pandera has a dtype for, and the other columns."""
    try:
        return pa.infer_schema(df), []
    except TypeError:
        pass  # some column's dtype is not a pandera dtype: find which, one by one
    inferable, others = [], []
    for name in df.columns:
        try:
            pa.infer_schema(df.select(name))
        except TypeError:
            others.append(name)
        else:
            inferable.append(name)
    return pa.infer_schema(df.select(inferable)), others


def _bounds(
    df: pl.DataFrame, name: str, family: DTypeFamily, stats: dict[str, dict[str, Any]]
) -> dict[str, int | float]:
    low = stats.get("greater_than_or_equal_to", {}).get("min_value")
    high = stats.get("less_than_or_equal_to", {}).get("max_value")
    bounds: dict[str, int | float] = {}
    for key, value, exact in (("min", low, "min"), ("max", high, "max")):
        if value is None or not math.isfinite(float(value)):
            continue
        if family is DTypeFamily.INTEGER:
            if abs(value) < _EXACT_FLOAT_INTS:
                bounds[key] = int(value)
            else:
                # float() rounded it; the exact integer comes from the data.
                bounds[key] = int(getattr(df.get_column(name), exact)())
        else:
            bounds[key] = float(value)
    return bounds
