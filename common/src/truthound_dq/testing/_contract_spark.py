"""``SparkContractSuite``: the contract on a real local Spark, against the Polars oracle.

Subclass it in an adapter's tests like :class:`EngineContractSuite` (an ``engine`` fixture)::

    @pytest.mark.spark
    class TestPanderaOnSpark(SparkContractSuite):
        @pytest.fixture
        def engine(self) -> DataQualityEngine:
            return PanderaEngine()

Every hand-written case whose columns Spark can hold runs on the same data as a Spark
DataFrame, all the cases of one frame in one check (one Spark aggregation), and must give the
oracle's counts and verdicts on the Polars frame. Cases Spark cannot hold are reported as
skipped with the reason; rules Spark cannot mean the same way must be refused
(``SparkUnsupportedError``) before any job runs.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings

from truthound_dq._definitions import rule_class
from truthound_dq._engine import DataQualityEngine
from truthound_dq._polars import SHARED_EVALUATOR
from truthound_dq._results import QualityCheckOutput
from truthound_dq._rule import Rule
from truthound_dq._rule_types import Schema
from truthound_dq._rules import parse_rules
from truthound_dq.testing._cases import CASES, CUSTOM_CASES, NOT_EVALUATED_CASES, odd_names
from truthound_dq.testing._cases_dates import NOT_EVALUATED_DATE_CASES
from truthound_dq.testing._cases_keys import KEYS_NOT_EVALUATED
from truthound_dq.testing._cases_sql import SQL_NOT_EVALUATED
from truthound_dq.testing._reference import ReferenceEngine
from truthound_dq.testing._spark import local_spark_session, to_spark_frame, unheld_reason
from truthound_dq.testing.strategies import frames, rules_for

__all__ = ["SparkContractSuite", "SparkCase", "spark_cases"]

_REFERENCE = ReferenceEngine()
_FRAMES: dict[tuple[int, Callable[[], pl.DataFrame]], Any] = {}


@dataclass(frozen=True)
class SparkCase:
    """A contract case as Spark sees it: ``run``, ``refused`` or ``unheld`` (with why)."""

    id: str
    rule: dict[str, Any]
    frame: Callable[[], pl.DataFrame]
    plan: str
    reason: str = ""


def _read(rule: Rule, frame: pl.DataFrame) -> list[str]:
    if isinstance(rule, Schema) and (rule.exact or rule.ordered):
        return frame.columns
    return [c for c in rule.columns_read() if c in frame.columns]


def _refusal(rule: Rule) -> str | None:
    # What the canonical path refuses (adapters refuse the same: see docs/engines.md).
    from truthound_dq._rule_types import Expression, Monotonic, NotRegex, Regex

    if rule.where is not None:
        return "where is Polars SQL text"
    if isinstance(rule, Monotonic | Expression):
        return f"{rule.type} has no meaning on Spark"
    if isinstance(rule, Regex | NotRegex):
        from truthound_dq._regex_dialect import RegexDialectError, to_java

        try:
            to_java(rule.pattern)
        except RegexDialectError as exc:
            return str(exc)
    return None


def spark_cases() -> list[SparkCase]:
    """Every hand-written case (and not-evaluated case), planned for Spark."""
    planned: list[SparkCase] = []
    every: list[Any] = [*CASES, *NOT_EVALUATED_CASES, *CUSTOM_CASES]
    every += [*NOT_EVALUATED_DATE_CASES, *KEYS_NOT_EVALUATED, *SQL_NOT_EVALUATED]
    for case in every:
        if rule_class(case.rule["type"]) is None:
            continue  # (a plugin rule type that is not installed)
        frame = case.frame()
        (rule,) = parse_rules([case.rule])
        unheld = [
            f"{c!r}: {why}"
            for c in _read(rule, frame)
            if (why := unheld_reason(frame.get_column(c))) is not None
        ]
        if unheld:
            planned.append(SparkCase(case.id, case.rule, case.frame, "unheld", "; ".join(unheld)))
        elif (why := _refusal(rule)) is not None:
            planned.append(SparkCase(case.id, case.rule, case.frame, "refused", why))
        else:
            planned.append(SparkCase(case.id, case.rule, case.frame, "run"))
    return planned


_PLANNED = spark_cases()
_BY_FRAME: dict[Callable[[], pl.DataFrame], list[SparkCase]] = {}
for _case in _PLANNED:
    if _case.plan == "run":
        _BY_FRAME.setdefault(_case.frame, []).append(_case)


def held_frame(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` without the columns Spark cannot hold, aware times in UTC (as Spark has them).

    The same data otherwise: an aware datetime is the same instant in any zone.
    """
    kept: list[pl.Expr] = []
    for i, series in enumerate(frame.iter_columns()):
        if unheld_reason(series) is not None:
            continue
        column = pl.nth(i)  # by position: "^a$" is a name here
        if isinstance(series.dtype, pl.Datetime) and series.dtype.time_zone is not None:
            column = column.dt.convert_time_zone("UTC")
        kept.append(column)
    return frame.select(kept)


