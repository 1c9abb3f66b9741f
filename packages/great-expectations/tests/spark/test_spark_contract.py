"""The Spark contract on Great Expectations: GX's Spark datasource where native, else canonical."""

from __future__ import annotations

from typing import Any

import polars as pl
import pytest

from truthound_dq import DataQualityEngine
from truthound_dq.testing import SparkContractSuite, to_spark_frame
from truthound_dq_great_expectations import GreatExpectationsEngine
from truthound_dq_great_expectations._spark import SPARK_TRANSLATIONS

pytestmark = pytest.mark.spark

GX = "great_expectations"
SHARED = "truthound_dq"


class TestGreatExpectationsOnSpark(SparkContractSuite):
    """Every held case (one GX validation per case frame) and the property test."""

    # Each example is a GX validation on Spark (several Spark jobs): fewer than the
    # canonical implementation's run draws, to keep the Spark session within its budget.
    property_examples = min(SparkContractSuite.property_examples, 5)

    @pytest.fixture(scope="class")
    @classmethod
    def engine(cls) -> DataQualityEngine:
        # One engine for the class: its GX context and Spark datasource are built once.
        return GreatExpectationsEngine()


def test_native_spark_rule_types_are_pinned() -> None:
    assert sorted(SPARK_TRANSLATIONS.rule_types) == [
        "aggregate",
        "column_exists",
        "compare",
        "in_range",
        "in_set",
        "not_in_set",
        "not_null",
        "row_count",
        "str_length",
        "unique",
    ]
    assert GreatExpectationsEngine.spark_translations is SPARK_TRANSLATIONS


def test_who_evaluates_each_rule_on_spark(spark_session: Any) -> None:
    # One check, one GX validation: GX where its Spark metric means the canonical rule, the
    # canonical Spark implementation where it would not (NaN is a value to GX on Spark; a
    # long is compared with a float bound as a double; GX has no `!=` pair).
    frame = pl.DataFrame(
        {
            "id": [1, 2, 2, None],
            "small": pl.Series([1, 5, 9, None], dtype=pl.Int32),
            "x": [1.0, float("nan"), None, 3.0],
            "s": ["a", "bb", None, "é"],
            "d": pl.Series([1.5, 2.5, None, 2.5], dtype=pl.Decimal(10, 2)),
        }
    )
    cases: list[tuple[dict[str, Any], str, int]] = [
        ({"column": "id", "type": "not_null"}, GX, 1),
        ({"column": "x", "type": "not_null"}, SHARED, 2),
        ({"column": "id", "type": "unique"}, GX, 2),
        ({"column": "d", "type": "unique"}, GX, 2),
        ({"column": "x", "type": "unique"}, SHARED, 0),
        ({"type": "unique", "columns": ["id", "s"]}, GX, 0),
        ({"type": "unique", "columns": ["id", "x"]}, SHARED, 0),
        ({"column": "s", "type": "in_set", "values": ["a", "é"]}, GX, 1),
        ({"column": "id", "type": "not_in_set", "values": [2.0, 0.5]}, GX, 2),
        ({"column": "x", "type": "in_set", "values": [1.0]}, SHARED, 1),
        ({"column": "small", "type": "in_range", "min": 2, "max": 8}, GX, 2),
        ({"column": "id", "type": "in_range", "max": 1}, SHARED, 2),
        ({"column": "s", "type": "str_length", "min": 2}, GX, 2),
        ({"column": "small", "type": "compare", "op": ">=", "other": "id"}, GX, 0),
        ({"column": "small", "type": "compare", "op": "!=", "other": "id"}, SHARED, 1),
        ({"column": "id", "type": "aggregate", "stat": "max", "max": 1}, GX, 1),
        ({"column": "id", "type": "aggregate", "stat": "mean", "max": 9}, SHARED, 0),
        ({"type": "row_count", "min": 5}, GX, 1),
        ({"column": "nope", "type": "column_exists"}, GX, 1),
    ]
    rules = [{**rule, "name": f"r{i}"} for i, (rule, _, _) in enumerate(cases)]
    result = GreatExpectationsEngine().check(to_spark_frame(spark_session, frame), rules)
    got = [(r.evaluated_by, r.failed_count) for r in result.rule_results]
    assert got == [(by, failed) for _, by, failed in cases]
