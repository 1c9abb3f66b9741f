"""Cancellable engine work: a check that timed out starts nothing new and says what runs on.

A caller that enforces a time limit runs the engine inside :func:`cancel_scope` and sets the
event when the limit passes. Then:

- every step of the shared pipeline (learn, evaluate, profile) checks the event first
  (:func:`raise_if_cancelled`), so no further work starts;
- a query collected through :func:`collect_frame` runs with ``collect(background=True)`` and
  is told to stop (``InProcessQuery.cancel()``). Measured with Polars 1.44, ``cancel()`` does
  not interrupt a query already running on the in-memory engine, so the query is waited for
  (it ends on its own) and :class:`CheckCancelledError` is raised when it does: the engine
  thread's life is the real extent of the work, which is what the caller reports.

Spark jobs are interrupted: inside :func:`spark_jobs_interruptible` every job the check starts
carries a tag of its own (a job tag of a classic session's SparkContext, an operation tag of a
Spark Connect session), and a cancel interrupts the jobs with that tag on the cluster.

Other work an engine library does in its own code cannot be stopped in-process at all.
"""

from __future__ import annotations

import contextlib
import contextvars
import threading
import uuid
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

import polars as pl

from truthound_dq._errors import TruthoundDQError

if TYPE_CHECKING:
    from polars._typing import EngineType
    from polars.lazyframe.in_process import InProcessQuery

__all__ = [
    "CheckCancelledError",
    "cancel_scope",
    "collect_frame",
    "raise_if_cancelled",
    "spark_jobs_interruptible",
    "start_query",
    "stop_query",
    "wait_query",
]

_EVENT: contextvars.ContextVar[threading.Event | None] = contextvars.ContextVar(
    "truthound_dq_cancel", default=None
)
_FIRST_POLL, _LONGEST_POLL = 0.001, 0.05  # seconds; short queries stay fast, long ones cheap


class CheckCancelledError(TruthoundDQError):
    """The engine's work was stopped because its caller gave up (e.g. a timeout)."""


@contextlib.contextmanager
def cancel_scope(event: threading.Event) -> Iterator[threading.Event]:
    """Make ``event`` the cancel signal of everything run inside the block (this context)."""
    token = _EVENT.set(event)
    try:
        yield event
    finally:
        _EVENT.reset(token)


def raise_if_cancelled() -> None:
    """Raise :class:`CheckCancelledError` if the current cancel scope was cancelled."""
    event = _EVENT.get()
    if event is not None and event.is_set():
        raise CheckCancelledError("the engine's work was cancelled (its time limit passed)")


def collect_frame(
    frame: pl.DataFrame | pl.LazyFrame, *, engine: EngineType = "auto"
) -> pl.DataFrame:
    """Collect a LazyFrame - cancellably inside a cancel scope; a DataFrame is returned as is.

    ``engine`` is Polars' (``"streaming"`` for a bounded-memory pass over a scan).

    Raises:
        CheckCancelledError: The scope was cancelled; the query has been told to stop.
    """
    if isinstance(frame, pl.DataFrame):
        return frame
    if _EVENT.get() is None:
        return frame.collect(engine=engine)
    return wait_query(start_query(frame, engine=engine))


def start_query(frame: pl.LazyFrame, *, engine: EngineType = "auto") -> InProcessQuery:
    """Start collecting ``frame`` in Polars' background (see :func:`wait_query`).

    The query runs while the caller goes on (a batch read ahead while the engine checks the
    one before). Raises :class:`CheckCancelledError` if the scope is already cancelled.
    """
    raise_if_cancelled()
    return frame.collect(background=True, engine=engine)


def wait_query(query: InProcessQuery) -> pl.DataFrame:
    """The result of a :func:`start_query` query, or its cancellation.

    Raises:
        CheckCancelledError: The scope was cancelled; the query has been told to stop.
    """
    event = _EVENT.get()
    if event is None:
        return query.fetch_blocking()
    wait = _FIRST_POLL
    while True:
        done = query.fetch()
        if done is not None:
            return done
        if event.wait(wait):
            stop_query(query)
            raise CheckCancelledError("the engine's query was cancelled (its time limit passed)")
        wait = min(wait * 2, _LONGEST_POLL)


def stop_query(query: InProcessQuery) -> None:
    """Tell a started query to stop, and wait for it to really end (see the module docstring)."""
    query.cancel()
    with contextlib.suppress(Exception):
        query.fetch_blocking()


@contextlib.contextmanager
def spark_jobs_interruptible(frame: Any) -> Iterator[None]:
    """Interrupt the Spark jobs started in this block when the cancel scope is cancelled.

    ``frame`` is a PySpark DataFrame (classic or Spark Connect); its session tags every job
    this thread starts in the block, and a watcher thread interrupts the tagged jobs once the
    scope's event is set. An error the interrupted job raises becomes
    :class:`CheckCancelledError`. Outside a cancel scope this does nothing.
    """
    event = _EVENT.get()
    if event is None:
        yield
        return
    interrupt, untag = _tag_spark_jobs(frame.sparkSession, f"truthound-dq-{uuid.uuid4().hex}")
    done = threading.Event()

    def watch() -> None:
        while not done.is_set():
            if event.wait(_LONGEST_POLL):
                if not done.is_set():
                    with contextlib.suppress(Exception):  # (the session may be gone)
                        interrupt()
                return

    watcher = threading.Thread(target=watch, name="truthound-dq-spark-cancel", daemon=True)
    watcher.start()
    try:
        yield
    except Exception as exc:
        if event.is_set():
            raise CheckCancelledError(
                "the check's Spark jobs were interrupted (its time limit passed)"
            ) from exc
        raise
    finally:
        done.set()
        watcher.join()
        untag()


def _tag_spark_jobs(session: Any, tag: str) -> tuple[Callable[[], object], Callable[[], None]]:
    """Tag this thread's jobs; returns how to interrupt them and how to remove the tag.

    A classic session tags jobs through its SparkContext (``addJobTag``, PySpark 3.5+):
    measured with PySpark 4.1, ``SparkSession.interruptTag`` called from another thread
    found no operation of a classic session's ``addTag``. A Spark Connect session has no
    SparkContext; its own operation tags are what the server interrupts.
    """
    if type(session).__module__.startswith("pyspark.sql.connect"):
        session.addTag(tag)
        return (lambda: session.interruptTag(tag)), (lambda: session.removeTag(tag))
    context = session.sparkContext
    context.addJobTag(tag)
    return (lambda: context.cancelJobsWithTag(tag)), (lambda: context.removeJobTag(tag))
