"""Check order lines against a YAML rule file, the same way on every engine.

The rules live in ``orders_rules.yaml`` next to this file, under version control: a schema,
a compound key, an order, date ranges, a column comparison, a SQL expression, a rule scoped
with ``where``, an aggregate, freshness and a tolerance (``max_failures``). The flow passes
the file's path as ``rules=``; the task reads and validates it when it runs. The check's time
is fixed with ``now=`` so that freshness gives the same verdict whenever the example runs.

    python examples/rules_file.py     # checks the generated orders on every installed engine
"""

import datetime as dt
import random
from pathlib import Path
from typing import Any

import polars as pl
from prefect import flow

from truthound_dq import available_engines
from truthound_prefect import DataQualityBlock, data_quality_check_task

RULES_FILE = Path(__file__).with_name("orders_rules.yaml")
NOW = dt.datetime(2025, 6, 30, 18, 0, tzinfo=dt.UTC)
"""The check's time: the data below was last updated a few hours before it."""
ENGINES = ("truthound", "great_expectations", "pandera")
STATUSES = ("pending", "shipped", "delivered", "cancelled")
DOMAINS = ("mail.io", "shop.co.uk", "post.de", "corp.example.net")


def make_orders(orders: int = 40, *, defects: bool = True, seed: int = 14) -> pl.DataFrame:
    """Order lines (1-3 per order, sorted by order), optionally with five known defects.

    The defects, each in a rule's way: a line sent twice (the key repeats), a total that is
    not price x quantity, a line shipped before it was ordered, a shipped line without a
    ship time, and a test address (``@example.com``), plus one malformed address that the
    email rule tolerates (``max_failures: 2``).
    """
    rng = random.Random(seed)
    step = dt.timedelta(hours=100)
    # The last order was placed two days before the check, updated 3 hours before it.
    start = NOW - dt.timedelta(days=2) - step * (orders - 1)
    rows: list[dict[str, Any]] = []
    for order_id in range(1001, 1001 + orders):
        ordered_at = start + step * (order_id - 1001)
        status = rng.choice(STATUSES)
        email = f"customer{order_id}@{rng.choice(DOMAINS)}"
        for line_no in range(1, rng.randint(1, 3) + 1):
            price = round(rng.uniform(1, 200), 2)
            quantity = rng.randint(1, 5)
            shipped = status in ("shipped", "delivered")
            rows.append(
                {
                    "order_id": order_id,
                    "line_no": line_no,
                    "ordered_at": ordered_at,
                    "shipped_at": ordered_at + dt.timedelta(hours=30) if shipped else None,
                    "price": price,
                    "quantity": quantity,
                    "total": round(price * quantity, 2),
                    "status": status,
                    "email": email,
                    "updated_at": ordered_at + dt.timedelta(days=2, hours=-3),
                }
            )
    if defects:
        shipped = [i for i, r in enumerate(rows) if r["shipped_at"] is not None]
        rows[3]["total"] = round(rows[3]["total"] + 10, 2)
        early = rows[shipped[0]]
        early["shipped_at"] = early["ordered_at"] - dt.timedelta(hours=1)
        rows[shipped[1]]["shipped_at"] = None
        rows[7]["email"] = "qa-team@example.com"
        rows[9]["email"] = "no-at-sign.mail.io"
        rows.insert(12, dict(rows[11]))  # the same line sent twice
    return pl.DataFrame(
        rows,
        schema={
            "order_id": pl.Int64,
            "line_no": pl.Int64,
            "ordered_at": pl.Datetime("us", "UTC"),
            "shipped_at": pl.Datetime("us", "UTC"),
            "price": pl.Float64,
            "quantity": pl.Int64,
            "total": pl.Float64,
            "status": pl.String,
            "email": pl.String,
            "updated_at": pl.Datetime("us", "UTC"),
        },
    )


@flow(name="orders-rules-file")
def check_orders(engine_name: str = "truthound", defects: bool = True) -> dict[str, Any]:
    """Check the generated orders with the rule file on one engine; a summary of the result."""
    block = DataQualityBlock(engine_name=engine_name, auto_schema=False, fail_on_error=False)
    result = data_quality_check_task(
        make_orders(defects=defects),
        block=block,
        rules=str(RULES_FILE),
        dataset="orders",
        now=NOW,
    )
    return {
        "engine": result.engine,
        "status": result.status.value,
        "rows": result.row_count,
        "failed": {r.rule_name: r.failed_count for r in result.failures},
        "counts": [(r.rule_name, r.failed_count, r.total_count) for r in result.rule_results],
    }


if __name__ == "__main__":
    for name in ENGINES:
        if name in available_engines():
            summary = check_orders(name)
            print(f"{name}: {summary['status']} over {summary['rows']} rows")
            for rule, failed in summary["failed"].items():
                print(f"  {rule}: {failed} failed")
