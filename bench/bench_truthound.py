"""Benchmark: the Truthound adapter vs Truthound called directly vs the Polars oracle.

Run (one benchmark at a time on a shared machine)::

    flock /tmp/bench.lock python bench/bench_truthound.py            # 1M and 10M rows
    flock /tmp/bench.lock python bench/bench_truthound.py --rows 1000000 --repeat 3

Measured side by side in one process, interleaved round by round, medians reported:

- adapter: ``TruthoundEngine().check(df, RULES)`` (counts, pass/fail, 5 samples per rule);
- truthound direct: ``th.check`` with the same validators configured to count exactly as
  the adapter does (search regex, no early termination, DuplicateValidator plus a
  NullValidator for the null correction, ``boolean_only``, a non-persisting context); it
  leaves out what the adapter adds (the blank-string complement of the regex, samples);
- oracle: ``truthound_dq.reference_evaluate`` in one ``select`` pass, with 5 samples per
  rule like the adapter, and without samples (counts only).

Peak RSS at the largest size: each configuration runs once in a fresh subprocess that
reads the data from Parquet; its peak RSS (VmHWM) is reported, and the peak after loading.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import warnings
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
from truthound_dq_truthound import TruthoundEngine

warnings.filterwarnings("ignore", "invalid escape sequence", DeprecationWarning)


def direct_validators() -> list[Any]:
    """The adapter's validators for RULES, built by hand on the raw columns."""
    from truthound.validators.base import NUMERIC_TYPES  # noqa: F401 - warms the import
    from truthound.validators.completeness.null import NotNullValidator, NullValidator
    from truthound.validators.distribution.range import BetweenValidator
    from truthound.validators.distribution.set import InSetValidator
    from truthound.validators.string.regex import RegexValidator
    from truthound.validators.uniqueness.duplicate import DuplicateValidator

    regex = RegexValidator(pattern=EMAIL_PATTERN, match_full=False, dotall=False, columns=["email"])
    regex.early_termination_min_rows = 2**62
    return [
        NotNullValidator(columns=["id"]),
        DuplicateValidator(subset=["id"]),
        regex,
        BetweenValidator(min_value=0, max_value=150, inclusive=True, columns=["age"]),
        InSetValidator(allowed_values=list(STATUSES), columns=["status"]),
        NullValidator(columns=["id", "email", "age", "status"]),
    ]


def truthound_direct(df: pl.DataFrame) -> Any:
    import truthound as th
    from truthound.context import TruthoundContext, TruthoundContextConfig

    config = TruthoundContextConfig(
        persist_runs=False, persist_docs=False, auto_create_baseline=False,
        auto_create_workspace=False,
    )  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        context = TruthoundContext(root_dir=Path(folder), config=config)
        return th.check(
            df, context=context, validators=direct_validators(),
            result_format="boolean_only", catch_exceptions=False,
        )  # fmt: skip


def direct(df: pl.DataFrame) -> Callable[[], Any]:
    """Truthound called directly on ``df`` (see ``truthound_direct``)."""
    return lambda: truthound_direct(df)


def configurations(df: pl.DataFrame) -> dict[str, Callable[[], Any]]:
    engine, rules = TruthoundEngine(), parse_rules(RULES)
    return {
        "adapter": lambda: engine.check(df, RULES),
        "truthound direct": lambda: truthound_direct(df),
        "oracle (5 samples)": lambda: reference_evaluate(df, rules, sample_size=5),
        "oracle (counts only)": lambda: reference_evaluate(df, rules, sample_size=0),
    }


def check_agreement(df: pl.DataFrame) -> None:
    mine, oracle = counts_of(TruthoundEngine().check(df, RULES)), oracle_counts(df)
    assert_counts("truthound adapter", mine, oracle)
    print(f"  counts agree with the oracle: {mine}")


def time_rows(rows: int, repeat: int) -> dict[str, float]:
    df = make_frame(rows)
    check_agreement(df)
    configs = {name: stopwatch(run) for name, run in configurations(df).items()}
    return {name: m for name, (m, _) in interleaved_medians(configs, repeat).items()}


def rss_child(config: str, path: str) -> None:
    df = pl.read_parquet(path)
    loaded = vm_hwm_mib()
    run = configurations(df)[config]
    run()
    print(f"{loaded} {vm_hwm_mib()}")


def peak_rss(rows: int, names: list[str]) -> dict[str, tuple[float, float]]:
    out: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "data.parquet")
        make_frame(rows).write_parquet(path)
        for name in names:
            text = subprocess.run(
                [sys.executable, __file__, "--rss-child", name, path],
                check=True, capture_output=True, text=True,
            ).stdout.split()  # fmt: skip
            loaded, peak = (float(v) for v in text[-2:])
            out[name] = (loaded, peak)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="*", default=[1_000_000, 10_000_000])
    parser.add_argument("--repeat", type=int, default=0, help="default: 5 at 1M, else 3")
    parser.add_argument("--rss-child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rss_child:
        rss_child(*args.rss_child)
        return
    for rows in args.rows:
        repeat = args.repeat or (5 if rows <= 1_000_000 else 3)
        print(f"\n{rows:,} rows, median of {repeat} (seconds; ratio to the adapter's time)")
        medians = time_rows(rows, repeat)
        adapter = medians["adapter"]
        for name, seconds in medians.items():
            print(f"  {name:22s} {seconds:8.3f} s   adapter / this = {adapter / seconds:5.2f}x")
    largest = max(args.rows)
    print(f"\npeak RSS at {largest:,} rows (MiB; one fresh process per configuration)")
    names = list(configurations(pl.DataFrame()).keys())
    for name, (loaded, peak) in peak_rss(largest, names).items():
        print(f"  {name:22s} peak {peak:8.0f}   after loading the data {loaded:8.0f}")


if __name__ == "__main__":
    main()
