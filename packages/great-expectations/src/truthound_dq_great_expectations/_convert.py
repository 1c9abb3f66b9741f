"""The view's columns as a pandas frame for Great Expectations, without changing a value.

GX 1.x validates pandas frames only, and compares what pandas holds. Each column travels in
the form that keeps GX's comparisons exact:

- integers within +-2**53 as numpy ``int64`` (``float64`` when the column has nulls: exact in
  that range). GX only takes its vectorised path for ``in_range`` on numpy ``int``/``float``
  columns (``column_values_between``: ``column.dtype in [int, float]``), so Int8..Int32 and
  UInt8..UInt64 are widened to ``int64`` too;
- integers beyond +-2**53 (Int64, UInt64, Int128) as Python ``int`` objects: every
  comparison GX makes on them (``==`` for sets and duplicates, ``<=`` against a float bound)
  is then Python's, which is exact, where float64 would round ``2**62 + 1`` to ``2**62``.
  Polars cannot hand Int128 to Arrow at all (``_pli128``);
- Float32 widened to float64 (exact): numpy compares a float32 array with a Python float in
  float32, where ``0.1`` is not above ``max=0.1`` and ``-1e308`` becomes ``-inf``;
- Decimal as ``decimal.Decimal`` objects (Polars' own conversion; exact);
- Categorical and Enum arrive as String (the view reads them so).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import polars as pl

from truthound_dq.sdk import FLOAT64_EXACT_INT, DataView, json_scalar

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Converted", "to_pandas", "sample_values"]


@dataclass(frozen=True, slots=True)
class Converted:
    """The pandas frame GX validates, and how its integer columns travel.

    Attributes:
        frame: The columns, under the view's safe names.
        python_ints: Integer columns carried as Python ``int`` objects (values beyond
            +-2**53); every other integer column holds only values within +-2**53.
    """

    frame: pd.DataFrame
    python_ints: frozenset[str]


def _python_objects(series: pl.Series) -> Any:
    import pandas as pd

    return pd.Series(series.to_list(), dtype=object, name=series.name)


def to_pandas(view: DataView, columns: Sequence[str]) -> Converted:
    """``columns`` (safe names present in the view) as a pandas frame GX evaluates exactly.

    With no columns, an empty frame that still has the data's rows (for ``row_count``).
    """
    import pandas as pd

    data = view.data()
    assert isinstance(data, pl.DataFrame)  # the engine asks the base for a collected view
    rows = view.row_count()
    if not columns:
        return Converted(pd.DataFrame(index=pd.RangeIndex(rows)), frozenset())
    schema = data.schema
    integers = [c for c in columns if schema[c].is_integer()]
    wide: set[str] = set()
    if integers:
        # One pass for every integer column's range (which form it can travel in).
        bounds = data.select(
            *(pl.col(c).min().alias(f"lo{i}") for i, c in enumerate(integers)),
            *(pl.col(c).max().alias(f"hi{i}") for i, c in enumerate(integers)),
        ).row(0)
        n = len(integers)
        for i, name in enumerate(integers):
            low, high = bounds[i], bounds[n + i]
            if low is not None and (-low > FLOAT64_EXACT_INT or high > FLOAT64_EXACT_INT):
                wide.add(name)
    plain: list[pl.Expr] = []
    for name in columns:
        if name in wide:
            continue
        dtype = schema[name]
        if dtype.is_integer() and dtype != pl.Int64:
            plain.append(pl.col(name).cast(pl.Int64))
        elif dtype == pl.Float32:
            plain.append(pl.col(name).cast(pl.Float64))
        else:
            plain.append(pl.col(name))
    frame = data.select(plain).to_pandas() if plain else pd.DataFrame(index=pd.RangeIndex(rows))
    for name in wide:
        frame[name] = _python_objects(data.get_column(name))
    return Converted(frame, frozenset(wide))


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
            if getattr(value, "nanosecond", 0):
                # Polars hands the shared pass microseconds too (the extra digits dropped);
                # pandas would warn about discarding them.
                stamp: Any = value  # a pandas Timestamp
                value = stamp.replace(nanosecond=0)
            return value.to_pydatetime()
        return value.to_pytimedelta() if hasattr(value, "to_pytimedelta") else value
    return value.item() if hasattr(value, "item") else value
