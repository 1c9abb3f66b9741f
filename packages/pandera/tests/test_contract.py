"""The cross-engine contract, whole, on the Pandera engine."""

from __future__ import annotations

import pytest

from truthound_dq import DataQualityEngine
from truthound_dq.testing import EngineContractSuite
from truthound_dq_pandera import PanderaEngine


class TestPanderaContract(EngineContractSuite):
    memory_test_engine = "pandera"

    @pytest.fixture
    def engine(self) -> DataQualityEngine:
        return PanderaEngine()
