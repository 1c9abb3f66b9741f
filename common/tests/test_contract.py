"""The contract suite, run against a test engine that delegates to the oracle.

It proves the hand-written expectations and the oracle agree, and that the suite itself runs
through a real entry point.
"""

import pytest

from truthound_dq import DataQualityEngine, get_engine
from truthound_dq.testing import EngineContractSuite


class TestOracleEngineContract(EngineContractSuite):
    @pytest.fixture
    def engine(self) -> DataQualityEngine:
        return get_engine("oracle")
