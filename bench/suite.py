"""The benchmark suite: engines vs the Polars floor, adapter and Prefect overhead, cache key, RSS.

One command, one run, ratios measured side by side (round-robin) on one machine::

    python -m nox -s bench                    # 1M and 10M rows; regenerates docs/benchmarks.md
    python -m nox -s bench -- --quick         # 100k rows, 1 run; prints, writes no docs
    flock /tmp/bench.lock python bench/suite.py [--rows N ...] [--runs N] [--output PATH]

Every engine's counts must equal the floor's; if any differ the suite stops with an error
(non-zero exit) before any figure is written.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

# Before Prefect is imported: keep its console quiet (the API still gets every log line, as
# it would in a user's flow) so the tables stay readable.
os.environ.setdefault("PREFECT_LOGGING_HANDLERS_CONSOLE_LEVEL", "WARNING")
# The test server's telemetry write races its own start-up on SQLite ("database is locked").
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

sys.path.insert(0, str(Path(__file__).parent))

import bench_great_expectations
import bench_pandera
import bench_truthound
import polars as pl
from _data import RULES, make_frame
from _measure import (
    Counts,
    assert_counts,
    counts_of,
    floor_counts,
    floor_counts_streaming,
    interleaved_medians,
    oracle_counts,
    stopwatch,
    vm_hwm_mib,
)
from _report import Report

ROOT = Path(__file__).parent.parent
ENGINES: dict[str, Callable[[pl.DataFrame], Callable[[], Any]]] = {
    "truthound": bench_truthound.direct,
    "great_expectations": bench_great_expectations.direct,
    "pandera": bench_pandera.direct,
}
M = 1_000_000
SLOW_AT = 10 * M  # rows from which GX gets --slow-runs runs (direct GX takes ~30 s there)


# -- the Prefect task in a flow ---------------------------------------------------------------

_FRAME: dict[str, pl.DataFrame] = {}  # the flow reads the frame here: never a flow parameter


def _check_flow() -> Any:
    """A flow that times ``data_quality_check_task`` called inside it (built lazily)."""
    from prefect import flow

    from truthound_prefect import DataQualityBlock, data_quality_check_task

    @flow(name="bench-check", persist_result=False)
    def bench_check(engine: str, create_artifact: bool, auto_schema: bool) -> tuple[float, Counts]:
        block = DataQualityBlock(engine_name=engine)
        started = time.perf_counter()
        result = data_quality_check_task(
            _FRAME["data"],
            block=block,
            rules=RULES,
            auto_schema=auto_schema,
            fail_on_error=False,
            create_artifact=create_artifact,
            dataset="bench",
        )
        return time.perf_counter() - started, counts_of(result)

    return bench_check


def task_in_flow(
    df: pl.DataFrame, engine: str, *, create_artifact: bool = True, auto_schema: bool = False
) -> tuple[Callable[[], float], Callable[[], Counts]]:
    """(a configuration timing the task call inside a flow, a call giving the task's counts)."""
    check = _check_flow()

    def run() -> tuple[float, Counts]:
        _FRAME["data"] = df
        try:
            seconds, counts = check(engine, create_artifact, auto_schema)
        finally:
            _FRAME.clear()
        return seconds, counts

    return (lambda: run()[0]), (lambda: run()[1])


# -- the parts of the suite -------------------------------------------------------------------


def engines_vs_floor(rows: int, runs: int, slow_runs: int) -> dict[str, tuple[float, int]]:
    """Median seconds of the floor and, per engine, direct / adapter / task in a flow."""
    from truthound_dq import get_engine

    df = make_frame(rows)
    floor = floor_counts(df)
    assert_counts("truthound_dq.sdk.reference_evaluate", oracle_counts(df), floor)
    assert_counts("the streaming floor", floor_counts_streaming(df), floor)
    # The best floor is the faster of Polars' two engines, each timed like any configuration.
    configs: dict[str, Callable[[], float]] = {
        "floor in-memory": stopwatch(floor_counts, df),
        "floor streaming": stopwatch(floor_counts_streaming, df),
    }
    wanted = {"floor in-memory": runs, "floor streaming": runs}
    for name, direct in ENGINES.items():
        engine = get_engine(name)
        assert_counts(f"{name} adapter", counts_of(engine.check(df, RULES)), floor)
        task, task_counts = task_in_flow(df, name)
        assert_counts(f"{name} task", task_counts(), floor)
        if name == "great_expectations":  # GX reports its own counts: compare the failures
            got = [r.result["unexpected_count"] for r in direct(df)().results]
            assert_counts(
                "great_expectations direct", [(n, 0) for n in got], [(f, 0) for f, _ in floor]
            )
        configs |= {
            f"{name} direct": stopwatch(direct(df)),
            f"{name} adapter": stopwatch(engine.check, df, RULES),
            f"{name} task": task,
        }
        n = slow_runs if name == "great_expectations" and rows >= SLOW_AT else runs
        wanted |= dict.fromkeys((f"{name} direct", f"{name} adapter", f"{name} task"), n)
    print(f"  counts agree with the floor: {floor}", flush=True)
    medians = interleaved_medians(configs, wanted)
    medians["floor"] = min(medians["floor in-memory"], medians["floor streaming"])
    return medians


def task_overhead(rows: int, runs: int) -> dict[str, tuple[float, int]]:
    """The check task over the adapter call (Truthound, the default engine), split up."""
    from truthound_dq import get_engine

    df = make_frame(rows)
    engine = get_engine("truthound")
    off, _ = task_in_flow(df, "truthound", create_artifact=False)
    on, _ = task_in_flow(df, "truthound", create_artifact=True)
    schema, _ = task_in_flow(df, "truthound", create_artifact=True, auto_schema=True)
    configs = {
        "adapter": stopwatch(engine.check, df, RULES),
        "task, artifacts off": off,
        "task, artifacts on": on,
        "task, artifacts on, auto_schema on": schema,
    }
    return interleaved_medians(configs, runs)


def cache_key_cost(rows: int, runs: int) -> dict[str, tuple[float, int]]:
    """The profile task's cache key against Prefect's default input hashing of one frame."""
    from prefect.cache_policies import INPUTS

    from truthound_prefect._fingerprint import frame_fingerprint, profile_cache_key

    df = make_frame(rows)
    # What the profile task's cache_key_fn and Prefect's INPUTS policy are given: its inputs.
    inputs: dict[str, Any] = {
        "data": df,
        "block": None,
        "columns": None,
        "create_artifact": True,
        "artifact_key": None,
        "mask_columns": (),
    }
    if INPUTS.compute_key(None, inputs, {}) is None:  # type: ignore[arg-type]
        raise AssertionError("Prefect's INPUTS policy produced no key: nothing was hashed")
    configs = {
        "profile_cache_key": stopwatch(profile_cache_key, None, inputs),
        "frame_fingerprint": stopwatch(frame_fingerprint, df),
        "Prefect INPUTS.compute_key": stopwatch(INPUTS.compute_key, None, inputs, {}),
    }
    return interleaved_medians(configs, runs)


# -- peak RSS: one fresh process per configuration --------------------------------------------


def _rss_runner(config: str, df: pl.DataFrame) -> Callable[[], Any]:
    if config == "floor":
        return lambda: floor_counts(df)
    engine, kind = config.rsplit(" ", 1)
    if kind == "direct":
        return ENGINES[engine](df)
    from truthound_dq import get_engine

    return lambda: get_engine(engine).check(df, RULES)


def rss_configs() -> list[str]:
    return ["floor", *(f"{e} {k}" for e in ENGINES for k in ("direct", "adapter"))]


def _rss_child(config: str, path: str) -> None:
    df = pl.read_parquet(path)
    loaded = vm_hwm_mib()  # before the engine is imported: its import counts as its memory
    run = _rss_runner(config, df)
    run()
    print(f"{loaded} {vm_hwm_mib()}")


def peak_rss(rows: int) -> dict[str, tuple[float, float]]:
    """(peak after loading the data, peak after one run) in MiB, per configuration."""
    out: dict[str, tuple[float, float]] = {}
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "data.parquet")
        make_frame(rows).write_parquet(path)
        for config in rss_configs():
            text = subprocess.run(
                [sys.executable, __file__, "--rss-child", config, path],
                check=True,
                capture_output=True,
                text=True,
            ).stdout.split()
            loaded, peak = float(text[-2]), float(text[-1])
            out[config] = (loaded, peak)
            print(f"  {config:32s} peak {peak:7.0f} MiB (data loaded: {loaded:.0f})", flush=True)
    return out


