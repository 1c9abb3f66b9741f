"""One sync/async dispatch for our tasks and flows, the way Prefect's ``save``/``asave`` decide.

A task or flow built here runs a synchronous function, so it is a real Prefect task or flow run
on every path (``.submit()``, ``.map()``, ``.fn``, deployments). Only a direct call changes with
its caller: from sync code it returns the result, from async code (an async flow or task, or a
running event loop outside a run) an awaitable - ``result = await data_quality_check_task(...)``.
The awaited run happens in a worker thread with the caller's context, exactly like a task
submitted to Prefect's thread pool, so the event loop stays free.

A plain ``async def`` task would not do: in a sync flow Prefect hands back an un-awaited
coroutine and the check never runs. ``prefect._internal`` has a dispatcher, but it is private.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Callable, Coroutine
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar, cast

from prefect import Task

from truthound_prefect._context import in_async_context
from truthound_prefect._flow_parameters import FrameSafeFlow

__all__ = ["DualTask", "DualFlow", "dual_task", "dual_flow", "run_coroutine"]

T = TypeVar("T")


def run_coroutine(coro: Coroutine[Any, Any, T]) -> T:
    """Run ``coro`` to completion from sync code, with the caller's context.

    A thread whose event loop is already running (a sync task inline in an async flow) cannot
    run another loop, so the coroutine then runs on a fresh loop in a worker thread.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coro)
    context = contextvars.copy_context()
    with ThreadPoolExecutor(1, thread_name_prefix="truthound-prefect-sync") as pool:
        return pool.submit(context.run, asyncio.run, coro).result()


class DualTask(Task[..., Any]):
    """A sync Prefect task whose direct call is awaitable from async callers."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Run the task: the result in sync code, an awaitable of it in async code."""
        if in_async_context():
            return self._acall(*args, **kwargs)
        return super().__call__(*args, **kwargs)

    async def _acall(self, *args: Any, **kwargs: Any) -> Any:
        # ``to_thread`` copies the context: the run is the calling flow's (or task's) child.
        return await asyncio.to_thread(super().__call__, *args, **kwargs)

    def with_options(self, **options: Any) -> DualTask:
        """``Task.with_options``, keeping the dispatch (Prefect's returns a plain ``Task``)."""
        new = super().with_options(**options)
        new.__class__ = type(self)  # same layout: DualTask only overrides methods
        return cast(DualTask, new)


class DualFlow(FrameSafeFlow):
    """A Prefect flow whose call serves sync and async callers alike.

    Its frame parameters reach the server as placeholders (see ``_flow_parameters``).

    Over a sync function, async callers get an awaitable of a run in a worker thread; over an
    async function, sync callers get the result of the run (a subflow of a sync flow too).
    """

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        """Run the flow: the result in sync code, an awaitable of it in async code."""
        caller_async = in_async_context()
        if self.isasync:
            run = super().__call__(*args, **kwargs)
            return run if caller_async else run_coroutine(run)
        if caller_async:
            return self._acall(*args, **kwargs)
        return super().__call__(*args, **kwargs)

    async def _acall(self, *args: Any, **kwargs: Any) -> Any:
        return await asyncio.to_thread(super().__call__, *args, **kwargs)

    def with_options(self, **options: Any) -> DualFlow:
        """``Flow.with_options``, keeping the dispatch (Prefect's returns a plain ``Flow``)."""
        new = super().with_options(**options)
        new.__class__ = type(self)  # same layout: DualFlow only overrides methods
        return cast(DualFlow, new)


def dual_task(**options: Any) -> Callable[[Callable[..., T]], DualTask]:
    """Like ``@prefect.task(**options)`` for a sync function, with the sync/async dispatch."""

    def decorator(fn: Callable[..., T]) -> DualTask:
        return DualTask(fn=fn, **options)

    return decorator


def dual_flow(fn: Callable[..., Any], **options: Any) -> DualFlow:
    """Like ``prefect.flow(**options)(fn)``, with the sync/async dispatch."""
    return DualFlow(fn=fn, **options)
