"""Prefect blocks of truthound-prefect (``prefect block register -m truthound_prefect.blocks``)."""

from __future__ import annotations

import asyncio
import contextvars
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import Future
from typing import Any, ClassVar

from prefect.blocks.core import Block
from pydantic import Field, field_validator

from truthound_dq import (
    BaselineStore,
    CheckStatus,
    DataQualityEngine,
    LearnOutput,
    ProfileOutput,
    QualityCheckOutput,
    RuleValidationError,
    TruthoundDQError,
    get_engine,
    parse_rules,
    require_engine,
)
from truthound_prefect._baseline import DataQualityBaseline, PrefectBaselineStore
from truthound_prefect._context import in_async_context, in_run, run_logger, run_names
from truthound_prefect._errors import CheckTimeoutError, DataQualityError
from truthound_prefect.sla import SLABlock

__all__ = ["DataQualityBlock", "DataQualityBaseline", "SLABlock"]

_LOGO = "https://raw.githubusercontent.com/truthound/truthound/main/docs/assets/logo.png"
_DOCS = "https://truthound.dev/docs/integrations/prefect"  # the design's documentation site


def _call_with_timeout(func: Any, timeout: float, what: str, *args: Any, **kwargs: Any) -> Any:
    """Run ``func`` in a worker thread and wait at most ``timeout`` seconds.

    Python cannot stop a thread, so on timeout the engine call is abandoned (it finishes in
    the background) and ``CheckTimeoutError`` is raised. The Prefect context is copied into
    the thread, so baselines can still be read from the server.
    """
    future: Future[Any] = Future()
    context = contextvars.copy_context()

    def target() -> None:
        try:
            future.set_result(context.run(func, *args, **kwargs))
        except BaseException as exc:
            future.set_exception(exc)

    threading.Thread(target=target, name=f"truthound-prefect-{what}", daemon=True).start()
    try:
        return future.result(timeout=timeout)
    except TimeoutError:
        if future.done():
            raise
        raise CheckTimeoutError(
            f"the {what} did not finish within timeout_seconds={timeout:g}; raise the block's "
            "timeout_seconds (1 to 3600) or check less data"
        ) from None


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
    default_rules: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Rules used when a check is given none, e.g. [{'column': 'id', 'type': "
        "'not_null'}].",
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
        rules: Sequence[Mapping[str, Any]] | None = None,
        *,
        fail_on_error: bool | None = None,
        auto_schema: bool | None = None,
        dataset: str | None = None,
        baseline_store: BaselineStore | None = None,
    ) -> QualityCheckOutput:
        """Check data; in async code this returns an awaitable (like Prefect's ``save``).

        Args:
            data: A Polars DataFrame or LazyFrame (or a pandas DataFrame).
            rules: Rule dicts; None uses ``default_rules``.
            fail_on_error: Raise ``DataQualityError`` on failure; None uses the block's.
            auto_schema: Compare with the dataset's baseline; None uses the block's.
            dataset: Name of the dataset for baselines; inside a flow it defaults to the
                flow (and task) name.
            baseline_store: Where baselines live; inside a flow, the Prefect server.

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
            )
        return self._check(
            data,
            rules,
            fail_on_error=fail_on_error,
            auto_schema=auto_schema,
            dataset=dataset,
            baseline_store=baseline_store,
        )

    async def acheck(
        self,
        data: Any,
        rules: Sequence[Mapping[str, Any]] | None = None,
        *,
        fail_on_error: bool | None = None,
        auto_schema: bool | None = None,
        dataset: str | None = None,
        baseline_store: BaselineStore | None = None,
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
        )

    def _check(
        self,
        data: Any,
        rules: Sequence[Mapping[str, Any]] | None,
        *,
        fail_on_error: bool | None,
        auto_schema: bool | None,
        dataset: str | None,
        baseline_store: BaselineStore | None,
    ) -> QualityCheckOutput:
        result = self.run_check(
            data, rules, auto_schema=auto_schema, dataset=dataset, baseline_store=baseline_store
        )
        fail = self.fail_on_error if fail_on_error is None else fail_on_error
        if fail and result.status is CheckStatus.FAILED:
            raise DataQualityError(result)
        return result

    def run_check(
        self,
        data: Any,
        rules: Sequence[Mapping[str, Any]] | None = None,
        *,
        auto_schema: bool | None = None,
        dataset: str | None = None,
        baseline_store: BaselineStore | None = None,
    ) -> QualityCheckOutput:
        """Check and return the result, never raising for a failed check (sync only).

        This is what the tasks call; ``fail_on_error`` is theirs to apply.
        """
        effective_rules = self.default_rules if rules is None else rules
        use_schema = self.auto_schema if auto_schema is None else auto_schema
        options: dict[str, Any] = {"dataset": dataset or default_dataset()}
        if use_schema:
            store = baseline_store or (PrefectBaselineStore() if in_run() else None)
            if store is not None:
                options["baseline_store"] = store
        engine = self.get_engine()
        logger = run_logger()
        logger.info("checking %d rule(s) with engine %s", len(effective_rules), engine.engine_name)
        result: QualityCheckOutput = _call_with_timeout(
            engine.check,
            self.timeout_seconds,
            "check",
            data,
            effective_rules,
            auto_schema=use_schema,
            **options,
        )
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
        return result

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
            engine.profile, self.timeout_seconds, "profile", data, columns=columns
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
        result: LearnOutput = _call_with_timeout(engine.learn, self.timeout_seconds, "learn", data)
        run_logger().info("learned %d rules with %s", len(result.rules), result.produced_by)
        return result


def default_dataset() -> str | None:
    """The dataset name used when none is given: ``<flow name>/<task name>``.

    The second call of the same task in one flow run is ``.../<task name>#2``, and so on: a
    count that is stable from one run of a deterministic flow to the next (Prefect's own task
    run keys are random). Outside a flow run there is no default.
    """
    flow_run_id, flow_name, task_name = run_names()
    if flow_name is None:
        return None
    if task_name is None:
        return flow_name
    with _calls_lock:
        key = (flow_run_id, task_name)
        _calls[key] = _calls.get(key, 0) + 1
        if len(_calls) > 10_000:  # forget old flow runs
            del _calls[next(iter(_calls))]
        count = _calls[key]
    return f"{flow_name}/{task_name}" + (f"#{count}" if count > 1 else "")


_calls: dict[tuple[str | None, str], int] = {}
_calls_lock = threading.Lock()
