"""Test engines advertised through the ``truthound_dq.engines`` entry point."""

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from truthound_dq import Evaluation, Frame, Rule
from truthound_dq.testing import ReferenceEngine


class OracleEngine(ReferenceEngine):
    """Delegates every rule to the plain-Polars oracle."""

    engine_name: ClassVar[str] = "oracle"


class FaultyEngine(ReferenceEngine):
    """An engine whose library raises while checking."""

    engine_name: ClassVar[str] = "faulty"

    def _evaluate(
        self, frame: Frame, rules: Sequence[Rule], *, sample_size: int, options: Mapping[str, Any]
    ) -> Evaluation:
        raise ZeroDivisionError("the engine library broke")


class RaisesOnCreate:
    """A plugin whose constructor fails."""

    def __init__(self) -> None:
        raise RuntimeError("cannot start")


NOT_AN_ENGINE = {"engine_name": "dict"}
