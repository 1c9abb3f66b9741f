"""The memory test of a lazy scan: a fresh process checks a Parquet folder and reports its peak.

``write_dataset`` writes a multi-file Parquet dataset with Polars' streaming sink (no Python
loop over rows); ``expected_counts`` knows every rule's counts by construction (numpy over the
row numbers); ``run_child`` checks the folder in a fresh interpreter
(``python -m truthound_dq.testing._memory``), which prints one JSON line: the results' counts,
its RSS just before the check (after imports and a warm-up check on a tiny frame) and its peak
RSS after it (``VmHWM``, reset to the current RSS first where Linux allows).
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

__all__ = ["MEMORY_RULES", "expected_counts", "rule_columns_bytes", "run_child", "write_dataset"]

STATUSES = ("active", "inactive", "pending", "closed")
MEMORY_RULES: list[dict[str, Any]] = [
    {"column": "id", "type": "not_null"},
    {"column": "email", "type": "regex", "pattern": r"^user\d+x*@example\.com$"},
    {"column": "age", "type": "in_range", "min": 0, "max": 150},
    {"column": "status", "type": "in_set", "values": list(STATUSES)},
    {"column": "status", "type": "str_length", "max": 8},
]
"""Row-level rules other than uniqueness, over 4 of the dataset's 6 columns."""


def write_dataset(
    folder: Path, rows: int, files: int = 4, *, pad: int = 0, row_group_size: int | None = None
) -> None:
    """``files`` Parquet files of ``rows`` rows in all: id, email, age, status and 2 others.

    ``pad`` characters of ``x`` lengthen every email (more bytes per row for as many rows).
    """
    import polars as pl

    folder.mkdir(parents=True, exist_ok=True)
    per = -(-rows // files)
    for f in range(files):
        start, stop = f * per, min(rows, (f + 1) * per)
        i = pl.col("i")
        (
            pl.LazyFrame()
            .select(pl.int_range(start, stop, dtype=pl.Int64).alias("i"))
            .select(
                pl.when(i % 997 != 0).then(i).alias("id"),
                pl.when(i % 1009 == 5)
                .then(None)
                .when(i % 101 == 0)
                .then(pl.format("user{}-at-example", i))
                .otherwise(pl.format("user{}{}@example.com", i, pl.lit("x" * pad)))
                .alias("email"),
                pl.when(i % 211 == 0).then(200).otherwise(i % 151).alias("age"),
                pl.when(i % 401 == 1)
                .then(None)
                .when(i % 307 == 0)
                .then(pl.lit("unknown-status"))
                .otherwise(pl.lit(pl.Series(STATUSES)).get(i % 4))
                .alias("status"),
                (i * 7).cast(pl.Float64).alias("other_float"),
                (i % 2 == 0).alias("other_flag"),
            )
            .sink_parquet(folder / f"part-{f}.parquet", row_group_size=row_group_size)
        )


def expected_counts(rows: int) -> list[tuple[int, int]]:
    """``(failed, total)`` of each of :data:`MEMORY_RULES`, from the construction's formulas."""
    import numpy as np

    i = np.arange(rows, dtype=np.int64)
    email_null = i % 1009 == 5
    email_bad = ~email_null & (i % 101 == 0)
    status_null = i % 401 == 1
    # "unknown-status": not in the set, and 14 characters (the others have at most 8)
    status_bad = ~status_null & (i % 307 == 0)
    present_status = int((~status_null).sum())
    return [
        (int((i % 997 == 0).sum()), rows),
        (int(email_bad.sum()), int((~email_null).sum())),
        (int((i % 211 == 0).sum()), rows),
        (int(status_bad.sum()), present_status),
        (int(status_bad.sum()), present_status),
    ]


def rule_columns_bytes(folder: Path) -> int:
    """The in-memory size of the rule columns (Polars' estimate, scaled from 200,000 rows)."""
    import polars as pl

    scan = pl.scan_parquet(folder / "*.parquet").select("id", "email", "age", "status")
    rows = int(scan.select(pl.len()).collect().item())
    head = scan.head(200_000).collect()
    return int(head.estimated_size() * rows / max(1, head.height))


def run_child(
    engine: str,
    folder: Path,
    *,
    timeout: float = 300,
    env: dict[str, str] | None = None,
    **options: Any,
) -> dict[str, Any]:
    """Check ``folder`` lazily with ``engine`` in a fresh interpreter; its JSON report.

    ``env`` is added to the child's environment; ``options`` are the check's.
    """
    import os

    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "truthound_dq.testing._memory", engine, str(folder),
         json.dumps(options)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env={**os.environ, **(env or {})},
    )  # fmt: skip
    if done.returncode != 0:
        raise AssertionError(f"memory child failed ({done.returncode}):\n{done.stderr[-4000:]}")
    report: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    report["wall_s"] = time.perf_counter() - started
    return report


def _rss_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(f"{field}:"):
            return int(line.split()[1])
    raise RuntimeError(f"no {field} in /proc/self/status (measured on Linux only)")


def _main(engine_name: str, folder: str, options: dict[str, Any]) -> None:
    import polars as pl

    from truthound_dq import get_engine

    engine = get_engine(engine_name)
    tiny = pl.DataFrame(
        {"id": [1, None], "email": ["user1@example.com", "x"], "age": [3, 200],
         "status": ["active", None]}
    )  # fmt: skip
    engine.check(tiny.lazy(), MEMORY_RULES)  # imports the engine library, warms it up
    # Reset VmHWM to the current RSS (Linux >= 4.0), so the peak is the check's.
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")
    before = _rss_kib("VmRSS")
    started = time.perf_counter()
    result = engine.check(pl.scan_parquet(Path(folder) / "*.parquet"), MEMORY_RULES, **options)
    seconds = time.perf_counter() - started
    peak = _rss_kib("VmHWM")
    print(
        json.dumps(
            {
                "counts": [[r.failed_count, r.total_count] for r in result.rule_results],
                "evaluated_by": [r.evaluated_by for r in result.rule_results],
                "before_mib": before / 1024,
                "peak_mib": peak / 1024,
                "check_s": seconds,
            }
        )
    )


if __name__ == "__main__":
    _main(sys.argv[1], sys.argv[2], json.loads(sys.argv[3]) if len(sys.argv) > 3 else {})
