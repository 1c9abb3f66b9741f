"""Flow decorators and flow factories with data-quality gates.

Decorators wrap a sync or async function into a Prefect flow that checks (or profiles) the
frame it returns (Polars DataFrame or LazyFrame, pandas or PySpark DataFrame), handed back
untouched - a lazy plan stays a plan; other return values pass through. The function's
signature is kept, so Prefect's parameter schema is the function's own.

The factories' flows serve both kinds of caller: ``flow(data=df)`` in sync code returns the
result, ``await flow(data=df)`` in async code does, and either works as a subflow of a sync or
an async flow.
"""

from __future__ import annotations

import datetime as dt
import functools
import inspect
import os
from collections.abc import Callable, Sequence
from typing import Any, Literal, TypeVar, overload

from prefect import Flow
from prefect.filesystems import WritableFileSystem

from truthound_dq import QualityCheckOutput, SplitOutput
from truthound_prefect._dispatch import DualFlow, dual_flow
from truthound_prefect._flow_parameters import FrameSafeFlow
from truthound_prefect._frames import is_frame
from truthound_prefect._rules import RulesLike, checked_rules
from truthound_prefect.tasks import (
    BlockLike,
    SLALike,
    data_quality_check_task,
    data_quality_profile_task,
    data_quality_split_task,
)

__all__ = [
    "quality_checked_flow",
    "profiled_flow",
    "validated_flow",
    "create_quality_flow",
    "create_validation_flow",
    "create_pipeline_flow",
]

F = TypeVar("F", bound=Callable[..., Any])
Rules = RulesLike


def _gate(
    fn: Callable[..., Any], after: Callable[[Any], Any], flow_kwargs: dict[str, Any]
) -> Flow[..., Any]:
    """Make ``fn`` a flow that calls ``after`` on its return value when it is a frame."""
    if inspect.iscoroutinefunction(fn):

        @functools.wraps(fn)
        async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
            out = await fn(*args, **kwargs)
            if is_frame(out):
                await after(out)  # in an async flow the tasks are awaitable
            return out

        return FrameSafeFlow(fn=async_wrapper, **flow_kwargs)

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        out = fn(*args, **kwargs)
        if is_frame(out):
            after(out)
        return out

    return FrameSafeFlow(fn=wrapper, **flow_kwargs)


@overload
def quality_checked_flow(rules: F) -> Flow[..., Any]: ...
@overload
def quality_checked_flow(
    rules: Rules | None = None,
    *,
    block: BlockLike = None,
    auto_schema: bool | None = None,
    fail_on_error: bool | None = None,
    dataset: str | None = None,
    create_artifact: bool = True,
    sla: SLALike = None,
    now: dt.datetime | None = None,
    **flow_kwargs: Any,
) -> Callable[[F], Flow[..., Any]]: ...
def quality_checked_flow(
    rules: Any = None,
    *,
    block: BlockLike = None,
    auto_schema: bool | None = None,
    fail_on_error: bool | None = None,
    dataset: str | None = None,
    create_artifact: bool = True,
    sla: SLALike = None,
    now: dt.datetime | None = None,
    **flow_kwargs: Any,
) -> Any:
    """A flow decorator that checks the frame the flow returns (Polars, pandas or PySpark).

    The function may be sync or async; an async one makes an async flow (``await`` it).

    Examples:
        ```python
        @quality_checked_flow(
            rules=[{"column": "id", "type": "not_null"}],
            fail_on_error=True,
        )
        async def process_users():
            return load_and_transform_users()
        ```

    Args:
        rules: Rule dicts, or the path of a YAML/JSON rule file (checked now, read on
            every run); None uses the block's ``default_rules``.
        block: A ``DataQualityBlock``, a saved block's name, or None for the defaults.
        auto_schema: Compare with the dataset's baseline; None uses the block's.
        fail_on_error: Fail the flow with ``DataQualityError``; None uses the block's.
        dataset: Dataset name for baselines and artifacts (default: the flow's name).
        create_artifact: Write the check's artifacts.
        sla: An ``SLABlock``, ``SLAConfig``, ``SLAMonitor`` or saved SLA block name.
        now: The check's time (naive means UTC); None is the time of each check.
        **flow_kwargs: Passed to ``prefect.flow`` (``name``, ``retries``, ``log_prints``...).
    """
    if callable(rules) and not isinstance(rules, Sequence):
        return quality_checked_flow()(rules)  # used bare: @quality_checked_flow
    rules = checked_rules(rules)

    def decorator(fn: F) -> Flow[..., Any]:
        def check(out: Any) -> Any:
            return data_quality_check_task(
                out,
                block=block,
                rules=rules,
                auto_schema=auto_schema,
                fail_on_error=fail_on_error,
                create_artifact=create_artifact,
                dataset=dataset or flow_kwargs.get("name") or fn.__name__,
                sla=sla,
                now=now,
            )

        return _gate(fn, check, flow_kwargs)

    return decorator


