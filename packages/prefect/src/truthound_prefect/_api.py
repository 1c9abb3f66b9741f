"""One time budget for every Prefect API call a check makes.

A check talks to the Prefect API for its SLA count, its baseline, its artifacts and its
events. Prefect's client retries a dead server for about a minute per call, so a check that
waited on each call could hold its verdict for many minutes. Each call here runs in a worker
thread and is waited on only for what is left of one budget per check
(``api_timeout_seconds``, default :data:`DEFAULT_API_TIMEOUT_SECONDS`); a call that fails or
runs out of time is logged as a warning naming what was not read or written, and the check
goes on. An abandoned call finishes (or fails) on its own in its daemon thread.
"""

from __future__ import annotations

import contextlib
import contextvars
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from typing import Any, TypeVar

from truthound_prefect._context import run_logger

__all__ = [
    "DEFAULT_API_TIMEOUT_SECONDS",
    "ApiBudget",
    "ApiUnavailable",
    "active_budget",
    "use_budget",
]

DEFAULT_API_TIMEOUT_SECONDS = 10.0
"""Seconds all of one check's Prefect API calls may take together."""

T = TypeVar("T")


class ApiUnavailable(Exception):  # a signal between modules, never shown raw
    """A guarded API call failed or did not answer within the budget."""


class ApiBudget:
    """The time left for one check's Prefect API calls (time spent waiting on them).

    Args:
        seconds: The whole budget; every call shares it.
    """

    def __init__(self, seconds: float = DEFAULT_API_TIMEOUT_SECONDS) -> None:
        self.seconds = float(seconds)
        self._spent = 0.0  # only time spent waiting on the API counts, not engine work
        self._lock = threading.Lock()
        self.missed: list[str] = []
        """What was not read or written, in order (for the report)."""

    def __repr__(self) -> str:
        return f"ApiBudget(seconds={self.seconds:g}, remaining={self.remaining():.1f})"

    def remaining(self) -> float:
        """Seconds left, never negative."""
        with self._lock:
            return max(0.0, self.seconds - self._spent)

    def call(self, what: str, func: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run ``func`` within what is left of the budget.

        Args:
            what: What the call reads or writes, for the warning (``"artifact 'x'"``).
            func: A blocking function that calls the Prefect API.
            *args: Its positional arguments.
            **kwargs: Its keyword arguments.

        Raises:
            ApiUnavailable: The call raised, or did not return in time; a warning saying
                what was not done has been logged.
        """
        left = self.remaining()
        if left <= 0:
            self._miss(what, f"the API time budget of {self.seconds:g} s is used up")
            raise ApiUnavailable(what)
        future: Future[T] = Future()
        context = contextvars.copy_context()  # the run context, for artifacts and logs

        def target() -> None:
            try:
                future.set_result(context.run(func, *args, **kwargs))
            except BaseException as exc:  # handed to the caller
                future.set_exception(exc)

        started = time.monotonic()
        threading.Thread(target=target, name="truthound-prefect-api", daemon=True).start()
        try:
            return future.result(timeout=left)
        except TimeoutError:
            if future.done() and future.exception() is not None:
                exc = future.exception()
                self._miss(what, f"{type(exc).__name__}: {exc}")
            else:
                # The server is unreachable or hanging: the other calls would wait as well.
                with self._lock:
                    self._spent = self.seconds
                self._miss(what, f"no answer within the API time budget of {self.seconds:g} s")
            raise ApiUnavailable(what) from None
        except Exception as exc:
            self._miss(what, f"{type(exc).__name__}: {exc}")
            raise ApiUnavailable(what) from exc
        finally:
            with self._lock:
                self._spent = min(self.seconds, self._spent + time.monotonic() - started)

    def _miss(self, what: str, why: str) -> None:
        with self._lock:
            self.missed.append(what)
        run_logger().warning(
            "Prefect API: %s not done (%s); the check's result is unaffected "
            "(api_timeout_seconds=%g)",
            what,
            why,
            self.seconds,
        )


_ACTIVE: contextvars.ContextVar[ApiBudget | None] = contextvars.ContextVar(
    "truthound_prefect_api_budget", default=None
)


@contextlib.contextmanager
def use_budget(budget: ApiBudget) -> Iterator[ApiBudget]:
    """Make ``budget`` the one every guarded API call inside the block shares."""
    token = _ACTIVE.set(budget)
    try:
        yield budget
    finally:
        _ACTIVE.reset(token)


def active_budget() -> ApiBudget:
    """The budget of the check being run, or a fresh default one outside a check."""
    return _ACTIVE.get() or ApiBudget()
