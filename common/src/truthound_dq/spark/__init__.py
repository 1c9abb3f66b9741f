"""Spark input: the canonical Spark implementation of the rules, and what Spark refuses.

``engine.check(spark_df, rules)`` evaluates on the cluster: counts come from one Spark
aggregation, only bounded samples reach the driver. Adapters evaluate natively what their
``spark_translations`` accept; every other rule is evaluated by this package's canonical
implementation in Spark's own functions (labelled ``truthound_dq``, like borrowed rules on
Polars). Importing this package does not import pyspark (only checking a Spark frame does).
See ``docs/engines.md`` ("Spark").
"""

from truthound_dq.spark._registry import (
    SPARK_PRODUCER,
    SparkColumns,
    SparkUnsupportedError,
    refuse_on_spark,
    register_spark_rule,
    spark_refusal,
)
from truthound_dq.spark._schema import polars_dtype, polars_schema
from truthound_dq.spark._view import SparkView

__all__ = [
    "SPARK_PRODUCER",
    "SparkColumns",
    "SparkUnsupportedError",
    "SparkView",
    "polars_dtype",
    "polars_schema",
    "refuse_on_spark",
    "register_spark_rule",
    "spark_refusal",
]
