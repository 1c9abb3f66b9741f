"""Great Expectations adapter vs GX called directly, side by side in one process.

For each size: the adapter's ``check`` on the Polars frame, against GX run directly with an
equivalent suite of five expectations on an already-converted pandas frame, plus the cost of
that conversion (Polars ``to_pandas()``, what a direct GX user has to do). Both GX runs use the
same result format (BASIC, 5 partial unexpected values) and a context built beforehand.
Peak RSS of each configuration is measured in its own subprocess.

Two more cases (``--cases wide many``) hold many rules: "wide" is 250 columns x 4 rules (1,000
rules) over 100k rows, "many" 2,500 columns x 4 rules (10,000 rules) over 1,000 rows. Each
prints the adapter against GX called directly with the same expectations (the suite built
beforehand, the frame converted with ``to_pandas()`` inside the timing, as a user would)
and against the shared Polars implementation, timed round-robin in one run.

    flock /tmp/bench.lock python bench/bench_great_expectations.py [--rows 1000000 10000000]
    flock /tmp/bench.lock python bench/bench_great_expectations.py --cases wide many
"""

from __future__ import annotations

import argparse
import math
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


# -- many rules: wide tables and long rule lists ------------------------------------------

WIDE_CASES = {"wide": (250, 100_000), "many": (2_500, 1_000)}
"""Case -> (columns, rows); four rules per column."""


def wide_frame(columns: int, rows: int, *, seed: int = 7) -> Any:
    """``columns`` integer columns ``c0000``... of values 0..99 with ~1% nulls (seeded)."""
    import numpy as np
    import polars as pl

    rng = np.random.default_rng(seed)
    values = rng.integers(0, 100, (columns, rows))
    nulls = rng.random((columns, rows)) < 0.01
    return pl.DataFrame(
        [
            pl.Series(f"c{i:04d}", values[i]).scatter(np.flatnonzero(nulls[i]), None)
            for i in range(columns)
        ]
    )


def wide_rules(columns: int) -> list[dict[str, Any]]:
    """Four rules per column, every one of a type GX evaluates itself."""
    rules: list[dict[str, Any]] = []
    for i in range(columns):
        name = f"c{i:04d}"
        rules += [
            {"column": name, "type": "not_null", "mostly": 0.95},
            {"column": name, "type": "unique"},
            {"column": name, "type": "in_range", "min": 0, "max": 95},
            {"column": name, "type": "in_set", "values": list(range(0, 100, 2))},
        ]
    return rules


