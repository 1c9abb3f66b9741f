"""Test engines advertised through the ``truthound_dq.engines`` entry point."""

from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from truthound_dq import NotNull, Rule
from truthound_dq.sdk import DataView, NativeCounts, Translations
from truthound_dq.testing import ReferenceEngine

_FAULTY: Translations[None] = Translations("faulty")


@_FAULTY.register(NotNull)
def _not_null(rule: Rule, view: DataView) -> None:
    """Never called: the engine breaks before translating anything."""


class OracleEngine(ReferenceEngine):
    """Delegates every rule to the plain-Polars oracle."""

    engine_name: ClassVar[str] = "oracle"


class FaultyEngine(ReferenceEngine):
    """An engine whose library raises while checking."""

    engine_name: ClassVar[str] = "faulty"
    translations: ClassVar[Translations[None]] = _FAULTY

    def _evaluate_native(
        self,
        view: DataView,
        rules: Sequence[Rule],
        *,
        sample_size: int,
        options: Mapping[str, Any],
    ) -> Sequence[NativeCounts]:
        raise ZeroDivisionError("the engine library broke")


class RaisesOnCreate:
    """A plugin whose constructor fails."""

    def __init__(self) -> None:
        raise RuntimeError("cannot start")


NOT_AN_ENGINE = {"engine_name": "dict"}


class NeedsMissingLibrary(ReferenceEngine):
    """An adapter whose engine library is not installed: reading its version fails."""

    engine_name: ClassVar[str] = "pandera"

    @property
    def engine_version(self) -> str:
        from importlib.metadata import version

        return version("pandera-library-that-is-not-installed")
