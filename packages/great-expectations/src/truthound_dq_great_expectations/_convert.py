"""Polars to pandas for Great Expectations, without changing a single value on the way.

GX 1.x validates pandas frames only. Polars' own ``to_pandas()`` turns an integer column with
nulls into float64, which is exact only up to 2**53 (``2**62 + 1`` would become ``2**62``);
such columns become pandas' nullable ``Int64`` instead. Columns that float64 holds exactly
keep the plain numpy dtypes, because GX only takes its vectorised path for ``in_range`` on
numpy ``int``/``float`` columns (``column_values_between``: ``column.dtype in [int, float]``)
and falls back to a Python function per value otherwise.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import polars as pl

from truthound_dq.sdk import json_scalar

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["FLOAT_EXACT", "to_pandas", "sample_values"]

FLOAT_EXACT = 2**53


def _exact_as_float(series: pl.Series) -> bool:
    """Whether every integer of ``series`` survives a round trip through float64."""
    low, high = series.min(), series.max()
    return low is None or (abs(int(low)) <= FLOAT_EXACT and abs(int(high)) <= FLOAT_EXACT)  # type: ignore[arg-type]


def _column(series: pl.Series) -> Any:
    import pandas as pd

    dtype = series.dtype
    if dtype.base_type() in (pl.Categorical, pl.Enum):
        # Rules compare categories by their string values (docs/rules.md).
        series = series.cast(pl.String)
    elif dtype.is_integer() and series.null_count() and not _exact_as_float(series):
        # Nullable integers beyond 2**53: keep them exact as pandas' Int64/UInt64.
        unsigned = dtype.is_unsigned_integer()
        nullable = pd.UInt64Dtype() if unsigned else pd.Int64Dtype()
        wide = series.cast(pl.UInt64 if unsigned else pl.Int64)
        return wide.to_arrow().to_pandas(types_mapper=lambda _: nullable)
    return series.to_pandas()


def to_pandas(frame: pl.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """The given columns of ``frame`` as a pandas frame GX evaluates exactly.

    With no columns, an empty frame that still has ``frame.height`` rows (for ``row_count``).
    """
    import pandas as pd

    if not columns:
        return pd.DataFrame(index=pd.RangeIndex(frame.height))
    return pd.DataFrame(
        {name: _column(frame.get_column(name)) for name in columns},
        index=pd.RangeIndex(frame.height),
    )


def sample_values(values: Sequence[Any], dtype: pl.DataType, limit: int) -> tuple[Any, ...]:
    """GX's partial unexpected values as JSON scalars in the column's own kind.

    numpy and pandas scalars become Python ones, integers that travelled as float64 become
    integers again (``1.0`` -> ``1``) and dates that pandas widened to timestamps become dates;
    missing values (which GX never reports as unexpected for value rules) are dropped.
    """
    out: list[Any] = []
    for value in values:
        if len(out) >= limit:
            break
        item = _python_scalar(value)
        if item is None or (isinstance(item, float) and math.isnan(item)):
            continue
        if dtype.is_integer() and isinstance(item, float) and item.is_integer():
            item = int(item)
        elif dtype == pl.Date and isinstance(item, dt.datetime):
            item = item.date()
        out.append(json_scalar(item))
    return tuple(out)


def _python_scalar(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.timedelta):
        # pandas' Timestamp and Timedelta subclass these; convert to the plain classes.
        if hasattr(value, "to_pydatetime"):
            return value.to_pydatetime()
        return value.to_pytimedelta() if hasattr(value, "to_pytimedelta") else value
    return value.item() if hasattr(value, "item") else value
