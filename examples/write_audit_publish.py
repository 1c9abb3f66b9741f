"""Write-audit-publish: stage the data, check it, publish only if the check passes.

The write and the audit run inside one Prefect ``transaction()``. If the audit fails,
``DataQualityError`` leaves the transaction, which rolls back: the write task's
``on_rollback`` hook deletes the staged file, and nothing is published. If it passes, the
transaction commits and the staged file is moved into place.

    python examples/write_audit_publish.py [DIR]   # default: a new temp dir
"""

import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import polars as pl
from prefect import flow, task
from prefect.transactions import Transaction, transaction

from truthound_prefect import DataQualityBlock, DataQualityError, data_quality_check_task

RULES = [
    {"column": "id", "type": "not_null"},
    {"column": "id", "type": "unique"},
    {"column": "amount", "type": "in_range", "min": 0},
]


@task
def write_staging(data: pl.DataFrame, staging: str) -> str:
    """Write the data to the staging location (undone by ``remove_staged`` on rollback)."""
    Path(staging).parent.mkdir(parents=True, exist_ok=True)
    data.write_parquet(staging)
    return staging


@write_staging.on_rollback
def remove_staged(txn: Transaction) -> None:
    """Rollback hook: the audit failed, delete what was staged."""
    staged = Path(txn.get("staging"))
    staged.unlink(missing_ok=True)


@task
def publish(staged: str, target: str) -> str:
    """Move the audited file into place."""
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    shutil.move(staged, target)
    return target


@flow(name="write-audit-publish")
def write_audit_publish(
    data: pl.DataFrame, staging: str, target: str, engine_name: str = "truthound"
) -> dict[str, Any]:
    """Stage, audit, publish; returns whether it was published and what failed if not."""
    block = DataQualityBlock(engine_name=engine_name, auto_schema=False)
    try:
        with transaction() as txn:
            txn.set("staging", staging)  # read by the rollback hook
            staged = write_staging(data, staging)
            data_quality_check_task(data, block=block, rules=RULES, dataset="wap/orders")
    except DataQualityError as error:
        # The transaction has rolled back: the staged file is gone.
        return {"published": False, "failed_rules": [r.rule_name for r in error.result.failures]}
    return {"published": True, "target": publish(staged, target), "failed_rules": []}


if __name__ == "__main__":
    folder = Path(sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="wap-demo-"))
    good = pl.DataFrame({"id": [1, 2, 3], "amount": [9.5, 0.0, 12.0]})
    bad = pl.DataFrame({"id": [1, 1, None], "amount": [9.5, -3.0, 12.0]})
    for name, frame in (("good", good), ("bad", bad)):
        staging = str(folder / "staging" / f"{name}.parquet")
        print(
            name, write_audit_publish(frame, staging, str(folder / "published" / f"{name}.parquet"))
        )
