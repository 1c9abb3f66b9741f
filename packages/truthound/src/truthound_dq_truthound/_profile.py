"""``profile`` from ``th.profile``, with exact counts where Truthound reports only percentages."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import Any

import polars as pl

from truthound_dq import ColumnProfile, Frame, ProfileOutput
from truthound_dq.sdk import collect_frame, json_scalar, polars_profile
from truthound_dq_truthound._imports import truthound

__all__ = ["profile", "PRODUCED_BY"]

PRODUCED_BY = (
    "truthound th.profile (row count, dtypes, numeric min/max) + truthound_dq's Polars pass "
    "(exact missing and distinct counts, means: th.profile reports rounded percentages only)"
)


def _number(text: Any, dtype: pl.DataType) -> Any:
    """A min/max that th.profile printed back as a number; None when it has none."""
    if not isinstance(text, str) or text == "-":
        return None
    value: int | float = int(text) if dtype.is_integer() else float(text)
    # "nan" means every non-null value is NaN, i.e. no value that is not missing.
    return None if isinstance(value, float) and math.isnan(value) else json_scalar(value)


def profile(frame: Frame, columns: Sequence[str] | None) -> ProfileOutput:
    """Per-column statistics from ``th.profile``, completed with exact counts.

    ``th.profile`` gives the row count, dtypes and numeric min/max (as text, turned back into
    numbers here), but missing and distinct values only as rounded percentages, counting
    NaN as a value and null as a distinct value. Those counts, the mean and the min/max of
    non-numeric columns come from one pass of the shared Polars implementation over the same
    collected data.
    """
    th = truthound()
    selected = frame.select(columns) if columns is not None else frame
    df = collect_frame(selected)  # cancellable inside a caller's time limit
    report = th.profile(df)
    exact = polars_profile(df)
    if report.row_count != exact.row_count:
        raise RuntimeError(
            f"th.profile counted {report.row_count} rows, the data has {exact.row_count}"
        )
    by_name = {entry["name"]: entry for entry in report.columns}
    merged: list[ColumnProfile] = []
    for column in exact.columns:
        entry = by_name[column.column_name]
        dtype = df.schema[column.column_name]
        low, high = _number(entry.get("min"), dtype), _number(entry.get("max"), dtype)
        if entry.get("min", "-") == "-":
            low, high = column.min, column.max  # th.profile has none for this dtype
        merged.append(dataclasses.replace(column, dtype=entry["dtype"], min=low, max=high))
    return ProfileOutput(row_count=report.row_count, columns=tuple(merged), produced_by=PRODUCED_BY)
