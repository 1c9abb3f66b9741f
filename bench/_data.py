"""The benchmark data and rules every adapter's benchmark uses (seeded, deterministic)."""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

__all__ = ["RULES", "STATUSES", "EMAIL_PATTERN", "make_frame"]

STATUSES = ["active", "inactive", "pending", "closed"]
EMAIL_PATTERN = r"^[\w\.-]+@[\w\.-]+\.[a-zA-Z]{2,}$"
RULES: list[dict[str, Any]] = [
    {"column": "id", "type": "not_null"},
    {"column": "id", "type": "unique"},
    {"column": "email", "type": "regex", "pattern": EMAIL_PATTERN},
    {"column": "age", "type": "in_range", "min": 0, "max": 150},
    {"column": "status", "type": "in_set", "values": STATUSES},
]


def make_frame(rows: int, *, seed: int = 42) -> pl.DataFrame:
    """Columns id, email, age, status with a few nulls and ~1%/0.5%/0.2% bad values."""
    rng = np.random.default_rng(seed)

    def mask(rate: float) -> np.ndarray[Any, np.dtype[np.bool_]]:
        return rng.random(rows) < rate

    ids = np.arange(rows, dtype=np.int64)
    dup = mask(0.001)
    ids[dup] = rng.integers(0, rows, int(dup.sum()))  # a few duplicates
    age = rng.integers(0, 100, rows)
    bad_age = mask(0.005)
    age[bad_age] = rng.choice(np.array([-5, 151, 200]), int(bad_age.sum()))
    status = rng.integers(0, len(STATUSES), rows)
    return (
        pl.DataFrame(
            {
                "id": ids,
                "n": np.arange(rows),
                "bad_email": mask(0.01),
                "age": age,
                "status_i": status,
                "bad_status": mask(0.002),
                "null_id": mask(0.0005),
                "null_email": mask(0.001),
                "null_age": mask(0.001),
                "null_status": mask(0.001),
            }
        )
        .lazy()
        .select(
            pl.when(~pl.col("null_id")).then(pl.col("id")).alias("id"),
            pl.when(pl.col("null_email"))
            .then(None)
            .when(pl.col("bad_email"))
            .then(pl.format("user{}-at-example", pl.col("n")))
            .otherwise(pl.format("user{}@example.com", pl.col("n")))
            .alias("email"),
            pl.when(~pl.col("null_age")).then(pl.col("age")).alias("age"),
            pl.when(pl.col("null_status"))
            .then(None)
            .when(pl.col("bad_status"))
            .then(pl.lit("unknown"))
            .otherwise(pl.lit(pl.Series(STATUSES)).get(pl.col("status_i")))
            .alias("status"),
        )
        .collect()
    )
