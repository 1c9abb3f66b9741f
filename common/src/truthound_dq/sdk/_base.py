"""``EngineBase``: the half of every adapter that must mean the same on every engine.

The base owns the data and the verdict. It parses the rules, builds the safe view (only the
columns the rules read, under synthetic names, dtypes normalized once), decides once which
rules apply and which of those the adapter evaluates natively, hands the adapter only those,
evaluates every other rule with the shared Polars implementation in one fused pass, fills in
totals and samples the adapter did not give, and turns counts into results labelled with who
evaluated them. An adapter implements ``_evaluate_native``, ``_profile`` and ``_learn``.
"""

from __future__ import annotations

import abc
import contextvars
import dataclasses
import datetime as dt
import os
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

import polars as pl

from truthound_dq._baseline import BaselineStore, FileBaselineStore
from truthound_dq._cancel import collect_frame, spark_jobs_interruptible
from truthound_dq._data import Frame, is_spark_frame, to_polars
from truthound_dq._engine import EngineCapabilities, Evaluation, RuleCounts
from truthound_dq._errors import ColumnNotFoundError, EngineError
from truthound_dq._parse import parse_rules
from truthound_dq._polars import DEFAULT_SAMPLE_SIZE, SHARED_EVALUATOR, counts_every_row
from truthound_dq._results import (
    LearnedRule,
    LearnOutput,
    Origin,
    ProfileOutput,
    QualityCheckOutput,
    RuleResult,
    _now,
)
from truthound_dq._rule import CheckContext, Rule
from truthound_dq._split import DEFAULT_REASONS_COLUMN, SplitOutput
from truthound_dq.sdk._batches import (
    DEFAULT_BATCH_BYTES,
    DEFAULT_BATCH_ROWS,
    batch_size,
    iter_batches,
    merge_answers,
    merge_counts,
)
from truthound_dq.sdk._faults import guard_engine_call
from truthound_dq.sdk._history import HISTORY_OPTIONS, judge_history, read_history, record_check
from truthound_dq.sdk._outcome import (
    NativeCounts,
    as_native,
    inapplicable,
    not_evaluated,
    to_result,
)
from truthound_dq.sdk._shared import (
    SharedAnswer,
    SharedRequest,
    is_single_check,
    observes,
    shared_pass,
    table_failed,
)
from truthound_dq.sdk._spark_path import spark_counts, spark_refusals, spark_source_schema
from truthound_dq.sdk._translations import Translations
from truthound_dq.sdk._view import DataView, build_view, safe_names

if TYPE_CHECKING:
    from truthound_dq.spark._view import SparkView

__all__ = ["EngineBase"]

_BASE_OPTIONS = (
    frozenset({"dataset", "baseline_store", "sample_size", "now", "batch_rows", "batch_bytes"})
    | HISTORY_OPTIONS
)
R = TypeVar("R")


