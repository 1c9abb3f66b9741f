"""What kind of frame a value is, judged by its type alone (never by touching the data)."""

from __future__ import annotations

from typing import Any

from truthound_dq import is_supported_data
from truthound_dq._data import is_spark_frame  # never imports pyspark

__all__ = ["is_frame", "is_spark_frame"]


def is_frame(data: Any) -> bool:
    """Whether ``data`` is a frame the engines check: Polars, pandas or PySpark."""
    return is_supported_data(data)
