"""The benchmark data every engine is measured on: seeded, so every run sees the same rows.

Columns: ``id`` (Int64, a few nulls and duplicates), ``email`` (~1% invalid, a few nulls),
``age`` (Int64, ~0.5% outside 0..150, a few nulls) and ``status`` (~0.2% outside the four
allowed values, a few nulls).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import polars as pl

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
    """``rows`` rows of the benchmark data (deterministic for a given seed)."""
    rng = np.random.default_rng(seed)
    ids = np.arange(rows, dtype=np.int64)
    dup = rng.random(rows) < 0.001  # ~0.1% copy an earlier id
    ids[dup] = rng.integers(0, max(rows, 1), dup.sum())
    id_null = rng.random(rows) < 0.0005

    users = np.char.add("user", ids.astype(str))
    domains = np.array(["example.com", "mail.org", "corp.io", "test.co.uk"])
    emails = np.char.add(np.char.add(users, "@"), domains[rng.integers(0, 4, rows)])
    bad = rng.random(rows) < 0.01
    broken = np.array(["no-at-sign.com", "user@nodot", "@missing.user", "a b@c.de"])
    emails = np.where(bad, broken[rng.integers(0, 4, rows)], emails)
    email_null = rng.random(rows) < 0.0005

    ages = rng.integers(0, 151, rows)
    out = rng.random(rows) < 0.005
    ages[out] = rng.choice(np.array([-5, -1, 151, 200, 999]), out.sum())
    age_null = rng.random(rows) < 0.0005

    statuses = np.array(STATUSES)[rng.integers(0, 4, rows)]
    odd = rng.random(rows) < 0.002
    strays = np.array(["deleted", "Active", "unknown"])[rng.integers(0, 3, rows)]
    statuses = np.where(odd, strays, statuses)
    status_null = rng.random(rows) < 0.0005

    return pl.DataFrame(
        {
            "id": pl.Series(ids).set(pl.Series(id_null), None),
            "email": pl.Series(emails, dtype=pl.String).set(pl.Series(email_null), None),
            "age": pl.Series(ages, dtype=pl.Int64).set(pl.Series(age_null), None),
            "status": pl.Series(statuses, dtype=pl.String).set(pl.Series(status_null), None),
        }
    )
