"""``PanderaEngine``: Pandera's own checks on the safe view the base builds; the rest borrowed.

The base (``truthound_dq.sdk.EngineBase``) projects and renames the columns, decides which
rules apply and which Pandera evaluates (``_translate.TRANSLATIONS``), computes totals and
evaluates every other rule with the shared Polars implementation, labelled. This module runs
the native ones:

- every value rule is a built-in ``pandera.Check`` called on the column (Pandera's Polars
  check backend computes the per-row result); the failed counts and first failing values of
  all of them are then read from those results in one Polars pass;
- ``not_null`` and ``unique`` are ``pandera.polars.Column(nullable=False, unique=True)``,
  validated per column; counts are read from the failure cases;
- ``column_exists`` is ``Column(required=True)`` in a ``DataFrameSchema`` validated against
  the data's schema.

Why checks are called rather than one ``DataFrameSchema.validate``: with ``lazy=True`` the
schema collects every check three to four times and builds the failure-case report of every
failing check twice (once per column, once for the schema), which is most of its time on a
wide table (250 columns x 4 rules: ~8 s against ~1 s for the same checks called directly).
The checks and their per-row results are Pandera's either way.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import polars as pl

from truthound_dq import EngineCapabilities, Frame, LearnOutput, ProfileOutput, Rule, Unique
from truthound_dq.sdk import (
    HISTORY_NOTES,
    DataView,
    EngineBase,
    NativeCounts,
    Translations,
    engine_library_version,
    import_engine_library,
    json_scalar,
    missing_expr,
    polars_profile,
    scope_expr,
)
from truthound_dq_pandera._learn import learn_with_pandera
from truthound_dq_pandera._spark import SPARK_NOTES, SPARK_TRANSLATIONS
from truthound_dq_pandera._translate import (
    KEY_UNIQUE,
    NOT_NULLABLE,
    NOTES,
    PRESENT,
    TRANSLATIONS,
    UNIQUE,
    Native,
)

__all__ = ["PanderaEngine", "PROFILE_PRODUCER"]

PROFILE_PRODUCER = (
    "truthound_dq (shared Polars implementation; pandera has no profiler for Polars data)"
)


class PanderaEngine(EngineBase):
    """Checks rules with Pandera's Polars backend, on the Polars data (never pandas).

    Example:
        >>> import polars as pl
        >>> result = PanderaEngine().check(
        ...     pl.DataFrame({"id": [1, 2, 2]}), [{"column": "id", "type": "unique"}]
        ... )
        >>> result.rule_results[0].failed_count, result.rule_results[0].evaluated_by
        (2, 'pandera')
    """

    engine_name: ClassVar[str] = "pandera"
    translations: ClassVar[Translations[Any]] = TRANSLATIONS
    spark_translations: ClassVar[Translations[Any]] = SPARK_TRANSLATIONS  # none: see _spark
    capabilities: ClassVar[EngineCapabilities] = EngineCapabilities(
        native_rule_types=TRANSLATIONS.rule_types,
        native_profile=False,
        native_learn=True,
        lazy_input=True,
        notes={
            **NOTES,
            **HISTORY_NOTES,
            "profile": PROFILE_PRODUCER,
            "learn": "pandera.polars.infer_schema, mapped to rules (see truthound_dq_pandera)",
            "lazyframe": (
                "the columns the rules read are fed to pandera in bounded batches (the "
                "counts merged; rules that do not merge across batches are the shared "
                "streaming implementation's); Column checks run at validation_depth="
                "SCHEMA_AND_DATA (pandera's default for LazyFrames checks only the schema)"
            ),
            **SPARK_NOTES,
        },
    )
    # Every Pandera check collects its input: on a LazyFrame each would re-run the query,
    # so a lazy input comes in bounded, collected batches (the base merges their counts).
    lazy_batches: ClassVar[bool | None] = True

    @property
    def engine_version(self) -> str:
        """The installed pandera version (read from metadata, without importing pandera)."""
        return engine_library_version("pandera", self.engine_name)

    def _evaluate_native(
        self,
        view: DataView,
        rules: Sequence[Rule],
        *,
        sample_size: int,
        options: Mapping[str, Any],
    ) -> Sequence[NativeCounts]:
        plans = [TRANSLATIONS.translate(rule, view) for rule in rules]
        data = view.collect()
        counts: dict[int, NativeCounts] = {}
        # A rule with ``where`` is validated on its in-scope rows only (the canonical scope,
        # null out): Pandera's failures there are the rule's, duplicates among them included.
        scopes: dict[str | None, list[int]] = {}
        for i, rule in enumerate(rules):
            scopes.setdefault(rule.where, []).append(i)
        for where, positions in scopes.items():
            scoped = data
            if where is not None:
                scope = scope_expr(rules[positions[0]])
                assert scope is not None
                scoped = data.filter(scope)
            counts.update(_run_plans(scoped, view, rules, plans, positions, sample_size))
        return [counts[i] for i in range(len(rules))]

    def _profile(self, frame: Frame, columns: Sequence[str] | None) -> ProfileOutput:
        return polars_profile(frame, columns, produced_by=PROFILE_PRODUCER)

    def _learn(self, frame: Frame, options: Mapping[str, Any]) -> LearnOutput:
        return learn_with_pandera(frame, pandera_version=self.engine_version)


def _run_plans(  # noqa: PLR0917 - private
    data: pl.DataFrame,
    view: DataView,
    rules: Sequence[Rule],
    plans: Sequence[Native],
    positions: Sequence[int],
    sample_size: int,
) -> dict[int, NativeCounts]:
    """The rules at ``positions`` (one ``where`` scope), evaluated on ``data``."""
    counts: dict[int, NativeCounts] = {}
    checks = [(i, rules[i], plans[i].check) for i in positions if plans[i].kind == "check"]
    if checks:
        inverted = {i for i in positions if plans[i].fails_where_passed}
        counts.update(_run_checks(data, view, checks, sample_size, inverted))
    by_column: dict[str, list[int]] = {}
    present: list[int] = []
    for i in positions:
        plan = plans[i]
        if plan.kind == KEY_UNIQUE:
            counts[i] = _run_key(data, view, rules[i])
        elif plan.kind in (NOT_NULLABLE, UNIQUE):
            column = rules[i].column
            assert column is not None
            by_column.setdefault(column, []).append(i)
        elif plan.kind == PRESENT:
            present.append(i)
    if by_column:
        counts.update(_run_columns(data, view, rules, by_column, sample_size))
    if present:
        counts.update(_run_presence(view, rules, present))
    return counts


def _run_checks(
    data: pl.DataFrame,
    view: DataView,
    checks: Sequence[tuple[int, Rule, Any]],
    sample_size: int,
    inverted: frozenset[int] | set[int] = frozenset(),
) -> dict[int, NativeCounts]:
    """Call each pandera Check on its column; read failed counts and samples in one pass.

    A value rule skips missing values: pandera's checks pass nulls (``ignore_na``) but fail
    NaN in float columns (NaN sorts above every number), so NaN rows are not counted.
    """
    constants = import_engine_library("pandera.constants", "pandera")
    # Each check gets its own column alone: on the whole view every query would carry every
    # column's schema, and the cost of a wide table would grow with columns x rules.
    alone: dict[str, pl.LazyFrame] = {}
    results = []
    for _, rule, check in checks:
        assert rule.column is not None
        if rule.column not in alone:
            alone[rule.column] = data.select(rule.column).lazy()
        results.append(check(alone[rule.column], rule.column))
    outputs = pl.collect_all([r.check_output for r in results])
    key = constants.CHECK_OUTPUT_KEY
    passed = [o.get_column(key).alias(f"o{j}") for j, o in enumerate(outputs)]
    exprs: list[pl.Expr] = []
    for j, (i, rule, _) in enumerate(checks):
        assert rule.column is not None
        # ``inverted``: rules that fail where their check passes (not_regex).
        outcome = pl.col(f"o{j}") if i in inverted else ~pl.col(f"o{j}")
        failed = outcome & ~missing_expr(rule.column, view.dtype(rule.column))
        exprs.append(failed.sum().alias(f"f{j}"))
        if sample_size > 0:
            exprs.append(
                pl.col(rule.column).filter(failed).head(sample_size).implode().alias(f"s{j}")
            )
    row = data.hstack(passed).select(exprs).row(0, named=True)
    counts: dict[int, NativeCounts] = {}
    for j, (i, _, _) in enumerate(checks):
        samples = tuple(json_scalar(v) for v in row.get(f"s{j}") or ())
        counts[i] = NativeCounts(int(row[f"f{j}"]), None, samples)
    return counts


def _run_columns(
    data: pl.DataFrame,
    view: DataView,
    rules: Sequence[Rule],
    by_column: Mapping[str, Sequence[int]],
    sample_size: int,
) -> dict[int, NativeCounts]:
    """``Column(nullable=False)`` and ``Column(unique=True)`` per column, from failure cases.

    Each property is validated on its own with ``lazy=False``: the one ``SchemaError`` it can
    raise carries the failure cases, and pandera skips building the report of a
    ``SchemaErrors`` (a concatenation of every failure case), which is most of its time.
    """
    pa = import_engine_library("pandera.polars", "pandera")
    config = import_engine_library("pandera.config", "pandera")
    errors = import_engine_library("pandera.errors", "pandera")
    counts: dict[int, NativeCounts] = {}
    # A context-local config (a ContextVar: concurrent checks are unaffected): the data is
    # checked, not only its schema, whatever PANDERA_VALIDATION_* or the global config say.
    with config.config_context(
        validation_enabled=True, validation_depth=config.ValidationDepth.SCHEMA_AND_DATA
    ):
        for column, positions in by_column.items():
            lazy = data.select(column).lazy()
            kinds = {TRANSLATIONS.translate(rules[i], view).kind for i in positions}
            found: dict[str, NativeCounts] = {}
            for kind in sorted(kinds):
                schema = pa.Column(
                    dtype=None,  # the dtype rule is the base's, and nothing may be coerced
                    nullable=kind != NOT_NULLABLE,
                    unique=kind == UNIQUE,
                    required=True,
                    name=column,
                )
                try:
                    schema.validate(lazy, lazy=False)
                except errors.SchemaError as exc:
                    cases = exc.failure_cases
                    if exc.check != kind or not isinstance(cases, pl.DataFrame):
                        raise RuntimeError(
                            f"unexpected pandera error ({exc.reason_code}): {exc}"
                        ) from exc
                    found[kind] = _column_counts(kind, cases, column, view, sample_size)
                else:
                    found[kind] = NativeCounts(0, None, ())
            for i in positions:
                counts[i] = found[TRANSLATIONS.translate(rules[i], view).kind]
    return counts


def _run_key(data: pl.DataFrame, view: DataView, rule: Rule) -> NativeCounts:
    """``DataFrameSchema(unique=columns)`` on the key columns: failed from its failure cases.

    Pandera marks every row of a repeated combination (missing values compare equal); the
    rows with any key column missing are skipped by the rule, so they are dropped here.
    Samples (the key's values) are left to the base.
    """
    assert isinstance(rule, Unique)
    assert rule.columns is not None
    pa = import_engine_library("pandera.polars", "pandera")
    config = import_engine_library("pandera.config", "pandera")
    errors = import_engine_library("pandera.errors", "pandera")
    columns = list(rule.columns)
    schema = pa.DataFrameSchema(unique=columns)
    with config.config_context(
        validation_enabled=True, validation_depth=config.ValidationDepth.SCHEMA_AND_DATA
    ):
        try:
            schema.validate(data.select(columns).lazy(), lazy=False)
        except errors.SchemaError as exc:
            cases = exc.failure_cases
            if exc.check != KEY_UNIQUE or not isinstance(cases, pl.DataFrame):
                raise RuntimeError(f"unexpected pandera error ({exc.reason_code}): {exc}") from exc
            present = pl.all_horizontal([~missing_expr(c, view.dtype(c)) for c in columns])
            return NativeCounts(cases.filter(present).height, None, None)
    return NativeCounts(0, None, ())


def _column_counts(
    kind: str, cases: pl.DataFrame, column: str, view: DataView, sample_size: int
) -> NativeCounts:
    if kind == NOT_NULLABLE:
        return NativeCounts(cases.height, None, ())
    # Duplicated rows in row order, missing ones included: those are skipped by the rule.
    frame = cases.select(pl.col(cases.columns[0]).alias(column))
    present = frame.filter(~missing_expr(column, view.dtype(column))).get_column(column)
    return NativeCounts(
        present.len(), None, tuple(json_scalar(v) for v in present.head(sample_size).to_list())
    )


def _run_presence(
    view: DataView, rules: Sequence[Rule], positions: Sequence[int]
) -> dict[int, NativeCounts]:
    """``Column(required=True)`` for each column_exists rule, against the data's schema."""
    pa = import_engine_library("pandera.polars", "pandera")
    errors = import_engine_library("pandera.errors", "pandera")
    names = {rules[i].column for i in positions}
    schema = pa.DataFrameSchema(
        {name: pa.Column(dtype=None, nullable=True, required=True) for name in names}
    )
    absent: set[str] = set()
    try:
        # The schema alone: presence needs no data.
        schema.validate(pl.LazyFrame(schema=view.schema), lazy=True)
    except errors.SchemaErrors as exc:
        for error in exc.schema_errors:
            if error.check != PRESENT:
                unexpected = f"unexpected pandera error ({error.reason_code}): {error}"
                raise RuntimeError(unexpected) from exc
            absent.add(str(error.failure_cases))
    return {i: NativeCounts(int(rules[i].column in absent), 1, ()) for i in positions}
