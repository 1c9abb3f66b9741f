"""``EngineBase``: the half of every adapter that must mean the same on every engine.

An adapter subclasses it and implements ``_evaluate`` (counts per rule), ``_profile`` and
``_learn``. Parsing rules, accepting data, sorting out rules that cannot apply (missing
columns, wrong dtypes), deciding pass/fail from counts and ``mostly``, messages, status,
``auto_schema`` baselines and wrapping engine faults all happen here, once.
"""

from __future__ import annotations

import abc
import dataclasses
import time
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import polars as pl

from truthound_dq._baseline import BaselineStore, FileBaselineStore
from truthound_dq._cancel import raise_if_cancelled
from truthound_dq._data import Frame, to_polars
from truthound_dq._dtypes import describe_dtype, dtype_family, is_nested, is_numeric, is_string_like
from truthound_dq._engine import EngineCapabilities, Evaluation, RuleCounts
from truthound_dq._errors import ColumnNotFoundError, EngineError, TruthoundDQError
from truthound_dq._messages import describe_result
from truthound_dq._polars import DEFAULT_SAMPLE_SIZE
from truthound_dq._results import (
    LearnOutput,
    Origin,
    ProfileOutput,
    QualityCheckOutput,
    RuleResult,
    _now,
)
from truthound_dq._rules import (
    VALUE_RULE_TYPES,
    ColumnExists,
    InRange,
    InSet,
    NotInSet,
    Rule,
    RuleType,
    parse_rules,
)

__all__ = ["EngineBase"]

_BASE_OPTIONS = frozenset({"dataset", "baseline_store", "sample_size"})


def _inapplicable(rule: Rule, schema: pl.Schema) -> str | None:
    """Why a rule cannot be evaluated on this schema, or None if it can."""
    if rule.column is None or isinstance(rule, ColumnExists):
        return None
    if rule.column not in schema:
        available = ", ".join(map(repr, schema.names())) or "(no columns)"
        return f"column {rule.column!r} not found; the data has: {available}"
    dtype = schema[rule.column]
    shown = f"column {rule.column!r} is {describe_dtype(dtype)}"
    if rule.type in VALUE_RULE_TYPES and is_nested(dtype):
        return f"{shown}; {rule.type.value} does not apply to nested values"
    if rule.type in (RuleType.REGEX, RuleType.STR_LENGTH) and not is_string_like(dtype):
        return f"{shown}; {rule.type.value} needs a string column"
    if isinstance(rule, InRange) and not is_numeric(dtype):
        return f"{shown}; in_range needs a numeric column"
    if isinstance(rule, InSet | NotInSet):
        kinds = {"str": "string", "bool": "boolean"}
        kind = kinds.get(type(rule.values[0]).__name__, "numeric")
        family = dtype_family(dtype)
        column_kind = {"integer": "numeric", "float": "numeric"}.get(str(family), str(family))
        if kind != column_kind:
            return f"{shown}; {rule.type.value} has {kind} values"
    return None