# -- command line -----------------------------------------------------------------------------


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100k rows, 1 run; no docs written")
    parser.add_argument("--rows", type=int, nargs="+", help="sizes of the main tables")
    parser.add_argument("--runs", type=int, help="runs per configuration (default 5)")
    parser.add_argument("--slow-runs", type=int, help="GX runs at 10M rows and up (default 3)")
    parser.add_argument("--overhead-rows", type=int, nargs="+", help="default: 10k and 1M")
    parser.add_argument("--key-rows", type=int, help="cache-key frame size (default 10M)")
    parser.add_argument("--rss-rows", type=int, help="peak RSS frame size (default 10M)")
    parser.add_argument(
        "--output", type=Path, help="markdown file to write (the raw figures go beside it, .json)"
    )
    parser.add_argument(
        "--render", type=Path, help="re-render --output from a saved .json; measure nothing"
    )
    parser.add_argument("--rss-child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    quick = args.quick
    args.rows = args.rows or ([100_000] if quick else [M, 10 * M])
    args.runs = args.runs or (1 if quick else 5)
    args.slow_runs = args.slow_runs or (1 if quick else 3)
    args.overhead_rows = args.overhead_rows or ([10_000, 100_000] if quick else [10_000, M])
    args.key_rows = args.key_rows or (100_000 if quick else 10 * M)
    args.rss_rows = args.rss_rows or (100_000 if quick else 10 * M)
    if args.output is None and not quick:
        args.output = ROOT / "docs" / "benchmarks.md"
    return args


def main() -> None:
    args = _arguments()
    if args.rss_child:
        _rss_child(*args.rss_child)
        return
    if args.render:
        output = args.output or ROOT / "docs" / "benchmarks.md"
        output.write_text(Report.from_json(args.render.read_text()).markdown())
        print(f"wrote {output} from {args.render}")
        return
    from prefect.testing.utilities import prefect_test_harness

    report = Report(args)
    started = time.perf_counter()
    # A loaded 2-core machine can take longer than the default 30 s to start the server.
    with prefect_test_harness(server_startup_timeout=180):
        for rows in args.rows:
            print(f"\n{rows:,} rows: floor, engines direct / adapter / task in a flow", flush=True)
            report.add_main(rows, engines_vs_floor(rows, args.runs, args.slow_runs))
            print(report.main_table(rows), flush=True)
        for rows in args.overhead_rows:
            # Small frames are cheap: more runs there steady the sub-second differences.
            runs = args.runs if args.quick or rows > 100_000 else max(args.runs, 20)
            print(f"\n{rows:,} rows: the check task over the adapter", flush=True)
            report.add_overhead(rows, task_overhead(rows, runs))
        print(report.overhead_table(), flush=True)
    print(f"\n{args.key_rows:,} rows: cache key vs Prefect's default hashing", flush=True)
    report.add_cache_key(args.key_rows, cache_key_cost(args.key_rows, args.runs))
    print(report.cache_key_table(), flush=True)
    print(f"\n{args.rss_rows:,} rows: peak RSS, one process per configuration", flush=True)
    report.add_rss(args.rss_rows, peak_rss(args.rss_rows))
    report.elapsed = time.perf_counter() - started
    print("\n" + report.targets_text(), flush=True)
    if args.output:
        args.output.with_suffix(".json").write_text(report.to_json() + "\n")
        args.output.write_text(report.markdown())
        print(f"\nwrote {args.output} and its figures, {args.output.with_suffix('.json')}")


if __name__ == "__main__":
    main()
