"""What kind of frame a value is, judged by its type alone (never by touching the data)."""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["is_spark_frame"]


def is_spark_frame(data: Any) -> bool:
    """Whether ``data`` is a PySpark DataFrame (classic or Spark Connect).

    Looked up in ``sys.modules``: a Spark frame can only exist once pyspark is imported, and
    importing it here would cost every caller seconds.
    """
    if "pyspark" not in sys.modules:
        return False
    module = type(data).__module__
    return module.startswith("pyspark.sql.") and type(data).__name__ == "DataFrame"
