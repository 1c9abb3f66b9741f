"""Measuring code every benchmark shares: the floor, interleaved timing, counts, peak RSS."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import polars as pl
from _data import EMAIL_PATTERN, RULES, STATUSES

__all__ = [
    "floor_counts",
    "floor_counts_streaming",
    "counts_of",
    "oracle_counts",
    "assert_counts",
    "interleaved_medians",
    "stopwatch",
    "vm_hwm_mib",
]

Counts = list[tuple[int, int]]


def floor_counts(df: pl.DataFrame) -> Counts:
    """The five rules' (failed, total) counts in one hand-written Polars ``select``.

    The floor: no samples, no rule parsing, no result objects - the least work an exact answer
    needs. Value rules skip nulls (they count neither as failed nor in the total).
    """
    ident, email, age, status = (pl.col(c) for c in ("id", "email", "age", "status"))
    row = df.select(
        ident.is_null().sum().alias("f0"),
        pl.len().alias("t0"),
        (ident.is_not_null() & ident.is_duplicated()).sum().alias("f1"),
        ident.is_not_null().sum().alias("t1"),
        (~email.str.contains(EMAIL_PATTERN)).sum().alias("f2"),  # null stays null: not summed
        email.is_not_null().sum().alias("t2"),
        ((age < 0) | (age > 150)).sum().alias("f3"),
        age.is_not_null().sum().alias("t3"),
        (~status.is_in(pl.Series(STATUSES).implode())).sum().alias("f4"),
        status.is_not_null().sum().alias("t4"),
    ).row(0, named=True)
    return [(int(row[f"f{i}"]), int(row[f"t{i}"])) for i in range(len(RULES))]


def floor_counts_streaming(df: pl.DataFrame) -> Counts:
    """:func:`floor_counts` on Polars' streaming engine (morsels on every core).

    ``is_duplicated`` does not stream, so ``unique`` is counted with a ``group_by``: the
    non-missing rows whose id occurs more than once.
    """
    ident, email, age, status = (pl.col(c) for c in ("id", "email", "age", "status"))
    lazy = df.lazy()
    main = lazy.select(
        ident.is_null().sum().alias("f0"),
        pl.len().alias("t0"),
        ident.is_not_null().sum().alias("t1"),
        (~email.str.contains(EMAIL_PATTERN)).sum().alias("f2"),
        email.is_not_null().sum().alias("t2"),
        ((age < 0) | (age > 150)).sum().alias("f3"),
        age.is_not_null().sum().alias("t3"),
        (~status.is_in(pl.Series(STATUSES).implode())).sum().alias("f4"),
        status.is_not_null().sum().alias("t4"),
    )
    dups = (
        lazy.filter(ident.is_not_null())
        .group_by("id")
        .len()
        .filter(pl.col("len") > 1)
        .select(pl.col("len").sum().alias("f1"))
    )
    a, b = pl.collect_all([main, dups], engine="streaming")
    row = a.row(0, named=True) | b.row(0, named=True)
    return [(int(row[f"f{i}"] or 0), int(row[f"t{i}"] if i != 1 else row["t1"])) for i in range(5)]


def counts_of(result: Any) -> Counts:
    """(failed, total) per rule of a ``QualityCheckOutput``."""
    return [(r.failed_count, r.total_count) for r in result.rule_results]


def oracle_counts(df: pl.DataFrame) -> Counts:
    """(failed, total) per rule from ``truthound_dq.sdk.reference_evaluate`` (canonical)."""
    from truthound_dq import parse_rules
    from truthound_dq.sdk import reference_evaluate

    return [
        (c.failed_count, c.total_count) for c in reference_evaluate(df, parse_rules(RULES)).counts
    ]


def assert_counts(name: str, got: Counts, want: Counts) -> None:
    """Fail loudly (AssertionError, non-zero exit) when an engine's counts differ."""
    if got != want:
        raise AssertionError(f"{name}: counts {got} differ from the floor's {want}")


def stopwatch(func: Callable[..., Any], *args: Any) -> Callable[[], float]:
    """A configuration: a callable that runs ``func(*args)`` once and returns its seconds."""

    def run() -> float:
        started = time.perf_counter()
        func(*args)
        return time.perf_counter() - started

    return run


def interleaved_medians(
    configs: Mapping[str, Callable[[], float]],
    runs: int | Mapping[str, int],
    *,
    warm_up: bool = True,
) -> dict[str, tuple[float, int]]:
    """Median seconds (and the number of runs) of each configuration, timed round-robin.

    Each configuration runs once and returns its own seconds (``stopwatch`` makes one; a task
    inside a flow times only the task call). Round ``k`` runs every configuration that still
    needs a ``k``-th run, so drift on a shared machine hits all of them alike. ``runs`` may be
    one number or one per configuration.
    """
    wanted = {name: runs if isinstance(runs, int) else runs[name] for name in configs}
    if warm_up:  # imports, caches, first-call set-up
        for run in configs.values():
            run()
    times: dict[str, list[float]] = {name: [] for name in configs}
    for round_ in range(max(wanted.values(), default=0)):
        for name, run in configs.items():
            if round_ < wanted[name]:
                times[name].append(run())
    return {name: (statistics.median(t), len(t)) for name, t in times.items()}


def vm_hwm_mib() -> float:
    """This process's peak RSS (VmHWM) in MiB.

    Not ``ru_maxrss``: Linux carries it over from the parent across fork and exec, so a child
    of a large benchmark process would report the parent's peak.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status (peak RSS is measured on Linux only)")
