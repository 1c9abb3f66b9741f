"""Lazy scans at scale: every engine against the best Polars streaming plan, one process each.

Parquet datasets of 10M, 50M and 100M rows x 16 columns (4 read by the rules, the others of
mixed dtypes; several files each) are generated once and cached under ``--data`` (default
``/work/bench-data``). Each configuration - an engine, or the hand-written plan (row rules in
one streaming pass, ``unique`` as a streaming ``group_by``), with the five benchmark rules or
without ``unique`` - runs in a fresh process that reports its check time and peak RSS
(``VmHWM``)::

    flock /tmp/bench.lock python bench/scale_lazy.py                # 10M, 50M, 100M; writes docs
    python bench/scale_lazy.py --quick                              # 10M only, prints

Every engine's counts must equal the plan's; a difference is reported, never hidden.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))

from _data import EMAIL_PATTERN, RULES, STATUSES

ENGINES = ("truthound", "great_expectations", "pandera")
SIZES = {"1M": 1_000_000, "10M": 10_000_000, "50M": 50_000_000, "100M": 100_000_000}
ROWS_PER_FILE = 10_000_000
DOCS = Path(__file__).parents[1] / "docs" / "benchmarks.md"
START, END = "<!-- scale-lazy:start -->", "<!-- scale-lazy:end -->"
RULE_SETS = {
    "five rules": RULES,
    "no unique": [r for r in RULES if r["type"] != "unique"],
}


def dataset(root: Path, rows: int) -> Path:
    """The cached folder of ``rows`` rows (written on first use, one file per 10M rows)."""
    import polars as pl

    folder = root / f"lazy-{rows}"
    done = folder / "_complete"
    if done.exists():
        return folder
    folder.mkdir(parents=True, exist_ok=True)
    files = max(1, -(-rows // ROWS_PER_FILE))
    for f in range(files):
        start, stop = f * ROWS_PER_FILE, min(rows, (f + 1) * ROWS_PER_FILE)
        i = pl.col("i")
        h = (i * 2654435761) % 1_000_003  # a cheap deterministic scramble
        (
            pl.LazyFrame()
            .select(pl.int_range(start, stop, dtype=pl.Int64).alias("i"))
            .select(
                pl.when(h % 2000 == 1)
                .then(None)
                .when(h % 1000 == 7)
                .then(i - 1)  # about 0.1% duplicates
                .otherwise(i)
                .alias("id"),
                pl.when(h % 1000 == 3)
                .then(None)
                .when(h % 100 == 11)
                .then(pl.format("user{}-at-example", i))
                .otherwise(pl.format("user{}@example.com", i))
                .alias("email"),
                pl.when(h % 1000 == 5)
                .then(None)
                .when(h % 200 == 13)
                .then(151 + h % 50)
                .otherwise(h % 100)
                .alias("age"),
                pl.when(h % 1000 == 9)
                .then(None)
                .when(h % 500 == 17)
                .then(pl.lit("unknown"))
                .otherwise(pl.lit(pl.Series(STATUSES)).get(h % 4))
                .alias("status"),
                (h * 0.5).alias("f_amount"),
                (h % 7).cast(pl.Int32).alias("i_small"),
                (h % 3 == 0).alias("b_flag"),
                pl.date(2024, 1, 1).dt.offset_by(pl.format("{}d", h % 365)).alias("d_day"),
                (pl.datetime(2024, 1, 1) + pl.duration(seconds=h)).alias("ts"),
                pl.format("sku-{}", h % 10_000).alias("s_sku"),
                pl.format("city-{}", h % 97).cast(pl.Categorical).alias("c_city"),
                (h % 1_000).cast(pl.Float32).alias("f_score"),
                (i * 3).alias("i_big"),
                pl.format("note {} of row {}", h % 13, i).alias("s_note"),
                (h % 5 == 1).alias("b_other"),
                (h % 10_007).cast(pl.UInt32).alias("u_code"),
            )
            .sink_parquet(folder / f"part-{f:03d}.parquet")
        )
    done.write_text("ok\n")
    return folder


def rule_columns_mib(folder: Path) -> float:
    """In-memory size of the 4 rule columns (Polars' estimate, scaled from 1M rows)."""
    import polars as pl

    scan = pl.scan_parquet(folder / "*.parquet").select("id", "email", "age", "status")
    rows = int(scan.select(pl.len()).collect().item())
    head = scan.head(1_000_000).collect()
    return head.estimated_size() * rows / head.height / 2**20


def _peak_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM (Linux only)")


def plan_counts(folder: Path, rules: list[dict[str, Any]]) -> list[tuple[int, int]]:
    """The hand-written plan: row rules in one streaming select, unique as a group_by."""
    import polars as pl

    scan = pl.scan_parquet(folder / "*.parquet")
    exprs: list[pl.Expr] = []
    extra: list[pl.LazyFrame] = []
    for k, rule in enumerate(rules):
        x = pl.col(rule["column"])
        kind = rule["type"]
        if kind == "not_null":
            exprs += [x.is_null().sum().alias(f"f{k}"), pl.len().alias(f"t{k}")]
            continue
        if kind == "unique":
            extra.append(
                scan.filter(x.is_not_null()).group_by(rule["column"]).len()
                .filter(pl.col("len") > 1).select(pl.col("len").sum().alias(f"f{k}"))
            )  # fmt: skip
        elif kind == "regex":
            exprs.append((~x.str.contains(EMAIL_PATTERN)).sum().alias(f"f{k}"))
        elif kind == "in_range":
            exprs.append(((x < rule["min"]) | (x > rule["max"])).sum().alias(f"f{k}"))
        elif kind == "in_set":
            exprs.append((~x.is_in(pl.Series(rule["values"]).implode())).sum().alias(f"f{k}"))
        exprs.append(x.is_not_null().sum().alias(f"t{k}"))
    # One streaming query per shape, one after the other (collect_all of the two measured
    # 65.9 s at 50M rows on a loaded machine: its shared subplan caches the scan).
    row: dict[str, Any] = {}
    for query in (scan.select(exprs), *extra):
        row |= query.collect(engine="streaming").row(0, named=True)
    return [(int(row.get(f"f{k}") or 0), int(row[f"t{k}"])) for k in range(len(rules))]


def child(config: str, folder: Path, rule_set: str) -> None:
    """One configuration in this (fresh) process; prints one JSON line."""
    import polars as pl

    rules = RULE_SETS[rule_set]
    if config == "plan":
        started = time.perf_counter()
        counts = plan_counts(folder, rules)
        seconds = time.perf_counter() - started
        by: list[str] = ["plan"] * len(rules)
    else:
        from truthound_dq import get_engine

        engine = get_engine(config)
        tiny = pl.DataFrame({"id": [1], "email": ["a@b.co"], "age": [1], "status": ["active"]})
        engine.check(tiny.lazy(), rules)  # imports and warms up the engine library
        started = time.perf_counter()
        result = engine.check(pl.scan_parquet(folder / "*.parquet"), rules)
        seconds = time.perf_counter() - started
        counts = [(r.failed_count, r.total_count) for r in result.rule_results]
        by = [r.evaluated_by for r in result.rule_results]
    print(json.dumps({"s": seconds, "peak": _peak_mib(), "counts": counts, "by": by}))


def run(config: str, folder: Path, rule_set: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", config, str(folder), rule_set],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr else "failed"}
    out: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return out


def table(results: list[dict[str, Any]], columns_mib: dict[str, float]) -> str:
    lines = [
        "| rows | rules | configuration | time (s) | peak RSS (MiB) | time / plan | RSS / plan |",
        "|---|---|---|---:|---:|---:|---:|",
    ]
    plans = {(r["size"], r["rules"]): r for r in results if r["config"] == "plan"}
    for r in results:
        plan = plans.get((r["size"], r["rules"]))
        if "error" in r:
            lines.append(f"| {r['size']} | {r['rules']} | {r['config']} | error: {r['error']} |||")
            continue
        ratio_t = ratio_m = "-"
        if plan is not None and "error" not in plan and r["config"] != "plan":
            ratio_t = f"{r['s'] / plan['s']:.2f}x"
            ratio_m = f"{r['peak'] / plan['peak']:.2f}x"
        mark = "" if r.get("same", True) else " (counts differ!)"
        lines.append(
            f"| {r['size']} | {r['rules']} | {r['config']}{mark} | {r['s']:.1f} | "
            f"{r['peak']:.0f} | {ratio_t} | {ratio_m} |"
        )
    lines.append("")
    lines.append(
        "Rule columns in memory (Polars' estimate): "
        + ", ".join(f"{size}: {mib / 1024:.1f} GiB" for size, mib in columns_mib.items())
        + "."
    )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="10M rows only; prints, writes nothing"
    )
    parser.add_argument("--data", type=Path, default=Path("/work/bench-data"), help="cache dir")
    parser.add_argument("--sizes", default=None, help="comma-separated, e.g. 10M,50M")
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        config, folder, rule_set = args.child
        child(config, Path(folder), rule_set)
        return
    default = ["10M", "50M", "100M"]
    sizes = ["10M"] if args.quick else (args.sizes.split(",") if args.sizes else default)
    configs = ["plan", *args.engines.split(",")]
    results: list[dict[str, Any]] = []
    columns_mib: dict[str, float] = {}
    for size in sizes:
        started = time.perf_counter()
        folder = dataset(args.data, SIZES[size])
        columns_mib[size] = rule_columns_mib(folder)
        print(f"{size}: {folder} ready in {time.perf_counter() - started:.0f} s, rule columns "
              f"{columns_mib[size] / 1024:.2f} GiB", flush=True)  # fmt: skip
        for rule_set in RULE_SETS:
            plan_counts_: Any = None
            for config in configs:
                got = run(config, folder, rule_set)
                got |= {"size": size, "rules": rule_set, "config": config}
                if config == "plan":
                    plan_counts_ = got.get("counts")
                elif "counts" in got:
                    got["same"] = got["counts"] == plan_counts_
                results.append(got)
                print(json.dumps(got), flush=True)
    text = table(results, columns_mib)
    print(text)
    if args.quick or args.no_write:
        return
    stamp = (
        f"Measured {dt.date.today().isoformat()} on {platform.node()} "
        f"({platform.processor() or platform.machine()}, "
        f"{_cpus()} cores, {_memory_gib():.0f} GiB RAM) by `bench/scale_lazy.py`.\n"
        "Each configuration ran in its own process on a `pl.scan_parquet` of the folder "
        "(16 columns, one file per 10M rows, 4 columns read by the rules). The time is the "
        "check's; the peak RSS (`VmHWM`) is the whole process's, imports included. The plan "
        "is hand-written Polars on the streaming engine: one `select` for the row rules, "
        "then `unique` as a `group_by`."
    )
    page = DOCS.read_text()
    body = f"{START}\n{stamp}\n\n{text}\n{END}"
    if START in page:
        head, rest = page.split(START, 1)
        page = head + body + rest.split(END, 1)[1]
    else:
        page = page.rstrip("\n") + "\n\n## Lazy scans at scale\n\n" + body + "\n"
    DOCS.write_text(page)
    print(f"wrote {DOCS}")


def _cpus() -> int:
    import os

    return os.cpu_count() or 0


def _memory_gib() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 2**20
    return 0.0


if __name__ == "__main__":
    main()
