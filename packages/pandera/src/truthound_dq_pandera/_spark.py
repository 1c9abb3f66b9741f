"""Pandera on a Spark DataFrame: no rule is native; every count is the canonical Spark one.

Pandera has a PySpark backend (``pandera.pyspark``), read for this decision (pandera 0.35):

- its built-in checks return one boolean per check, never a count: each is
  ``df.filter(~condition).limit(1).count() == 0`` (``backends/pyspark/builtin_checks.py``),
  and ``nullable=False`` is ``filter(isNull).limit(1).count() == 0``; the error report
  (``df.pandera.errors``) names the failed checks, with no failing rows or counts;
- its ``unique`` counts the duplicated *keys* (``groupBy(...).count() > 1``), not the rows
  that repeat, and runs on a sample of the frame (``check_obj_sample``) unless told otherwise;
- and with pandas 3 it cannot be imported at all: ``pandera.api.pyspark.types`` imports
  ``pyspark.pandas``, which needs ``pandas.tseries.frequencies.DateOffset`` (gone in pandas
  3; pyspark 4.1.4 still imports it).

A boolean cannot give ``failed_count`` (the rules' ``mostly``, ``max_failures``, rates and
samples need it), and the result must not fake one from it. So every rule on a Spark
DataFrame is evaluated by the canonical Spark implementation (``truthound_dq.spark``: Spark's
own functions, one aggregation on the cluster), and its result says so (``evaluated_by``).
"""

from __future__ import annotations

from typing import Any

from truthound_dq.sdk import Translations

__all__ = ["SPARK_TRANSLATIONS", "SPARK_NOTES"]

SPARK_TRANSLATIONS: Translations[Any] = Translations("pandera")
"""Empty on purpose: no Pandera PySpark check yields the canonical counts (see the module)."""

SPARK_NOTES = {
    "spark": (
        "every rule on a Spark DataFrame is evaluated by the canonical Spark implementation "
        "(labelled): pandera's PySpark checks return one boolean per check "
        "(filter(~condition).limit(1).count() == 0), never a failing-row count; its unique "
        "counts duplicated keys on a sample, not the repeated rows; and pandera.pyspark cannot "
        "be imported with pandas 3 (it imports pyspark.pandas, which needs pandas < 3)"
    ),
}