class EngineBase(abc.ABC):
    """Base class of engine adapters: implement ``_evaluate``, ``_profile`` and ``_learn``.

    Subclasses set ``engine_name`` and ``capabilities`` and may accept extra ``check``
    options by listing them in ``check_options``.
    """

    engine_name: ClassVar[str]
    capabilities: ClassVar[EngineCapabilities] = EngineCapabilities()
    check_options: ClassVar[frozenset[str]] = frozenset()

    def __init__(self, *, baseline_store: BaselineStore | None = None) -> None:
        self.baseline_store = baseline_store

    def __repr__(self) -> str:
        return f"{type(self).__name__}(engine_name={self.engine_name!r})"

    @property
    @abc.abstractmethod
    def engine_version(self) -> str:
        """Version of the engine library."""

    @abc.abstractmethod
    def _evaluate(
        self, frame: Frame, rules: Sequence[Rule], *, sample_size: int, options: Mapping[str, Any]
    ) -> Evaluation:
        """Counts for each rule, in order. Rules reaching here apply to the data's schema."""

    @abc.abstractmethod
    def _profile(self, frame: Frame, columns: Sequence[str] | None) -> ProfileOutput:
        """Profile; the base fills in engine, version and timing."""

    @abc.abstractmethod
    def _learn(self, frame: Frame, options: Mapping[str, Any]) -> LearnOutput:
        """Learn rules; the base fills in engine, version and timing."""

    # -- check -------------------------------------------------------------------------------

    def check(
        self,
        data: Any,
        rules: Sequence[Mapping[str, Any] | Rule] | None = None,
        *,
        auto_schema: bool = False,
        **options: Any,
    ) -> QualityCheckOutput:
        """Check rules against data. A failed rule is a result, never an exception.

        Args:
            data: A Polars DataFrame or LazyFrame, or a pandas DataFrame.
            rules: Rule dicts, e.g. ``[{"column": "id", "type": "not_null"}]``.
            auto_schema: Compare against (or, the first time, learn) the baseline of
                ``dataset``; see ``docs/rules.md``.
            **options: ``dataset`` (name for auto_schema baselines), ``baseline_store``,
                ``sample_size`` (failing values kept per rule, default 5), and
                engine-specific options listed in ``check_options``.

        Raises:
            RuleValidationError: The rules are invalid (nothing is evaluated).
            TypeError: ``data`` is not a supported frame, or an option is unknown.
            EngineError: The engine raised; the cause is chained.
        """
        started, timestamp = time.perf_counter(), _now()
        parsed = parse_rules(rules)
        frame = to_polars(data)
        unknown = set(options) - _BASE_OPTIONS - self.check_options
        if unknown:
            accepted = ", ".join(sorted(_BASE_OPTIONS | self.check_options))
            raise TypeError(
                f"{self.engine_name} check got unknown option(s) {', '.join(sorted(unknown))}; "
                f"accepted: auto_schema, {accepted}"
            )
        dataset: str | None = options.pop("dataset", None)
        store: BaselineStore | None = options.pop("baseline_store", None) or self.baseline_store
        sample_size = int(options.pop("sample_size", DEFAULT_SAMPLE_SIZE))
        schema = frame.collect_schema()

        origins = [Origin.USER] * len(parsed)
        extra: list[RuleResult] = []
        notes: list[str] = []
        if auto_schema:
            from truthound_dq._autoschema import compare_with_baseline

            outcome = compare_with_baseline(self, frame, schema, dataset, store, taken=parsed)
            parsed += outcome.rules
            origins += [Origin.BASELINE] * len(outcome.rules)
            extra, notes = list(outcome.results), list(outcome.notes)

        skipped = {i: why for i, rule in enumerate(parsed) if (why := _inapplicable(rule, schema))}
        runnable = [rule for i, rule in enumerate(parsed) if i not in skipped]
        evaluation = self._guarded(
            "check", self._evaluate, frame, runnable, sample_size=sample_size, options=options
        )
        self._validate_evaluation(evaluation, runnable)

        counts = iter(evaluation.counts)
        results: list[RuleResult] = []
        for i, rule in enumerate(parsed):
            if i in skipped:
                results.append(_not_evaluated(rule, skipped[i], origins[i]))
                continue
            result = _to_result(rule, next(counts), sample_size, origins[i])
            results.append(
                dataclasses.replace(
                    result, message=describe_result(rule, result, schema, evaluation.row_count)
                )
            )
        return QualityCheckOutput(
            rule_results=tuple(results + extra),
            row_count=evaluation.row_count,
            execution_time_ms=(time.perf_counter() - started) * 1000,
            engine=self.engine_name,
            engine_version=self.engine_version,
            timestamp=timestamp,
            dataset=dataset,
            notes=tuple(notes),
        )

    def _validate_evaluation(self, evaluation: Evaluation, rules: Sequence[Rule]) -> None:
        problems = []
        if len(evaluation.counts) != len(rules):
            problems.append(f"{len(evaluation.counts)} counts for {len(rules)} rules")
        for rule, counts in zip(rules, evaluation.counts, strict=False):
            if not 0 <= counts.failed_count <= counts.total_count:
                problems.append(
                    f"{rule.name}: failed {counts.failed_count} of {counts.total_count}"
                )
        if problems:
            raise EngineError(
                f"{self.engine_name} adapter returned inconsistent counts: {'; '.join(problems)}",
                engine=self.engine_name,
            )

    def _guarded(self, operation: str, func: Any, *args: Any, **kwargs: Any) -> Any:
        """Call into the engine; anything it raises becomes an EngineError with the cause."""
        raise_if_cancelled()  # a timed-out caller gave up: start no further engine work
        try:
            return func(*args, **kwargs)
        except TruthoundDQError:
            raise
        except Exception as exc:
            raise EngineError(
                f"{self.engine_name} raised during {operation}: {type(exc).__name__}: {exc}",
                engine=self.engine_name,
            ) from exc

    # -- profile and learn -----------------------------------------------------------------

    def profile(self, data: Any, *, columns: Sequence[str] | None = None) -> ProfileOutput:
        """Per-column statistics (missing and distinct counts, min, max, mean).

        Raises:
            ColumnNotFoundError: ``columns`` names a column the data lacks.
            EngineError: The engine raised.
        """
        started, timestamp = time.perf_counter(), _now()
        frame = to_polars(data)
        if columns is not None:
            if isinstance(columns, str):
                columns = [columns]
            names = frame.collect_schema().names()
            if missing := [c for c in columns if c not in names]:
                raise ColumnNotFoundError(missing, names)
        result: ProfileOutput = self._guarded("profile", self._profile, frame, columns)
        return dataclasses.replace(
            result,
            engine=self.engine_name,
            engine_version=self.engine_version,
            execution_time_ms=(time.perf_counter() - started) * 1000,
            timestamp=timestamp,
        )

    def learn(self, data: Any, **options: Any) -> LearnOutput:
        """Rules inferred from the data; the data passes them (see ``LearnOutput.to_rules``).

        Raises:
            EngineError: The engine raised.
        """
        started, timestamp = time.perf_counter(), _now()
        frame = to_polars(data)
        result: LearnOutput = self._guarded("learn", self._learn, frame, options)
        return dataclasses.replace(
            result,
            engine=self.engine_name,
            engine_version=self.engine_version,
            execution_time_ms=(time.perf_counter() - started) * 1000,
            timestamp=timestamp,
        )

    def default_baseline_store(self) -> BaselineStore:
        """The store ``auto_schema`` uses when none is given."""
        return self.baseline_store or FileBaselineStore()


def _passes(failed: int, total: int, mostly: float) -> bool:
    # Integer division gives the correctly rounded float, the same one a decimal ``mostly``
    # literal parses to, so 7 of 10 passes mostly=0.7 (multiplying would not).
    return total == 0 or (total - failed) / total >= mostly


def _to_result(rule: Rule, counts: RuleCounts, sample_size: int, origin: Origin) -> RuleResult:
    return RuleResult(
        rule_name=rule.name,
        rule_type=rule.type.value,
        column=rule.column,
        severity=rule.severity,
        passed=_passes(counts.failed_count, counts.total_count, rule.mostly),
        failed_count=counts.failed_count,
        total_count=counts.total_count,
        sample_values=tuple(counts.sample_values[:sample_size]) if counts.failed_count else (),
        mostly=rule.mostly,
        origin=origin,
    )


def _not_evaluated(rule: Rule, why: str, origin: Origin) -> RuleResult:
    return RuleResult(
        rule_name=rule.name,
        rule_type=rule.type.value,
        column=rule.column,
        severity=rule.severity,
        passed=False,
        failed_count=0,
        total_count=0,
        message=f"not evaluated: {why}",
        mostly=rule.mostly,
        evaluated=False,
        origin=origin,
    )
