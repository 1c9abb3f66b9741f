"""``auto_schema``: learn a baseline on a dataset's first check, compare later checks with it.

It never learns from and checks the same data in one run (that would pass by construction):
the first check of a dataset stores the baseline and says so in the result's notes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import polars as pl

from truthound_dq._baseline import Baseline, BaselineStore
from truthound_dq._data import Frame, is_spark_frame
from truthound_dq._definitions import rule_class
from truthound_dq._dtypes import describe_dtype
from truthound_dq._errors import RuleValidationError, TruthoundDQError
from truthound_dq._polars import SHARED_EVALUATOR
from truthound_dq._results import Origin, RuleResult
from truthound_dq._rules import Rule, Severity, parse_rules

if TYPE_CHECKING:
    from truthound_dq.sdk._base import EngineBase

__all__ = [
    "BaselineError",
    "BaselineUnavailableError",
    "AutoSchemaOutcome",
    "compare_with_baseline",
    "BASELINE_PREFIX",
]

BASELINE_PREFIX = "baseline:"


class BaselineError(TruthoundDQError):
    """A stored baseline cannot be used (its rules no longer parse)."""


class BaselineUnavailableError(BaselineError):
    """A baseline store could not be read (e.g. its server is down).

    A store raises it instead of returning None, so an unreachable baseline is reported as
    unknown and never mistaken for "no baseline yet" (which would learn and overwrite one).
    """


@dataclass(frozen=True, slots=True)
class AutoSchemaOutcome:
    """Rules to evaluate, ready-made drift results and notes for the check result."""

    rules: tuple[Rule, ...] = ()
    results: tuple[RuleResult, ...] = ()
    notes: tuple[str, ...] = ()


def _drift(dataset: str, baseline: Baseline, schema: pl.Schema) -> list[RuleResult]:
    def result(rule_type: str, column: str, severity: Severity, message: str) -> RuleResult:
        return RuleResult(
            rule_name=f"{BASELINE_PREFIX}{rule_type}({column})",
            rule_type=rule_type,
            column=column,
            severity=severity,
            passed=False,
            failed_count=1,
            total_count=1,
            message=message,
            origin=Origin.BASELINE,
            evaluated_by=SHARED_EVALUATOR,  # compared by truthound_dq, not by an engine
        )

    known = {c.name: c.dtype for c in baseline.columns}
    drift = []
    for name, dtype in known.items():
        if name not in schema:
            drift.append(
                result(
                    "column_exists",
                    name,
                    Severity.ERROR,
                    f"column {name!r} ({dtype}) of the baseline is gone",
                )
            )
        elif describe_dtype(schema[name]) != dtype:
            now = describe_dtype(schema[name])
            drift.append(
                result(
                    "dtype",
                    name,
                    Severity.ERROR,
                    f"column {name!r} changed dtype from {dtype} to {now}",
                )
            )
    for name, new_dtype in schema.items():
        if name not in known:
            drift.append(
                result(
                    "new_column",
                    name,
                    Severity.WARNING,
                    f"column {name!r} ({describe_dtype(new_dtype)}) is not in the baseline",
                )
            )
    if not drift:
        drift.append(
            RuleResult(
                rule_name=f"{BASELINE_PREFIX}schema",
                rule_type="schema",
                column=None,
                severity=Severity.ERROR,
                passed=True,
                failed_count=0,
                total_count=len(known),
                message=f"schema matches the baseline of {dataset!r} ({len(known)} columns)",
                origin=Origin.BASELINE,
                evaluated_by=SHARED_EVALUATOR,
            )
        )
    return drift


def _baseline_rules(
    baseline: Baseline, schema: pl.Schema, taken: Sequence[Rule]
) -> tuple[Rule, ...]:
    # Learned value rules are warnings: a new batch may legitimately widen a learned range.
    # Rules on columns that are gone are left out; the drift result already reports them.
    names = {rule.name for rule in taken}
    raw: list[dict[str, Any]] = []
    for rule in baseline.rules:
        if rule.get("column") is not None and rule["column"] not in schema:
            continue
        if rule.get("type") in ("dtype", "schema"):
            continue  # schema drift is reported by _drift, against the exact baseline dtypes
        definition = rule_class(str(rule.get("type")))
        custom = definition.default_name(rule) if definition is not None else None
        default = custom or (
            f"{rule['type']}({rule['column']})" if rule.get("column") else rule["type"]
        )
        name = f"{BASELINE_PREFIX}{default}"
        if name in names:
            continue
        raw.append({**rule, "name": name, "severity": "warning"})
    try:
        return parse_rules(raw)
    except RuleValidationError as exc:
        raise BaselineError(
            f"the stored baseline of {baseline.dataset!r} is unusable: {exc}"
        ) from exc


def compare_with_baseline(
    engine: EngineBase,
    frame: Frame,
    schema: pl.Schema,
    dataset: str | None,
    store: BaselineStore | None,
    *,
    taken: Sequence[Rule],
) -> AutoSchemaOutcome:
    """What ``auto_schema`` adds to one check of ``dataset``."""
    if not dataset:
        return AutoSchemaOutcome(
            notes=(
                "auto_schema: no dataset name was given, so there is no baseline to compare with; "
                "pass dataset='...' to learn one on the first check and compare later checks",
            )
        )
    store = store or engine.default_baseline_store()
    try:
        baseline = store.load(dataset)
    except BaselineUnavailableError as exc:
        return _unknown(dataset, exc)
    if baseline is None:
        if is_spark_frame(frame) or isinstance(frame, pl.LazyFrame):
            # A Spark DataFrame or a lazy scan: ``learn`` reads every value of every column
            # (to the driver, or into memory whole), so the baseline is the schema alone:
            # drift is still reported, no value rules are learned, and the check reads only
            # the columns its rules name.
            store.save(_schema_baseline(engine, dataset, schema))
            kind = "a Spark DataFrame" if is_spark_frame(frame) else "a LazyFrame"
            return AutoSchemaOutcome(
                notes=(
                    f"auto_schema: learned a schema baseline for {dataset!r} ({len(schema)} "
                    f"columns; the data is {kind}, so no value rules are learned: learn them "
                    "from a DataFrame with engine.learn); later "
                    f"checks of {dataset!r} are compared with it",
                )
            )
        learned = engine.learn(frame)
        store.save(Baseline.from_learn(dataset, learned))
        return AutoSchemaOutcome(
            notes=(
                f"auto_schema: learned a baseline for {dataset!r} ({len(learned.rules)} rules "
                f"over {len(learned.columns)} columns); later checks of {dataset!r} are "
                "compared with it",
            )
        )
    return AutoSchemaOutcome(
        rules=_baseline_rules(baseline, schema, taken),
        results=tuple(_drift(dataset, baseline, schema)),
        notes=(
            f"auto_schema: compared with the baseline of {dataset!r} learned "
            f"{baseline.created_at or 'earlier'} by {baseline.engine or 'an engine'}",
        ),
    )


def _schema_baseline(engine: EngineBase, dataset: str, schema: pl.Schema) -> Baseline:
    import datetime as dt

    from truthound_dq._results import ColumnSchema

    return Baseline(
        dataset=dataset,
        columns=tuple(ColumnSchema(name=n, dtype=describe_dtype(d)) for n, d in schema.items()),
        rules=(),
        engine=engine.engine_name,
        created_at=dt.datetime.now(dt.UTC).isoformat(),
    )


def _unknown(dataset: str, exc: BaselineUnavailableError) -> AutoSchemaOutcome:
    # A warning, not an error: the drift is unknown, not found; nothing is learned or stored.
    result = RuleResult(
        rule_name=f"{BASELINE_PREFIX}schema",
        rule_type="schema",
        column=None,
        severity=Severity.WARNING,
        passed=False,
        failed_count=0,
        total_count=0,
        message=f"not evaluated: the baseline of {dataset!r} could not be read ({exc})",
        evaluated=False,
        origin=Origin.BASELINE,
    )
    note = (
        f"auto_schema: the baseline of {dataset!r} could not be read, so schema drift is "
        "unknown this run; the stored baseline (if any) is left unchanged"
    )
    return AutoSchemaOutcome(results=(result,), notes=(note,))
