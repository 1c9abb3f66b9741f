"""Check a multi-file Parquet dataset lazily in a Prefect flow, and print the peak memory.

The flow checks ``pl.scan_parquet(folder / "*.parquet")`` - a plan, not data. Neither the
flow nor the Prefect task collects it: the engine reads only the columns the rules name
(the wide ``payload`` column is never loaded) and streams them where it can (see
``docs/lazy.md``). The profile of a lazy scan is not cached: its files can change under the
same plan.

    python examples/lazy_parquet.py [DIR] [ROWS_PER_FILE]   # DIR: default a new temp dir
"""

import resource
import sys
import tempfile
from pathlib import Path
from typing import Any

import polars as pl
from prefect import flow

from truthound_prefect import data_quality_check_task

RULES = [
    {"column": "event_id", "type": "not_null"},
    {"column": "amount", "type": "in_range", "min": 0, "max": 10_000},
    {"column": "country", "type": "in_set", "values": ["DE", "FR", "JP", "US"]},
    {"column": "email", "type": "regex", "pattern": r"^[\w.-]+@[\w.-]+\.[a-z]{2,}$"},
    {"type": "row_count", "min": 1},
]


def write_dataset(folder: Path, files: int = 5, rows_per_file: int = 200_000) -> Path:
    """Write ``files`` Parquet files of synthetic events (a few defects in each) to ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    for part in range(files):
        start = part * rows_per_file
        n = pl.int_range(start, start + rows_per_file, eager=True).alias("event_id")
        frame = pl.DataFrame(n).with_columns(
            amount=(pl.col("event_id") % 9_000).cast(pl.Float64)
            - (pl.col("event_id") % 50_000 == 7).cast(pl.Float64) * 10_000,
            country=pl.lit(["DE", "FR", "JP", "US"]).list.get(pl.col("event_id") % 4),
            email=pl.when(pl.col("event_id") % 3_333 == 5)
            .then(pl.format("user{} at example.com", pl.col("event_id")))
            .otherwise(pl.format("user{}@example.com", pl.col("event_id"))),
            payload=pl.lit("x" * 200),  # wide, and no rule reads it
        )
        frame.write_parquet(folder / f"part-{part:03d}.parquet")
    return folder


def peak_rss_mib() -> float:
    """This process's peak resident memory so far, in MiB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 1024  # bytes on macOS, else KiB


@flow(name="lazy-parquet-check")
def check_events(folder: str) -> dict[str, Any]:
    """Check every Parquet file of ``folder`` as one lazy scan."""
    scan = pl.scan_parquet(Path(folder) / "*.parquet")
    result = data_quality_check_task(scan, rules=RULES, dataset="events", fail_on_error=False)
    return {
        "status": result.status.value,
        "rows": result.row_count,
        "failed": {r.rule_name: r.failed_count for r in result.failures},
    }


def main(directory: str | None = None, rows_per_file: int = 200_000) -> dict[str, Any]:
    """Write the dataset, check it in the flow, print the outcome and the peak memory."""
    folder = write_dataset(Path(directory or tempfile.mkdtemp()) / "events", 5, rows_per_file)
    size_mib = sum(p.stat().st_size for p in folder.glob("*.parquet")) / 2**20
    out = check_events(str(folder))
    print(f"{out['rows']:,} rows in 5 files ({size_mib:,.1f} MiB on disk): {out['status']}")
    for name, failed in out["failed"].items():
        print(f"  {name}: {failed:,} failing rows")
    print(f"peak memory of this process: {peak_rss_mib():,.0f} MiB")
    return out


if __name__ == "__main__":
    rows = int(sys.argv[2]) if len(sys.argv) > 2 else 200_000
    main(sys.argv[1] if len(sys.argv) > 1 else None, rows)