def validated_flow(
    rules: Rules,
    *,
    block: BlockLike = None,
    auto_schema: bool | None = None,
    dataset: str | None = None,
    sla: SLALike = None,
    now: dt.datetime | None = None,
    **flow_kwargs: Any,
) -> Callable[[F], Flow[..., Any]]:
    """Like :func:`quality_checked_flow`, but a failed check always fails the flow."""
    return quality_checked_flow(
        rules,
        block=block,
        auto_schema=auto_schema,
        fail_on_error=True,
        dataset=dataset,
        sla=sla,
        now=now,
        **flow_kwargs,
    )


def profiled_flow(
    fn: Callable[..., Any] | None = None,
    *,
    block: BlockLike = None,
    columns: Sequence[str] | None = None,
    create_artifact: bool = True,
    **flow_kwargs: Any,
) -> Any:
    """A flow decorator that profiles the frame the flow returns (Polars, pandas or PySpark).

    Examples:
        ```python
        @profiled_flow
        async def build_events():
            return load_events()
        ```
    """

    def decorator(func: Callable[..., Any]) -> Flow[..., Any]:
        def profile(out: Any) -> Any:
            return data_quality_profile_task(
                out, block=block, columns=columns, create_artifact=create_artifact
            )

        return _gate(func, profile, flow_kwargs)

    return decorator(fn) if fn is not None else decorator


# -- factories ----------------------------------------------------------------------------------


def create_quality_flow(
    name: str,
    rules: Rules | None = None,
    *,
    block: BlockLike = None,
    auto_schema: bool | None = None,
    fail_on_error: bool | None = None,
    retries: int = 0,
    asynchronous: bool = False,
    sla: SLALike = None,
    now: dt.datetime | None = None,
    **flow_kwargs: Any,
) -> Flow[..., QualityCheckOutput]:
    r"""A flow ``name(data) -> QualityCheckOutput`` that checks ``rules``.

    Examples:
        ```python
        user_quality_flow = create_quality_flow(
            name="user_quality_check",
            rules=[
                {"column": "user_id", "type": "not_null"},
                {
                    "column": "email",
                    "type": "regex",
                    "pattern": "^[\\w\\.-]+@[\\w\\.-]+\\.[a-zA-Z]{2,}$",
                },
            ],
        )
        result = await user_quality_flow(data=user_df)  # sync code: user_quality_flow(...)
        ```

    Args:
        name: The flow's name (also the dataset name for baselines).
        rules: Rule dicts, or the path of a YAML/JSON rule file (checked now, read on
            every run); None uses the block's ``default_rules``.
        block: A ``DataQualityBlock``, a saved block's name, or None for the defaults.
        auto_schema: Compare with the dataset's baseline; None uses the block's.
        fail_on_error: Fail the flow on a failed check; None uses the block's.
        retries: Flow retries.
        asynchronous: Build a plain ``async def`` flow, which always returns an awaitable
            (for ``asyncio.run(flow(data))``); by default the flow serves both kinds of caller.
        sla: An ``SLABlock``, ``SLAConfig``, ``SLAMonitor`` or saved SLA block name.
        now: The check's time (naive means UTC); None is the time of each check. The flow
            also takes ``now`` per run (``flow(data, now=...)``, a deployment parameter),
            which wins over this one: a backfill checks each day at its own time.
        **flow_kwargs: More ``prefect.flow`` options.
    """
    rules = checked_rules(rules)

    def check(data: Any, when: dt.datetime | None) -> Any:
        return data_quality_check_task(
            data,
            block=block,
            rules=rules,
            auto_schema=auto_schema,
            fail_on_error=fail_on_error,
            dataset=name,
            sla=sla,
            now=when if when is not None else now,
        )

    return _factory_flow(name, check, False, asynchronous, {"retries": retries, **flow_kwargs})


