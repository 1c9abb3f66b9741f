"""Flow parameters that are frames stay in the process: the server gets a placeholder.

Prefect stores a flow run's parameters on the server, encoded by FastAPI's
``jsonable_encoder``, which tries ``dict(value)`` on anything it does not know. For a Polars
DataFrame of two rows that succeeds - each column's two values become a key and a value - so
its data (masked columns included) would be stored as the run's parameters; other frames fail
after walking the object (for a PySpark DataFrame: its session and context) and get Prefect's
``<DataFrame>`` placeholder. The flows built here give every frame that placeholder at once,
without touching the data: no collect, no Spark job.
"""

from __future__ import annotations

from typing import Any, cast

from prefect import Flow

from truthound_prefect._frames import is_frame

__all__ = ["FrameSafeFlow", "without_frames"]


def without_frames(value: Any) -> Any:
    """``value`` with every frame in it (also inside lists, tuples and dicts) a placeholder."""
    if is_frame(value):
        return f"<{type(value).__name__}>"
    if isinstance(value, dict):
        return {k: without_frames(v) for k, v in value.items()}
    if type(value) in (list, tuple):  # exactly: a named tuple keeps its own fields
        return type(value)(without_frames(v) for v in value)
    return value


class FrameSafeFlow(Flow[..., Any]):
    """A Prefect flow whose frame parameters reach the server as ``<DataFrame>`` placeholders."""

    def serialize_parameters(self, parameters: dict[str, Any]) -> dict[str, Any]:
        """Prefect's serialization, after replacing frames by placeholders."""
        return super().serialize_parameters(
            {key: without_frames(value) for key, value in parameters.items()}
        )

    def with_options(self, **options: Any) -> FrameSafeFlow:
        """``Flow.with_options``, keeping the class (Prefect's returns a plain ``Flow``)."""
        new = super().with_options(**options)
        new.__class__ = type(self)  # same layout: only methods are overridden
        return cast(FrameSafeFlow, new)
