"""Write-audit-publish with a split: publish the rows that passed, put the others aside.

The write and the audit run inside one Prefect ``transaction()``. The audit is a split:
rows failing a row-level rule (a missing or duplicated id, a negative amount) are written to
a staged quarantine file with the rules they failed, and the others go on. A failed
table-level rule (here: an empty batch) raises ``DataQualityError``, which leaves the
transaction and rolls it back: the write task's ``on_rollback`` hook deletes both staged
files, and nothing is published. Otherwise the valid rows are published and the quarantine
file is moved next to them, to be looked at later.

    python examples/write_audit_publish.py [DIR]   # default: a new temp dir
"""

import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import polars as pl
from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.transactions import Transaction, transaction

from truthound_prefect import DataQualityBlock, DataQualityError, data_quality_split_task

RULES = [
    {"column": "id", "type": "not_null"},
    {"column": "id", "type": "unique"},
    {"column": "amount", "type": "in_range", "min": 0},
    {"type": "row_count", "min": 1},  # table-level: splits no row, fails the whole batch
]


@task
def write_staging(data: pl.DataFrame, staging: str) -> str:
    """Write the data to the staging location (undone by ``remove_staged`` on rollback)."""
    Path(staging).parent.mkdir(parents=True, exist_ok=True)
    data.write_parquet(staging)
    return staging


@write_staging.on_rollback
def remove_staged(txn: Transaction) -> None:
    """Rollback hook: the audit failed, delete what was staged (data and quarantine)."""
    for staged in txn.get("staged"):
        Path(staged).unlink(missing_ok=True)


@task(cache_policy=NO_CACHE)  # (a frame argument: never hash it for a cache key)
def publish(
    valid: pl.DataFrame, staged: str, target: str, quarantined: str, quarantine: str
) -> str:
    """Write the audited rows into place, keep the quarantined ones, drop the staged file."""
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    valid.write_parquet(target)
    Path(staged).unlink()
    Path(quarantine).parent.mkdir(parents=True, exist_ok=True)
    shutil.move(quarantined, quarantine)
    return target


@flow(name="write-audit-publish")
def write_audit_publish(
    data: pl.DataFrame,
    staging: str,
    target: str,
    quarantine: str,
    engine_name: str = "truthound",
) -> dict[str, Any]:
    """Stage, audit (split), publish the valid rows; quarantine the others."""
    block = DataQualityBlock(engine_name=engine_name, auto_schema=False)
    quarantined = f"{staging}.quarantine.parquet"
    try:
        with transaction() as txn:
            txn.set("staged", [staging, quarantined])  # read by the rollback hook
            staged = write_staging(data, staging)
            split = data_quality_split_task(
                pl.scan_parquet(staged),  # audit what was written (read once)
                block=block,
                rules=RULES,
                dataset="wap/orders",
                row_index="row",
                invalid_rows_path=quarantined,
            )
    except DataQualityError as error:
        # The transaction has rolled back: the staged files are gone.
        failed = [r.rule_name for r in error.result.failures if r.severity.value == "error"]
        return {"published": False, "failed_rules": failed}
    return {
        "published": True,
        "target": publish(split.valid_data, staged, target, quarantined, quarantine),
        "published_rows": split.valid.height,
        "quarantined_rows": split.invalid.height,
    }


if __name__ == "__main__":
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="wap-demo-"))
    batches = {
        "mixed": pl.DataFrame({"id": [1, 2, 2, None, 5], "amount": [9.5, 0.0, -3.0, 4.0, 1.0]}),
        "empty": pl.DataFrame(schema={"id": pl.Int64, "amount": pl.Float64}),
    }
    for name, frame in batches.items():
        print(
            name,
            write_audit_publish(
                frame,
                str(folder / "staging" / f"{name}.parquet"),
                str(folder / "published" / f"{name}.parquet"),
                str(folder / "quarantine" / f"{name}.parquet"),
            ),
        )
