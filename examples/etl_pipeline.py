"""A complete ETL pipeline with quality gates: Parquet in, Parquet out.

Extract reads Parquet, a gate checks the raw data (defects are warnings, duplicates or
missing ids are errors), the transform keeps valid open orders, a strict gate checks the
result, and only then is it written. A failed gate raises ``DataQualityError`` after its
artifacts are written, so nothing is loaded from bad data.

    python examples/etl_pipeline.py [DIR]   # input and output in DIR (default: a new temp dir)
"""

import sys
import tempfile
from pathlib import Path
from typing import Any

import polars as pl
from prefect import flow, task

from truthound_prefect import DataQualityBlock, data_quality_check_task, data_quality_profile_task

EMAIL = r"^[\w.-]+@[\w.-]+\.[a-zA-Z]{2,}$"
OPEN = ["active", "pending"]

RAW_RULES = [
    {"column": "order_id", "type": "not_null"},
    {"column": "order_id", "type": "unique"},
    {"column": "email", "type": "regex", "pattern": EMAIL, "severity": "warning"},
    {"column": "amount", "type": "in_range", "min": 0, "severity": "warning"},
    {"column": "status", "type": "in_set", "values": ["active", "pending", "closed"]},
]
CLEAN_RULES = [
    {"column": "order_id", "type": "unique"},
    {"column": "email", "type": "regex", "pattern": EMAIL},
    {"column": "amount", "type": "in_range", "min": 0},
    {"column": "status", "type": "in_set", "values": OPEN},
    {"type": "row_count", "min": 1},
]


def write_sample_orders(path: Path, rows: int = 200, *, duplicate_ids: bool = False) -> Path:
    """Write synthetic orders with a few bad emails and negative amounts to ``path``."""
    ids = list(range(rows))
    if duplicate_ids:
        ids[-1] = ids[0]
    frame = pl.DataFrame(
        {
            "order_id": ids,
            "email": [f"u{i}@example.com" if i % 17 else f"u{i}-at-example" for i in ids],
            "amount": [round(i * 1.5, 2) if i % 23 else -1.0 for i in ids],
            "status": [("active", "pending", "closed")[i % 3] for i in ids],
        }
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    frame.write_parquet(path)
    return path


@task
def extract(source: str) -> pl.DataFrame:
    """Read the raw orders."""
    return pl.read_parquet(source)


@task
def transform(raw: pl.DataFrame) -> pl.DataFrame:
    """Keep open orders with a valid email and a non-negative amount."""
    return raw.filter(
        pl.col("status").is_in(OPEN),
        pl.col("email").str.contains(EMAIL),
        pl.col("amount") >= 0,
    ).with_columns(pl.col("amount").round(2))


@task
def load(clean: pl.DataFrame, destination: str) -> str:
    """Write the clean orders as Parquet."""
    Path(destination).parent.mkdir(parents=True, exist_ok=True)
    clean.write_parquet(destination)
    return destination


@flow(name="etl-with-quality-gates", log_prints=True)
def etl_pipeline(source: str, destination: str, engine_name: str = "truthound") -> dict[str, Any]:
    """Extract, gate, transform, gate, load; returns row counts and both gates' outcomes."""
    block = DataQualityBlock(engine_name=engine_name, auto_schema=False)
    raw = extract(source)
    data_quality_profile_task(raw, block=block, artifact_key="etl-raw-profile")
    raw_check = data_quality_check_task(
        raw, block=block, rules=RAW_RULES, dataset="etl/raw", artifact_key="etl-raw-check"
    )
    print(f"raw gate: {raw_check.status.value}, {raw_check.warning_count} warning(s)")
    clean = transform(raw)
    clean_check = data_quality_check_task(
        clean, block=block, rules=CLEAN_RULES, dataset="etl/clean", artifact_key="etl-clean-check"
    )
    written = load(clean, destination)
    print(f"loaded {clean.height} of {raw.height} orders into {written}")
    return {
        "extracted_rows": raw.height,
        "loaded_rows": clean.height,
        "raw_status": raw_check.status.value,
        "clean_status": clean_check.status.value,
        "destination": written,
    }


if __name__ == "__main__":
    workdir = Path(sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="etl-demo-"))
    source = write_sample_orders(workdir / "raw" / "orders.parquet")
    print(etl_pipeline(str(source), str(workdir / "clean" / "orders.parquet")))
