"""The default dataset name of a check: what identifies the check in the code, never timing.

A check's baseline, SLA count, artifact keys and event resource all follow its dataset name,
so the default must be the same on every run, retry and scheduling of the same check:

- ``<flow>/<task>`` for a check task run directly in a flow;
- ``<flow>/<task>[<i>]`` for the ``i``-th item of ``data_quality_check_task.map(...)``: the
  check task records the index when it is mapped (Prefect 3.9 keeps no map index, and its
  task-run names and dynamic keys are random);
- ``<flow>/<parent>(<digest>)/<task>`` for a check inside another task (a mapped
  ``check_dataset`` calling the check, as in the design's concurrency example): the digest is
  of the parent task's arguments when they are plain values (strings, numbers, lists, dicts),
  which tell the parent's runs apart where Prefect gives no map index; a parent given frames
  or other objects contributes its name only.

Two different task runs of one flow run that arrive at the same name cannot be told apart by
the code: the second gets ``#2`` (and so on) and a warning says to pass ``dataset=``.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import hashlib
import inspect
import json
import threading
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

from truthound_prefect._context import run_logger

__all__ = [
    "MapItem",
    "default_dataset",
    "index_mapped_data",
    "map_index_scope",
    "with_map_index",
]

T = TypeVar("T")

_MAP_INDEX: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "truthound_prefect_map_index", default=None
)


@dataclasses.dataclass(slots=True)
class MapItem:
    """One item of a mapped check with its position; unwrapped by the check task.

    A dataclass, so Prefect resolves a future inside it (and tracks it as an upstream).
    """

    index: int
    value: Any


def index_mapped_data(
    fn: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """``.map()`` arguments with each item of ``data`` wrapped in :class:`MapItem`.

    Left unchanged when ``data`` is not a plain iterable of items (``unmapped(...)``, a
    future of a list, a single frame): those checks fall back to the collision warning.
    """
    from prefect.utilities.annotations import BaseAnnotation

    try:
        bound = inspect.signature(fn).bind_partial(*args, **kwargs)
    except TypeError:
        return args, kwargs  # Prefect reports the bad call
    data = bound.arguments.get("data")
    if data is None or isinstance(data, BaseAnnotation | str | bytes | dict):
        return args, kwargs
    # A frame is one item, never iterated: iterating a PySpark DataFrame would give its
    # columns (``df[0]``, ``df[1]``...), a Polars one its Series.
    if type(data).__module__.split(".")[0] in ("polars", "pandas", "pyspark"):
        return args, kwargs
    try:
        items = list(data)
    except TypeError:
        return args, kwargs
    bound.arguments["data"] = [MapItem(i, item) for i, item in enumerate(items)]
    return bound.args, bound.kwargs


@contextlib.contextmanager
def map_index_scope(index: int | None) -> Iterator[None]:
    """The map index of the check running inside the block (None: not mapped)."""
    token = _MAP_INDEX.set(index)
    try:
        yield
    finally:
        _MAP_INDEX.reset(token)


def _parent(task_ctx: Any) -> Any:
    # The context that was current when this task run's context was entered: the calling
    # task run when a task calls the check (inline, awaited or submitted from its body).
    from prefect.context import TaskRunContext

    # The engine may enter the same task run's context more than once: skip those.
    current = task_ctx
    for _ in range(20):
        parent = getattr(getattr(current, "_token", None), "old_value", None)
        if not isinstance(parent, TaskRunContext):
            return None
        if parent.task_run.id != task_ctx.task_run.id:
            return parent
        current = parent
    return None


def _plain(value: Any) -> bool:
    if value is None or isinstance(value, bool | int | float | str):
        return True
    if isinstance(value, list | tuple):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    return False


def _arguments_digest(parameters: dict[str, Any]) -> str | None:
    plain = {k: v for k, v in parameters.items() if _plain(v)}
    if not plain:
        return None
    text = json.dumps(plain, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def _derived_name() -> tuple[str | None, str | None, str | None]:
    """(name, flow run id, task run id) derived from the run contexts."""
    from prefect.context import FlowRunContext, TaskRunContext

    flow_ctx = FlowRunContext.get()
    if flow_ctx is None or flow_ctx.flow is None:
        return None, None, None
    flow_run_id = str(flow_ctx.flow_run.id) if flow_ctx.flow_run is not None else None
    task_ctx = TaskRunContext.get()
    if task_ctx is None:
        return flow_ctx.flow.name, flow_run_id, None
    parts = [flow_ctx.flow.name]
    parent = _parent(task_ctx)
    if parent is not None:
        digest = _arguments_digest(dict(parent.parameters or {}))
        parts.append(parent.task.name + (f"({digest})" if digest else ""))
    index = _MAP_INDEX.get()
    parts.append(task_ctx.task.name + (f"[{index}]" if index is not None else ""))
    return "/".join(parts), flow_run_id, str(task_ctx.task_run.id)


def default_dataset() -> str | None:
    """The dataset name of the current check when none is given (None outside a flow run).

    See the module docstring for the forms. A retry of a task run keeps its name; a second
    task run that derives a name already taken in this flow run gets ``#2`` and a warning.
    """
    name, flow_run_id, task_run_id = _derived_name()
    if name is None:
        return None
    with _claims_lock:
        claims = _claims.setdefault((flow_run_id, name), [])
        if len(_claims) > 10_000:  # forget old flow runs
            del _claims[next(iter(_claims))]
        owner = task_run_id or f"call-{len(claims)}"  # a flow-body call: each call is new
        if owner not in claims:
            claims.append(owner)
        number = claims.index(owner) + 1
    if number == 1:
        return name
    run_logger().warning(
        "two checks in this flow run both default to the dataset name %r, so they would share "
        "one baseline, SLA count and artifact keys; this one is named %r for now, which "
        "depends on the order they ran in - pass dataset='...' to name each check",
        name,
        f"{name}#{number}",
    )
    return f"{name}#{number}"


_claims: dict[tuple[str | None, str], list[str]] = {}
_claims_lock = threading.Lock()


_MAP_ONLY = ("return_state", "wait_for", "deferred")


def _indexed_class(cls: type[Any]) -> type[Any]:
    # A plain subclass: Python refuses to swap an object's class for one with a mixin base
    # in front ("object layout differs"), so the methods are added to the subclass itself.
    def map(self: Any, *args: Any, **kwargs: Any) -> Any:
        own = {k: kwargs.pop(k) for k in _MAP_ONLY if k in kwargs}
        args, kwargs = index_mapped_data(self.fn, args, kwargs)
        return cls.map(self, *args, **kwargs, **own)

    def with_options(self: Any, *args: Any, **kwargs: Any) -> Any:
        return with_map_index(cls.with_options(self, *args, **kwargs))

    map.__doc__ = "Prefect's ``Task.map``, recording each item's index for the dataset name."
    with_options.__doc__ = "Prefect's ``Task.with_options``; the copy records map indexes too."
    namespace = {
        "map": map,
        "with_options": with_options,
        "records_map_index": True,
        "__module__": __name__,
    }
    return type(f"MapIndexed{cls.__name__}", (cls,), namespace)


_indexed_classes: dict[type, type] = {}


def with_map_index(task: T) -> T:
    """``task`` (of any Prefect ``Task`` class) with a ``.map()`` that records item indexes.

    The check task body unwraps each :class:`MapItem` and names the dataset after its index.
    """
    cls = type(task)
    if getattr(cls, "records_map_index", False):
        return task
    if cls not in _indexed_classes:
        _indexed_classes[cls] = _indexed_class(cls)
    task.__class__ = _indexed_classes[cls]
    return task
