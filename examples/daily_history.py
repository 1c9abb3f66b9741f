"""A daily check whose anomaly rules learn what is normal for the dataset, and flag a drop.

Every run checks one day of generated orders and keeps its metrics record on the Prefect
server (a version of the artifact ``metrics-<dataset>``). The anomaly rules compare today's
row count and email null rate with the dataset's own last 14 days. Days are simulated with
the ``now`` option, so a month of history takes seconds; on a schedule you would drop ``now``.

    python examples/daily_history.py     # 20 simulated days, a partial load on day 16
"""

import datetime as dt
import random
from typing import Any

import polars as pl
from prefect import flow

from truthound_prefect import (
    DataQualityBlock,
    data_quality_check_task,
    data_quality_history_artifact,
)

DATASET = "daily-orders"
FIRST_DAY = dt.datetime(2026, 3, 1, 6, 0, tzinfo=dt.UTC)
RULES: list[dict[str, Any]] = [
    {"column": "order_id", "type": "unique"},
    # About as many rows as usual: within 3 scaled MADs of the last 14 days' median...
    {"type": "row_count_anomaly", "window": 14, "max_deviation": 3.0},
    # ... and never less than half of it, whatever the spread.
    {"type": "row_count_anomaly", "name": "half_load", "min_change": -0.5},
    # Missing emails: rates of small counts are noisy, so a wider band.
    {"type": "metric_anomaly", "metric": "null_rate", "column": "email", "max_deviation": 5},
]


def orders_of(day: int, *, partial: bool = False, seed: int = 7) -> pl.DataFrame:
    """One day of orders: about 2,000 rows and 1% missing emails (a quarter on a partial load)."""
    rng = random.Random(seed * 1000 + day)
    rows = rng.randint(1950, 2050) // (4 if partial else 1)
    return pl.DataFrame(
        {
            "order_id": [day * 10_000 + i for i in range(rows)],
            "email": [None if rng.random() < 0.01 else f"c{i}@shop.io" for i in range(rows)],
            "amount": [round(rng.uniform(5, 300), 2) for _ in range(rows)],
        }
    )


@flow(name="daily-orders-check")
def daily_orders_check(
    day: int, partial: bool = False, engine: str = "truthound", dataset: str = DATASET
) -> list[str]:
    """Check day ``day`` (as if it ran that morning); return the rules that failed."""
    result = data_quality_check_task(
        orders_of(day, partial=partial),
        block=DataQualityBlock(engine_name=engine, auto_schema=False),
        rules=RULES,
        dataset=dataset,
        fail_on_error=False,  # an anomaly is reported (artifact, event); the flow goes on
        now=FIRST_DAY + dt.timedelta(days=day),
    )
    data_quality_history_artifact(dataset, limit=14)
    return [r.rule_name for r in result.rule_results if r.evaluated and not r.passed]


def simulate(
    days: int = 20, partial_day: int = 15, engine: str = "truthound", dataset: str = DATASET
) -> dict[int, list[str]]:
    """Run the daily flow once per simulated day; the failed rules by day (only bad days)."""
    flagged: dict[int, list[str]] = {}
    for day in range(days):
        found = daily_orders_check(day, day == partial_day, engine, dataset)
        if found:
            flagged[day] = found
    return flagged


if __name__ == "__main__":
    for day, rules in simulate().items():
        print(f"day {day + 1}: {', '.join(rules)}")
