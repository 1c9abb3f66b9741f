"""Truthound on Spark: it has no Spark backend, so every rule borrows the canonical Spark
implementation (labelled ``truthound_dq``), and the contract holds on a real local Spark."""

from typing import Any

import polars as pl
import pytest

from truthound_dq import DataQualityEngine
from truthound_dq.testing import SparkContractSuite, to_spark_frame
from truthound_dq_truthound import TruthoundEngine

pytest.importorskip("pyspark", reason="the Spark tests need pyspark (truthound-dq[spark])")
pytestmark = pytest.mark.spark


class TestTruthoundOnSpark(SparkContractSuite):
    # Every rule is borrowed: the reference engine's Spark suite draws the full examples of
    # the same code path; a few here keep the session's time down.
    property_examples = 5

    @pytest.fixture
    def engine(self) -> DataQualityEngine:
        return TruthoundEngine()

    def test_every_rule_is_borrowed_and_labelled(
        self, engine: DataQualityEngine, spark: Any
    ) -> None:
        data = to_spark_frame(spark, pl.DataFrame({"id": [1, 2, 2, None]}))
        result = engine.check(
            data,
            [
                {"column": "id", "type": "not_null"},
                {"column": "id", "type": "unique"},
                {"column": "id", "type": "in_range", "min": 0, "max": 1},
            ],
        )
        assert [r.evaluated_by for r in result.rule_results] == ["truthound_dq"] * 3
        assert [r.failed_count for r in result.rule_results] == [1, 2, 2]
        assert result.engine == "truthound"
