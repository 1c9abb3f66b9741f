"""The oracle as an engine: the canonical semantics run through the shared check pipeline."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import polars as pl

from truthound_dq._data import Frame
from truthound_dq._engine import EngineCapabilities
from truthound_dq._polars import polars_learn, polars_profile
from truthound_dq._results import LearnOutput, ProfileOutput
from truthound_dq.sdk._base import EngineBase

__all__ = ["ReferenceEngine"]


class ReferenceEngine(EngineBase):
    """Evaluates every rule with the plain-Polars reference implementation (the oracle).

    It registers no translation: the base evaluates every rule with the canonical
    expressions, so its results say ``evaluated_by="truthound_dq"``.
    """

    engine_name: ClassVar[str] = "reference"
    capabilities: ClassVar[EngineCapabilities] = EngineCapabilities(
        native_profile=True,
        native_learn=True,
        notes={"all": "the canonical semantics of docs/rules.md in plain Polars"},
    )

    @property
    def engine_version(self) -> str:
        """The Polars version."""
        return pl.__version__

    def _profile(self, frame: Frame, columns: Sequence[str] | None) -> ProfileOutput:
        return polars_profile(frame, columns)

    def _learn(self, frame: Frame, options: Mapping[str, Any]) -> LearnOutput:
        return polars_learn(frame)