def create_validation_flow(
    name: str,
    rules: Rules | None = None,
    *,
    block: BlockLike = None,
    auto_schema: bool | None = None,
    asynchronous: bool = False,
    sla: SLALike = None,
    now: dt.datetime | None = None,
    **flow_kwargs: Any,
) -> Flow[..., Any]:
    """A flow ``name(data) -> data`` that returns the data only if it passes ``rules``.

    An ``sla`` of severity ``error`` is a gate too: a broken limit fails the flow.

    Examples:
        ```python
        validate_users = create_validation_flow(
            name="validate_users",
            rules=[{"column": "user_id", "type": "not_null"}],
        )
        valid_df = await validate_users(data=user_df)  # raises DataQualityError if invalid
        ```

    ``rules`` and ``now`` are as in :func:`create_quality_flow`.
    """
    rules = checked_rules(rules)

    def check(data: Any, when: dt.datetime | None) -> Any:
        return data_quality_check_task(
            data,
            block=block,
            rules=rules,
            auto_schema=auto_schema,
            fail_on_error=True,
            dataset=name,
            sla=sla,
            now=when if when is not None else now,
        )

    return _factory_flow(name, check, True, asynchronous, flow_kwargs)


def _factory_flow(
    name: str,
    check: Callable[[Any, dt.datetime | None], Any],
    returns_data: bool,
    asynchronous: bool,
    flow_kwargs: dict[str, Any],
) -> Flow[..., Any]:
    doc = f"Data-quality flow {name!r}: checks the data it is given."
    if asynchronous:

        async def async_flow(data: Any, now: dt.datetime | None = None) -> Any:
            result = await check(data, now)  # the task is awaitable in an async flow
            return data if returns_data else result

        async_flow.__doc__ = doc
        return FrameSafeFlow(fn=async_flow, name=name, **flow_kwargs)

    def sync_flow(data: Any, now: dt.datetime | None = None) -> Any:
        result = check(data, now)
        return data if returns_data else result

    sync_flow.__doc__ = doc
    return dual_flow(sync_flow, name=name, **flow_kwargs)


