"""Great Expectations adapter vs GX called directly, side by side in one process.

For each size: the adapter's ``check`` on the Polars frame, against GX run directly with an
equivalent suite of five expectations on an already-converted pandas frame, plus the cost of
that conversion (Polars ``to_pandas()``, what a direct GX user has to do). Both GX runs use the
same result format (BASIC, 5 partial unexpected values) and a context built beforehand.
Peak RSS of each configuration is measured in its own subprocess.

    flock /tmp/bench.lock python bench/bench_great_expectations.py [--rows 1000000 10000000]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from _data import EMAIL_PATTERN, RULES, STATUSES, make_frame
from _measure import assert_counts, counts_of, oracle_counts

_TIMES = ("convert", "direct", "adapter")
RESULT_FORMAT = {"result_format": "BASIC", "partial_unexpected_count": 5}


class DirectGX:
    """GX 1.x the way a user runs it by hand: ephemeral context, suite, batch.validate."""

    def __init__(self, *, regex: bool = True) -> None:
        import great_expectations as gx
        import great_expectations.expectations as gxe
        from great_expectations.data_context.types.base import ProgressBarsConfig

        context = gx.get_context(mode="ephemeral")
        context.variables.progress_bars = ProgressBarsConfig(globally=False)
        asset = context.data_sources.add_pandas("direct").add_dataframe_asset("frame")
        self.batch_definition = asset.add_batch_definition_whole_dataframe("whole")
        expectations = [
            gxe.ExpectColumnValuesToNotBeNull(column="id"),
            gxe.ExpectColumnValuesToBeUnique(column="id"),
            gxe.ExpectColumnValuesToMatchRegex(column="email", regex=EMAIL_PATTERN),
            gxe.ExpectColumnValuesToBeBetween(column="age", min_value=0, max_value=150),
            gxe.ExpectColumnValuesToBeInSet(column="status", value_set=STATUSES),
        ]
        if not regex:
            del expectations[2]
        self.suite = gx.ExpectationSuite(name="direct", expectations=expectations)

    def validate(self, pdf: Any) -> Any:
        batch = self.batch_definition.get_batch(batch_parameters={"dataframe": pdf})
        return batch.validate(self.suite, result_format=RESULT_FORMAT)


def direct(df: Any) -> Any:
    """Direct GX on ``df`` as a user runs it: convert the suite's columns, then validate.

    The context and suite are built here, once, before any timing.
    """
    columns = list(dict.fromkeys(r["column"] for r in RULES))
    gx = DirectGX()
    return lambda: gx.validate(df.select(columns).to_pandas())


def _timed(func: Any, *args: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    out = func(*args)
    return time.perf_counter() - started, out


def _assert_counts(engine: Any, df: Any) -> None:
    assert_counts(
        "great_expectations adapter", counts_of(engine.check(df, RULES)), oracle_counts(df)
    )


def measure(rows: int, runs: int, *, regex: bool = True) -> dict[str, float]:
    from truthound_dq_great_expectations import GreatExpectationsEngine

    rules = RULES if regex else [r for r in RULES if r["type"] != "regex"]
    columns = list(dict.fromkeys(r["column"] for r in rules))
    df = make_frame(rows)
    engine = GreatExpectationsEngine()
    _assert_counts(engine, df)  # also builds the adapter's GX context
    direct = DirectGX(regex=regex)
    direct.validate(df.head(1000).to_pandas())  # warm-up
    times: dict[str, list[float]] = {"convert": [], "direct": [], "adapter": []}
    for _ in range(runs):
        # A direct GX user converts the columns the suite uses.
        t_convert, pdf = _timed(df.select(columns).to_pandas)
        t_direct, _ = _timed(direct.validate, pdf)
        del pdf
        t_adapter, _ = _timed(engine.check, df, rules)
        times["convert"].append(t_convert)
        times["direct"].append(t_direct)
        times["adapter"].append(t_adapter)
    return {key: statistics.median(values) for key, values in times.items()}


def peak_rss_mb(config: str, rows: int) -> float:
    """Peak RSS (MB) of one configuration run alone in a fresh interpreter.

    The child reads its own VmHWM: ``ru_maxrss`` would start from this (large) parent's RSS,
    which Linux carries over fork and exec.
    """
    here = str(Path(__file__).parent)
    code = (
        f"import sys; sys.path.insert(0, {here!r});"
        f"from bench_great_expectations import run_alone; run_alone({config!r}, {rows});"
        "from _measure import vm_hwm_mib; print(vm_hwm_mib())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return float(out.stdout.split()[-1])


def run_alone(config: str, rows: int) -> None:
    """One configuration, once, for the RSS measurement (after the same imports)."""
    import great_expectations  # noqa: F401

    from truthound_dq_great_expectations import GreatExpectationsEngine

    df = make_frame(rows)
    if config == "adapter":
        GreatExpectationsEngine().check(df, RULES)
    elif config == "direct":
        DirectGX().validate(df.to_pandas())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--runs", type=int, default=0, help="default: 5 at 1M, 3 above")
    parser.add_argument("--no-timing", action="store_true", help="peak RSS only")
    parser.add_argument(
        "--without-regex",
        action="store_true",
        help="also time the four rules GX evaluates itself (the adapter computes regex in Polars)",
    )
    args = parser.parse_args()
    import great_expectations as gx
    import pandas as pd
    import polars as pl

    print(
        f"great_expectations {gx.__version__}, pandas {pd.__version__}, polars {pl.__version__},"
        f" python {sys.version.split()[0]}; medians; times in seconds"
    )
    header = (
        "| rows | rules | runs | to_pandas | direct GX | direct GX + to_pandas | adapter | ratio "
        "| peak RSS: data only | direct GX | adapter |"
    )
    print(header)
    print("|---" * 11 + "|")
    for rows in args.rows:
        runs = args.runs or (5 if rows <= 1_000_000 else 3)
        t = measure(rows, runs) if not args.no_timing else dict.fromkeys(_TIMES, float("nan"))
        baseline = t["direct"] + t["convert"]
        rss = {c: peak_rss_mb(c, rows) for c in ("data", "direct", "adapter")}
        print(
            f"| {rows:,} | 5 | {runs} | {t['convert']:.3f} | {t['direct']:.3f} | {baseline:.3f} "
            f"| {t['adapter']:.3f} | {t['adapter'] / baseline:.2f}x "
            f"| {rss['data']:.0f} MB | {rss['direct']:.0f} MB | {rss['adapter']:.0f} MB |",
            flush=True,
        )
        if args.without_regex and not args.no_timing:
            t = measure(rows, runs, regex=False)
            baseline = t["direct"] + t["convert"]
            print(
                f"| {rows:,} | 4, no regex | {runs} | {t['convert']:.3f} | {t['direct']:.3f} "
                f"| {baseline:.3f} | {t['adapter']:.3f} | {t['adapter'] / baseline:.2f}x "
                "| | | |",
                flush=True,
            )


if __name__ == "__main__":
    main()
