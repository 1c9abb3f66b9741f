"""Prefect tasks: check, profile and learn.

The tasks are synchronous functions, so they work from sync and async flows alike; in an
async flow call them directly or ``.submit()`` them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, cast

from prefect import Task, task
from prefect.cache_policies import NO_CACHE
from prefect.client.schemas.objects import State, TaskRun

from truthound_dq import (
    CheckStatus,
    LearnOutput,
    ProfileOutput,
    QualityCheckOutput,
    RuleValidationError,
    TruthoundDQError,
)
from truthound_dq import EngineError as _EngineError
from truthound_prefect._context import run_logger
from truthound_prefect._errors import CheckTimeoutError, DataQualityError
from truthound_prefect._fingerprint import profile_cache_key
from truthound_prefect.artifacts import to_prefect_artifact
from truthound_prefect.blocks import DataQualityBlock

__all__ = [
    "data_quality_check_task",
    "data_quality_profile_task",
    "data_quality_learn_task",
    "resolve_block",
    "should_retry",
]

BlockLike = DataQualityBlock | str | None


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


def should_retry(task: Task[..., Any], task_run: TaskRun, state: State[Any]) -> bool:
    """Retry engine and infrastructure faults only: a failed check or bad input is final."""
    exc = state.result(raise_on_failure=False)
    if isinstance(exc, DataQualityError | RuleValidationError | TypeError | LookupError):
        return False
    # Other truthound_dq errors (missing engine, broken plugin) will not heal by retrying.
    return not isinstance(exc, TruthoundDQError) or isinstance(
        exc, _EngineError | CheckTimeoutError
    )


def _write_artifacts(result: Any, **kwargs: Any) -> None:
    # to_prefect_artifact already logs and swallows API failures per artifact; this guards
    # against anything else (a bug in rendering must not turn a result into a crash either).
    try:
        to_prefect_artifact(result, **kwargs)
    except Exception as exc:
        run_logger().warning("could not write artifacts (%s: %s)", type(exc).__name__, exc)


@task(
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
    rules: Sequence[Mapping[str, Any]] | None = None,
    auto_schema: bool | None = None,
    fail_on_error: bool | None = None,
    create_artifact: bool = True,
    dataset: str | None = None,
    artifact_key: str | None = None,
    include_samples: bool = True,
    mask_columns: Sequence[str] = (),
) -> QualityCheckOutput:
    """Check data; write artifacts; raise ``DataQualityError`` on failure after writing them.

    Settings come from the explicit argument, else the block, else the defaults
    (``auto_schema=True``, ``fail_on_error=True``). Retries (2, 10 s apart) happen only for
    engine or infrastructure faults; a failed check is deterministic and is not retried.

    Args:
        data: A Polars DataFrame or LazyFrame (or a pandas DataFrame).
        block: A ``DataQualityBlock``, the name of a saved one, or None for the defaults.
        rules: Rule dicts; None uses the block's ``default_rules``.
        auto_schema: Compare with the dataset's baseline on the Prefect server.
        fail_on_error: Raise ``DataQualityError`` when an error-severity rule fails.
        create_artifact: Write the summary, rules, failures and report artifacts.
        dataset: Dataset name for baselines and artifact keys (default: flow and task).
        artifact_key: Base key of the artifacts (sanitized for Prefect).
        include_samples: Show failing values in artifacts.
        mask_columns: Columns whose values are masked in artifacts.
    """
    resolved = resolve_block(block)
    result = resolved.run_check(data, rules, auto_schema=auto_schema, dataset=dataset)
    if create_artifact:
        _write_artifacts(
            result, key=artifact_key, include_samples=include_samples, mask_columns=mask_columns
        )
    fail = resolved.fail_on_error if fail_on_error is None else fail_on_error
    if result.status is CheckStatus.FAILED and fail:
        raise DataQualityError(result)
    return result


@task(
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
    pickling the frame), the engine and the columns; LazyFrame profiles are not cached.
    """
    result = resolve_block(block).run_profile(data, columns=columns)
    if create_artifact:
        _write_artifacts(result, key=artifact_key, mask_columns=mask_columns)
    return result


@task(
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
    """Learn rules from data; ``result.to_rules()`` gives rule dicts for a check."""
    result = resolve_block(block).run_learn(data)
    if create_artifact:
        _write_artifacts(result, key=artifact_key, mask_columns=mask_columns)
    return result
