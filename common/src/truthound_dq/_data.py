"""Accepted input data: Polars frames always, pandas and PySpark frames when installed."""

from __future__ import annotations

import sys
from typing import Any, TypeAlias

import polars as pl

__all__ = ["Frame", "to_polars", "is_supported_data", "is_spark_frame"]

Frame: TypeAlias = pl.DataFrame | pl.LazyFrame
"""What engines receive: a Polars DataFrame or LazyFrame (pandas input is converted first)."""

_ACCEPTED = "polars.DataFrame, polars.LazyFrame, pandas.DataFrame or pyspark.sql.DataFrame"


def _is_pandas_frame(data: object) -> bool:
    # Look pandas up in sys.modules rather than importing it: a pandas frame can only exist
    # if pandas is already imported, and importing it here would cost every caller ~0.5 s.
    pandas = sys.modules.get("pandas")
    return pandas is not None and isinstance(data, pandas.DataFrame)


def is_spark_frame(data: object) -> bool:
    """Whether ``data`` is a PySpark DataFrame (classic, or a Spark Connect session's).

    Never imports pyspark: a Spark frame can only exist if its module is already imported.
    """
    for module in ("pyspark.sql.dataframe", "pyspark.sql.connect.dataframe"):
        found = sys.modules.get(module)
        if found is not None and isinstance(data, getattr(found, "DataFrame", ())):
            return True
    return False


def is_supported_data(data: object) -> bool:
    """Whether ``data`` is a frame the engines accept."""
    return (
        isinstance(data, pl.DataFrame | pl.LazyFrame)
        or _is_pandas_frame(data)
        or is_spark_frame(data)
    )


def to_polars(data: Any) -> Frame:
    """Return ``data`` as a Polars DataFrame or LazyFrame, without collecting a LazyFrame.

    Raises:
        TypeError: For anything but a Polars DataFrame/LazyFrame or a pandas DataFrame,
            naming what was given (a Spark DataFrame, where the operation cannot take one).
    """
    if isinstance(data, pl.DataFrame | pl.LazyFrame):
        return data
    if _is_pandas_frame(data):
        converted: pl.DataFrame = pl.from_pandas(data)
        return converted
    if is_spark_frame(data):
        raise TypeError(
            "this operation does not take a Spark DataFrame (check and profile do); "
            "bring a bounded sample to the driver first, e.g. "
            "pl.from_pandas(df.limit(100_000).toPandas())"
        )
    given = type(data)
    raise TypeError(
        f"data must be a {_ACCEPTED}; got {given.__module__}.{given.__qualname__}"
        + (" (call .to_frame() on a Series first)" if given.__name__ == "Series" else "")
    )
