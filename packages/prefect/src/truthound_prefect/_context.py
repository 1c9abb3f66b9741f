"""Where we are running: inside a Prefect flow or task run, sync or async."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

__all__ = ["in_async_context", "run_logger", "in_run"]

_log = logging.getLogger("truthound_prefect")


def _run_context() -> Any:
    from prefect.context import get_run_context
    from prefect.exceptions import MissingContextError

    try:
        return get_run_context()
    except MissingContextError:
        return None


def in_run() -> bool:
    """True inside a Prefect flow run or task run."""
    return _run_context() is not None


def in_async_context() -> bool:
    """Whether a dual sync/async method should hand back a coroutine, the way Prefect decides.

    Inside a run, the run's function decides (a sync task inside an async flow is sync);
    outside a run, a running event loop means async.
    """
    ctx = _run_context()
    if ctx is not None:
        owner = getattr(ctx, "task", None) or getattr(ctx, "flow", None)
        return bool(getattr(owner, "isasync", False))
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def run_logger() -> logging.Logger | logging.LoggerAdapter[logging.Logger]:
    """The run logger inside a run (its lines show in the Prefect UI), else a module logger."""
    if in_run():
        from prefect import get_run_logger

        return get_run_logger()
    return _log
