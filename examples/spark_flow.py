"""Check a Spark DataFrame in a Prefect flow, on a local Spark session.

Spark computes the counts on the cluster (here ``local[2]``); only the counts and a few
failing values come back to the driver, and the masked ``email`` column's values never reach
an artifact, a log or an event. Each rule says who evaluated it: the engine's own Spark
validators (native) or truthound_dq's Spark implementation (borrowed, labelled
``truthound_dq``) where the engine has no faithful equivalent. The session is stopped at the
end if this script started it.

    pip install 'truthound-prefect[spark,great-expectations]'   # and Java 17
    python examples/spark_flow.py [ENGINE]   # default: great_expectations
"""

import sys
from typing import Any

from prefect import flow
from pyspark.sql import DataFrame, SparkSession

from truthound_prefect import DataQualityBlock, data_quality_check_task

RULES = [
    {"column": "user_id", "type": "not_null"},
    {"column": "age", "type": "in_range", "min": 0, "max": 150},
    {"column": "country", "type": "in_set", "values": ["DE", "FR", "JP", "US"]},
    {"column": "email", "type": "not_null", "severity": "warning"},
    # A table statistic: native where the engine has one on Spark, else borrowed.
    {"column": "age", "type": "aggregate", "stat": "mean", "min": 18, "max": 80},
]


ROWS = [  # a few defects: a null id, an age of 200, an unknown country, a missing email
    (1, "ana@example.com", 34, "DE"),
    (2, "bo@example.com", 200, "FR"),
    (None, "cy@example.com", 27, "JP"),
    (4, None, 45, "XX"),
    (5, "ed@example.com", 61, "US"),
]
SCHEMA = "user_id long, email string, age int, country string"


def make_users(spark: SparkSession) -> DataFrame:
    """The users table as a Spark DataFrame."""
    return spark.createDataFrame(ROWS, SCHEMA)


@flow(name="spark-users-check")
def check_users(engine: str = "great_expectations") -> list[dict[str, Any]]:
    """Check the users table on Spark; return each rule's outcome and who evaluated it."""
    users = make_users(SparkSession.builder.getOrCreate())  # the driver's running session
    result = data_quality_check_task(
        users,
        # (auto_schema, the block's default, learns a schema-only baseline from a Spark frame)
        block=DataQualityBlock(engine_name=engine),
        rules=RULES,
        dataset="spark-users",
        fail_on_error=False,
        mask_columns=["email"],
    )
    return [
        {
            "rule": r.rule_name,
            "passed": r.passed,
            "failed": r.failed_count,
            "total": r.total_count,
            "evaluated_by": r.evaluated_by,
        }
        for r in result.rule_results
    ]


def main(engine: str = "great_expectations") -> list[dict[str, Any]]:
    """Run the flow on a local Spark session and print the outcome."""
    running = SparkSession.getActiveSession()
    spark = running or (
        SparkSession.builder.master("local[2]")
        .appName("truthound-prefect-example")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    try:
        outcome = check_users(engine)
    finally:
        if running is None:
            spark.stop()
    for row in outcome:
        verdict = "passed" if row["passed"] else "FAILED"
        origin = "borrowed" if row["evaluated_by"] == "truthound_dq" else "native"
        print(
            f"{row['rule']:<24} {verdict:<7} {row['failed']}/{row['total']} failing, "
            f"{origin} ({row['evaluated_by']})"
        )
    return outcome


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "great_expectations")
