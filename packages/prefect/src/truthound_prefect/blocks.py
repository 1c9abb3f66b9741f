"""Prefect blocks of truthound-prefect (``prefect block register -m truthound_prefect.blocks``)."""

from __future__ import annotations

import asyncio
import contextvars
import datetime as dt
import os
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from typing import Any, ClassVar

from prefect.blocks.core import Block
from pydantic import Field, field_validator

from truthound_dq import (
    DEFAULT_REASONS_COLUMN,
    BaselineStore,
    CheckStatus,
    DataQualityEngine,
    LearnOutput,
    ProfileOutput,
    QualityCheckOutput,
    RuleValidationError,
    SplitOutput,
    TruthoundDQError,
    cancel_scope,
    get_engine,
    parse_rules,
    require_engine,
)
from truthound_dq.sdk import EngineBase
from truthound_prefect._api import DEFAULT_API_TIMEOUT_SECONDS, ApiBudget
from truthound_prefect._baseline import DataQualityBaseline, PrefectBaselineStore
from truthound_prefect._context import in_async_context, in_run, run_logger
from truthound_prefect._errors import CheckTimeoutError, DataQualityError
from truthound_prefect._frames import is_spark_frame
from truthound_prefect._identity import default_dataset
from truthound_prefect._rules import RulesLike, resolve_rules, rules_form_schema
from truthound_prefect.history import PrefectMetricsStore
from truthound_prefect.sla import SLABlock

__all__ = ["DataQualityBlock", "DataQualityBaseline", "SLABlock"]

_LOGO = "https://raw.githubusercontent.com/truthound/truthound/main/docs/assets/logo.png"
_DOCS = "https://truthound.dev/docs/integrations/prefect"  # the design's documentation site


_STOP_GRACE_SECONDS = 0.5  # how long a timed-out engine gets to notice it was cancelled
# A Spark check's jobs are interrupted on the cluster, and the error comes back through the
# driver: about a second on local[2], more on a busy cluster.
_SPARK_STOP_GRACE_SECONDS = 10.0


def _call_with_timeout(
    func: Any, timeout: float, what: str, *args: Any, engine: str = "the engine", **kwargs: Any
) -> Any:
    """Run ``func`` in a worker thread and wait at most ``timeout`` seconds.

    On timeout the engine's work is cancelled: every Polars query collected through
    ``truthound_dq.sdk.collect_frame`` (the shared Polars implementation, LazyFrame collection)
    stops at once, and so do the Spark jobs of a Spark frame's check (interrupted on the
    cluster; up to 10 s are waited for that). Python cannot stop a thread, so other work an
    engine library does in its own code cannot be stopped: the run's log says whether the work
    stopped or is still running (at most one abandoned thread per timed-out call - a timeout
    is not retried). The Prefect context is copied into the thread, so baselines can still be
    read from the server.
    """
    future: Future[Any] = Future()
    context = contextvars.copy_context()
    cancel = threading.Event()

    def cancellable() -> Any:
        with cancel_scope(cancel):
            return func(*args, **kwargs)

    def target() -> None:
        try:
            future.set_result(context.run(cancellable))
        except BaseException as exc:
            future.set_exception(exc)

    threading.Thread(target=target, name=f"truthound-prefect-{what}", daemon=True).start()
    try:
        return future.result(timeout=timeout)
    except TimeoutError:
        if future.done():  # finished at the limit, or the engine raised a TimeoutError itself
            return future.result()
    cancel.set()
    spark = bool(args) and is_spark_frame(args[0])
    stopped = _wait_done(future, _SPARK_STOP_GRACE_SECONDS if spark else _STOP_GRACE_SECONDS)
    if stopped:
        state = "its work was cancelled and has stopped"
        run_logger().warning("the %s with %s timed out; %s", what, engine, state)
    else:
        state = (
            f"{engine} could not be stopped in-process: its work goes on in a background "
            "thread until it ends (see docs/engines.md)"
        )
        run_logger().warning("the %s timed out; %s", what, state)
    raise CheckTimeoutError(
        f"the {what} did not finish within timeout_seconds={timeout:g} ({state}); raise the "
        "block's timeout_seconds (1 to 3600) or check less data"
    ) from None


def _wait_done(future: Future[Any], seconds: float) -> bool:
    try:
        future.exception(timeout=seconds)
    except TimeoutError:
        return False
    return True


