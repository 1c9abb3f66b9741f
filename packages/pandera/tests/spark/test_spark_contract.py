"""The Spark contract on Pandera: every rule by the canonical Spark implementation, labelled."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from truthound_dq import DataQualityEngine
from truthound_dq.testing import SparkContractSuite, to_spark_frame
from truthound_dq_pandera import PanderaEngine

pytestmark = pytest.mark.spark


class TestPanderaOnSpark(SparkContractSuite):
    """Every held case, through Pandera's engine (all borrowed: see test_no_rule_is_native)."""

    # Every rule here is the canonical implementation, whose own run draws the full number.
    property_examples = min(SparkContractSuite.property_examples, 5)

    @pytest.fixture(scope="class")
    @classmethod
    def engine(cls) -> DataQualityEngine:
        return PanderaEngine()


def test_no_rule_is_native_on_spark(spark_session: Any) -> None:
    # Pandera's PySpark checks give one boolean each, never a count: every result on Spark is
    # the canonical implementation's, and says so (while the same rules are Pandera's on Polars).
    frame = pl.DataFrame({"id": [1, 2, 2, None], "s": ["a", "b", None, "c"]})
    rules: list[dict[str, Any]] = [
        {"column": "id", "type": "not_null"},
        {"column": "id", "type": "unique"},
        {"column": "s", "type": "in_set", "values": ["a"]},
        {"column": "id", "type": "column_exists"},
    ]
    engine = PanderaEngine()
    on_spark = engine.check(to_spark_frame(spark_session, frame), rules)
    on_polars = engine.check(frame, rules)
    assert [r.evaluated_by for r in on_spark.rule_results] == ["truthound_dq"] * 4
    assert [r.evaluated_by for r in on_polars.rule_results] == ["pandera"] * 4
    assert [r.failed_count for r in on_spark.rule_results] == [1, 2, 2, 0]
    assert not PanderaEngine.spark_translations.rule_types


def test_pandera_pyspark_still_cannot_be_imported_with_pandas_3() -> None:
    # The documented reason (docs/engines.md, "Spark"): pandera.pyspark imports pyspark.pandas,
    # which needs pandas < 3. When this fails, pandera.pyspark imports: re-read its checks
    # (still one boolean each?) and update docs/engines.md and the README.
    pandas = pytest.importorskip("pandas")
    if int(pandas.__version__.split(".")[0]) < 3:
        pytest.skip("pandas < 3: pyspark.pandas imports")
    with pytest.raises(ImportError, match="DateOffset"):
        __import__("pandera.pyspark")
