"""The benchmark data and rules every adapter's benchmark uses (seeded, deterministic)."""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

__all__ = [
    "RULES",
    "STATUSES",
    "EMAIL_PATTERN",
    "WIDE_BAD",
    "make_frame",
    "make_wide",
    "wide_rules",
    "make_many",
    "many_rules",
]

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


WIDE_BAD = 990  # wide-table values above this fail in_range


def make_wide(rows: int, columns: int = 250, *, seed: int = 7) -> pl.DataFrame:
    """The wide table: ``columns`` Int64 columns of values 0..999 with ~0.1% nulls."""
    rng = np.random.default_rng(seed)
    data = {}
    for i in range(columns):
        values = rng.integers(0, 1000, rows).astype(float)
        values[rng.random(rows) < 0.001] = np.nan
        data[f"c{i}"] = pl.Series(values).fill_nan(None).cast(pl.Int64)
    return pl.DataFrame(data)


def wide_rules(columns: int = 250) -> list[dict[str, Any]]:
    """4 rules per column: not_null, in_range, not_in_set and unique."""
    rules: list[dict[str, Any]] = []
    for i in range(columns):
        c = f"c{i}"
        rules += [
            {"column": c, "type": "not_null"},
            {"column": c, "type": "in_range", "min": 0, "max": WIDE_BAD},
            {"column": c, "type": "not_in_set", "values": [13, 666]},
            {"column": c, "type": "unique"},
        ]
    return rules


def many_rules(count: int, columns: int = 100) -> list[dict[str, Any]]:
    """``count`` in_range rules spread over ``columns`` columns, each with its own bounds."""
    return [
        {"column": f"c{k % columns}", "type": "in_range", "min": k % 50, "max": 1000 - k % 97,
         "name": f"r{k}"}
        for k in range(count)
    ]  # fmt: skip


def make_many(rows: int = 1_000, columns: int = 100) -> pl.DataFrame:
    """The many-rules table: 1,000 rows of the wide table's kind, 100 columns."""
    return make_wide(rows, columns, seed=8)
