"""The cross-engine contract, whole, on Great Expectations."""

from __future__ import annotations

import pytest

from truthound_dq import DataQualityEngine
from truthound_dq.testing import EngineContractSuite
from truthound_dq_great_expectations import GreatExpectationsEngine


class TestGreatExpectationsContract(EngineContractSuite):
    """Every hand-written case and the property test against the oracle."""

    memory_test_engine = "great_expectations"

    @pytest.fixture(scope="class")
    @classmethod
    def engine(cls) -> DataQualityEngine:
        # One engine for the class: its GX context is built once and reused, as in production.
        return GreatExpectationsEngine()
