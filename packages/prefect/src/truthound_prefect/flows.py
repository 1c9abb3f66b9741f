"""Flow decorators and flow factories with data-quality gates.

Decorators wrap a sync or async function into a Prefect flow that checks (or profiles) the
DataFrame/LazyFrame it returns; other return values pass through untouched. The function's
signature is kept, so Prefect's parameter schema is the function's own.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar, overload

from prefect import Flow, flow

from truthound_dq import QualityCheckOutput, is_supported_data
from truthound_prefect.tasks import (
    BlockLike,
    SLALike,
    data_quality_check_task,
    data_quality_profile_task,
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
Rules = Sequence[Mapping[str, Any]]


def _gate(
    fn: Callable[..., Any], after: Callable[[Any], None], flow_kwargs: dict[str, Any]
) -> Flow[..., Any]:
    """Make ``fn`` a flow that calls ``after`` on its return value when it is a frame."""
    if inspect.iscoroutinefunction(fn):

        @functools.wraps(fn)
        async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
            out = await fn(*args, **kwargs)
            if is_supported_data(out):
                after(out)  # the tasks are sync: they run (and raise) right here
            return out

        return flow(**flow_kwargs)(async_wrapper)

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        out = fn(*args, **kwargs)
        if is_supported_data(out):
            after(out)
        return out

    return flow(**flow_kwargs)(wrapper)


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
    **flow_kwargs: Any,
) -> Any:
    """A flow decorator that checks the DataFrame/LazyFrame the flow returns.

    Example:
        ```python
        @quality_checked_flow(rules=[{"column": "id", "type": "not_null"}], name="users")
        def build_users() -> pl.DataFrame: ...
        ```

    Args:
        rules: Rule dicts; None uses the block's ``default_rules``.
        block: A ``DataQualityBlock``, a saved block's name, or None for the defaults.
        auto_schema: Compare with the dataset's baseline; None uses the block's.
        fail_on_error: Fail the flow with ``DataQualityError``; None uses the block's.
        dataset: Dataset name for baselines and artifacts (default: the flow's name).
        create_artifact: Write the check's artifacts.
        sla: An ``SLABlock``, ``SLAConfig``, ``SLAMonitor`` or saved SLA block name.
        **flow_kwargs: Passed to ``prefect.flow`` (``name``, ``retries``, ``log_prints``...).
    """
    if callable(rules) and not isinstance(rules, Sequence):
        return quality_checked_flow()(rules)  # used bare: @quality_checked_flow

    def decorator(fn: F) -> Flow[..., Any]:
        def check(out: Any) -> None:
            data_quality_check_task(
                out,
                block=block,
                rules=rules,
                auto_schema=auto_schema,
                fail_on_error=fail_on_error,
                create_artifact=create_artifact,
                dataset=dataset or flow_kwargs.get("name") or fn.__name__,
                sla=sla,
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
    """A flow decorator that profiles the DataFrame/LazyFrame the flow returns."""

    def decorator(func: Callable[..., Any]) -> Flow[..., Any]:
        def profile(out: Any) -> None:
            data_quality_profile_task(
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
    **flow_kwargs: Any,
) -> Flow[..., QualityCheckOutput]:
    """A flow ``name(data) -> QualityCheckOutput`` that checks ``rules``.

    Example:
        ```python
        users_quality = create_quality_flow("users-quality", [{"column": "id", "type": "unique"}])
        result = users_quality(pl.DataFrame({"id": [1, 2]}))
        ```

    Args:
        name: The flow's name (also the dataset name for baselines).
        rules: Rule dicts; None uses the block's ``default_rules``.
        block: A ``DataQualityBlock``, a saved block's name, or None for the defaults.
        auto_schema: Compare with the dataset's baseline; None uses the block's.
        fail_on_error: Fail the flow on a failed check; None uses the block's.
        retries: Flow retries.
        asynchronous: Build an ``async def`` flow (to ``await`` from async code).
        sla: An ``SLABlock``, ``SLAConfig``, ``SLAMonitor`` or saved SLA block name.
        **flow_kwargs: More ``prefect.flow`` options.
    """

    def run(data: Any) -> QualityCheckOutput:
        return data_quality_check_task(
            data,
            block=block,
            rules=rules,
            auto_schema=auto_schema,
            fail_on_error=fail_on_error,
            dataset=name,
            sla=sla,
        )

    return _factory_flow(name, run, asynchronous, {"retries": retries, **flow_kwargs})


def create_validation_flow(
    name: str,
    rules: Rules | None = None,
    *,
    block: BlockLike = None,
    auto_schema: bool | None = None,
    asynchronous: bool = False,
    sla: SLALike = None,
    **flow_kwargs: Any,
) -> Flow[..., Any]:
    """A flow ``name(data) -> data`` that returns the data only if it passes ``rules``.

    An ``sla`` of severity ``error`` is a gate too: a broken limit fails the flow.
    """

    def run(data: Any) -> Any:
        data_quality_check_task(
            data,
            block=block,
            rules=rules,
            auto_schema=auto_schema,
            fail_on_error=True,
            dataset=name,
            sla=sla,
        )
        return data

    return _factory_flow(name, run, asynchronous, flow_kwargs)


def _factory_flow(
    name: str, run: Callable[[Any], Any], asynchronous: bool, flow_kwargs: dict[str, Any]
) -> Flow[..., Any]:
    doc = f"Data-quality flow {name!r}: checks the data it is given."
    if asynchronous:

        async def async_flow(data: Any) -> Any:
            return run(data)

        async_flow.__doc__ = doc
        return flow(name=name, **flow_kwargs)(async_flow)

    def sync_flow(data: Any) -> Any:
        return run(data)

    sync_flow.__doc__ = doc
    return flow(name=name, **flow_kwargs)(sync_flow)


def create_pipeline_flow(
    name: str,
    *,
    pre_check_rules: Rules | None = None,
    post_check_rules: Rules | None = None,
    block: BlockLike = None,
    auto_schema: bool | None = None,
    fail_on_error: bool | None = None,
    sla: SLALike = None,
    **flow_kwargs: Any,
) -> Callable[[Callable[..., Any]], Flow[..., Any]]:
    """A decorator turning a transform into a flow: pre-check, transform, post-check.

    The transform may be sync or async (the flow is then async too); its first argument is
    the data. Pre- and post-checks keep separate baselines (``<name>/pre``, ``<name>/post``)
    and, for an ``sla`` given as a block or config, separate consecutive-failure counts.

    Example:
        ```python
        @create_pipeline_flow("clean-users", pre_check_rules=[...], post_check_rules=[...])
        def clean(data: pl.DataFrame) -> pl.DataFrame:
            return data.drop_nulls("id")
        ```
    """

    def check(data: Any, rules: Rules | None, stage: str) -> None:
        if rules:
            data_quality_check_task(
                data,
                block=block,
                rules=rules,
                auto_schema=auto_schema,
                fail_on_error=fail_on_error,
                dataset=f"{name}/{stage}",
                sla=sla,
            )

    def decorator(transform: Callable[..., Any]) -> Flow[..., Any]:
        if inspect.iscoroutinefunction(transform):

            @functools.wraps(transform)
            async def async_pipeline(data: Any, *args: Any, **kwargs: Any) -> Any:
                check(data, pre_check_rules, "pre")
                out = await transform(data, *args, **kwargs)
                check(out, post_check_rules, "post")
                return out

            return flow(name=name, **flow_kwargs)(async_pipeline)

        @functools.wraps(transform)
        def pipeline(data: Any, *args: Any, **kwargs: Any) -> Any:
            check(data, pre_check_rules, "pre")
            out = transform(data, *args, **kwargs)
            check(out, post_check_rules, "post")
            return out

        return flow(name=name, **flow_kwargs)(pipeline)

    return decorator