def create_pipeline_flow(
    name: str,
    *,
    pre_check_rules: Rules | None = None,
    post_check_rules: Rules | None = None,
    block: BlockLike = None,
    auto_schema: bool | None = None,
    fail_on_error: bool | None = None,
    sla: SLALike = None,
    now: dt.datetime | None = None,
    on_invalid: Literal["fail", "split"] = "fail",
    fail_if_invalid_fraction_above: float | None = None,
    invalid_rows_path: str | os.PathLike[str] | None = None,
    invalid_rows_storage: WritableFileSystem | None = None,
    **flow_kwargs: Any,
) -> Callable[[Callable[..., Any]], DualFlow]:
    """A decorator turning a transform into a flow: pre-check, transform, post-check.

    The transform may be sync or async; its first argument is the data. Either way the flow
    serves both kinds of caller (``flow(data=df)`` in sync code, ``await flow(data=df)`` in
    async code). Pre- and post-checks keep separate baselines (``<name>/pre``,
    ``<name>/post``) and, for an ``sla`` given as a block or config, separate
    consecutive-failure counts.

    Examples:
        ```python
        @create_pipeline_flow(
            "clean_users",
            pre_check_rules=[{"column": "id", "type": "not_null"}],
            post_check_rules=[{"column": "id", "type": "unique"}],
        )
        async def clean_users(data: pl.DataFrame) -> pl.DataFrame:
            return data.unique("id", keep="first")

        cleaned = await clean_users(data=user_df)  # in sync code: clean_users(data=user_df)
        ```

    With ``on_invalid="split"`` the post-check is ``data_quality_split_task``: the flow
    returns the transform's valid rows (a Polars DataFrame of its columns) and puts the
    others aside (``invalid_rows_path``/``invalid_rows_storage``, the quarantine artifact)
    instead of failing. It still fails on a failed table-level error rule (or one not
    evaluated) and when more than ``fail_if_invalid_fraction_above`` of the rows were
    quarantined. See ``docs/split.md``.

    Args:
        name: The flow's name; the checks' datasets are ``<name>/pre`` and ``<name>/post``.
        pre_check_rules: Rules the input must pass (a check: a failure fails the flow);
            dicts or a rule file's path, as in :func:`create_quality_flow`.
        post_check_rules: Rules the transform's output must pass (likewise).
        block: A ``DataQualityBlock``, a saved block's name, or None for the defaults.
        auto_schema: Compare with the datasets' baselines; None uses the block's.
        fail_on_error: Fail the flow on a failed check; None uses the block's.
        sla: An ``SLABlock``, ``SLAConfig``, ``SLAMonitor`` or saved SLA block name.
        now: The checks' time (naive means UTC); None is the time of each check.
        on_invalid: ``"fail"`` (default): a failed post-check fails the flow; ``"split"``:
            continue with the post-check's valid rows.
        fail_if_invalid_fraction_above: With ``"split"``: fail when a larger fraction 0..1
            of the rows is quarantined (None: never for the fraction alone).
        invalid_rows_path: With ``"split"``: write the quarantined rows there as Parquet.
        invalid_rows_storage: A ``WritableFileSystem`` block ``invalid_rows_path`` is in.
        **flow_kwargs: More ``prefect.flow`` options.
    """
    if on_invalid not in ("fail", "split"):
        raise ValueError(f"on_invalid must be 'fail' or 'split', got {on_invalid!r}")
    if on_invalid == "fail" and (
        fail_if_invalid_fraction_above is not None or invalid_rows_path is not None
    ):
        raise ValueError(
            "fail_if_invalid_fraction_above and invalid_rows_path need on_invalid='split'"
        )
    pre_check_rules = checked_rules(pre_check_rules)
    post_check_rules = checked_rules(post_check_rules)

    def check(data: Any, rules: Rules | None, stage: str) -> Any:
        if not rules:
            return None
        if stage == "post" and on_invalid == "split":
            return data_quality_split_task(
                data,
                block=block,
                rules=rules,
                auto_schema=auto_schema,
                fail_on_error=fail_on_error,
                fail_if_invalid_fraction_above=fail_if_invalid_fraction_above,
                dataset=f"{name}/{stage}",
                sla=sla,
                invalid_rows_path=invalid_rows_path,
                invalid_rows_storage=invalid_rows_storage,
                now=now,
            )
        return data_quality_check_task(
            data,
            block=block,
            rules=rules,
            auto_schema=auto_schema,
            fail_on_error=fail_on_error,
            dataset=f"{name}/{stage}",
            sla=sla,
            now=now,
        )

    def decorator(transform: Callable[..., Any]) -> DualFlow:
        if inspect.iscoroutinefunction(transform):

            @functools.wraps(transform)
            async def async_pipeline(data: Any, *args: Any, **kwargs: Any) -> Any:
                if (pre := check(data, pre_check_rules, "pre")) is not None:
                    await pre
                out = await transform(data, *args, **kwargs)
                if (post := check(out, post_check_rules, "post")) is not None:
                    return _published(out, await post)
                return out

            return dual_flow(async_pipeline, name=name, **flow_kwargs)

        @functools.wraps(transform)
        def pipeline(data: Any, *args: Any, **kwargs: Any) -> Any:
            check(data, pre_check_rules, "pre")
            out = transform(data, *args, **kwargs)
            return _published(out, check(out, post_check_rules, "post"))

        return dual_flow(pipeline, name=name, **flow_kwargs)

    return decorator


def _published(out: Any, post: Any) -> Any:
    """What a pipeline returns: its output, or the valid rows of a split post-check."""
    return post.valid_data if isinstance(post, SplitOutput) else out
