"""``PanderaEngine``: every rule checked by one ``pandera.polars`` schema, on the Polars data."""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from importlib.metadata import version
from typing import Any, ClassVar

import polars as pl

from truthound_dq import (
    ColumnExists,
    DType,
    EngineCapabilities,
    Frame,
    LearnOutput,
    NotNull,
    ProfileOutput,
    RowCount,
    Rule,
    RuleType,
)
from truthound_dq.sdk import (
    EngineBase,
    Evaluation,
    RuleCounts,
    dtype_matches,
    import_engine_library,
    json_scalar,
    missing_expr,
    polars_profile,
)
from truthound_dq_pandera._learn import learn_with_pandera
from truthound_dq_pandera._schema import NOT_NULLABLE, NOTES, SchemaPlan, build_schema

__all__ = ["PanderaEngine", "PROFILE_PRODUCER"]

PROFILE_PRODUCER = (
    "truthound_dq (shared Polars implementation; pandera has no profiler for Polars data)"
)


class PanderaEngine(EngineBase):
    """Checks rules with Pandera's Polars backend: one schema, ``lazy=True``, no pandas.

    Example:
        >>> import polars as pl
        >>> result = PanderaEngine().check(
        ...     pl.DataFrame({"id": [1, 2, 2]}), [{"column": "id", "type": "unique"}]
        ... )
        >>> result.rule_results[0].failed_count
        2
    """

    engine_name: ClassVar[str] = "pandera"
    capabilities: ClassVar[EngineCapabilities] = EngineCapabilities(
        native_rule_types=frozenset(
            {
                RuleType.NOT_NULL,
                RuleType.REGEX,
                RuleType.IN_RANGE,
                RuleType.IN_SET,
                RuleType.NOT_IN_SET,
                RuleType.STR_LENGTH,
            }
        ),
        native_profile=False,
        native_learn=True,
        lazy_input=True,
        notes={
            **NOTES,
            "profile": PROFILE_PRODUCER,
            "learn": "pandera.polars.infer_schema, mapped to rules (see truthound_dq_pandera)",
            "lazyframe": "validated at validation_depth=SCHEMA_AND_DATA (pandera's default for "
            "LazyFrames checks only the schema)",
        },
    )

    @property
    def engine_version(self) -> str:
        """The installed pandera version (read from metadata, without importing pandera)."""
        return _pandera_version()

    def _evaluate(
        self, frame: Frame, rules: Sequence[Rule], *, sample_size: int, options: Mapping[str, Any]
    ) -> Evaluation:
        schema = frame.collect_schema()
        plan = build_schema(rules, schema) if rules else SchemaPlan(schema=None)
        row_count, present = _row_and_present_counts(frame, rules, schema)
        failures = _validate(plan, frame) if plan.schema is not None else {}

        counts: list[RuleCounts] = []
        for index, rule in enumerate(rules):
            if isinstance(rule, ColumnExists | DType | RowCount):
                counts.append(RuleCounts(int(not _single_check_ok(rule, schema, row_count)), 1))
                continue
            assert rule.column is not None
            key = NOT_NULLABLE if isinstance(rule, NotNull) else f"{index}"
            cases = failures.get((rule.column, key))
            total = row_count if isinstance(rule, NotNull) else present[rule.column]
            if cases is None:
                counts.append(RuleCounts(0, total))
                continue
            column = cases.get_column(cases.columns[0])
            if index in plan.drop_nan:
                # Pandera fails NaN here; NaN is missing in docs/rules.md, so it is skipped.
                column = column.filter(column.is_not_nan())
            samples: tuple[Any, ...] = ()
            if not isinstance(rule, NotNull):
                samples = tuple(json_scalar(v) for v in column.head(sample_size).to_list())
            counts.append(RuleCounts(column.len(), total, samples))
        return Evaluation(row_count, counts)

    def _profile(self, frame: Frame, columns: Sequence[str] | None) -> ProfileOutput:
        return polars_profile(frame, columns, produced_by=PROFILE_PRODUCER)

    def _learn(self, frame: Frame, options: Mapping[str, Any]) -> LearnOutput:
        return learn_with_pandera(frame, pandera_version=self.engine_version)


@functools.cache
def _pandera_version() -> str:
    return version("pandera")


def _validate(plan: SchemaPlan, frame: Frame) -> dict[tuple[str, str], pl.DataFrame]:
    """Run the schema once; failure cases per (column, check key), in row order.

    Keys are the rule index (as text) for named checks and ``not_nullable`` for the
    nullable check. An error pandera raised inside a check is an engine fault, not a
    failed rule, so it is re-raised.
    """
    config = import_engine_library("pandera.config", "pandera")
    errors = import_engine_library("pandera.errors", "pandera")
    from truthound_dq_pandera._schema import CHECK_PREFIX

    # A context-local config (a ContextVar, so concurrent checks in other threads or tasks
    # are unaffected): LazyFrames get their data checked, not only their schema, and a
    # PANDERA_VALIDATION_ENABLED=False or SCHEMA_ONLY environment cannot skip the checks.
    with config.config_context(
        validation_enabled=True,
        validation_depth=config.ValidationDepth.SCHEMA_AND_DATA,
    ):
        try:
            plan.schema.validate(frame, lazy=True)
        except errors.SchemaErrors as exc:
            schema_errors = exc.schema_errors
        else:
            return {}

    failures: dict[tuple[str, str], pl.DataFrame] = {}
    for error in schema_errors:
        reason = getattr(error.reason_code, "name", str(error.reason_code))
        check = error.check
        name = check if isinstance(check, str) else getattr(check, "name", None)
        cases = error.failure_cases
        if reason == "CHECK_ERROR" or not isinstance(cases, pl.DataFrame):
            # With lazy=True pandera keeps only the message of the original exception.
            raise RuntimeError(f"pandera could not run {name}: {error}") from error
        if name == NOT_NULLABLE:
            failures[(str(error.schema.name), NOT_NULLABLE)] = cases
        elif isinstance(name, str) and name.startswith(CHECK_PREFIX):
            failures[(str(error.schema.name), name.removeprefix(CHECK_PREFIX))] = cases
        else:
            raise RuntimeError(f"unexpected pandera error ({reason}): {error}")
    return failures


def _row_and_present_counts(
    frame: Frame, rules: Sequence[Rule], schema: pl.Schema
) -> tuple[int, dict[str, int]]:
    """The row count and, per value-rule column, its non-missing rows, in one pass."""
    columns = {
        r.column
        for r in rules
        if r.column is not None and not isinstance(r, NotNull | ColumnExists | DType)
    }
    exprs = [pl.len().alias("\0rows")]
    exprs += [(~missing_expr(c, schema[c])).sum().alias(c) for c in columns]
    row = frame.lazy().select(exprs).collect().row(0, named=True)
    return int(row.pop("\0rows")), {name: int(value) for name, value in row.items()}


def _single_check_ok(rule: Rule, schema: pl.Schema, row_count: int) -> bool:
    if isinstance(rule, ColumnExists):
        return rule.column in schema
    if isinstance(rule, DType):
        assert rule.column is not None
        return rule.column in schema and dtype_matches(schema[rule.column], rule.dtype)
    assert isinstance(rule, RowCount)
    return (rule.min is None or row_count >= rule.min) and (
        rule.max is None or row_count <= rule.max
    )