class EngineBase(abc.ABC):
    """Base class of engine adapters.

    Subclasses set ``engine_name``, ``capabilities`` and ``translations`` (the rules they
    evaluate natively), implement ``engine_version``, ``_evaluate_native``, ``_profile`` and
    ``_learn``, and may accept extra ``check`` options by listing them in ``check_options``.
    See ``docs/engines.md`` ("Writing an adapter").
    """

    engine_name: ClassVar[str]
    capabilities: ClassVar[EngineCapabilities] = EngineCapabilities()
    check_options: ClassVar[frozenset[str]] = frozenset()
    translations: ClassVar[Translations[Any]] = Translations("none")
    spark_translations: ClassVar[Translations[Any]] = Translations("none")
    """The rules this adapter evaluates natively on a Spark DataFrame (the rest: canonically)."""
    native_totals: ClassVar[bool] = False
    """True if ``_evaluate_native`` gives every total itself (the base then skips them)."""
    collect_view: ClassVar[bool | None] = None
    """Collect a lazy view once before the engine runs (shared with the base's pass).

    None means ``not capabilities.lazy_input``. Set True for an engine that collects anyway.
    Ignored when ``lazy_batches`` applies.
    """
    lazy_batches: ClassVar[bool | None] = None
    """Feed ``_evaluate_native`` a LazyFrame's view in bounded DataFrame batches.

    None means ``not capabilities.lazy_input`` (an engine that takes a LazyFrame gets it
    whole). Rules whose answers do not merge across batches (``Rule.batch_problem``) are then
    evaluated by the shared streaming pass. See ``docs/lazy.md``.
    """

    def __init__(self, *, baseline_store: BaselineStore | None = None) -> None:
        self.baseline_store = baseline_store

    def __repr__(self) -> str:
        return f"{type(self).__name__}(engine_name={self.engine_name!r})"

    @property
    @abc.abstractmethod
    def engine_version(self) -> str:
        """Version of the engine library."""

    def is_native(self, rule: Rule, view: DataView) -> bool:
        """Whether this adapter evaluates ``rule`` (safe column name) natively on ``view``.

        The default asks ``translations`` (a registered translation whose predicate, if any,
        accepts the rule). Override for decisions that need more than one rule at a time.
        """
        return self.translations.supports(rule, view)

    def _evaluate_native(
        self,
        view: DataView,
        rules: Sequence[Rule],
        *,
        sample_size: int,
        options: Mapping[str, Any],
    ) -> Sequence[NativeCounts]:
        """Counts for each rule, in order, evaluated by the engine on ``view``.

        ``rules`` are the applicable rules :meth:`is_native` accepted, their ``column``
        rewritten to safe names of ``view.frame``. Called only when there is at least one.
        """
        raise NotImplementedError(
            f"{type(self).__name__} declares native rules but does not implement _evaluate_native"
        )

    def is_native_spark(self, rule: Rule, view: DataView) -> bool:
        """Whether this adapter evaluates ``rule`` natively on a Spark ``view`` (a SparkView).

        The default asks ``spark_translations``; with none, every rule on Spark is evaluated
        by the canonical Spark implementation (labelled ``SHARED_EVALUATOR``).
        """
        return self.spark_translations.supports(rule, view)

    def _evaluate_native_spark(
        self,
        view: SparkView,
        rules: Sequence[Rule],
        *,
        sample_size: int,
        options: Mapping[str, Any],
    ) -> Sequence[NativeCounts]:
        """Counts for each rule, in order, evaluated by the engine on the Spark ``view``.

        ``view.frame`` is the Spark DataFrame of the columns the rules read, under safe names;
        ``rules`` are the ones :meth:`is_native_spark` accepted. Called only when there is one.
        """
        raise NotImplementedError(
            f"{type(self).__name__} declares native Spark rules but does not implement "
            "_evaluate_native_spark"
        )

    def _evaluate(
        self, frame: Frame, rules: Sequence[Rule], *, sample_size: int, options: Mapping[str, Any]
    ) -> Evaluation:
        """Deprecated adapter hook of truthound-dq 0.x (original names, every rule).

        Adapters that still override it keep working for one release: they get the data
        and the rules as given, and results say ``evaluated_by`` from ``capabilities``.
        """
        raise NotImplementedError  # pragma: no cover - only called when overridden

    def _uses_legacy_evaluate(self) -> bool:
        return type(self)._evaluate is not EngineBase._evaluate

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
        rules: Sequence[Mapping[str, Any] | Rule] | os.PathLike[str] | None = None,
        *,
        auto_schema: bool = False,
        **options: Any,
    ) -> QualityCheckOutput:
        """Check rules against data. A failed rule is a result, never an exception.

        Args:
            data: A Polars DataFrame or LazyFrame, a pandas DataFrame, or a PySpark DataFrame
                (evaluated on the cluster; see ``docs/spark.md``).
            rules: Rule dicts, e.g. ``[{"column": "id", "type": "not_null"}]``, or a
                ``pathlib.Path`` to a rule file (read by ``truthound_dq.load_rules``).
            auto_schema: Compare against (or, the first time, learn) the baseline of
                ``dataset``; see ``docs/rules.md``.
            **options: ``dataset`` (name for auto_schema baselines), ``baseline_store``,
                ``sample_size`` (failing values kept per rule, default 5), ``now`` (the
                check's time, a ``datetime``; naive means UTC; default the current time;
                freshness is judged against it), ``batch_rows`` and ``batch_bytes`` (the
                bounds of the batches a LazyFrame is fed to an engine in; defaults 1,000,000
                rows and 128 MiB; see ``docs/lazy.md``), ``metrics_store`` (a
                ``truthound_dq.MetricsStore``: with ``dataset``, the check appends its
                metrics record there and anomaly rules read the history; see
                ``docs/history.md``), and engine-specific options listed in
                ``check_options``.

        Raises:
            RuleValidationError: The rules are invalid (nothing is evaluated).
            TypeError: ``data`` is not a supported frame, or an option is unknown.
            EngineError: The engine raised; the cause is chained.
            SparkUnsupportedError: A rule Spark cannot mean the same way (before any job).
        """
        return self._check(data, rules, auto_schema, options)[0]

    def _check(
        self,
        data: Any,
        rules: Sequence[Mapping[str, Any] | Rule] | os.PathLike[str] | None,
        auto_schema: bool,
        options: dict[str, Any],
    ) -> tuple[QualityCheckOutput, Sequence[Rule]]:
        """``check``'s work; also returns the rules of the first results, in their order.

        ``rules[i]`` gave ``result.rule_results[i]`` (the user's, then the baseline's);
        results after them (baseline drift) have no rule. ``split`` reads both.
        """
        started, timestamp = time.perf_counter(), _now()
        if isinstance(rules, os.PathLike):
            from truthound_dq._files import load_rules

            rules = load_rules(rules)
        parsed = parse_rules(rules)
        spark = is_spark_frame(data)
        frame: Any = data if spark else to_polars(data)
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
        now = check_time(options.pop("now", None), timestamp)
        metrics_store = options.pop("metrics_store", None)
        batching = _batch_options(options)
        schema = spark_source_schema(frame) if spark else frame.collect_schema()

        origins = [Origin.USER] * len(parsed)
        extra: list[RuleResult] = []
        notes: list[str] = []
        if auto_schema:
            from truthound_dq._autoschema import compare_with_baseline

            outcome = compare_with_baseline(self, frame, schema, dataset, store, taken=parsed)
            parsed += outcome.rules
            origins += [Origin.BASELINE] * len(outcome.rules)
            extra, notes = list(outcome.results), list(outcome.notes)

        if spark:  # (what Spark cannot mean is refused whether or not it applies here)
            spark_refusals(self.engine_name, parsed)
        history = read_history(parsed, dataset, metrics_store)  # (only if a rule judges it)
        skipped = {i: why for i, rule in enumerate(parsed) if (why := inapplicable(rule, schema))}
        runnable = [rule for i, rule in enumerate(parsed) if i not in skipped]
        if spark:
            with spark_jobs_interruptible(frame):
                row_count, counts, by = spark_counts(
                    self, frame, schema, runnable, sample_size, options, now
                )
        elif self._uses_legacy_evaluate():
            row_count, counts, by = self._legacy_counts(frame, runnable, sample_size, options, now)
        else:
            row_count, counts, by = self._counts(
                frame, schema, runnable, sample_size, options, now, batching=batching, notes=notes
            )

        context = CheckContext(row_count=row_count, now=now, schema=schema)
        it = iter(zip(counts, by, strict=True))
        results: list[RuleResult] = []
        for i, rule in enumerate(parsed):
            if i in skipped:
                results.append(not_evaluated(rule, skipped[i], origins[i]))
                continue
            rule_counts, evaluated_by = next(it)
            results.append(
                to_result(rule, rule_counts, sample_size, origins[i], evaluated_by, context)
            )
        results = judge_history(parsed, results, history, context, sample_size, metrics_store)
        result = QualityCheckOutput(
            rule_results=tuple(results + extra),
            row_count=row_count,
            execution_time_ms=(time.perf_counter() - started) * 1000,
            engine=self.engine_name,
            engine_version=self.engine_version,
            timestamp=now,
            dataset=dataset,
            notes=tuple(notes),
        )
        return record_check(metrics_store, result, parsed), parsed

    def split(
        self,
        data: Any,
        rules: Sequence[Mapping[str, Any] | Rule] | os.PathLike[str] | None = None,
        *,
        auto_schema: bool = False,
        reasons_column: str = DEFAULT_REASONS_COLUMN,
        row_index: str | None = None,
        **options: Any,
    ) -> SplitOutput:
        """Check rules, then split the data into valid and quarantined rows with the reasons.

        ``result`` is what :meth:`check` returns for the same data and rules. A row is
        invalid when it fails an error-severity row-level rule (whatever the rule's
        ``mostly`` or ``max_failures``: they decide the verdict, not which rows fail; only
        rows in its ``where`` scope can fail it); every row names the rules
        it failed in ``reasons_column``. Table-level rules and rules not evaluated decide
        the status but name no row. See ``docs/split.md``.

        Args:
            data: A Polars DataFrame or LazyFrame, or a pandas DataFrame. A LazyFrame is
                collected once and that frame is checked and split (one read of the
                source). The output is Polars either way.
            rules: Rule dicts, as for :meth:`check`.
            auto_schema: As for :meth:`check`; the baseline's row-level rules split too.
            reasons_column: Name of the ``List(String)`` column of failed rule names.
            row_index: Name of a 0-based row position column to add first (None: none).
            **options: The options of :meth:`check`.

        Raises:
            ColumnClashError: ``reasons_column`` or ``row_index`` is already a column.
            RuleValidationError: The rules are invalid (nothing is evaluated).
            TypeError: ``data`` is not a supported frame, or an option is unknown.
            EngineError: The engine raised, or its counts disagree with the canonical
                failure masks (the rows could not be split consistently with the result).
        """
        from truthound_dq.sdk._split import split_checked, split_input

        if is_spark_frame(data):
            raise TypeError(
                "split does not take a Spark DataFrame (it returns the rows to the driver); "
                "split a bounded part: pl.from_pandas(df.limit(100_000).toPandas())"
            )
        frame = split_input(data, reasons_column, row_index)
        result, parsed = self._check(frame, rules, auto_schema, options)
        return split_checked(
            self.engine_name,
            frame,
            parsed,
            result,
            reasons_column=reasons_column,
            row_index=row_index,
        )

    def _counts(  # noqa: PLR0917 - private, called once
        self,
        frame: Frame,
        schema: pl.Schema,
        rules: Sequence[Rule],
        sample_size: int,
        options: Mapping[str, Any],
        now: dt.datetime,
        *,
        batching: tuple[int, int] = (DEFAULT_BATCH_ROWS, DEFAULT_BATCH_BYTES),
        notes: list[str] | None = None,
    ) -> tuple[int, list[RuleCounts], list[str]]:
        """Native rules through the adapter, the rest (and the gaps) in the base's pass.

        A LazyFrame is fed to an adapter with ``lazy_batches`` in bounded batches
        (``batching``: rows, bytes); rules that do not merge across batches are then the
        base's, with a note (appended to ``notes``) saying why.

        The base's pass over the borrowed rules (and, unless the adapter gives them, the
        totals of the native ones) runs in a worker thread while the engine works: Polars
        releases the GIL, so it uses the cores the engine leaves idle. A second, smaller pass
        takes the samples of failing native rules the adapter gave none for.
        """
        batches, collect = self._lazy_mode(frame)
        # Reading the data (a lazy scan collected for the view) can fail like the engine can:
        # an EngineError with the cause, so the Prefect layer decides retries from the cause.
        view, safe = guard_engine_call(
            self.engine_name,
            "check (reading the data)",
            build_view,
            frame,
            schema,
            rules,
            collect=collect,
        )
        if batches:
            native_at = self._select_native(view, safe, self._mergeable(safe, notes))
        else:
            native_at = self._select_native(view, safe)
        chosen = set(native_at)
        first: list[SharedRequest] = []
        for i, rule in enumerate(safe):
            if is_single_check(rule):
                if i not in chosen and observes(rule):
                    first.append(SharedRequest(i, rule, False, False, False, observe=True))
                continue
            if counts_every_row(rule) and i in chosen:
                continue  # (a not_null total is the row count, which every pass gives)
            if i not in chosen:
                first.append(SharedRequest(i, rule, failed=True, total=True, samples=True))
            elif not self.native_totals:
                first.append(SharedRequest(i, rule, failed=False, total=True, samples=False))
        native: dict[int, NativeCounts] = {}
        if batches:
            native, row_count, shared = self._batched_counts(
                view, safe, native_at, first, sample_size, options, batching
            )
        elif native_at and first:
            with ThreadPoolExecutor(max_workers=1, thread_name_prefix="truthound-dq") as pool:
                # The caller's context (its cancel scope among it) goes with the pass.
                caller = contextvars.copy_context()
                pending = pool.submit(caller.run, self._shared_pass, view, first, sample_size)
                # If the engine raises, that error wins; leaving the block still waits for
                # the shared pass, so no Polars work outlives the check.
                native = self._run_native(view, safe, native_at, sample_size, options)
                row_count, shared = pending.result()
        else:
            if native_at:
                native = self._run_native(view, safe, native_at, sample_size, options)
            row_count, shared = self._shared_pass(view, first, sample_size)

        gaps: list[SharedRequest] = []
        for i, got in native.items():
            rule = safe[i]
            if is_single_check(rule):
                continue
            need_total = got.total_count is None and i not in shared and not counts_every_row(rule)
            need_samples = (
                got.sample_values is None
                and got.failed_count > 0
                and sample_size > 0
                and rule.sampled
            )
            if need_total or need_samples:
                gaps.append(SharedRequest(i, rule, False, need_total, need_samples))
        if gaps:
            for i, extra in self._shared_pass(view, gaps, sample_size)[1].items():
                known = shared.get(i)
                shared[i] = (
                    extra if known is None else dataclasses.replace(extra, total=known.total)
                )
        context = CheckContext(row_count=row_count, now=now, schema=view.source_schema, view=view)
        return self._assemble(view, safe, rules, native, shared, context)

    def _assemble(  # noqa: PLR0917 - private, called once
        self,
        view: DataView,
        safe: Sequence[Rule],
        rules: Sequence[Rule],
        native: Mapping[int, NativeCounts],
        shared: Mapping[int, SharedAnswer],
        context: CheckContext,
    ) -> tuple[int, list[RuleCounts], list[str]]:
        row_count = context.row_count
        counts: list[RuleCounts] = []
        by: list[str] = []
        problems: list[str] = []
        for i, rule in enumerate(safe):
            got, answer = native.get(i), shared.get(i)
            if is_single_check(rule):
                # One verdict rule for every engine: from the observed value the engine (or
                # the shared pass) measured, by the rule's own ``verdict``.
                by.append(SHARED_EVALUATOR if got is None else self.engine_name)
                if got is not None:
                    observed = got.observed_value
                    if not observes(rule):
                        failed = int(got.failed_count)
                        if failed not in (0, 1):
                            problems.append(f"{rules[i].name}: failed {failed} of 1")
                    else:
                        failed = table_failed(rule, observed, context)
                else:
                    observed = answer.observed if answer is not None else None
                    failed = table_failed(rule, observed, context)
                counts.append(RuleCounts(failed, 1, (), observed))
                continue
            if got is None:
                by.append(SHARED_EVALUATOR)
                assert answer is not None
                assert answer.failed is not None
                assert answer.total is not None
                counts.append(RuleCounts(answer.failed, answer.total, answer.samples or ()))
                continue
            by.append(self.engine_name)
            total = got.total_count
            if total is None and counts_every_row(rule):
                total = row_count
            elif total is None and answer is not None:
                total = answer.total
            assert total is not None
            samples = got.sample_values
            if samples is None:
                samples = (answer.samples if answer else None) or ()
            if not 0 <= got.failed_count <= total:
                problems.append(f"{rules[i].name}: failed {got.failed_count} of {total}")
            counts.append(RuleCounts(int(got.failed_count), int(total), tuple(samples)))
        if problems:
            raise EngineError(
                f"{self.engine_name} adapter returned inconsistent counts: {'; '.join(problems)}",
                engine=self.engine_name,
            )
        return row_count, counts, by

    def _shared_pass(
        self, view: DataView, requests: Sequence[SharedRequest], sample_size: int
    ) -> tuple[int, dict[int, SharedAnswer]]:
        # A fault here (say, Polars panicking on the user's data) is reported like an
        # engine's: an EngineError with the cause, so the Prefect layer may retry it.
        return guard_engine_call(
            self.engine_name,
            "check (shared Polars implementation)",
            shared_pass,
            view,
            requests,
            sample_size=sample_size,
        )

    def _select_native(
        self,
        view: DataView,
        safe: Sequence[Rule],
        excluded: set[int] | None = None,
        chooser: Callable[[Rule, DataView], bool] | None = None,
    ) -> list[int]:
        """Positions of the rules the adapter evaluates natively (decided once, here).

        ``excluded`` positions are never native (on lazy input in batches: the rules whose
        answers do not merge). ``chooser`` decides per rule (default :meth:`is_native`; on
        Spark :meth:`is_native_spark`).
        """
        choose = chooser if chooser is not None else self.is_native
        native_at: list[int] = []
        for i, rule in enumerate(safe):
            if excluded and i in excluded:
                continue
            column = view.column(rule.column) if rule.column is not None else None
            if column is not None and column.dtype == pl.Null:
                continue  # all missing: nothing for an engine to read
            if self._guarded("check", choose, rule, view):
                native_at.append(i)
        return native_at

    def _run_native(
        self,
        view: DataView,
        safe: Sequence[Rule],
        native_at: Sequence[int],
        sample_size: int,
        options: Mapping[str, Any],
        *,
        evaluate: Callable[..., Iterable[Any]] | None = None,
        where: str = "",
    ) -> dict[int, NativeCounts]:
        """The adapter's counts for the rules it evaluates natively, by rule position.

        ``evaluate`` is the adapter hook (``_evaluate_native`` unless the Spark path passes
        ``_evaluate_native_spark``); ``where`` names the path in the count-mismatch error.
        """
        answer = list(
            self._guarded(
                "check",
                evaluate or self._evaluate_native,
                view,
                [safe[i] for i in native_at],
                sample_size=sample_size,
                options=options,
            )
        )
        if len(answer) != len(native_at):
            raise EngineError(
                f"{self.engine_name} adapter returned {len(answer)} counts for "
                f"{len(native_at)} rules{where}",
                engine=self.engine_name,
            )
        return dict(zip(native_at, (as_native(a) for a in answer), strict=True))

    @property
    def batches_lazy_input(self) -> bool:
        """Whether a LazyFrame reaches ``_evaluate_native`` in bounded DataFrame batches."""
        if self.lazy_batches is not None:
            return self.lazy_batches
        return not self.capabilities.lazy_input

    def _lazy_mode(self, frame: Frame) -> tuple[bool, bool]:
        """Whether the native rules run in batches, and whether the view is collected first."""
        batches = self.batches_lazy_input and isinstance(frame, pl.LazyFrame)
        collect = self.collect_view
        if collect is None:
            collect = not self.capabilities.lazy_input
        return batches, collect and not batches

    def _mergeable(self, safe: Sequence[Rule], notes: list[str] | None) -> set[int]:
        """Positions of the rules whose batch answers do not merge (left to the base).

        A note says why for each whose type the adapter evaluates natively otherwise.
        """
        unmerged: set[int] = set()
        native_types = self.capabilities.native_rule_types
        for i, rule in enumerate(safe):
            why = rule.batch_problem()
            if why is None:
                continue
            unmerged.add(i)
            if notes is not None and rule.type in native_types:
                notes.append(
                    f"{rule.name}: evaluated by the shared Polars implementation on lazy input, "
                    f"not by {self.engine_name} in batches ({why})"
                )
        return unmerged

    def _batched_counts(  # noqa: PLR0917 - private, called once
        self,
        view: DataView,
        safe: Sequence[Rule],
        native_at: Sequence[int],
        first: Sequence[SharedRequest],
        sample_size: int,
        options: Mapping[str, Any],
        batching: tuple[int, int],
    ) -> tuple[dict[int, NativeCounts], int, dict[int, SharedAnswer]]:
        """``_counts``'s first passes on a lazy input fed to the engine in batches."""
        # One read of the source in bounded batches feeds the engine and the base's
        # requests that merge; the rest (unique, order, medians) is its own streaming
        # pass over the view, before the batches, not alongside: the check's peak memory is
        # the larger of the two, not their sum (the pass holds what exactness needs, the
        # hash table of a key; an engine's batches add theirs). Before, not after: memory an
        # engine's batches leave with the allocator is not reused by the pass. Measured at
        # 50M rows with unique (bench/scale_lazy.py), Pandera's peak RSS was 1.28x the
        # hand-written plan's with the pass after the batches, 1.1x with it before.
        merging: list[SharedRequest] = []
        rest: list[SharedRequest] = []
        for r in first:
            if r.rule.batch_problem() is None:
                merging.append(r)
            elif r.total and not r.observe and r.rule.duplicate_key() is not None:
                # A key's total (its counted rows) adds across batches: only the duplicates
                # need the whole column, so its own pass is the ``group_by`` alone.
                merging.append(dataclasses.replace(r, failed=False, samples=False))
                if r.failed or r.samples:
                    rest.append(dataclasses.replace(r, total=False))
            else:
                rest.append(r)
        shared: dict[int, SharedAnswer] = {}
        counted: int | None = None
        if rest:
            counted, shared = self._shared_pass(view, rest, sample_size)
        native, batched = self._run_batches(
            view, safe, native_at, merging, sample_size, options, batching
        )
        row_count = counted if counted is not None else self._shared_pass(view, [], sample_size)[0]
        for key, answer in batched.items():
            known = shared.get(key)  # (a key's failed count and samples, from its group_by)
            shared[key] = (
                answer if known is None else dataclasses.replace(known, total=answer.total)
            )
        return native, row_count, shared

    def _run_batches(  # noqa: PLR0917 - private, called once
        self,
        view: DataView,
        safe: Sequence[Rule],
        native_at: Sequence[int],
        requests: Sequence[SharedRequest],
        sample_size: int,
        options: Mapping[str, Any],
        batching: tuple[int, int],
    ) -> tuple[dict[int, NativeCounts], dict[int, SharedAnswer]]:
        """The native rules and the base's ``requests`` on each bounded batch, merged exactly."""
        assert isinstance(view.frame, pl.LazyFrame)
        lazy = view.frame
        if not native_at and not requests:
            return {}, {}
        if not view.schema:
            # Nothing to read but the schema (and the row count the view knows).
            whole = DataView(
                collect_frame(lazy), view.source_schema, view.columns, source=view._source
            )
            native = self._run_native(whole, safe, native_at, sample_size, options)
            return native, self._shared_pass(whole, requests, sample_size)[1]
        max_rows, max_bytes = batching
        rows = guard_engine_call(
            self.engine_name,
            "check (reading the data)",
            batch_size,
            lazy,
            max_rows=max_rows,
            max_bytes=max_bytes,
        )
        parts: dict[int, list[NativeCounts]] = {i: [] for i in native_at}
        answers: dict[int, list[SharedAnswer]] = {r.key: [] for r in requests}
        seen = 0
        batches = iter_batches(lazy, rows)
        try:
            while True:
                got = guard_engine_call(
                    self.engine_name, "check (reading the data)", next, batches, None
                )
                if got is None:
                    break
                seen += got.height
                part = DataView(got, view.source_schema, view.columns)
                if native_at:
                    native = self._run_native(part, safe, native_at, sample_size, options)
                    for i, counts in native.items():
                        parts[i].append(counts)
                if requests:
                    for key, answer in self._shared_pass(part, requests, sample_size)[1].items():
                        answers[key].append(answer)
        finally:
            batches.close()  # stops the batch read ahead, if the engine or a cancel stopped us
        view._set_row_count(seen)
        by_key = {r.key: r.rule for r in requests}
        return (
            {i: merge_counts(safe[i], parts[i], sample_size) for i in native_at},
            {k: merge_answers(by_key[k], got, sample_size) for k, got in answers.items()},
        )

    def _legacy_counts(
        self,
        frame: Frame,
        rules: Sequence[Rule],
        sample_size: int,
        options: Mapping[str, Any],
        now: dt.datetime,
    ) -> tuple[int, list[RuleCounts], list[str]]:
        # A 0.x adapter knows only the built-in types: custom ones are borrowed here.
        from truthound_dq._polars import reference_evaluate
        from truthound_dq._rule_types import BUILTIN_RULES

        known = [i for i, r in enumerate(rules) if type(r) in BUILTIN_RULES]
        custom = [i for i, r in enumerate(rules) if type(r) not in BUILTIN_RULES]
        evaluation: Evaluation = self._guarded(
            "check",
            self._evaluate,
            frame,
            [rules[i] for i in known],
            sample_size=sample_size,
            options=options,
        )
        self._validate_evaluation(evaluation, [rules[i] for i in known])
        counts: list[RuleCounts | None] = [None] * len(rules)
        by = [SHARED_EVALUATOR] * len(rules)
        native = self.capabilities.native_rule_types
        for i, c in zip(known, evaluation.counts, strict=True):
            counts[i] = c
            by[i] = self.engine_name if rules[i].type in native else SHARED_EVALUATOR
        if custom:
            shared = reference_evaluate(
                frame, [rules[i] for i in custom], sample_size=sample_size, now=now
            )
            for i, c in zip(custom, shared.counts, strict=True):
                counts[i] = c
        return evaluation.row_count, [c for c in counts if c is not None], by

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

    def _guarded(self, operation: str, func: Callable[..., R], *args: Any, **kwargs: Any) -> R:
        """Call into the engine; anything it raises becomes an EngineError with the cause."""
        return guard_engine_call(self.engine_name, operation, func, *args, **kwargs)

    # -- profile and learn -----------------------------------------------------------------

    def profile(self, data: Any, *, columns: Sequence[str] | None = None) -> ProfileOutput:
        """Per-column statistics (missing and distinct counts, min, max, mean).

        The adapter's ``_profile`` sees the columns under safe names (``c0``, ``c1``, ... by
        position, dtypes unchanged); the result names them as the user does.

        Raises:
            ColumnNotFoundError: ``columns`` names a column the data lacks.
            EngineError: The engine raised.
        """
        started, timestamp = time.perf_counter(), _now()
        spark = is_spark_frame(data)
        frame: Any = data if spark else to_polars(data)
        schema = spark_source_schema(frame) if spark else frame.collect_schema()
        names = schema.names()
        if columns is not None:
            if isinstance(columns, str):
                columns = [columns]
            if missing := [c for c in columns if c not in names]:
                raise ColumnNotFoundError(missing, names)
        back: dict[str, str] = {}
        if spark:  # every engine borrows the canonical Spark profile (its result says so)
            from truthound_dq.spark._profile import spark_profile

            with spark_jobs_interruptible(frame):
                result = self._guarded("profile", spark_profile, frame, schema, columns)
        else:
            safe, back = safe_names(frame, names)
            wanted = None if columns is None else [f"c{names.index(c)}" for c in columns]
            result = self._guarded("profile", self._profile, safe, wanted)
        return dataclasses.replace(
            result,
            columns=tuple(
                dataclasses.replace(c, column_name=back.get(c.column_name, c.column_name))
                for c in result.columns
            ),
            engine=self.engine_name,
            engine_version=self.engine_version,
            execution_time_ms=(time.perf_counter() - started) * 1000,
            timestamp=timestamp,
        )

    def learn(self, data: Any, **options: Any) -> LearnOutput:
        """Rules inferred from the data; the data passes them (see ``LearnOutput.to_rules``).

        The adapter's ``_learn`` sees the columns under safe names (dtypes unchanged); the
        learned rules and schema name them as the user does.

        Raises:
            EngineError: The engine raised.
        """
        started, timestamp = time.perf_counter(), _now()
        if is_spark_frame(data):
            raise TypeError(
                "learn does not take a Spark DataFrame (it reads every value); learn on a "
                "bounded sample: engine.learn(pl.from_pandas(df.limit(100_000).toPandas()))"
            )
        frame = to_polars(data)
        safe, back = safe_names(frame, frame.collect_schema().names())
        result: LearnOutput = self._guarded("learn", self._learn, safe, options)
        return dataclasses.replace(
            result,
            rules=tuple(learned_back(r, back) for r in result.rules),
            columns=tuple(
                dataclasses.replace(c, name=back.get(c.name, c.name)) for c in result.columns
            ),
            engine=self.engine_name,
            engine_version=self.engine_version,
            execution_time_ms=(time.perf_counter() - started) * 1000,
            timestamp=timestamp,
        )

    def default_baseline_store(self) -> BaselineStore:
        """The store ``auto_schema`` uses when none is given."""
        return self.baseline_store or FileBaselineStore()


