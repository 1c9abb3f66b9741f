"""What kind of frame a value is, judged by its type alone (never by touching the data)."""

from __future__ import annotations

import sys
from typing import Any

from truthound_dq import is_supported_data

__all__ = ["is_frame", "is_spark_frame"]


def is_spark_frame(data: Any) -> bool:
    """Whether ``data`` is a PySpark DataFrame (classic or Spark Connect).

    Looked up in ``sys.modules``: a Spark frame can only exist once pyspark is imported, and
    importing it here would cost every caller seconds.
    """
    if "pyspark" not in sys.modules:
        return False
    module = type(data).__module__
    return module.startswith("pyspark.sql.") and type(data).__name__ == "DataFrame"


def is_frame(data: Any) -> bool:
    """Whether ``data`` is a frame the engines check: Polars, pandas or PySpark."""
    return is_supported_data(data) or is_spark_frame(data)
