"""Engine faults: anything an engine raises becomes ``EngineError``, except shutdown signals."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, TypeVar

from truthound_dq._errors import EngineError, TruthoundDQError

__all__ = ["PASS_THROUGH", "guard_engine_call"]

PASS_THROUGH: tuple[type[BaseException], ...] = (
    KeyboardInterrupt,
    SystemExit,
    GeneratorExit,
    asyncio.CancelledError,
)
"""Signals of cancellation or shutdown: never turned into ``EngineError``."""

R = TypeVar("R")


def guard_engine_call(
    engine: str, operation: str, func: Callable[..., R], *args: Any, **kwargs: Any
) -> R:
    """Call into an engine library; anything it raises becomes ``EngineError`` (chained).

    ``TruthoundDQError`` (e.g. ``EngineNotInstalledError``) passes unchanged, and so do the
    signals in :data:`PASS_THROUGH`; every other ``BaseException`` - including pyo3's
    ``PanicException`` - is wrapped.
    """
    try:
        return func(*args, **kwargs)
    except TruthoundDQError:
        raise
    except PASS_THROUGH:
        raise
    except BaseException as exc:
        raise EngineError(
            f"{engine} raised during {operation}: {type(exc).__name__}: {exc}", engine=engine
        ) from exc
