"""Smoke test run by ``nox -s install_check`` inside a fresh pip environment built from wheels.

Usage: python install_smoke.py ENGINE_NAME. Runs a real flow on Prefect's embedded server.
"""

from __future__ import annotations

import sys

import polars as pl
from prefect import flow

from truthound_prefect import DataQualityBlock, DataQualityError, data_quality_check_task

RULES = [
    {"column": "id", "type": "not_null"},
    {"column": "id", "type": "unique"},
    {"column": "email", "type": "regex", "pattern": "@"},
]


@flow
def smoke(engine_name: str) -> tuple[str, str]:
    block = DataQualityBlock(engine_name=engine_name, auto_schema=False)
    good = pl.DataFrame({"id": [1, 2, 3], "email": ["a@x.io", "b@y.io", "c@z.io"]})
    passed = data_quality_check_task(good, block=block, rules=RULES)
    try:
        data_quality_check_task(good.with_columns(pl.lit("nope").alias("email")), block=block,
                                rules=RULES)  # fmt: skip
    except DataQualityError as error:
        failed = error.result
    else:
        raise SystemExit("a failing check did not raise DataQualityError")
    return passed.engine, f"{passed.status.value}/{failed.status.value}/{failed.failed_count}"


if __name__ == "__main__":
    engine = sys.argv[1]
    used, outcome = smoke(engine)
    expected = ("great_expectations" if engine in ("gx", "ge") else engine, "passed/failed/1")
    if (used, outcome) != expected:
        raise SystemExit(f"unexpected: {(used, outcome)} != {expected}")
    print(f"install check passed: engine {used}, outcome {outcome}")
