"""Benchmark: the Truthound adapter vs Truthound called directly vs the Polars oracle.

Run (one benchmark at a time on a shared machine)::

    flock /tmp/bench.lock python bench/bench_truthound.py            # 1M and 10M rows
    flock /tmp/bench.lock python bench/bench_truthound.py --rows 1000000 --repeat 3
    flock /tmp/bench.lock python bench/bench_truthound.py --case wide --case many --repeat 3

``--case wide``: 250 columns x 4 rules (1,000 rules) over 100,000 rows; ``--case many``:
10,000 in_range rules over 100 columns and 1,000 rows (``bench/_data.py``, shared with
``bench/scale.py``). Both compare the adapter with ``th.check`` called directly with the same
checks (one validator per kind and parameters over all its columns, in one call) and with the
shared Polars implementation.

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

from _data import (
    EMAIL_PATTERN,
    RULES,
    STATUSES,
    make_frame,
    make_many,
    make_wide,
    many_rules,
    wide_rules,
)
from _measure import (
    assert_counts,
    counts_of,
    floor_counts,
    floor_counts_streaming,
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
    from truthound.validators.completeness.null import NotNullValidator
    from truthound.validators.distribution.range import BetweenValidator
    from truthound.validators.distribution.set import InSetValidator
    from truthound.validators.string.regex import RegexValidator
    from truthound.validators.uniqueness.duplicate import DuplicateValidator

    regex = RegexValidator(pattern=EMAIL_PATTERN, match_full=False, dotall=False, columns=["email"])
    regex.early_termination_min_rows = 2**62
    # NotNullValidator over every column: the not_null rule and every total (null counts).
    return [
        NotNullValidator(columns=["id", "email", "age", "status"]),
        DuplicateValidator(subset=["id"]),
        regex,
        BetweenValidator(min_value=0, max_value=150, inclusive=True, columns=["age"]),
        InSetValidator(allowed_values=list(STATUSES), columns=["status"]),
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
        "floor in-memory": lambda: floor_counts(df),
        "floor streaming": lambda: floor_counts_streaming(df),
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


# -- wide tables and many rules ---------------------------------------------------------------


def direct_validators_for(rules: list[dict[str, Any]]) -> list[Any]:
    """The same checks as Truthound validators, the way a Truthound user would write them:
    one validator per kind and parameters over all its columns (DuplicateValidator takes one
    column), plus NullValidator for the totals."""
    from truthound.validators.completeness.null import NotNullValidator, NullValidator
    from truthound.validators.distribution.range import BetweenValidator
    from truthound.validators.distribution.set import NotInSetValidator
    from truthound.validators.uniqueness.duplicate import DuplicateValidator

    groups: dict[tuple[Any, ...], list[str]] = {}
    for rule in rules:
        kind, column = rule["type"], rule["column"]
        params = {k: v for k, v in rule.items() if k not in ("type", "column", "name")}
        key = (kind, *((k, tuple(v) if isinstance(v, list) else v) for k, v in params.items()))
        if column not in groups.setdefault(key, []):
            groups[key].append(column)
    found: list[Any] = []
    for (kind, *params), columns in groups.items():
        p = dict(params)
        if kind == "not_null":
            found.append(NotNullValidator(columns=columns))
        elif kind == "in_range":
            found.append(BetweenValidator(min_value=p["min"], max_value=p["max"], columns=columns))
        elif kind == "not_in_set":
            found.append(NotInSetValidator(forbidden_values=list(p["values"]), columns=columns))
        elif kind == "unique":
            found += [DuplicateValidator(subset=[c]) for c in columns]
        else:  # pragma: no cover - the scale rules use these four
            raise ValueError(kind)
    found.append(NullValidator(columns=list(dict.fromkeys(r["column"] for r in rules))))
    for i, validator in enumerate(found):
        validator.name = f"{i}:{validator.name}"
    return found


def run_direct(df: pl.DataFrame, make: Callable[[], list[Any]]) -> Any:
    import truthound as th
    from truthound.context import TruthoundContext, TruthoundContextConfig

    config = TruthoundContextConfig(
        persist_runs=False, persist_docs=False, auto_create_baseline=False,
        auto_create_workspace=False,
    )  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        context = TruthoundContext(root_dir=Path(folder), config=config)
        return th.check(
            df, context=context, validators=make(), result_format="boolean_only",
            catch_exceptions=False,
        )  # fmt: skip


def time_case(name: str, df: pl.DataFrame, rules: list[dict[str, Any]], repeat: int) -> None:
    parsed = parse_rules(rules)
    engine = TruthoundEngine()
    result = engine.check(df, rules)
    oracle = reference_evaluate(df, parsed, sample_size=0)
    assert_counts(
        f"truthound adapter ({name})",
        counts_of(result),
        [(c.failed_count, c.total_count) for c in oracle.counts],
    )
    native = sum(r.evaluated_by == "truthound" for r in result.rule_results)
    print(f"\n{name}: {df.width} columns, {len(rules):,} rules, {df.height:,} rows")
    print(f"  counts agree with the oracle; {native:,} of {len(rules):,} rules native")
    configs = {
        "adapter": stopwatch(engine.check, df, rules),
        "truthound direct": stopwatch(run_direct, df, lambda: direct_validators_for(rules)),
        "shared Polars (5 samples)": stopwatch(reference_evaluate, df, parsed),
        "shared Polars (counts)": stopwatch(lambda: reference_evaluate(df, parsed, sample_size=0)),
    }
    medians = {n: m for n, (m, _) in interleaved_medians(configs, repeat).items()}
    adapter = medians["adapter"]
    for config, seconds in medians.items():
        print(f"  {config:26s} {seconds:8.3f} s   adapter / this = {adapter / seconds:5.2f}x")


CASES: dict[str, Callable[[], tuple[pl.DataFrame, list[dict[str, Any]]]]] = {
    "wide": lambda: (make_wide(100_000), wide_rules()),
    "many": lambda: (make_many(), many_rules(10_000)),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="*", default=None)
    parser.add_argument("--case", action="append", choices=sorted(CASES), default=[])
    parser.add_argument("--repeat", type=int, default=0, help="default: 5 at 1M, else 3")
    parser.add_argument("--no-rss", action="store_true", help="skip the peak RSS processes")
    parser.add_argument("--rss-child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.rss_child:
        rss_child(*args.rss_child)
        return
    for case in args.case:
        df, rules = CASES[case]()
        time_case(case, df, rules, args.repeat or 3)
    if args.case and args.rows is None:
        return
    args.rows = args.rows or [1_000_000, 10_000_000]
    for rows in args.rows:
        repeat = args.repeat or (5 if rows <= 1_000_000 else 3)
        print(f"\n{rows:,} rows, median of {repeat} (seconds; ratio to the adapter's time)")
        medians = time_rows(rows, repeat)
        adapter = medians["adapter"]
        for name, seconds in medians.items():
            print(f"  {name:22s} {seconds:8.3f} s   adapter / this = {adapter / seconds:5.2f}x")
        best = min(medians["floor in-memory"], medians["floor streaming"])
        print(f"  adapter / best Polars floor = {adapter / best:5.2f}x")
    if args.no_rss:
        return
    largest = max(args.rows)
    print(f"\npeak RSS at {largest:,} rows (MiB; one fresh process per configuration)")
    names = list(configurations(pl.DataFrame()).keys())
    for name, (loaded, peak) in peak_rss(largest, names).items():
        print(f"  {name:22s} peak {peak:8.0f}   after loading the data {loaded:8.0f}")


if __name__ == "__main__":
    main()
