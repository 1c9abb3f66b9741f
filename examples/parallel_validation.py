"""Validate several datasets in parallel and collect every result, passing or not.

``.map()`` reads the files concurrently; each check is ``.submit()``-ted with
``fail_on_error=False``, so a failing dataset is reported, not raised, and the others still
run. (Prefect 3 has no ``task_map``: ``Task.map`` and ``Task.submit`` return futures.)

    python examples/parallel_validation.py [DIR]   # default: a new temp dir
"""

import sys
import tempfile
from pathlib import Path
from typing import Any

import polars as pl
from prefect import flow, task, unmapped

from truthound_prefect import DataQualityBlock, data_quality_check_task


@task
def read_dataset(path: str) -> pl.DataFrame:
    """Read one Parquet file."""
    return pl.read_parquet(path)


@flow(name="parallel-validation")
def validate_datasets(
    datasets: list[dict[str, Any]], engine_name: str = "truthound"
) -> list[dict[str, Any]]:
    """Check each ``{"name", "path", "rules"}`` dataset; one summary dict per dataset."""
    block = DataQualityBlock(engine_name=engine_name, auto_schema=False)
    frames = read_dataset.map([d["path"] for d in datasets])
    checks = [
        data_quality_check_task.submit(
            frame,
            block=block,
            rules=d["rules"],
            dataset=d["name"],
            artifact_key=f"parallel-{d['name']}",
            fail_on_error=False,
        )
        for frame, d in zip(frames, datasets, strict=True)
    ]
    summaries = []
    for d, future in zip(datasets, checks, strict=True):
        result = future.result()
        summaries.append(
            {
                "name": d["name"],
                "status": result.status.value,
                "rows": result.row_count,
                "failed_rules": [r.rule_name for r in result.failures],
            }
        )
    return summaries


@flow(name="parallel-validation-mapped")
def validate_with_shared_rules(
    paths: list[str], rules: list[dict[str, Any]], engine_name: str = "truthound"
) -> list[str]:
    """The same rules over many files, with ``.map()`` end to end; returns each status."""
    block = DataQualityBlock(engine_name=engine_name, auto_schema=False)
    frames = read_dataset.map(paths)
    checks = data_quality_check_task.map(
        frames, block=unmapped(block), rules=unmapped(rules), fail_on_error=False
    )
    return [r.status.value for r in checks.result()]


def write_sample_datasets(folder: Path) -> list[dict[str, Any]]:
    """Three small datasets for the example; ``payments`` has a duplicate id."""
    folder.mkdir(parents=True, exist_ok=True)
    frames = {
        "users": pl.DataFrame({"id": [1, 2, 3], "email": ["a@x.io", "b@x.io", "c@x.io"]}),
        "orders": pl.DataFrame({"id": [10, 11, 12], "amount": [5.0, 7.5, 0.0]}),
        "payments": pl.DataFrame({"id": [7, 7, 8], "amount": [1.0, 2.0, 3.0]}),
    }
    rules = {
        "users": [
            {"column": "id", "type": "unique"},
            {"column": "email", "type": "regex", "pattern": "@"},
        ],
        "orders": [{"column": "amount", "type": "in_range", "min": 0}],
        "payments": [{"column": "id", "type": "unique"}],
    }
    out = []
    for name, frame in frames.items():
        path = folder / f"{name}.parquet"
        frame.write_parquet(path)
        out.append({"name": name, "path": str(path), "rules": rules[name]})
    return out


if __name__ == "__main__":
    datasets = write_sample_datasets(
        Path(sys.argv[1] if len(sys.argv) > 1 else tempfile.mkdtemp(prefix="parallel-demo-"))
    )
    for summary in validate_datasets(datasets):
        print(summary)