class DataQualityBlock(Block):
    """Data-quality settings shared by flows: which engine, default rules and behaviour.

    Swap the engine - Truthound, Great Expectations or Pandera - by changing ``engine_name``;
    the rules mean the same on each (see docs/rules.md).

    Examples:
        Load a saved block and check a Polars frame:
        ```python
        import polars as pl
        from truthound_prefect import DataQualityBlock

        data_quality_block = DataQualityBlock.load("BLOCK_NAME")
        result = data_quality_block.check(pl.DataFrame({"id": [1, 2]}))
        ```

        Create and save a block (in sync code, the same calls without ``await``):
        ```python
        block = DataQualityBlock(
            engine_name="truthound",
            auto_schema=True,
            default_rules=[
                {"column": "id", "type": "not_null"},
            ],
        )
        await block.save("production-quality")
        ```

        Load it and check:
        ```python
        block = await DataQualityBlock.load("production-quality")
        result = await block.check(data, rules=[{"column": "id", "type": "unique"}])
        ```

        Register the block types with the Prefect server: ``prefect block register -m
        truthound_prefect.blocks``.
    """

    _block_type_name: ClassVar[str] = "DataQuality"
    _block_type_slug: ClassVar[str] = "data-quality"
    _logo_url: ClassVar[Any] = _LOGO
    _documentation_url: ClassVar[Any] = _DOCS
    _description: ClassVar[str] = (
        "Data-quality settings (engine, default rules, failure behaviour) for truthound-prefect."
    )

    engine_name: str = Field(
        default="truthound",
        description="Engine that runs the checks: truthound, great_expectations or pandera.",
        validate_default=True,
    )
    auto_schema: bool = Field(
        default=True,
        description=(
            "Learn a schema baseline on a dataset's first check and report drift against it "
            "on later checks."
        ),
    )
    fail_on_error: bool = Field(
        default=True,
        description="Raise DataQualityError when an error-severity rule fails.",
    )
    timeout_seconds: float = Field(
        default=300.0,
        ge=1.0,
        le=3600.0,
        description="Longest a check, profile or learn may take, in seconds (1 to 3600).",
    )
    api_timeout_seconds: float = Field(
        default=DEFAULT_API_TIMEOUT_SECONDS,
        ge=0.1,
        le=600.0,
        description="Longest all of one check's Prefect API calls (SLA count, baseline, "
        "artifacts, events) may take together, in seconds; past it they are skipped with a "
        "warning and the verdict still stands.",
    )
    record_metrics: bool = Field(
        default=True,
        description="Keep each check's metrics record (row count, rule pass rates, the "
        "metrics anomaly rules name) on the Prefect server, as a version of the artifact "
        "metrics-<dataset>; anomaly rules compare with it.",
    )
    default_rules: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Rules used when a check is given none, e.g. [{'column': 'id', 'type': "
        "'not_null'}]; in Python also the path of a YAML or JSON rule file, read when the "
        "block is created (the block saves the rules themselves).",
        json_schema_extra=rules_form_schema,
    )

    @field_validator("engine_name")
    @classmethod
    def _engine_is_installed(cls, value: str) -> str:
        # Refuse a typo or a missing adapter when the block is made or loaded, not at run
        # time; the entry-point lookup imports no engine library.
        try:
            require_engine(value)
        except (TruthoundDQError, TypeError) as exc:
            raise ValueError(str(exc)) from None
        return value

    @field_validator("default_rules", mode="before")
    @classmethod
    def _rules_from_file(cls, value: Any) -> Any:
        # A path is read here, on the machine that makes the block: a saved block holds the
        # rules themselves, so loading it elsewhere needs no file.
        if isinstance(value, str | os.PathLike):
            try:
                return resolve_rules(value)
            except TruthoundDQError as exc:
                raise ValueError(str(exc)) from None
        return value

    @field_validator("default_rules")
    @classmethod
    def _rules_are_valid(cls, value: list[dict[str, Any]]) -> list[dict[str, Any]]:
        try:
            parse_rules(value)
        except RuleValidationError as exc:
            raise ValueError(str(exc)) from None
        return value

    def get_engine(self) -> DataQualityEngine:
        """The engine named by ``engine_name`` (raises a clear error if not installed)."""
        return get_engine(self.engine_name)

    # -- check ------------------------------------------------------------------------------

    def check(
        self,
        data: Any,
        rules: RulesLike | None = None,
        *,
        fail_on_error: bool | None = None,
        auto_schema: bool | None = None,
        dataset: str | None = None,
        baseline_store: BaselineStore | None = None,
        now: dt.datetime | None = None,
    ) -> QualityCheckOutput:
        """Check data; in async code this returns an awaitable (like Prefect's ``save``).

        Args:
            data: A Polars DataFrame or LazyFrame, a pandas or a PySpark DataFrame.
            rules: Rule dicts, or the path of a YAML/JSON rule file (read on each check);
                None uses ``default_rules``.
            fail_on_error: Raise ``DataQualityError`` on failure; None uses the block's.
            auto_schema: Compare with the dataset's baseline; None uses the block's.
            dataset: Name of the dataset for baselines; inside a flow it defaults to the
                flow (and task) name.
            baseline_store: Where baselines live; inside a flow, the Prefect server.
            now: The check's time (freshness is judged against it; the result's
                ``timestamp``); naive means UTC; None is the current time.

        Raises:
            DataQualityError: The check failed and ``fail_on_error`` is on.
            CheckTimeoutError: The engine took longer than ``timeout_seconds``.
        """
        if in_async_context():
            return self.acheck(  # type: ignore[return-value]
                data,
                rules,
                fail_on_error=fail_on_error,
                auto_schema=auto_schema,
                dataset=dataset,
                baseline_store=baseline_store,
                now=now,
            )
        return self._check(
            data,
            rules,
            fail_on_error=fail_on_error,
            auto_schema=auto_schema,
            dataset=dataset,
            baseline_store=baseline_store,
            now=now,
        )

    async def acheck(
        self,
        data: Any,
        rules: RulesLike | None = None,
        *,
        fail_on_error: bool | None = None,
        auto_schema: bool | None = None,
        dataset: str | None = None,
        baseline_store: BaselineStore | None = None,
        now: dt.datetime | None = None,
    ) -> QualityCheckOutput:
        """Async :meth:`check`: the engine runs in a worker thread, the loop stays free."""
        return await asyncio.to_thread(
            self._check,
            data,
            rules,
            fail_on_error=fail_on_error,
            auto_schema=auto_schema,
            dataset=dataset,
            baseline_store=baseline_store,
            now=now,
        )

    def _check(
        self,
        data: Any,
        rules: RulesLike | None,
        *,
        fail_on_error: bool | None,
        auto_schema: bool | None,
        dataset: str | None,
        baseline_store: BaselineStore | None,
        now: dt.datetime | None,
    ) -> QualityCheckOutput:
        result = self.run_check(
            data,
            rules,
            auto_schema=auto_schema,
            dataset=dataset,
            baseline_store=baseline_store,
            now=now,
        )
        fail = self.fail_on_error if fail_on_error is None else fail_on_error
        if fail and result.status is CheckStatus.FAILED:
            raise DataQualityError(result)
        return result

    def run_check(
        self,
        data: Any,
        rules: RulesLike | None = None,
        *,
        auto_schema: bool | None = None,
        dataset: str | None = None,
        baseline_store: BaselineStore | None = None,
        api_budget: ApiBudget | None = None,
        mask_columns: Sequence[str] = (),
        now: dt.datetime | None = None,
    ) -> QualityCheckOutput:
        """Check and return the result, never raising for a failed check (sync only).

        This is what the tasks call; ``fail_on_error`` is theirs to apply.

        Args:
            data: A Polars DataFrame or LazyFrame, a pandas or a PySpark DataFrame.
            rules: Rule dicts, or the path of a YAML/JSON rule file (read now); None uses
                ``default_rules``.
            auto_schema: Compare with the dataset's baseline; None uses the block's.
            dataset: Dataset name; inside a flow it defaults to one derived from the code
                (flow, calling task, map index; see ``truthound_prefect._identity``).
            baseline_store: Where baselines live; inside a flow, the Prefect server.
            api_budget: The check's Prefect API time budget (default: a new one of
                ``api_timeout_seconds``); a baseline that cannot be read is unknown.
            mask_columns: Columns whose learned values are not stored in the baseline.
            now: The check's time (naive means UTC); None is the current time.

        Raises:
            RuleFileError: ``rules`` is a path that is not a readable, valid rule file.
        """
        engine = self.get_engine()
        effective_rules, options = self._check_options(
            rules, auto_schema, dataset, baseline_store, api_budget, mask_columns, now
        )
        run_logger().info(
            "checking %d rule(s) with engine %s", len(effective_rules), engine.engine_name
        )
        result: QualityCheckOutput = _call_with_timeout(
            engine.check,
            self.timeout_seconds,
            "check",
            data,
            effective_rules,
            engine=engine.engine_name,
            **options,
        )
        self._log_result(result)
        return result

    def run_split(
        self,
        data: Any,
        rules: RulesLike | None = None,
        *,
        reasons_column: str = DEFAULT_REASONS_COLUMN,
        row_index: str | None = None,
        auto_schema: bool | None = None,
        dataset: str | None = None,
        baseline_store: BaselineStore | None = None,
        api_budget: ApiBudget | None = None,
        mask_columns: Sequence[str] = (),
        now: dt.datetime | None = None,
    ) -> SplitOutput:
        """Check and split into valid and quarantined rows (``engine.split``), sync only.

        What ``data_quality_split_task`` calls; the arguments are :meth:`run_check`'s plus
        ``reasons_column`` and ``row_index`` (see ``docs/split.md``). Within
        ``timeout_seconds``; never raises for a failed check.
        """
        engine = self.get_engine()
        effective_rules, options = self._check_options(
            rules, auto_schema, dataset, baseline_store, api_budget, mask_columns, now
        )
        run_logger().info(
            "checking and splitting by %d rule(s) with engine %s",
            len(effective_rules),
            engine.engine_name,
        )
        split: SplitOutput = _call_with_timeout(
            engine.split,
            self.timeout_seconds,
            "split",
            data,
            effective_rules,
            engine=engine.engine_name,
            reasons_column=reasons_column,
            row_index=row_index,
            **options,
        )
        self._log_result(split.result)
        run_logger().info(
            "split: %d valid, %d quarantined row(s) (%.2f%%)",
            split.valid.height,
            split.invalid.height,
            split.invalid_fraction * 100,
        )
        return split

    def _check_options(  # noqa: PLR0917 - private, the run_* methods' shared arguments
        self,
        rules: RulesLike | None,
        auto_schema: bool | None,
        dataset: str | None,
        baseline_store: BaselineStore | None,
        api_budget: ApiBudget | None,
        mask_columns: Sequence[str],
        now: dt.datetime | None = None,
    ) -> tuple[Sequence[Mapping[str, Any]], dict[str, Any]]:
        """The rules and the engine options of a check (block defaults filled in)."""
        given = resolve_rules(rules)
        effective_rules = self.default_rules if given is None else given
        use_schema = self.auto_schema if auto_schema is None else auto_schema
        options: dict[str, Any] = {
            "dataset": dataset or default_dataset(),
            "auto_schema": use_schema,
        }
        if now is not None:  # only when given: an engine of the protocol may not know it
            options["now"] = now
        if use_schema:
            store = baseline_store or (
                PrefectBaselineStore(
                    budget=api_budget or ApiBudget(self.api_timeout_seconds),
                    mask_columns=mask_columns,
                )
                if in_run()
                else None
            )
            if store is not None:
                options["baseline_store"] = store
        if self.record_metrics and in_run() and isinstance(self.get_engine(), EngineBase):
            # (an engine of the protocol that is not an EngineBase may not know the option)
            options["metrics_store"] = PrefectMetricsStore(
                budget=api_budget or ApiBudget(self.api_timeout_seconds),
                mask_columns=mask_columns,
            )
        return effective_rules, options

    @staticmethod
    def _log_result(result: QualityCheckOutput) -> None:
        logger = run_logger()
        logger.info(
            "check %s: %d passed, %d failed, %d warnings over %d rows (%.0f ms)",
            result.status.value.upper(),
            result.passed_count,
            result.failed_count,
            result.warning_count,
            result.row_count,
            result.execution_time_ms,
        )
        for note in result.notes:
            logger.info(note)

    # -- profile and learn --------------------------------------------------------------------

    def profile(self, data: Any, *, columns: Sequence[str] | None = None) -> ProfileOutput:
        """Profile data (awaitable in async code)."""
        if in_async_context():
            return self.aprofile(data, columns=columns)  # type: ignore[return-value]
        return self.run_profile(data, columns=columns)

    async def aprofile(self, data: Any, *, columns: Sequence[str] | None = None) -> ProfileOutput:
        """Async :meth:`profile`."""
        return await asyncio.to_thread(self.run_profile, data, columns=columns)

    def run_profile(self, data: Any, *, columns: Sequence[str] | None = None) -> ProfileOutput:
        """Profile synchronously, within ``timeout_seconds``."""
        engine = self.get_engine()
        result: ProfileOutput = _call_with_timeout(
            engine.profile,
            self.timeout_seconds,
            "profile",
            data,
            columns=columns,
            engine=engine.engine_name,
        )
        run_logger().info(
            "profiled %d columns over %d rows with %s",
            len(result.columns),
            result.row_count,
            result.produced_by or engine.engine_name,
        )
        return result

    def learn(self, data: Any) -> LearnOutput:
        """Learn rules from data (awaitable in async code)."""
        if in_async_context():
            return self.alearn(data)  # type: ignore[return-value]
        return self.run_learn(data)

    async def alearn(self, data: Any) -> LearnOutput:
        """Async :meth:`learn`."""
        return await asyncio.to_thread(self.run_learn, data)

    def run_learn(self, data: Any) -> LearnOutput:
        """Learn synchronously, within ``timeout_seconds``."""
        engine = self.get_engine()
        result: LearnOutput = _call_with_timeout(
            engine.learn, self.timeout_seconds, "learn", data, engine=engine.engine_name
        )
        run_logger().info("learned %d rules with %s", len(result.rules), result.produced_by)
        return result
