"""The Spark contract on the reference engine: the canonical Spark implementation itself."""

import pytest

from truthound_dq import DataQualityEngine
from truthound_dq.testing import ReferenceEngine, SparkContractSuite

pytestmark = pytest.mark.spark


class TestReferenceOnSpark(SparkContractSuite):
    @pytest.fixture
    def engine(self) -> DataQualityEngine:
        return ReferenceEngine()
