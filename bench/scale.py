"""Scaling benchmarks: a wide table (250 columns x 4 rules) and many rules (10,000 on 1,000 rows).

Every engine's adapter against the shared Polars implementation and the best Polars floor (the
faster of Polars' in-memory and streaming engines, counts only), timed round-robin::

    flock /tmp/bench.lock python bench/scale.py            # 100k-row wide table, 10,000 rules
    python bench/scale.py --quick                          # 10k rows, 1,000 rules, 1 run

Every engine's counts must equal the floor's; if any differ the script stops with an error.
Comparisons with each engine called directly with the same checks are not measured here yet.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import polars as pl

sys.path.insert(0, str(Path(__file__).parent))

from _data import make_many, make_wide, many_rules, wide_rules
from _measure import Counts, assert_counts, counts_of, interleaved_medians, stopwatch

ENGINES = ("truthound", "great_expectations", "pandera")


def _floor_exprs(df: pl.DataFrame, rules: list[dict[str, Any]], *, streaming: bool) -> list[Any]:
    exprs: list[pl.Expr] = []
    extra: list[pl.LazyFrame] = []
    for i, rule in enumerate(rules):
        x = pl.col(rule["column"])
        kind = rule["type"]
        if kind == "not_null":
            exprs += [x.is_null().sum().alias(f"f{i}"), pl.len().alias(f"t{i}")]
            continue
        if kind == "in_range":
            bad = (x < rule["min"]) | (x > rule["max"])
        elif kind == "not_in_set":
            bad = x.is_in(pl.Series(rule["values"]).implode())
        elif streaming:  # unique: is_duplicated does not stream; a group_by does
            extra.append(
                df.lazy().filter(x.is_not_null()).group_by(rule["column"]).len()
                .filter(pl.col("len") > 1).select(pl.col("len").sum().alias(f"f{i}"))
            )  # fmt: skip
            exprs.append(x.is_not_null().sum().alias(f"t{i}"))
            continue
        else:
            bad = x.is_not_null() & x.is_duplicated()
        exprs += [bad.sum().alias(f"f{i}"), x.is_not_null().sum().alias(f"t{i}")]
    return [exprs, extra]


def floor(df: pl.DataFrame, rules: list[dict[str, Any]], *, streaming: bool) -> Counts:
    """(failed, total) per rule from one hand-written Polars query: the least work."""
    exprs, extra = _floor_exprs(df, rules, streaming=streaming)
    if streaming:
        frames = pl.collect_all([df.lazy().select(exprs), *extra], engine="streaming")
        row: dict[str, Any] = {}
        for frame in frames:
            row |= frame.row(0, named=True)
    else:
        row = df.select(exprs).row(0, named=True)
    return [(int(row[f"f{i}"] or 0), int(row[f"t{i}"])) for i in range(len(rules))]


def measure(name: str, df: pl.DataFrame, rules: list[dict[str, Any]], runs: int) -> None:
    """Check agreement, then time and print one table."""
    from truthound_dq import get_engine
    from truthound_dq.testing import ReferenceEngine

    want = floor(df, rules, streaming=False)
    assert_counts("the streaming floor", floor(df, rules, streaming=True), want)
    shared = ReferenceEngine()
    assert_counts("shared Polars implementation", counts_of(shared.check(df, rules)), want)
    configs: dict[str, Callable[[], float]] = {
        "floor in-memory": lambda: _time(lambda: floor(df, rules, streaming=False)),
        "floor streaming": lambda: _time(lambda: floor(df, rules, streaming=True)),
        "shared Polars implementation": stopwatch(shared.check, df, rules),
    }
    for engine_name in ENGINES:
        engine = get_engine(engine_name)
        assert_counts(f"{engine_name} adapter", counts_of(engine.check(df, rules)), want)
        configs[f"{engine_name} adapter"] = stopwatch(engine.check, df, rules)
    medians = interleaved_medians(configs, runs, warm_up=False)
    best = min(medians["floor in-memory"][0], medians["floor streaming"][0])
    shared_s = medians["shared Polars implementation"][0]
    print(f"\n{name}: {df.height:,} rows x {df.width} columns, {len(rules):,} rules")
    print("| configuration | runs | median s | x best floor | x shared |")
    print("|---|---:|---:|---:|---:|")
    for label, (seconds, n) in medians.items():
        print(
            f"| {label} | {n} | {seconds:.3f} | {seconds / best:.2f}x | {seconds / shared_s:.2f}x |"
        )


def _time(func: Callable[[], Any]) -> float:
    import time

    started = time.perf_counter()
    func()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10k rows, 1,000 rules, 1 run")
    parser.add_argument("--rows", type=int, help="rows of the wide table (default 100k)")
    parser.add_argument("--rules", type=int, help="rules of the many-rules case (default 10k)")
    parser.add_argument("--runs", type=int, help="runs per configuration (default 3)")
    args = parser.parse_args()
    rows = args.rows or (10_000 if args.quick else 100_000)
    count = args.rules or (1_000 if args.quick else 10_000)
    runs = args.runs or (1 if args.quick else 3)
    measure("wide table", make_wide(rows), wide_rules(), runs)
    measure("many rules", make_many(), many_rules(count), runs)


if __name__ == "__main__":
    main()
