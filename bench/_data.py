"""The benchmark data every adapter is measured on: deterministic, seeded, four columns.

- ``id``: Int64, unique except ~0.1% duplicates, ~0.1% nulls;
- ``email``: String, ~1% invalid, ~0.1% nulls;
- ``age``: Int64, ~0.5% outside 0..150, ~0.1% nulls;
- ``status``: String, ~0.2% outside the four valid values, ~0.1% nulls.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

__all__ = ["STATUSES", "EMAIL_PATTERN", "RULES", "make_frame"]

STATUSES = ["active", "inactive", "pending", "closed"]
EMAIL_PATTERN = r"^[\w\.-]+@[\w\.-]+\.[a-zA-Z]{2,}$"
RULES: list[dict[str, Any]] = [
    {"column": "id", "type": "not_null"},
    {"column": "id", "type": "unique"},
    {"column": "email", "type": "regex", "pattern": EMAIL_PATTERN},
    {"column": "age", "type": "in_range", "min": 0, "max": 150},
    {"column": "status", "type": "in_set", "values": STATUSES},
]


def _nulls(rng: np.random.Generator, n: int, rate: float = 0.001) -> np.ndarray:
    return rng.random(n) < rate


def make_frame(rows: int, seed: int = 42) -> pl.DataFrame:
    """``rows`` rows of benchmark data; the same seed gives the same frame."""
    rng = np.random.default_rng(seed)
    ids = np.arange(rows, dtype=np.int64)
    dup = rng.random(rows) < 0.001
    ids[dup] = rng.integers(0, rows, dup.sum())
    bad_email = rng.random(rows) < 0.01
    ages = rng.integers(0, 151, rows)
    out = rng.random(rows) < 0.005
    ages[out] = rng.choice([-5, 151, 200], out.sum())
    status = rng.integers(0, 4, rows)
    status[rng.random(rows) < 0.002] = 4
    # Strings are built by Polars: numpy's fixed-width strings would need gigabytes at 10M.
    frame = pl.DataFrame(
        {
            "id": ids,
            "n": np.arange(rows, dtype=np.int64),
            "bad_email": bad_email,
            "age": ages.astype(np.int64),
            "status": status.astype(np.int64),
        }
    )
    valid = pl.format("user{}@example.com", pl.col("n"))
    broken = pl.format("broken-{}", pl.col("n"))
    return frame.select(
        pl.when(pl.Series(_nulls(rng, rows))).then(None).otherwise(pl.col("id")).alias("id"),
        pl.when(pl.Series(_nulls(rng, rows)))
        .then(None)
        .otherwise(pl.when(pl.col("bad_email")).then(broken).otherwise(valid))
        .alias("email"),
        pl.when(pl.Series(_nulls(rng, rows))).then(None).otherwise(pl.col("age")).alias("age"),
        pl.when(pl.Series(_nulls(rng, rows)))
        .then(None)
        .otherwise(
            pl.col("status").replace_strict(
                list(range(5)), [*STATUSES, "deleted"], return_dtype=pl.String
            )
        )
        .alias("status"),
    )
