"""``learn`` from ``th.learn``: Truthound's learned schema translated into the vocabulary."""

from __future__ import annotations

import math
from typing import Any

import polars as pl

from truthound_dq import (
    ColumnSchema,
    Frame,
    LearnedRule,
    LearnOutput,
    RuleValidationError,
    parse_rules,
)
from truthound_dq.sdk import collect_frame, dtype_family, learn_table_rules
from truthound_dq_truthound._imports import truthound

__all__ = ["learn", "PRODUCED_BY"]

PRODUCED_BY = "truthound th.learn"


def _accepted(rule: LearnedRule) -> bool:
    try:
        parse_rules([rule.to_rule()])
    except RuleValidationError:
        return False
    return True


def _dtype_rule(name: str, dtype: pl.DataType) -> LearnedRule | None:
    # Truthound records str(dtype), e.g. "Datetime(time_unit='us', time_zone=None)"; the rule
    # takes the class name (parameters are not compared), or the family for a dtype the
    # vocabulary does not name exactly (Float16, UInt128).
    base = dtype.base_type()
    for spec in ("String" if base == pl.String else base.__name__, dtype_family(dtype)):
        if spec is not None:
            rule = LearnedRule(column=name, rule_type="dtype", parameters={"dtype": str(spec)})
            if _accepted(rule):
                return rule
    return None


def _bounds(low: float, high: float, dtype: pl.DataType) -> dict[str, Any] | None:
    if not (math.isfinite(low) and math.isfinite(high)):
        return None
    if not dtype.is_integer():
        return {"min": low, "max": high}
    # th.learn keeps min/max as floats, which are exact only up to 2**53; beyond that the
    # float may lie just inside the data's range, so widen by one float step.
    slack_low = int(math.ulp(low)) if abs(low) > 2**53 else 0
    slack_high = int(math.ulp(high)) if abs(high) > 2**53 else 0
    return {"min": int(low) - slack_low, "max": int(high) + slack_high}


def _set_values(values: list[Any], dtype: pl.DataType) -> list[Any]:
    # NaN was turned into null before learning. An infinity cannot be an in_set value (the
    # rule parser refuses it), and leaving it out would fail the rows that hold it: no set.
    if any(isinstance(v, float) and not math.isfinite(v) for v in values):
        return []
    return values if dtype.base_type() != pl.Null else []


def learn(frame: Frame) -> LearnOutput:
    """Rules learned by ``th.learn``, which the same data passes.

    ``th.learn`` runs over the data with NaN turned into null in float columns, so that its
    nullability, uniqueness, ranges and value sets treat NaN as missing, as the vocabulary
    does. Learned: dtype; not_null (not nullable); unique; in_range (numeric min/max);
    str_length (string length min/max); in_set (the values of low-cardinality columns).
    """
    th = truthound()
    df = collect_frame(frame)  # cancellable inside a caller's time limit
    floats = [n for n, t in df.schema.items() if t.base_type() in (pl.Float32, pl.Float64)]
    schema = th.learn(df.with_columns(pl.col(floats).fill_nan(None)) if floats else df)
    rows = int(schema.row_count or 0)
    learned: list[LearnedRule] = []
    for name, column in schema.columns.items():
        dtype = df.schema[name]
        candidates: list[LearnedRule | None] = [_dtype_rule(name, dtype)]
        if rows and not column.nullable:
            candidates.append(LearnedRule(column=name, rule_type="not_null"))
        if dtype.is_nested() or dtype.base_type() == pl.Object:
            # Value rules do not apply to nested values (the check would not evaluate them).
            learned += [rule for rule in candidates if rule is not None]
            continue
        if column.unique:
            candidates.append(LearnedRule(column=name, rule_type="unique"))
        if column.min_value is not None and column.max_value is not None:
            bounds = _bounds(column.min_value, column.max_value, dtype)
            if bounds is not None:
                candidates.append(LearnedRule(column=name, rule_type="in_range", parameters=bounds))
        if column.min_length is not None and column.max_length is not None:
            lengths = {"min": column.min_length, "max": column.max_length}
            candidates.append(LearnedRule(column=name, rule_type="str_length", parameters=lengths))
        values = _set_values(list(column.allowed_values or ()), dtype)
        if values:
            candidates.append(
                LearnedRule(column=name, rule_type="in_set", parameters={"values": values})
            )
        learned += [rule for rule in candidates if rule is not None]
    # th.learn learns per column only: the table-level proposals (schema, aggregate ranges, a
    # compound key) are the shared ones.
    learned += learn_table_rules(df)
    return LearnOutput(
        rules=tuple(learned),
        columns=tuple(ColumnSchema(name=n, dtype=str(t)) for n, t in df.schema.items()),
        row_count=rows,
        produced_by=f"{PRODUCED_BY}; schema and aggregate proposals by truthound_dq",
    )
