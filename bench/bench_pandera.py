"""Pandera adapter vs Pandera called directly vs the Polars oracle, side by side.

Run (one benchmark at a time on a shared machine)::

    flock /tmp/bench.lock python bench/bench_pandera.py            # 1M and 10M rows
    flock /tmp/bench.lock python bench/bench_pandera.py --rows 1000000 --repeats 3
    flock /tmp/bench.lock python bench/bench_pandera.py --case wide  # 250 columns x 4 rules
    flock /tmp/bench.lock python bench/bench_pandera.py --case many  # 10,000 rules, 1,000 rows

``wide`` and ``many`` time the adapter against Pandera called directly with the same checks
in two ways - one ``DataFrameSchema`` validated with ``lazy=True`` (what a Pandera user
writes) and the same checks called one by one (what the adapter does underneath) - and
against the shared Polars implementation.

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


# -- wide tables and many rules ------------------------------------------------------------

WIDE_CONFIGS = ("adapter", "pandera direct (schema)", "pandera direct (checks)", "shared polars")
WIDE_MEMBERS = list(range(0, 10**6, 1000))  # in_set members (1,000)
WIDE_MAX = 990_000


def make_wide(rows: int, columns: int, *, seed: int = 7) -> pl.DataFrame:
    """``columns`` Int64 columns of values in [0, 10**6), ~1% nulls (a few duplicates)."""
    import numpy as np

    rng = np.random.default_rng(seed)
    data = {}
    for i in range(columns):
        values = rng.integers(0, 10**6, rows)
        data[f"col_{i}"] = pl.Series(values).set(pl.Series(rng.random(rows) < 0.01), None)
    return pl.DataFrame(data)


def wide_rules(columns: int) -> list[dict[str, Any]]:
    """Four rules per column: not_null, unique, in_range, in_set."""
    rules: list[dict[str, Any]] = []
    for i in range(columns):
        name = f"col_{i}"
        rules += [
            {"column": name, "type": "not_null"},
            {"column": name, "type": "unique"},
            {"column": name, "type": "in_range", "min": 0, "max": WIDE_MAX},
            {"column": name, "type": "in_set", "values": WIDE_MEMBERS},
        ]
    return rules


def _wide_direct_schema(columns: int) -> Any:
    """The same checks as one DataFrameSchema (unique=True counts nulls; same work)."""
    import pandera.polars as pa

    return pa.DataFrameSchema(
        {
            f"col_{i}": pa.Column(
                nullable=False,
                unique=True,
                checks=[pa.Check.in_range(0, WIDE_MAX), pa.Check.isin(WIDE_MEMBERS)],
            )
            for i in range(columns)
        }
    )


def _wide_direct_checks(frame: pl.DataFrame, columns: int) -> Callable[[], object]:
    """The same checks called one by one, as the adapter does: Column and Check objects."""
    import pandera.errors
    import pandera.polars as pa
    from pandera.config import ValidationDepth, config_context

    def run() -> object:
        out, errors = [], []
        with config_context(validation_depth=ValidationDepth.SCHEMA_AND_DATA):
            for i in range(columns):
                name = f"col_{i}"
                for nullable, unique in ((False, False), (True, True)):
                    column = pa.Column(nullable=nullable, unique=unique, name=name)
                    try:
                        column.validate(frame.select(name).lazy(), lazy=False)
                    except pandera.errors.SchemaError as exc:
                        errors.append(exc)
                alone = frame.select(name).lazy()
                for check in (pa.Check.in_range(0, WIDE_MAX), pa.Check.isin(WIDE_MEMBERS)):
                    out.append(check(alone, name).check_output)
        return errors, pl.collect_all(out)

    return run


def _wide_runners(frame: pl.DataFrame, columns: int) -> dict[str, Callable[[], object]]:
    engine = PanderaEngine()
    rules = wide_rules(columns)
    parsed = parse_rules(rules)
    schema = _wide_direct_schema(columns)

    def schema_direct() -> object:
        import pandera.errors
        from pandera.config import ValidationDepth, config_context

        with config_context(validation_depth=ValidationDepth.SCHEMA_AND_DATA):
            try:
                return schema.validate(frame, lazy=True)
            except pandera.errors.SchemaErrors as exc:
                return exc

    return {
        "adapter": lambda: engine.check(frame, rules),
        "pandera direct (schema)": schema_direct,
        "pandera direct (checks)": _wide_direct_checks(frame, columns),
        "shared polars": lambda: reference_evaluate(frame, parsed),
    }


def run_wide(case: str, repeats: int) -> None:
    """Time the wide (250 x 4 rules, 100k rows) or many (10,000 rules, 1,000 rows) case."""
    rows, columns = (100_000, 250) if case == "wide" else (1_000, 2_500)
    frame = make_wide(rows, columns)
    rules = wide_rules(columns)
    result = PanderaEngine().check(frame, rules)
    want = reference_evaluate(frame, parse_rules(rules)).counts
    assert_counts(
        "pandera adapter", counts_of(result), [(c.failed_count, c.total_count) for c in want]
    )
    native = sum(r.evaluated_by == "pandera" for r in result.rule_results)
    print(
        f"\n{case}: {columns} columns x 4 rules = {len(rules):,} rules, {rows:,} rows; "
        f"counts == shared; {native:,} of {len(rules):,} rules evaluated by pandera"
    )
    runners = _wide_runners(frame, columns)
    configs = {c: stopwatch(runners[c]) for c in WIDE_CONFIGS}
    medians = {c: m for c, (m, _) in interleaved_medians(configs, repeats).items()}
    schema, checks, shared = (
        medians["pandera direct (schema)"],
        medians["pandera direct (checks)"],
        medians["shared polars"],
    )
    print(f"\n| {case} | median s | vs direct (schema) | vs direct (checks) | vs shared |")
    print("|---|---:|---:|---:|---:|")
    for config in WIDE_CONFIGS:
        m = medians[config]
        print(f"| {config} | {m:.3f} | {m / schema:.2f}x | {m / checks:.2f}x | {m / shared:.2f}x |")
    print(f"(median of {repeats} interleaved runs in one process)")
    target = max(2 * shared, 1.10 * schema)
    print(
        f"target: adapter <= max(2x shared, 1.10x direct) = {target:.3f} s: "
        f"{'met' if medians['adapter'] <= target else 'NOT met'}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, action="append")
    parser.add_argument("--repeats", type=int, default=0, help="default: 5 (1M), 3 (10M)")
    parser.add_argument("--case", choices=("five", "wide", "many"), default="five")
    parser.add_argument("--child", choices=CONFIGS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.case != "five":
        run_wide(args.case, args.repeats or 3)
        return
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
