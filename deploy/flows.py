"""The flow the deployments in prefect.yaml run: check a day's orders with a saved block.

The block (engine, default rules, auto_schema) is chosen by name at run time, so one
deployment serves every engine; ``fail_on_error`` decides whether a failed check fails the
run or is only reported in the artifacts.
"""

from typing import Any

import polars as pl
from prefect import flow, get_run_logger

from truthound_prefect import DataQualityBlock, data_quality_check_task, data_quality_profile_task

RULES = [
    {"column": "order_id", "type": "not_null"},
    {"column": "order_id", "type": "unique"},
    {"column": "email", "type": "regex", "pattern": r"^[\w.-]+@[\w.-]+\.[a-zA-Z]{2,}$"},
    {"column": "amount", "type": "in_range", "min": 0},
]


def sample_orders(rows: int) -> pl.DataFrame:
    """Generated orders; every 50th has a bad email, every 70th a negative amount."""
    ids = range(rows)
    return pl.DataFrame(
        {
            "order_id": list(ids),
            "email": [f"u{i}@example.com" if i % 50 else f"u{i}-at-example" for i in ids],
            "amount": [i * 0.5 if i % 70 else -1.0 for i in ids],
        }
    )


@flow(name="daily-quality-check")
def daily_quality_check(
    block_name: str = "default", fail_on_error: bool = True, rows: int = 1_000
) -> dict[str, Any]:
    """Profile and check the day's orders with the saved ``DataQualityBlock`` ``block_name``."""
    block = DataQualityBlock.load(block_name)
    orders = sample_orders(rows)
    data_quality_profile_task(orders, block=block, artifact_key="daily-orders-profile")
    result = data_quality_check_task(
        orders,
        block=block,
        rules=RULES,
        fail_on_error=fail_on_error,
        dataset="daily-orders",
        artifact_key="daily-orders-check",
    )
    get_run_logger().info("daily orders: %s with %s", result.status.value, result.engine)
    return {
        "engine": result.engine,
        "status": result.status.value,
        "failed": [r.rule_name for r in result.failures],
    }
