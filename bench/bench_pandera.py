"""Pandera adapter vs Pandera called directly vs the Polars oracle, side by side.

Run (one benchmark at a time on a shared machine)::

    flock /tmp/bench.lock python bench/bench_pandera.py            # 1M and 10M rows
    flock /tmp/bench.lock python bench/bench_pandera.py --rows 1000000 --repeats 3

Every configuration is timed in this one process (interleaved, medians reported). Peak RSS
is measured per configuration in a child process running that configuration alone.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl

sys.path.insert(0, str(Path(__file__).parent))
from _data import EMAIL_PATTERN, RULES, STATUSES, make_frame
from _measure import (
    assert_counts,
    counts_of,
    interleaved_medians,
    oracle_counts,
    stopwatch,
    vm_hwm_mib,
)

from truthound_dq import parse_rules
from truthound_dq.sdk import reference_evaluate
from truthound_dq_pandera import PanderaEngine

CONFIGS = ("adapter", "pandera direct", "polars oracle")


def _direct_schema() -> Any:
    """The schema a Pandera user writes for the five rules: the same checks as the adapter."""
    import pandera.polars as pa

    def unique_present(data: Any) -> pl.LazyFrame:
        # Column(unique=True) would count nulls as duplicates; the rule skips them.
        col = pl.col(data.key)
        return data.lazyframe.select((col.is_null() | ~col.is_duplicated()).alias(data.key))

    return pa.DataFrameSchema(
        {
            "id": pa.Column(nullable=False, checks=pa.Check(unique_present, name="unique")),
            "email": pa.Column(nullable=True, checks=pa.Check.str_contains(EMAIL_PATTERN)),
            "age": pa.Column(nullable=True, checks=pa.Check.in_range(0, 150)),
            "status": pa.Column(nullable=True, checks=pa.Check.isin(STATUSES)),
        }
    )


def direct(frame: pl.DataFrame) -> Callable[[], object]:
    """Pandera called directly: the hand-written schema, lazy validation, errors caught."""
    import pandera.errors
    from pandera.config import ValidationDepth, config_context

    schema = _direct_schema()

    def run() -> object:
        with config_context(validation_depth=ValidationDepth.SCHEMA_AND_DATA):
            try:
                return schema.validate(frame, lazy=True)
            except pandera.errors.SchemaErrors as exc:
                return exc

    return run


def _runners(frame: pl.DataFrame) -> dict[str, Callable[[], object]]:
    engine = PanderaEngine()
    parsed = parse_rules(RULES)
    return {
        "adapter": lambda: engine.check(frame, RULES),
        "pandera direct": direct(frame),
        "polars oracle": lambda: reference_evaluate(frame, parsed),
    }


def _assert_same_counts(frame: pl.DataFrame) -> list[tuple[str, int, int]]:
    result = PanderaEngine().check(frame, RULES)
    assert_counts("pandera adapter", counts_of(result), oracle_counts(frame))
    return [(r.rule_name, r.failed_count, r.total_count) for r in result.rule_results]


def _peak_rss_mib(rows: int, config: str) -> tuple[float, float]:
    """(peak RSS after building the data, peak RSS after one run) of a child process."""
    out = subprocess.run(
        [sys.executable, __file__, "--child", config, "--rows", str(rows)],
        capture_output=True,
        text=True,
        check=True,
    )
    data, total = json.loads(out.stdout.strip().splitlines()[-1])
    return data, total


def _child(config: str, rows: int) -> None:
    frame = make_frame(rows)
    runners = _runners(frame)
    data_peak = vm_hwm_mib()
    runners[config]()
    print(json.dumps([data_peak, vm_hwm_mib()]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, action="append")
    parser.add_argument("--repeats", type=int, default=0, help="default: 5 (1M), 3 (10M)")
    parser.add_argument("--child", choices=CONFIGS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = args.rows or [1_000_000, 10_000_000]
    if args.child:
        _child(args.child, sizes[0])
        return

    import pandera

    print(
        f"pandera {pandera.__version__}, polars {pl.__version__}, python {sys.version.split()[0]}"
    )
    for rows in sizes:
        frame = make_frame(rows)
        print(f"\n{rows:,} rows; counts (adapter == oracle):")
        for name, failed, total in _assert_same_counts(frame):
            print(f"  {name:<16} {failed:>8,} / {total:,}")
        runners = _runners(frame)
        repeats = args.repeats or (5 if rows <= 1_000_000 else 3)
        configs = {c: stopwatch(runners[c]) for c in CONFIGS}  # interleaved: drift hits all
        medians = {c: m for c, (m, _) in interleaved_medians(configs, repeats).items()}
        del frame, runners
        print(f"\n| {rows:,} rows | median s | vs direct | vs oracle | peak RSS MiB (data alone) |")
        print("|---|---:|---:|---:|---:|")
        for config in CONFIGS:
            data_peak, peak = _peak_rss_mib(rows, config)
            print(
                f"| {config} | {medians[config]:.3f} | "
                f"{medians[config] / medians['pandera direct']:.2f}x | "
                f"{medians[config] / medians['polars oracle']:.2f}x | "
                f"{peak:,.0f} ({data_peak:,.0f}) |"
            )
        print(f"(median of {repeats} interleaved runs in one process)")


if __name__ == "__main__":
    main()