def _frame_id(frame: Callable[[], pl.DataFrame]) -> str:
    return f"{frame.__module__.rsplit('.', 1)[-1]}.{frame.__name__}"


def _counts(result: QualityCheckOutput) -> list[tuple[str, int, int, bool, bool]]:
    return [
        (r.rule_name, r.failed_count, r.total_count, r.passed, r.evaluated)
        for r in result.rule_results
    ]


def _named(case: SparkCase) -> dict[str, Any]:
    return {**case.rule, "name": case.id}


class SparkContractSuite:
    """The contract on Spark: the same counts and verdicts as the Polars oracle."""

    #: Examples the property test draws (each is one createDataFrame and one check).
    property_examples: ClassVar[int] = int(os.environ.get("TRUTHOUND_DQ_SPARK_EXAMPLES", "15"))

    @pytest.fixture
    def engine(self) -> DataQualityEngine:
        """Override in the subclass: the engine under test."""
        raise NotImplementedError("SparkContractSuite subclasses must provide an engine fixture")

    @pytest.fixture(scope="class")
    @classmethod
    def spark(cls) -> Any:
        """The process's local Spark session."""
        return local_spark_session()

    def spark_frame(self, spark: Any, frame: Callable[[], pl.DataFrame]) -> Any:
        """The held part of a case frame as a Spark DataFrame (created once per session)."""
        key = (id(spark), frame)
        if key not in _FRAMES:
            _FRAMES[key] = to_spark_frame(spark, held_frame(frame()))
        return _FRAMES[key]

    # -- the hand-written cases -------------------------------------------------------------

    @pytest.mark.parametrize("frame", list(_BY_FRAME), ids=_frame_id)
    def test_cases_of_a_frame_equal_the_oracle(
        self, engine: DataQualityEngine, spark: Any, frame: Callable[[], pl.DataFrame]
    ) -> None:
        # All the held cases of one frame in one check: one aggregation job (and one samples
        # job), each result from its own rule, identical to the oracle on the Polars frame.
        cases = _BY_FRAME[frame]
        rules = [_named(c) for c in cases]
        got = engine.check(self.spark_frame(spark, frame), rules)
        want = _REFERENCE.check(held_frame(frame()), rules)
        assert _counts(got) == _counts(want)
        for case, result in zip(cases, got.rule_results, strict=True):
            if result.evaluated:
                assert result.evaluated_by in (engine.engine_name, SHARED_EVALUATOR), case.id
        assert got.row_count == want.row_count
        assert got.status is want.status

    @pytest.mark.parametrize(
        "case", [c for c in _PLANNED if c.plan == "refused"], ids=lambda c: c.id
    )
    def test_refused_case(self, engine: DataQualityEngine, spark: Any, case: SparkCase) -> None:
        # Spark cannot mean it the same way: refused, naming the rule, before any job runs.
        from truthound_dq.spark import SparkUnsupportedError

        data = self.spark_frame(spark, case.frame)
        with pytest.raises(SparkUnsupportedError, match="cannot be evaluated on Spark") as info:
            engine.check(data, [_named(case)])
        assert info.value.rule_name == case.id

    @pytest.mark.parametrize(
        "case", [c for c in _PLANNED if c.plan == "unheld"], ids=lambda c: c.id
    )
    def test_case_spark_cannot_hold(self, case: SparkCase) -> None:
        pytest.skip(f"Spark cannot hold the data: {case.reason}")

    # -- beyond the cases --------------------------------------------------------------------

    def test_odd_names_are_never_parsed(self, engine: DataQualityEngine, spark: Any) -> None:
        # Dots, backticks, spaces, '*', '^a$' and 'A' next to 'a' (Spark resolves names
        # case-insensitively by default): each rule reads exactly its own column.
        frame = pl.DataFrame(
            {
                "a.b": [1, None, 3],
                "`x`": [None, None, 1],
                "with space": [1, 2, 2],
                "*": [None, 1, 1],
                "^a$": ["a", "b", "c"],
                "A": [1, 1, 1],
                "a": [1, None, None],
            }
        )
        rules: list[dict[str, Any]] = [
            {"column": c, "type": "not_null"} for c in frame.columns if c != "^a$"
        ]
        rules += [
            {"column": "with space", "type": "unique"},
            {"column": "^a$", "type": "in_set", "values": ["a", "b"]},
            {"column": "A", "type": "in_range", "min": 1, "max": 1},
        ]
        got = engine.check(to_spark_frame(spark, frame), rules)
        assert _counts(got) == _counts(_REFERENCE.check(frame, rules))
        names = odd_names()
        held = held_frame(names)
        odd = [{"column": c, "type": "not_null"} for c in held.columns]
        got = engine.check(self.spark_frame(spark, odd_names), odd)
        assert _counts(got) == _counts(_REFERENCE.check(held, odd))

    def test_samples_are_bounded_failing_values(
        self, engine: DataQualityEngine, spark: Any
    ) -> None:
        frame = pl.DataFrame({"x": list(range(20)), "s": [f"v{i % 3}" for i in range(20)]})
        rules: list[dict[str, Any]] = [
            {"column": "x", "type": "in_range", "max": 4},
            {"column": "s", "type": "in_set", "values": ["v0"]},
        ]
        got = engine.check(to_spark_frame(spark, frame), rules, sample_size=3)
        over, other = got.rule_results
        assert (over.failed_count, len(over.sample_values)) == (15, 3)
        assert set(over.sample_values) <= set(range(5, 20))
        assert set(other.sample_values) <= {"v1", "v2"} and len(other.sample_values) == 3

    def test_property_counts_equal_the_oracle(self, engine: DataQualityEngine, spark: Any) -> None:
        @settings(
            max_examples=self.property_examples,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
            database=None,
        )
        @given(frame=frames(max_rows=12), rules=rules_for())
        def check(frame: pl.DataFrame, rules: list[dict[str, Any]]) -> None:
            held = held_frame(frame)
            kept = [r for r in rules if _refusal(parse_rules([r])[0]) is None]
            expected = _REFERENCE.check(held, kept)
            got = engine.check(to_spark_frame(spark, held), kept)
            assert _counts(got) == _counts(expected), (held, kept)
            assert got.status is expected.status

        check()

    def test_profile_equals_the_polars_profile(self, engine: DataQualityEngine, spark: Any) -> None:
        # The frames that hold every dtype Spark can (one aggregation job each).
        wanted = {"people", "odd_names", "numbers", "all_missing", "times", "mixed_times"}
        for frame in [f for f in _BY_FRAME if f.__name__ in wanted]:
            held = held_frame(frame())
            got = engine.profile(self.spark_frame(spark, frame))
            want = _REFERENCE.profile(held)
            assert got.row_count == want.row_count
            mine = [(c.column_name, c.null_count, c.unique_count) for c in got.columns]
            assert mine == [(c.column_name, c.null_count, c.unique_count) for c in want.columns]
            for a, b in zip(got.columns, want.columns, strict=True):
                assert (a.min, a.max) == (b.min, b.max), (a.column_name, _frame_id(frame))
                if b.mean is None:
                    assert a.mean is None, a.column_name
                else:
                    assert a.mean == pytest.approx(b.mean, rel=1e-12, nan_ok=True), a.column_name

    def test_learn_and_split_say_what_to_do(self, engine: DataQualityEngine, spark: Any) -> None:
        data = self.spark_frame(spark, odd_names)
        with pytest.raises(TypeError, match="toPandas"):
            engine.learn(data)
        with pytest.raises(TypeError, match="toPandas"):
            engine.split(data, [{"column": "id", "type": "not_null"}])