class DirectGXRules:
    """The same rules written as GX expectations by hand, run as one suite (built once).

    With ``width``, one suite per group of ``width`` columns instead, each validated on a
    frame of only its columns: what the adapter does, to show its own overhead like for like.
    """

    def __init__(self, rules: list[dict[str, Any]], width: int | None = None) -> None:
        import great_expectations as gx
        import great_expectations.expectations as gxe
        from great_expectations.data_context.types.base import ProgressBarsConfig

        context = gx.get_context(mode="ephemeral")
        context.variables.progress_bars = ProgressBarsConfig(globally=False)
        asset = context.data_sources.add_pandas("direct").add_dataframe_asset("frame")
        self.batch_definition = asset.add_batch_definition_whole_dataframe("whole")
        kinds = {
            "not_null": lambda r: gxe.ExpectColumnValuesToNotBeNull(
                column=r["column"], mostly=r.get("mostly", 1.0)
            ),
            "unique": lambda r: gxe.ExpectColumnValuesToBeUnique(column=r["column"]),
            "in_range": lambda r: gxe.ExpectColumnValuesToBeBetween(
                column=r["column"], min_value=r["min"], max_value=r["max"]
            ),
            "in_set": lambda r: gxe.ExpectColumnValuesToBeInSet(
                column=r["column"], value_set=r["values"]
            ),
        }
        columns = list(dict.fromkeys(r["column"] for r in rules))
        width = width or len(columns)
        group_of = {c: i // width for i, c in enumerate(columns)}
        groups: list[list[int]] = [[] for _ in range(-(-len(columns) // width))]
        for i, rule in enumerate(rules):
            groups[group_of[rule["column"]]].append(i)
        self.groups: list[tuple[list[str], Any]] = []
        for g, members in enumerate(groups):
            expectations = [kinds[rules[i]["type"]](rules[i]) for i in members]
            for i, expectation in zip(members, expectations, strict=True):
                expectation.meta = {"i": i}
            suite = gx.ExpectationSuite(name=f"direct{g}", expectations=expectations)
            self.groups.append((list(dict.fromkeys(rules[i]["column"] for i in members)), suite))

    def validate(self, pdf: Any, suite: Any = None) -> Any:
        batch = self.batch_definition.get_batch(batch_parameters={"dataframe": pdf})
        return batch.validate(suite or self.groups[0][1], result_format=RESULT_FORMAT)

    def run(self, df: Any) -> list[Any]:
        """Convert the frame (a direct GX user has to) and validate, group by group."""
        if len(self.groups) == 1:
            return [self.validate(df.to_pandas(), self.groups[0][1])]
        return [self.validate(df.select(cols).to_pandas(), suite) for cols, suite in self.groups]

    @staticmethod
    def counts(validations: list[Any]) -> list[tuple[int, int]]:
        """(failed, total) per rule, in rule order, as the adapter computes them."""
        out: dict[int, tuple[int, int]] = {}
        for result in (r for validation in validations for r in validation.results):
            info = result.result
            element, unexpected = int(info["element_count"]), int(info["unexpected_count"])
            not_null = result.expectation_config.type == "expect_column_values_to_not_be_null"
            missing = 0 if not_null else info["missing_count"]
            out[int(result.expectation_config.meta["i"])] = (unexpected, element - int(missing))
        return [out[i] for i in range(len(out))]


def measure_wide(case: str, runs: int, *, grouped: bool = True) -> dict[str, tuple[float, int]]:
    """Adapter vs direct GX vs the shared Polars implementation on one many-rules case.

    Timed round-robin (no separate warm-up: GX's imports and contexts are set up first, and
    a run of the "many" case takes minutes); the counts of every timed run are checked.
    """
    from truthound_dq.testing import ReferenceEngine
    from truthound_dq_great_expectations import GreatExpectationsEngine

    columns, rows = WIDE_CASES[case]
    df = wide_frame(columns, rows)
    rules = wide_rules(columns)
    engine, shared = GreatExpectationsEngine(), ReferenceEngine()
    engine.check(df.head(10), rules[:8])  # imports GX, builds the adapter's context
    direct = DirectGXRules(rules)
    width = max(1, min(64, round(math.sqrt(engine.cells_per_validation / rows))))
    by_group = DirectGXRules(rules, width) if grouped else None
    want = counts_of(shared.check(df, rules))

    def adapter_counts() -> list[tuple[int, int]]:
        result = engine.check(df, rules)
        if any(r.evaluated_by != engine.engine_name for r in result.rule_results):
            raise AssertionError(f"{case}: some rules were not evaluated by GX")
        return counts_of(result)

    configs = {
        "direct": lambda: direct.counts(direct.run(df)),
        "adapter": adapter_counts,
        "shared": lambda: counts_of(shared.check(df, rules)),
    }
    if by_group is not None:
        configs["grouped"] = lambda: by_group.counts(by_group.run(df))
    times: dict[str, list[float]] = {name: [] for name in configs}
    for _ in range(runs):
        for name, run in configs.items():
            started = time.perf_counter()
            got = run()
            times[name].append(time.perf_counter() - started)
            assert_counts(f"{name} ({case})", got, want)
    return {name: (statistics.median(t), len(t)) for name, t in times.items()}


def main_wide(cases: list[str], runs: int, *, grouped: bool = True) -> None:
    """Print the many-rules table."""
    print(
        "| case | columns x rows | rules | runs | direct GX, one suite (to_pandas + validate) "
        "| direct GX, the adapter's column groups | adapter | shared Polars "
        "| adapter / direct | adapter / grouped direct | adapter / shared |"
    )
    print("|---" * 11 + "|")
    for case in cases:
        columns, rows = WIDE_CASES[case]
        t = measure_wide(case, runs or (3 if case == "wide" else 1), grouped=grouped)
        (direct, n), (adapter, _), (shared, _) = t["direct"], t["adapter"], t["shared"]
        by_group, vs_group = "-", "-"
        if "grouped" in t:
            by_group, vs_group = f"{t['grouped'][0]:.2f}", f"{adapter / t['grouped'][0]:.2f}x"
        print(
            f"| {case} | {columns:,} x {rows:,} | {4 * columns:,} | {n} | {direct:.2f} "
            f"| {by_group} | {adapter:.2f} | {shared:.3f} | {adapter / direct:.2f}x "
            f"| {vs_group} | {adapter / shared:.0f}x |",
            flush=True,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--cases",
        nargs="+",
        choices=["five", *WIDE_CASES],
        default=["five"],
        help="five: the five-rule table at --rows; wide, many: the many-rules cases",
    )
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--runs", type=int, default=0, help="default: 5 at 1M, 3 above")
    parser.add_argument("--no-timing", action="store_true", help="peak RSS only")
    parser.add_argument(
        "--no-grouped",
        action="store_true",
        help="wide, many: skip direct GX over the adapter's column groups (saves a run)",
    )
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
    if wide := [c for c in args.cases if c in WIDE_CASES]:
        main_wide(wide, args.runs, grouped=not args.no_grouped)
    if "five" not in args.cases:
        return
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
