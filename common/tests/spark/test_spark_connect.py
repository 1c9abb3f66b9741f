"""A Spark Connect DataFrame is checked like a classic one (opt-in: it starts a second JVM).

``SparkSession.builder.remote("local[2]")`` starts a local Spark Connect server; pyspark then
switches its functions to Connect for the whole process, so the check runs in a subprocess.
Measured here: ~80 s to start and ~60 s for the first check on a busy 2-core machine, more
than the whole Spark session's budget, so nox does not run it by default: set
``TRUTHOUND_DQ_SPARK_CONNECT=1`` to run it.
"""

import json
import os
import subprocess
import sys

import pytest

pytestmark = [
    pytest.mark.spark,
    pytest.mark.skipif(
        os.environ.get("TRUTHOUND_DQ_SPARK_CONNECT") != "1",
        reason="starts a Spark Connect server (minutes here): set TRUTHOUND_DQ_SPARK_CONNECT=1",
    ),
]

SCRIPT = """
import json
import polars as pl
from pyspark.sql import SparkSession
from truthound_dq.testing import ReferenceEngine

spark = SparkSession.builder.remote("local[2]").getOrCreate()
rows = [(1, 1.5, "a"), (2, None, "b"), (2, 9.0, None)]
df = spark.createDataFrame(rows, "id BIGINT, x DOUBLE, s STRING")
rules = [
    {"column": "id", "type": "unique"},
    {"column": "x", "type": "in_range", "max": 5},
    {"column": "s", "type": "not_null"},
    {"column": "x", "type": "aggregate", "stat": "mean", "max": 10},
]
engine = ReferenceEngine()
frame = pl.DataFrame(rows, schema={"id": pl.Int64, "x": pl.Float64, "s": pl.String}, orient="row")
counts = lambda r: [(x.failed_count, x.total_count, x.passed) for x in r.rule_results]
print(json.dumps({
    "type": type(df).__module__,
    "spark": counts(engine.check(df, rules)),
    "polars": counts(engine.check(frame, rules)),
}))
spark.stop()
"""


def test_a_connect_frame_gives_the_polars_counts() -> None:
    out = subprocess.run(
        [sys.executable, "-c", SCRIPT], capture_output=True, text=True, check=True, timeout=900
    )
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["type"] == "pyspark.sql.connect.dataframe"
    assert got["spark"] == got["polars"]
