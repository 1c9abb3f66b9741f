"""A quality-gated pipeline: extract -> check -> transform -> check -> load.

Runs on Prefect's embedded server (SQLite) when no PREFECT_API_URL is set:

    python examples/demo_pipeline.py

The raw extract carries a few bad rows; the first gate reports them as warnings and the
transform drops them; the second gate must pass before anything is written.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

import polars as pl
from prefect import flow, task

from truthound_prefect import DataQualityBlock, data_quality_check_task, data_quality_profile_task

EMAIL = r"^[\w.-]+@[\w.-]+\.[a-zA-Z]{2,}$"
STATUSES = ["active", "inactive", "pending", "closed"]

RAW_RULES = [
    {"column": "order_id", "type": "not_null"},
    {"column": "order_id", "type": "unique"},
    {"column": "email", "type": "regex", "pattern": EMAIL, "severity": "warning"},
    {"column": "amount", "type": "in_range", "min": 0, "severity": "warning"},
    {"column": "status", "type": "in_set", "values": STATUSES, "mostly": 0.95},
]
CLEAN_RULES = [
    {"column": "order_id", "type": "unique"},
    {"column": "email", "type": "regex", "pattern": EMAIL},
    {"column": "amount", "type": "in_range", "min": 0, "max": 10_000},
    {"column": "status", "type": "in_set", "values": ["active", "pending"]},
    {"type": "row_count", "min": 1},
]


@task
def extract(rows: int = 1_000) -> pl.DataFrame:
    """Synthetic orders with a handful of defects, the same every run."""
    ids = pl.int_range(rows, eager=True)
    return pl.DataFrame(
        {
            "order_id": ids,
            "email": [f"user{i}@example.com" if i % 97 else f"user{i}-at-example" for i in ids],
            "amount": [round((i * 37) % 5_000 / 3, 2) if i % 211 else -5.0 for i in ids],
            "status": [STATUSES[i % 4] for i in ids],
        }
    )


@task
def transform(raw: pl.DataFrame) -> pl.DataFrame:
    """Keep open orders with valid emails and amounts."""
    return raw.filter(
        pl.col("status").is_in(["active", "pending"]),
        pl.col("email").str.contains(EMAIL),
        pl.col("amount") >= 0,
    )


@task
def load(clean: pl.DataFrame, target: Path) -> Path:
    """Write the clean orders as Parquet."""
    clean.write_parquet(target)
    return target


@flow(name="orders-etl-with-quality-gates", log_prints=True)
def orders_pipeline(rows: int = 1_000, engine_name: str = "truthound") -> str:
    """Extract, check, transform, check again, load."""
    block = DataQualityBlock(engine_name=engine_name, auto_schema=False)
    raw = extract(rows)
    data_quality_profile_task(raw, block=block, artifact_key="orders-raw-profile")
    raw_check = data_quality_check_task(
        raw, block=block, rules=RAW_RULES, dataset="orders/raw", artifact_key="orders-raw-check"
    )
    print(
        f"raw check: {raw_check.status.value.upper()}, "
        f"{raw_check.warning_count} warning(s) over {raw_check.row_count} rows"
    )
    for failure in raw_check.failures:
        print(f"  - {failure.rule_name}: {failure.message}")
    clean = transform(raw)
    clean_check = data_quality_check_task(
        clean,
        block=block,
        rules=CLEAN_RULES,
        dataset="orders/clean",
        artifact_key="orders-clean-check",
    )
    print(
        f"clean check: {clean_check.status.value.upper()}, "
        f"{clean_check.passed_count} of {len(clean_check.rule_results)} rules passed"
    )
    target = Path(tempfile.mkdtemp(prefix="truthound-demo-")) / "orders.parquet"
    written = load(clean, target)
    print(f"loaded {clean.height} clean orders into {written}")
    return str(written)


if __name__ == "__main__":
    engine = sys.argv[1] if len(sys.argv) > 1 else "truthound"
    orders_pipeline(engine_name=engine)
    if not os.environ.get("PREFECT_API_URL"):
        print(
            "\nThe run used Prefect's embedded server, which stopped with this script. To browse\n"
            "the artifacts (orders-raw-check, orders-clean-check, orders-raw-profile) in the UI:\n"
            "  prefect server start        # in another terminal\n"
            "  PREFECT_API_URL=http://127.0.0.1:4200/api python examples/demo_pipeline.py\n"
            "then open http://127.0.0.1:4200/artifacts"
        )
