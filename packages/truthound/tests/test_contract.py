"""The cross-engine contract, whole, on the Truthound engine."""

from __future__ import annotations

import pytest

from truthound_dq import DataQualityEngine
from truthound_dq.testing import EngineContractSuite
from truthound_dq_truthound import TruthoundEngine


class TestTruthoundContract(EngineContractSuite):
    memory_test_engine = "truthound"

    @pytest.fixture
    def engine(self) -> DataQualityEngine:
        return TruthoundEngine()