def learned_back(rule: LearnedRule, back: Mapping[str, str]) -> LearnedRule:
    """A learned rule with the user's column names (``learn`` ran on safe names).

    ``column`` is mapped here; a type that names more columns in its parameters (``schema``'s
    ``columns``, a compound key) is mapped by its own ``Rule.renamed``.
    """
    from truthound_dq._definitions import rule_class

    if rule.column is not None:
        rule = dataclasses.replace(rule, column=back.get(rule.column, rule.column))
    cls = rule_class(rule.rule_type)
    if cls is None or cls.renamed is Rule.renamed or not rule.parameters:
        return rule
    try:
        (parsed,) = parse_rules([rule.to_rule()])
    except Exception:  # a proposal the vocabulary refuses is left as the engine gave it
        return rule
    params = parsed.renamed(back).to_dict()
    for key in ("type", "column", "name"):
        params.pop(key, None)
    return dataclasses.replace(rule, parameters=params)


def _batch_options(options: dict[str, Any]) -> tuple[int, int]:
    """``batch_rows`` and ``batch_bytes`` popped from ``options`` (positive integers)."""
    bounds = []
    for key, default in (("batch_rows", DEFAULT_BATCH_ROWS), ("batch_bytes", DEFAULT_BATCH_BYTES)):
        value = options.pop(key, None)
        if value is None:
            value = default
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise TypeError(f"{key} must be a positive integer, got {value!r}")
        bounds.append(value)
    return bounds[0], bounds[1]


def check_time(now: Any, started: dt.datetime) -> dt.datetime:
    """The check's time: ``now`` (a datetime; naive means UTC) or ``started``, aware UTC."""
    if now is None:
        return started
    if isinstance(now, str):
        try:
            now = dt.datetime.fromisoformat(now)
        except ValueError:
            raise TypeError(f"now must be a datetime or ISO-8601 text, got {now!r}") from None
    if not isinstance(now, dt.datetime):
        raise TypeError(f"now must be a datetime, got {type(now).__name__}")
    if now.tzinfo is None:
        return now.replace(tzinfo=dt.UTC)
    return now.astimezone(dt.UTC)
