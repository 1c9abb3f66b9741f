"""Accepted input data: Polars frames always, pandas frames when pandas is installed."""

from __future__ import annotations

import sys
from typing import Any, TypeAlias

import polars as pl

__all__ = ["Frame", "to_polars", "is_supported_data"]

Frame: TypeAlias = pl.DataFrame | pl.LazyFrame
"""What engines receive: a Polars DataFrame or LazyFrame (pandas input is converted first)."""

_ACCEPTED = "polars.DataFrame, polars.LazyFrame or pandas.DataFrame"


def _is_pandas_frame(data: object) -> bool:
    # Look pandas up in sys.modules rather than importing it: a pandas frame can only exist
    # if pandas is already imported, and importing it here would cost every caller ~0.5 s.
    pandas = sys.modules.get("pandas")
    return pandas is not None and isinstance(data, pandas.DataFrame)


def is_supported_data(data: object) -> bool:
    """Whether ``data`` is a frame the engines accept."""
    return isinstance(data, pl.DataFrame | pl.LazyFrame) or _is_pandas_frame(data)


def to_polars(data: Any) -> Frame:
    """Return ``data`` as a Polars DataFrame or LazyFrame, without collecting a LazyFrame.

    Raises:
        TypeError: For anything but a Polars DataFrame/LazyFrame or a pandas DataFrame,
            naming what was given.
    """
    if isinstance(data, pl.DataFrame | pl.LazyFrame):
        return data
    if _is_pandas_frame(data):
        converted: pl.DataFrame = pl.from_pandas(data)
        return converted
    given = type(data)
    raise TypeError(
        f"data must be a {_ACCEPTED}; got {given.__module__}.{given.__qualname__}"
        + (" (call .to_frame() on a Series first)" if given.__name__ == "Series" else "")
    )
