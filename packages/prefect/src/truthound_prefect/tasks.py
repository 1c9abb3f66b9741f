"""Prefect tasks: check, profile and learn.

Each task serves both kinds of caller, the way Prefect's ``save``/``asave`` do: in a sync flow
``data_quality_check_task(...)`` returns the result, in an async flow (or an async task)
``await data_quality_check_task(...)`` does. ``.submit()``, ``.map()``, ``.with_options()`` and
``.fn`` work from either; the task itself is always a sync Prefect task run.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar, cast

import polars as pl
from prefect import Task
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import State, TaskRun
from prefect.filesystems import WritableFileSystem

from truthound_dq import (
    DEFAULT_REASONS_COLUMN,
    CheckCancelledError,
    CheckStatus,
    ColumnNotFoundError,
    LearnOutput,
    ProfileOutput,
    QualityCheckOutput,
    RuleValidationError,
    SplitOutput,
    TruthoundDQError,
)
from truthound_dq import EngineError as _EngineError
from truthound_prefect._api import ApiBudget, use_budget
from truthound_prefect._context import run_logger
from truthound_prefect._dispatch import dual_task
from truthound_prefect._errors import (
    CheckTimeoutError,
    DataQualityError,
    MaskedEngineError,
    SLAViolationError,
)
from truthound_prefect._events import emit_check_events
from truthound_prefect._fingerprint import profile_cache_key
from truthound_prefect._identity import MapItem, default_dataset, map_index_scope, with_map_index
from truthound_prefect._masking import mask_profile, mask_result
from truthound_prefect._quarantine import (
    quarantine_description,
    quarantine_rows,
    write_invalid_rows,
)
from truthound_prefect._rules import RulesLike
from truthound_prefect.artifacts import artifact_key as artifact_key_of
from truthound_prefect.artifacts import to_prefect_artifact, write_table_artifact
from truthound_prefect.blocks import DataQualityBlock
from truthound_prefect.sla import SLABlock, SLAConfig, SLAMonitor, SLAViolation

__all__ = [
    "data_quality_check_task",
    "data_quality_split_task",
    "data_quality_profile_task",
    "data_quality_learn_task",
    "resolve_block",
    "resolve_sla",
    "should_retry",
    "is_input_error",
]

T = TypeVar("T")
_QUARANTINE_COLUMNS = 30  # most data columns in the quarantine artifact
BlockLike = DataQualityBlock | str | None
SLALike = SLABlock | SLAConfig | SLAMonitor | str | None


def resolve_block(block: BlockLike) -> DataQualityBlock:
    """A block instance from an instance, a saved block's name, or None (the defaults).

    A name may be ``"my-block"`` or ``"data-quality/my-block"``.
    """
    if block is None:
        return DataQualityBlock()
    if isinstance(block, DataQualityBlock):
        return block
    if isinstance(block, str):
        name = block.split("/", 1)[1] if block.startswith("data-quality/") else block
        return cast(DataQualityBlock, DataQualityBlock.load(name, _sync=True))  # type: ignore[call-arg]
    raise TypeError(
        f"block must be a DataQualityBlock, a saved block's name or None, got {block!r}"
    )


def resolve_sla(sla: SLALike, dataset: str) -> tuple[SLAMonitor | None, SLABlock | None]:
    """The monitor for ``sla`` (and the block it came from, if any).

    A config or block gets a monitor named after the dataset, so each dataset keeps its own
    consecutive-failure count; a monitor keeps its own name. A string is a saved
    ``SLABlock``'s name (``"my-sla"`` or ``"sla/my-sla"``).
    """
    if sla is None:
        return None, None
    if isinstance(sla, SLAMonitor):
        return sla, None
    if isinstance(sla, SLAConfig):
        return SLAMonitor(dataset, sla), None
    if isinstance(sla, str):
        name = sla.split("/", 1)[1] if sla.startswith("sla/") else sla
        sla = cast(SLABlock, SLABlock.load(name, _sync=True))  # type: ignore[call-arg]
    if isinstance(sla, SLABlock):
        return sla.monitor(dataset), sla
    raise TypeError(
        "sla must be an SLABlock, an SLAConfig, an SLAMonitor, a saved SLABlock's name or "
        f"None, got {sla!r}"
    )


def _report_sla(violations: list[SLAViolation], monitor: SLAMonitor) -> None:
    logger = run_logger()
    if not violations:
        logger.info("SLA %r met", monitor.name)
    for v in violations:
        log = logger.error if v.severity.value == "error" else logger.warning
        log("SLA %r violated (%s): %s", monitor.name, v.severity.value, v.message)


# Deterministic input errors: the same call fails the same way however often it is retried.
_INPUT_ERRORS: tuple[type[BaseException], ...] = (
    RuleValidationError,
    ColumnNotFoundError,
    TypeError,
    LookupError,
    ValueError,  # also UnicodeError, pydantic's ValidationError
    ArithmeticError,  # OverflowError, ZeroDivisionError
    FileNotFoundError,
    IsADirectoryError,
    NotADirectoryError,
    pl.exceptions.ColumnNotFoundError,
    pl.exceptions.DuplicateError,
    pl.exceptions.InvalidOperationError,
    pl.exceptions.SchemaError,
    pl.exceptions.SchemaFieldNotFoundError,
    pl.exceptions.ShapeError,
)
# Final whatever their cause: a verdict, a broken SLA, a time limit that would pass again.
_FINAL = (DataQualityError, SLAViolationError, CheckTimeoutError, CheckCancelledError)


def _causes(exc: BaseException) -> list[BaseException]:
    chain: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in chain and len(chain) < 20:
        chain.append(current)
        current = current.__cause__
    return chain


def is_input_error(exc: BaseException) -> bool:
    """Whether ``exc`` - or what it wraps (``__cause__``) - is a deterministic input error."""
    return any(isinstance(e, _INPUT_ERRORS) for e in _causes(exc))


def should_retry(task: Task[..., Any], task_run: TaskRun, state: State[Any]) -> bool:
    """Retry engine and infrastructure faults only, judged by the cause.

    Never retried: a failed check, a broken SLA, a timeout, bad input - bad rules, bad data,
    a missing file, an overflow, duplicate or missing columns (``ValueError``, ``TypeError``,
    ``LookupError``, ``OverflowError``, ``FileNotFoundError`` and Polars' schema errors),
    also when an ``EngineError`` wraps them - and truthound-dq's own configuration errors
    (unknown engine, broken plugin). Retried: an engine fault of any other cause, and
    infrastructure errors (connections, memory).
    """
    exc = state.result(raise_on_failure=False)
    if not isinstance(exc, BaseException):
        return True
    if isinstance(exc, MaskedEngineError):  # its causes are gone: judged before they went
        return not exc.input_error
    if isinstance(exc, _FINAL) or is_input_error(exc):
        return False
    return not isinstance(exc, TruthoundDQError) or isinstance(exc, _EngineError)


def _write_artifacts(result: Any, **kwargs: Any) -> None:
    # to_prefect_artifact already logs and swallows API failures per artifact; this guards
    # against anything else (a bug in rendering must not turn a result into a crash either).
    try:
        to_prefect_artifact(result, **kwargs)
    except Exception as exc:
        run_logger().warning("could not write artifacts (%s: %s)", type(exc).__name__, exc)


@dataclass(frozen=True, slots=True)
class _Report(Generic[T]):
    """What a checking task did: its output, the result (whole and as shown), the SLA."""

    output: T
    result: QualityCheckOutput
    shown: QualityCheckOutput
    violations: list[SLAViolation] | None
    block: DataQualityBlock


def _check_and_report(
    data: Any,
    run: Callable[[DataQualityBlock, Any, str | None, ApiBudget], T],
    result_of: Callable[[T], QualityCheckOutput],
    *,
    block: BlockLike,
    dataset: str | None,
    sla: SLALike,
    api_timeout_seconds: float | None,
    mask_columns: Sequence[str],
    include_samples: bool,
    create_artifact: bool,
    artifact_key: str | None,
    emit_events: bool,
    report_more: Callable[[T, QualityCheckOutput], None] | None = None,
) -> _Report[T]:
    """Run a check (``run(block, data, dataset, budget)``), evaluate the SLA, report.

    ``data`` reaches ``run`` unwrapped (a ``.map()`` item's value); artifacts and events
    follow.

    ``report_more`` writes what a task adds to the usual artifacts (within the same API
    budget). Never raises for the verdict: :func:`_raise_for_verdict` does, afterwards.
    """
    index = None
    if isinstance(data, MapItem):  # recorded by .map(): the item's position names it
        index, data = data.index, data.value
    resolved = resolve_block(block)
    seconds = resolved.api_timeout_seconds if api_timeout_seconds is None else api_timeout_seconds
    budget = ApiBudget(seconds)
    masked = tuple(mask_columns)
    with use_budget(budget), map_index_scope(index):
        name = dataset or default_dataset()
        # Before the check: a saved SLA that cannot be loaded is a fault worth a retry.
        monitor, sla_block = resolve_sla(sla, name or "unnamed")
        try:
            output = run(resolved, data, name, budget)
        except _EngineError as exc:
            if not masked:
                raise
            kinds = tuple(type(e).__name__ for e in _causes(exc))
            raise MaskedEngineError(exc.engine, kinds, input_error=is_input_error(exc)) from None
        result = result_of(output)
        # What may leave the process: artifacts, events, logs, a pickled error.
        shown = mask_result(result, masked, include_samples)
        violations: list[SLAViolation] | None = None
        if monitor is not None:
            violations = monitor.evaluate(result, budget=budget)
            _report_sla(violations, monitor)
        if create_artifact:
            _write_artifacts(
                shown,
                key=artifact_key,
                include_samples=include_samples,
                mask_columns=masked,
                sla=violations,
            )
            if report_more is not None:
                report_more(output, shown)
        if emit_events:
            emit_check_events(
                shown,
                violations or (),
                block=resolved,
                sla_block=sla_block,
                monitor=monitor.name if monitor else None,
            )
    if budget.missed:
        run_logger().warning(
            "the check's verdict (%s) stands, but %d Prefect API call(s) were not done: %s",
            result.status.value,
            len(budget.missed),
            "; ".join(budget.missed),
        )
    return _Report(output, result, shown, violations, resolved)


def _raise_for_verdict(report: _Report[Any], failed: bool, message: str | None = None) -> None:
    """``DataQualityError`` if ``failed``, then ``SLAViolationError`` for an error-level SLA."""
    if failed:
        raise DataQualityError(report.result, message, shown=report.shown)
    violations = report.violations
    if violations and any(v.severity.value == "error" for v in violations):
        raise SLAViolationError(violations, report.result, shown=report.shown)


@with_map_index  # .map() records each item's index: it names the item's dataset
@dual_task(
    name="data_quality_check",
    description="Check data against data-quality rules.",
    tags=["data-quality", "check"],
    retries=2,
    retry_delay_seconds=10,
    retry_condition_fn=should_retry,
    cache_policy=NO_CACHE,
    persist_result=False,
)
def data_quality_check_task(
    data: Any,
    *,
    block: BlockLike = None,
    rules: RulesLike | None = None,
    auto_schema: bool | None = None,
    fail_on_error: bool | None = None,
    create_artifact: bool = True,
    dataset: str | None = None,
    artifact_key: str | None = None,
    include_samples: bool = True,
    mask_columns: Sequence[str] = (),
    sla: SLALike = None,
    emit_events: bool = True,
    api_timeout_seconds: float | None = None,
    now: dt.datetime | None = None,
) -> QualityCheckOutput:
    r"""Check data; evaluate the SLA; write artifacts; emit events; then raise on failure.

    Settings come from the explicit argument, else the block, else the defaults
    (``auto_schema=True``, ``fail_on_error=True``). Retries (2, 10 s apart) happen only for
    engine or infrastructure faults; a failed check or a broken SLA is deterministic and is
    not retried. ``DataQualityError`` (a failed check with ``fail_on_error``) comes before
    ``SLAViolationError`` (an ``error``-severity SLA violation, raised even when
    ``fail_on_error`` is off).

    Args:
        data: A Polars DataFrame or LazyFrame, a pandas DataFrame or a PySpark DataFrame.
            Neither a LazyFrame (a ``pl.scan_parquet`` of a folder, say) nor a Spark frame
            is collected here: the engine reads only the columns the rules name (streaming
            a scan where it can), a Spark frame is checked on the cluster, and only counts
            and bounded samples come back.
        block: A ``DataQualityBlock``, the name of a saved one, or None for the defaults.
        rules: Rule dicts, or the path of a YAML/JSON rule file (read when the task runs;
            see ``truthound_dq.load_rules``); None uses the block's ``default_rules``.
        auto_schema: Compare with the dataset's baseline on the Prefect server.
        fail_on_error: Raise ``DataQualityError`` when an error-severity rule fails.
        create_artifact: Write the summary, rules, failures and report artifacts.
        dataset: Dataset name for baselines, SLA counts, artifact keys and event resources;
            by default derived from the code: the flow, the calling task and the map index
            (``<flow>/<task>[3]``), the same on every run and retry.
        artifact_key: Base key of the artifacts (sanitized for Prefect).
        include_samples: Show failing values in artifacts.
        mask_columns: Columns whose values never leave the process: masked in artifacts,
            messages, events, errors and left out of the stored baseline; an engine fault
            is raised as ``MaskedEngineError``, its text (which may quote values) dropped.
        sla: An ``SLABlock``, ``SLAConfig``, ``SLAMonitor`` or a saved SLA block's name;
            violations are logged, shown in the report, emitted as ``truthound.sla.violated``
            events and raise ``SLAViolationError`` when their severity is ``error``.
        emit_events: Emit ``truthound.check.<passed|warned|failed>`` for Automations.
        api_timeout_seconds: Longest all of this check's Prefect API calls (SLA count,
            baseline, artifacts, events) may take together; None uses the block's
            (default 10 s). Past it, or if the API fails, they are skipped with a warning
            and the verdict is returned or raised all the same.
        now: The check's time: ``freshness`` rules are judged against it and it is the
            result's ``timestamp``; naive means UTC; None is the current time.

    Examples:
        In a flow (``await`` in an async flow; call it directly in a sync one):

        ```python
        @flow
        async def my_pipeline():
            data = load_data()
            result = await data_quality_check_task(
                data=data,
                rules=[
                    {
                        "column": "email",
                        "type": "regex",
                        "pattern": "^[\\w\\.-]+@[\\w\\.-]+\\.[a-zA-Z]{2,}$",
                    },
                    {"column": "age", "type": "in_range", "min": 0, "max": 150},
                ],
            )
            if result.status.name == "PASSED":
                process_data(data)
        ```

        With a block:

        ```python
        block = DataQualityBlock(engine_name="truthound", auto_schema=True)
        result = await data_quality_check_task(
            data=data,
            block=block,
            rules=[{"column": "id", "type": "not_null"}],
        )
        ```
    """

    def run(
        resolved: DataQualityBlock, data: Any, name: str | None, budget: ApiBudget
    ) -> QualityCheckOutput:
        return resolved.run_check(
            data,
            rules,
            auto_schema=auto_schema,
            dataset=name,
            api_budget=budget,
            mask_columns=tuple(mask_columns),
            now=now,
        )

    report = _check_and_report(
        data,
        run,
        lambda result: result,
        block=block,
        dataset=dataset,
        sla=sla,
        api_timeout_seconds=api_timeout_seconds,
        mask_columns=mask_columns,
        include_samples=include_samples,
        create_artifact=create_artifact,
        artifact_key=artifact_key,
        emit_events=emit_events,
    )
    fail = report.block.fail_on_error if fail_on_error is None else fail_on_error
    _raise_for_verdict(report, fail and report.result.status is CheckStatus.FAILED)
    return report.output


@with_map_index
@dual_task(
    name="data_quality_split",
    description="Check data and split it into valid and quarantined rows with the reasons.",
    tags=["data-quality", "split"],
    retries=2,
    retry_delay_seconds=10,
    retry_condition_fn=should_retry,
    cache_policy=NO_CACHE,
    persist_result=False,
)
def data_quality_split_task(
    data: Any,
    *,
    block: BlockLike = None,
    rules: RulesLike | None = None,
    auto_schema: bool | None = None,
    fail_on_error: bool | None = None,
    fail_if_invalid_fraction_above: float | None = None,
    create_artifact: bool = True,
    dataset: str | None = None,
    artifact_key: str | None = None,
    include_samples: bool = True,
    mask_columns: Sequence[str] = (),
    sla: SLALike = None,
    emit_events: bool = True,
    api_timeout_seconds: float | None = None,
    reasons_column: str = DEFAULT_REASONS_COLUMN,
    row_index: str | None = None,
    invalid_rows_path: str | os.PathLike[str] | None = None,
    invalid_rows_storage: WritableFileSystem | None = None,
    max_quarantine_rows: int = 20,
    now: dt.datetime | None = None,
) -> SplitOutput:
    """Check data, split it into valid and quarantined rows, report, then raise if it must.

    Returns ``engine.split``'s ``SplitOutput``: ``valid`` (rows failing no error-severity
    row-level rule), ``invalid`` (the others), both with the reasons column, and
    ``result``, the check. Writes the check task's artifacts plus ``<key>-quarantine``, a
    table of the first ``max_quarantine_rows`` quarantined rows (at most 30 columns, values
    cut to 80 characters, ``mask_columns`` shown as ``***``); quarantined values are never
    logged. With ``invalid_rows_path`` the quarantined rows are written as Parquet, whole
    and unmasked (the file is your data, where you put it), on every run - an empty file
    when nothing was quarantined.

    Rows failing a row-level rule are handled by the split, so they do not fail the task.
    ``DataQualityError`` is raised (after the artifacts and the file) when ``fail_on_error``
    (default: the block's, True) and an error-severity rule failed that quarantined no row -
    a table-level rule such as ``row_count``, or a rule that was not evaluated - or when more
    than ``fail_if_invalid_fraction_above`` (a fraction 0..1) of the rows were quarantined;
    then ``SLAViolationError`` for an ``error``-severity SLA. Retries as the check task.

    Args:
        data: A Polars DataFrame or LazyFrame (read once) or a pandas DataFrame; the split's
            frames are Polars. A PySpark DataFrame is refused with the engine's
            ``TypeError`` (not retried): its rows would have to come to the driver.
        block: A ``DataQualityBlock``, the name of a saved one, or None for the defaults.
        rules: Rule dicts, or the path of a YAML/JSON rule file (read when the task runs);
            None uses the block's ``default_rules``.
        auto_schema: Compare with the dataset's baseline on the Prefect server.
        fail_on_error: Raise for failed rules no quarantine fixes; None uses the block's.
        fail_if_invalid_fraction_above: Raise when the quarantined fraction is above it.
        create_artifact: Write the check's artifacts and the quarantine table.
        dataset: Dataset name (baselines, SLA counts, artifact keys, events).
        artifact_key: Base key of the artifacts (sanitized for Prefect).
        include_samples: Show failing values in the check's artifacts and the quarantined
            rows' values in the quarantine table (False: every value there is ``***``).
        mask_columns: Columns whose values never reach artifacts, logs, events or errors
            (the Parquet file keeps them: it is your data).
        sla: An ``SLABlock``, ``SLAConfig``, ``SLAMonitor`` or a saved SLA block's name.
        emit_events: Emit ``truthound.check.<passed|warned|failed>`` for Automations.
        api_timeout_seconds: Budget of the check's Prefect API calls (see the check task).
        reasons_column: Name of the list column naming the rules each row failed.
        row_index: Name of a 0-based input position column to add (None: none).
        invalid_rows_path: Where to write the quarantined rows as Parquet: a local path, or
            a path within ``invalid_rows_storage``.
        invalid_rows_storage: A Prefect ``WritableFileSystem`` block (``LocalFileSystem``,
            ``RemoteFileSystem``, a bucket block) to write ``invalid_rows_path`` into.
        max_quarantine_rows: Most rows in the quarantine artifact.
        now: The check's time (as in the check task); None is the current time.

    Examples:
        ```python
        @flow
        def publish_orders():
            split = data_quality_split_task(
                orders,
                rules=[{"column": "amount", "type": "in_range", "min": 0}],
                invalid_rows_path="quarantine/orders.parquet",
            )
            publish(split.valid)  # only rows that passed every error rule
        ```
    """
    if fail_if_invalid_fraction_above is not None and not (
        0 <= fail_if_invalid_fraction_above <= 1
    ):
        raise ValueError(
            "fail_if_invalid_fraction_above is a fraction 0..1, got "
            f"{fail_if_invalid_fraction_above!r}"
        )
    if invalid_rows_storage is not None and invalid_rows_path is None:
        raise ValueError("invalid_rows_storage needs invalid_rows_path (the path within it)")

    def run(
        resolved: DataQualityBlock, data: Any, name: str | None, budget: ApiBudget
    ) -> SplitOutput:
        return resolved.run_split(
            data,
            rules,
            reasons_column=reasons_column,
            row_index=row_index,
            auto_schema=auto_schema,
            dataset=name,
            api_budget=budget,
            mask_columns=tuple(mask_columns),
            now=now,
        )

    def quarantine(split: SplitOutput, shown: QualityCheckOutput) -> None:
        if not split.invalid.height:
            return
        # include_samples=False: no value the data holds reaches an artifact, so every
        # column is masked and the table keeps only row positions and reasons.
        hidden = mask_columns if include_samples else split.data_columns
        table = quarantine_rows(
            split,
            mask_columns=hidden,
            max_rows=max_quarantine_rows,
            max_columns=_QUARANTINE_COLUMNS,
        )
        description = quarantine_description(split, max_quarantine_rows, _QUARANTINE_COLUMNS)
        write_table_artifact(
            f"{artifact_key_of(shown, artifact_key)}-quarantine", table, description
        )

    report = _check_and_report(
        data,
        run,
        lambda split: split.result,
        block=block,
        dataset=dataset,
        sla=sla,
        api_timeout_seconds=api_timeout_seconds,
        mask_columns=mask_columns,
        include_samples=include_samples,
        create_artifact=create_artifact,
        artifact_key=artifact_key,
        emit_events=emit_events,
        report_more=quarantine,
    )
    split = report.output
    if invalid_rows_path is not None:
        where = write_invalid_rows(split, invalid_rows_path, invalid_rows_storage)
        run_logger().info("wrote %d quarantined row(s) to %s", split.invalid.height, where)
    fail = report.block.fail_on_error if fail_on_error is None else fail_on_error
    on = f" on {split.result.dataset!r}" if split.result.dataset else ""
    if fail and (blocking := split.blocking_failures):
        names = ", ".join(r.rule_name for r in blocking[:5]) + (
            ", ..." if len(blocking) > 5 else ""
        )
        _raise_for_verdict(
            report,
            True,
            f"data quality split{on} failed: {len(blocking)} error rule(s) failed that "
            f"quarantine no rows ({names}); {split.invalid.height:,} of {split.row_count:,} "
            "rows were quarantined",
        )
    limit = fail_if_invalid_fraction_above
    too_many = limit is not None and split.invalid_fraction > limit
    _raise_for_verdict(
        report,
        too_many,
        f"data quality split{on} failed: {split.invalid_fraction:.2%} of the rows "
        f"({split.invalid.height:,} of {split.row_count:,}) were quarantined, above "
        f"fail_if_invalid_fraction_above={limit}",
    )
    return split


@dual_task(
    name="data_quality_profile",
    description="Profile data: missing and distinct counts, min, max, mean per column.",
    tags=["data-quality", "profile"],
    cache_key_fn=profile_cache_key,
    cache_expiration=dt.timedelta(hours=1),
    persist_result=True,
)
def data_quality_profile_task(
    data: Any,
    *,
    block: BlockLike = None,
    columns: Sequence[str] | None = None,
    create_artifact: bool = True,
    artifact_key: str | None = None,
    mask_columns: Sequence[str] = (),
) -> ProfileOutput:
    """Profile data and write the columns table and report artifacts.

    Cached for an hour by a content fingerprint of the data (computed with Polars, never by
    pickling the frame), the engine, the columns and ``mask_columns``. Profiles of a
    LazyFrame or a PySpark DataFrame are not cached: they are plans whose files or tables can
    change while the plan stays the same, and fingerprinting their content would cost a full
    pass (or a Spark job) of its own; their key is decided by type, without touching the data.
    Masked columns keep their counts and dtype, not their min, max and mean: the result is
    persisted.

    Examples:
        ```python
        result = await data_quality_profile_task(data)
        print(f"Profiled {len(result.columns)} columns")
        ```
    """
    # Masked columns' min, max and mean are dropped from what is returned, because the task
    # persists its result (and caches it) in Prefect's result storage.
    result = mask_profile(resolve_block(block).run_profile(data, columns=columns), mask_columns)
    if create_artifact:
        _write_artifacts(result, key=artifact_key, mask_columns=mask_columns)
    return result


@dual_task(
    name="data_quality_learn",
    description="Learn data-quality rules from data.",
    tags=["data-quality", "learn"],
    cache_policy=NO_CACHE,
    persist_result=False,
)
def data_quality_learn_task(
    data: Any,
    *,
    block: BlockLike = None,
    create_artifact: bool = True,
    artifact_key: str | None = None,
    mask_columns: Sequence[str] = (),
) -> LearnOutput:
    """Learn rules from data; ``result.to_rules()`` gives rule dicts for a check.

    A PySpark DataFrame is refused with the engine's ``TypeError``: learn from a bounded
    sample on the driver (``df.limit(n).toPandas()``, say).

    Examples:
        ```python
        result = await data_quality_learn_task(data)
        print(f"Learned {len(result.rules)} rules")
        ```
    """
    result = resolve_block(block).run_learn(data)
    if create_artifact:
        _write_artifacts(result, key=artifact_key, mask_columns=mask_columns)
    return result
