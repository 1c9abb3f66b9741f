"""``EngineContractSuite``: the tests every engine adapter must pass, whole.

Subclass it in an adapter's tests and provide an ``engine`` fixture::

    class TestPanderaContract(EngineContractSuite):
        @pytest.fixture(scope="class")
        def engine(self) -> DataQualityEngine:
            return PanderaEngine()
"""

from __future__ import annotations

import datetime as dt
import json
import os
import pickle
from typing import Any, ClassVar

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings

from truthound_dq._baseline import FileBaselineStore
from truthound_dq._definitions import rule_class, rule_types
from truthound_dq._engine import DataQualityEngine
from truthound_dq._errors import ColumnNotFoundError, RuleValidationError
from truthound_dq._metrics import MetricsUnavailableError
from truthound_dq._polars import SHARED_EVALUATOR
from truthound_dq._results import CheckStatus, Origin, QualityCheckOutput, json_scalar
from truthound_dq._rules import RuleType
from truthound_dq.testing._cases import (
    CASES,
    CUSTOM_CASES,
    NOT_EVALUATED_CASES,
    Case,
    NotEvaluatedCase,
    all_missing,
    numbers,
    odd_names,
    people,
)
from truthound_dq.testing._cases_dates import NOT_EVALUATED_DATE_CASES
from truthound_dq.testing._cases_history import (
    HISTORY_CASES,
    HISTORY_DATASET,
    HISTORY_NOT_EVALUATED,
    HistoryCase,
)
from truthound_dq.testing._cases_keys import KEYS_NOT_EVALUATED
from truthound_dq.testing._cases_sql import SQL_NOT_EVALUATED
from truthound_dq.testing._reference import ReferenceEngine
from truthound_dq.testing.strategies import frames, rules_for

__all__ = ["EngineContractSuite"]

_REFERENCE = ReferenceEngine()
_PEOPLE_ROWS = {"type": "row_count", "min": 6, "max": 6}


class _BrokenStore:
    """A metrics store whose history cannot be read (and whose writes are dropped)."""

    def append(self, record: Any) -> None:
        pass

    def read(self, dataset: str, limit: int) -> Any:
        raise MetricsUnavailableError("disk on fire")


def _counts(result: QualityCheckOutput) -> list[tuple[str, int, int, bool, bool]]:
    return [
        (r.rule_name, r.failed_count, r.total_count, r.passed, r.evaluated)
        for r in result.rule_results
    ]


def _failing_values(case_frame: pl.DataFrame, rule: dict[str, Any]) -> set[Any]:
    from truthound_dq._polars import failure_expr
    from truthound_dq._rules import parse_rules
    from truthound_dq.sdk._shared import sample_value

    parsed = parse_rules([rule])[0]
    schema = case_frame.schema
    # (several columns, e.g. compare's, show as "a, b": the sample is the row's values)
    shown = case_frame.filter(failure_expr(parsed, schema)).select(sample_value(parsed, schema))
    return {json_scalar(v) for v in shown.to_series().to_list()}


_ROW = "__dq_row__"  # the row index the split tests ask for (no test frame has it)


def _oracle_rows(frame: pl.DataFrame, rules: list[dict[str, Any]]) -> dict[str, set[int]]:
    """Row positions failing each evaluated row-level rule under the canonical semantics.

    Applicability is the oracle's (the reference engine's results); the masks are the
    canonical ones, computed on the safe view (the names of ``frame`` may be patterns).
    """
    from truthound_dq._rules import RuleKind, parse_rules
    from truthound_dq.sdk._split import row_failure
    from truthound_dq.sdk._view import build_view

    parsed = parse_rules(rules)
    evaluated = [r.evaluated for r in _REFERENCE.check(frame, rules).rule_results]
    row_rules = [
        rule
        for rule, done in zip(parsed, evaluated, strict=True)
        if done and rule.kind is not RuleKind.TABLE
    ]
    if not row_rules:
        return {}
    view, safe = build_view(frame, frame.schema, row_rules, collect=True)
    data = view.data()
    assert isinstance(data, pl.DataFrame)
    masks = data.select(
        [row_failure(rule, view.schema).alias(f"m{k}") for k, rule in enumerate(safe)]
    )
    return {
        rule.name: {i for i, bad in enumerate(masks.get_column(f"m{k}").to_list()) if bad}
        for k, rule in enumerate(row_rules)
    }


def _assert_split_agrees(
    engine: DataQualityEngine, frame: pl.DataFrame, rules: list[dict[str, Any]], out: Any
) -> None:
    """The split invariants of ``out = engine.split(frame, rules, row_index=_ROW)``."""
    from polars.testing import assert_frame_equal

    from truthound_dq._rules import Severity

    reasons = out.reasons_column
    # valid + invalid = the input rows (as multisets: each input position exactly once).
    both = pl.concat([out.valid, out.invalid]).sort(_ROW)
    assert both.get_column(_ROW).to_list() == list(range(frame.height))
    assert_frame_equal(both.drop(_ROW, reasons), frame)
    # result == engine.check on the same input (counts and verdicts, not timings).
    checked = engine.check(frame, rules)
    assert _counts(out.result) == _counts(checked), rules
    assert out.result.status is checked.status
    # Every rule's failed_count = the rows naming it; a rule names exactly the rows the
    # canonical semantics fail; valid rows name no error rule, invalid rows at least one.
    truth = _oracle_rows(frame, rules)
    named: dict[str, set[int]] = {}
    for row, names in both.select(_ROW, reasons).iter_rows():
        for name in names:
            named.setdefault(name, set()).add(row)
    errors = {r.rule_name for r in out.result.rule_results if r.severity is Severity.ERROR}
    for r in out.result.rule_results:
        rows = named.get(r.rule_name, set())
        if r.rule_name in truth:
            assert len(rows) == r.failed_count, (r.rule_name, len(rows), r.failed_count)
            assert rows == truth[r.rule_name], (r.rule_name, rows, truth[r.rule_name])
        else:  # table-level or not evaluated: no row names it
            assert not rows, (r.rule_name, rows)
    assert set(named) <= set(truth)
    for names in out.valid.get_column(reasons).to_list():
        assert not set(names) & errors, names
    for names in out.invalid.get_column(reasons).to_list():
        assert set(names) & errors, names


def _assert_unmerged_are_shared(cases: list[Case], result: QualityCheckOutput) -> None:
    """On lazy input, a rule whose answers do not merge across batches is the base's."""
    from truthound_dq._rules import parse_rules

    for case, rule_result in zip(cases, result.rule_results, strict=True):
        (parsed,) = parse_rules([case.rule])
        if rule_result.evaluated and parsed.batch_problem() is not None:
            assert rule_result.evaluated_by == SHARED_EVALUATOR, (case.id, rule_result)


class EngineContractSuite:
    """The cross-engine contract: exact counts, edge cases, and agreement with the oracle."""

    #: Examples the property test draws; raise it locally when hunting a disagreement.
    property_examples: ClassVar[int] = 60
    #: Rows in each generated frame at most.
    property_max_rows: ClassVar[int] = 25
    #: Examples the split property test draws (each splits once and checks twice).
    split_property_examples: ClassVar[int] = 15
    #: Examples the property test of LazyFrames in batches of 4 rows draws.
    lazy_property_examples: ClassVar[int] = 15
    #: The registered name the memory test loads in a fresh process (None: not run).
    memory_test_engine: ClassVar[str | None] = None

    @pytest.fixture
    def engine(self) -> DataQualityEngine:
        """Override in the subclass: the engine under test."""
        raise NotImplementedError("EngineContractSuite subclasses must provide an engine fixture")

    # -- shape -----------------------------------------------------------------------------

    def test_is_a_data_quality_engine(self, engine: DataQualityEngine) -> None:
        assert isinstance(engine, DataQualityEngine)
        assert engine.engine_name
        assert isinstance(engine.engine_version, str) and engine.engine_version

    def test_every_rule_type_is_evaluated(self, engine: DataQualityEngine) -> None:
        caps = engine.capabilities
        assert set(RuleType) <= caps.rule_types, "an engine must evaluate every rule type"
        assert caps.native_rule_types <= caps.rule_types
        tested = {str(case.rule["type"]) for case in CASES}
        tested |= {str(case.rules[-1]["type"]) for case in HISTORY_CASES}
        assert set(rule_types()) - {str(c.rule["type"]) for c in CUSTOM_CASES} <= tested

    # -- hand-written expectations ---------------------------------------------------------

    @pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
    def test_rule_case(self, engine: DataQualityEngine, case: Case) -> None:
        result = engine.check(case.frame(), [case.rule])
        (rule_result,) = result.rule_results
        got = (rule_result.failed_count, rule_result.total_count, rule_result.passed)
        assert got == (case.failed, case.total, case.passed), rule_result.message
        assert rule_result.evaluated

    @pytest.mark.parametrize("case", CUSTOM_CASES, ids=lambda c: c.id)
    def test_custom_rule_case(self, engine: DataQualityEngine, case: Case) -> None:
        # A rule type from a plugin distribution (dq-test-rules): every engine evaluates it,
        # natively if its adapter translates it, else with the shared implementation.
        if rule_class(case.rule["type"]) is None:
            pytest.skip("the dq-test-rules distribution is not installed")
        (rule_result,) = engine.check(case.frame(), [case.rule]).rule_results
        got = (rule_result.failed_count, rule_result.total_count, rule_result.passed)
        assert got == (case.failed, case.total, case.passed), rule_result.message
        assert rule_result.evaluated
        assert rule_result.evaluated_by in (engine.engine_name, SHARED_EVALUATOR)

    @pytest.mark.parametrize("case", NOT_EVALUATED_CASES, ids=lambda c: c.id)
    def test_not_evaluated_case(self, engine: DataQualityEngine, case: Case) -> None:
        # A rule that cannot apply to this data fails, not evaluated, and says why.
        (rule_result,) = engine.check(case.frame(), [case.rule]).rule_results
        assert not rule_result.evaluated, rule_result.message
        got = (rule_result.failed_count, rule_result.total_count, rule_result.passed)
        assert got == (case.failed, case.total, case.passed), rule_result.message
        assert rule_result.message.startswith("not evaluated: "), rule_result.message
        assert rule_result.evaluated_by == ""

    @pytest.mark.parametrize("case", HISTORY_CASES, ids=lambda c: c.id)
    def test_history_case(self, engine: DataQualityEngine, case: HistoryCase) -> None:
        # Anomaly rules against a seeded history: the base judges them, the same everywhere.
        store = case.store()
        options: dict[str, Any] = {
            "dataset": HISTORY_DATASET,
            "metrics_store": store,
            "now": case.now(),
        }
        result = engine.check(case.frame(), list(case.rules), **options)
        judged = result.rule_results[-1]
        assert judged.evaluated, judged.message
        assert (judged.passed, judged.failed_count, judged.total_count) == (
            case.passed,
            0 if case.passed else 1,
            1,
        ), judged.message
        assert case.says in judged.message, judged.message
        assert judged.evaluated_by == SHARED_EVALUATOR
        # The check appended its own record, flagging the metric when it failed.
        (record,) = store.read(HISTORY_DATASET, len(case.past) + 5)[-1:]
        assert record.checked_at == case.now()
        assert record.row_count == case.frame().height
        key = judged.rule_name.removeprefix("metric_anomaly(").removesuffix(")")
        key = "row_count" if judged.rule_type == "row_count_anomaly" else key
        assert (key in record.anomalies) is (not case.passed)

    @pytest.mark.parametrize("case", HISTORY_NOT_EVALUATED, ids=lambda c: c.id)
    def test_history_not_evaluated_case(self, engine: DataQualityEngine, case: HistoryCase) -> None:
        options: dict[str, Any] = {
            "dataset": HISTORY_DATASET,
            "metrics_store": case.store(),
            "now": case.now(),
        }
        judged = engine.check(case.frame(), list(case.rules), **options).rule_results[-1]
        assert not judged.evaluated, judged.message
        assert (judged.passed, judged.failed_count, judged.total_count) == (False, 0, 0)
        assert judged.message.startswith("not evaluated: "), judged.message
        assert case.says in judged.message, judged.message

    def test_anomaly_rules_without_a_history_are_not_evaluated(
        self, engine: DataQualityEngine
    ) -> None:
        # Never a false alarm, never a silent pass: no store, no dataset, or a store that
        # cannot be read leaves the rule not evaluated, with the reason.
        rules = [case.rules[-1] for case in HISTORY_CASES[:: len(HISTORY_CASES) // 4]]
        broken = _BrokenStore()
        cases: tuple[tuple[dict[str, Any], str], ...] = (
            ({}, "needs metrics_store and dataset"),
            ({"dataset": "d"}, "needs metrics_store"),
            ({"metrics_store": broken}, "needs dataset"),
            ({"metrics_store": broken, "dataset": "d"}, "could not be read: disk on fire"),
        )
        for options, says in cases:
            result = engine.check(people(), [_PEOPLE_ROWS, *rules], **options)
            assert result.rule_results[0].passed  # the other rules are unaffected
            for r in result.rule_results[1:]:
                assert not r.evaluated and not r.passed, r.message
                assert says in r.message, r.message

    def test_every_frame_in_one_check(self, engine: DataQualityEngine) -> None:
        # All cases of a frame at once (odd names, every number type, Null columns): each
        # result must come from its own column, whatever the others are called.
        by_frame: dict[Any, list[Case]] = {}
        for case in CASES:
            by_frame.setdefault(case.frame, []).append(case)
        for frame, cases in by_frame.items():
            want = [(c.failed, c.total, c.passed) for c in cases]
            for data in (frame(), frame().lazy()):
                # A LazyFrame in batches of 3 rows: every count merges exactly (or the rule
                # is left to the shared implementation, labelled so).
                result = engine.check(data, [c.rule for c in cases], batch_rows=3)
                got = [(r.failed_count, r.total_count, r.passed) for r in result.rule_results]
                assert got == want, (frame.__name__, type(data).__name__)
                if isinstance(data, pl.LazyFrame) and getattr(engine, "batches_lazy_input", False):
                    _assert_unmerged_are_shared(cases, result)

    def test_results_say_who_evaluated_them(
        self, engine: DataQualityEngine, record_property: Any
    ) -> None:
        # The per-engine report of native vs borrowed rule types, over every case: printed
        # (pytest -s), recorded in the JUnit XML, and held to the declared capabilities.
        evaluated_by: dict[str, set[str]] = {}
        for case in CASES:
            (r,) = engine.check(case.frame(), [case.rule]).rule_results
            assert r.evaluated_by in (engine.engine_name, SHARED_EVALUATOR), (case.id, r)
            evaluated_by.setdefault(r.rule_type, set()).add(r.evaluated_by)
        native = {t for t, who in evaluated_by.items() if engine.engine_name in who}
        report = {
            t: "native" if who == {engine.engine_name} else
            "shared" if who == {SHARED_EVALUATOR} else "native, shared on some cases"
            for t, who in sorted(evaluated_by.items())
        }  # fmt: skip
        print(f"\n{engine.engine_name}: " + ", ".join(f"{t}={how}" for t, how in report.items()))
        record_property("evaluated_by", json.dumps(report, sort_keys=True))
        if path := os.environ.get("TRUTHOUND_DQ_NATIVE_REPORT"):  # one JSON line per engine
            with open(path, "a", encoding="utf-8") as out:
                out.write(json.dumps({"engine": engine.engine_name, "rule_types": report}) + "\n")
        declared = {str(t) for t in engine.capabilities.native_rule_types}
        assert declared <= native, (
            f"declared native but never evaluated natively: {declared - native}"
        )
        assert native <= declared, f"evaluated natively but not declared: {native - declared}"
        unevaluated = engine.check(people(), [{"column": "nope", "type": "not_null"}])
        assert unevaluated.rule_results[0].evaluated_by == ""

    def test_all_cases_in_one_check(self, engine: DataQualityEngine) -> None:
        # One check with every rule at once: results must be attributed to the right rule
        # even where the engine runs several rules through validators of one name.
        rules = [case.rule for case in CASES if case.frame is people]
        result = engine.check(people(), rules)
        expected = [(c.failed, c.total, c.passed) for c in CASES if c.frame is people]
        got = [(r.failed_count, r.total_count, r.passed) for r in result.rule_results]
        assert got == expected

    def test_lazyframe_gives_the_same_result(self, engine: DataQualityEngine) -> None:
        rules = [case.rule for case in CASES if case.frame is people]
        eager = engine.check(people(), rules)
        lazy = engine.check(people().lazy(), rules)
        assert _counts(lazy) == _counts(eager)
        assert lazy.row_count == eager.row_count == 6

    def test_samples_are_bounded_failing_values(self, engine: DataQualityEngine) -> None:
        frame = people()
        value_cases = [
            c
            for c in CASES
            if c.frame is people
            and c.failed
            and c.total > 1
            and c.rule["type"] not in ("not_null", "column_exists")
        ]
        rules = [c.rule for c in value_cases]
        result = engine.check(frame, rules, sample_size=2)
        batched = engine.check(frame.lazy(), rules, sample_size=2, batch_rows=2)
        for case, rule_result, lazy_result in zip(
            value_cases, result.rule_results, batched.rule_results, strict=True
        ):
            failing = _failing_values(frame, case.rule)
            for samples in (rule_result.sample_values, lazy_result.sample_values):
                assert 1 <= len(samples) <= 2, (case.id, samples)
                assert set(samples) <= failing, (case.id, samples, failing)

    # -- edge cases ------------------------------------------------------------------------

    def test_missing_column_fails_the_rule_not_the_check(self, engine: DataQualityEngine) -> None:
        result = engine.check(
            people(),
            [
                {"column": "nope", "type": "in_range", "min": 0},
                {"column": "id", "type": "not_null", "mostly": 0.5},
            ],
        )
        missing, other = result.rule_results
        assert not missing.passed and not missing.evaluated
        assert "'nope'" in missing.message and "'id'" in missing.message
        assert other.passed
        assert result.status is CheckStatus.FAILED

    def test_rule_on_a_column_of_the_wrong_dtype_is_not_evaluated(
        self, engine: DataQualityEngine
    ) -> None:
        result = engine.check(people(), [{"column": "age", "type": "regex", "pattern": "1"}])
        (rule_result,) = result.rule_results
        assert not rule_result.passed and not rule_result.evaluated
        assert "Float64" in rule_result.message

    def test_freshness_is_judged_at_the_checks_time(self, engine: DataQualityEngine) -> None:
        # The age is now - newest, exactly: a newest value exactly max_age old passes, one
        # microsecond more fails; naive datetimes are UTC, a date is midnight UTC, a value
        # newer than now passes. The observed value is the newest value as ISO text.
        frame = pl.DataFrame(
            {
                "t": pl.Series(
                    [
                        dt.datetime(2023, 5, 1, tzinfo=dt.UTC),
                        None,
                        dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
                    ],
                    dtype=pl.Datetime("ns", "Europe/Paris"),
                ),
                "n": pl.Series([dt.datetime(2024, 1, 1), None, None], dtype=pl.Datetime("ms")),
                "d": pl.Series([None, dt.date(2024, 1, 1), dt.date(2020, 1, 1)], dtype=pl.Date),
            }
        )
        rules = [
            {"type": "freshness", "column": c, "max_age": age, "name": f"{c}{age}"}
            for c in ("t", "n", "d")
            for age in ("24h", "PT23H59M59.999999S")
        ]
        now = dt.datetime(2024, 1, 2, 1, tzinfo=dt.timezone(dt.timedelta(hours=1)))
        got = engine.check(frame, rules, now=now).rule_results
        assert [r.passed for r in got] == [True, False] * 3, [r.message for r in got]
        assert [r.observed_value for r in got[::2]] == [
            "2024-01-01T01:00:00+01:00",
            "2024-01-01T00:00:00",
            "2024-01-01",
        ]
        early = engine.check(frame, rules[:1], now=dt.datetime(2023, 12, 31)).rule_results
        assert early[0].passed and "in the future" in early[0].message

    @pytest.mark.parametrize(
        "case",
        [*NOT_EVALUATED_DATE_CASES, *KEYS_NOT_EVALUATED, *SQL_NOT_EVALUATED],
        ids=lambda c: c.id,
    )
    def test_rule_not_evaluated_case(
        self, engine: DataQualityEngine, case: NotEvaluatedCase
    ) -> None:
        # A rule that cannot apply to its data (naive vs aware, kinds that do not compare,
        # SQL naming a missing column or not boolean here): not evaluated (0 of 0), saying
        # why; the check goes on with the other rules.
        rules = [case.rule, {"type": "row_count", "min": 0}]
        (rule_result, other) = engine.check(case.frame(), rules).rule_results
        assert not rule_result.evaluated and not rule_result.passed, rule_result.message
        assert (rule_result.failed_count, rule_result.total_count) == (0, 0)
        for fragment in case.fragments:
            assert fragment in rule_result.message, (fragment, rule_result.message)
        assert other.passed and other.evaluated

    def test_warning_severity_gives_a_warning_status(self, engine: DataQualityEngine) -> None:
        result = engine.check(
            people(),
            [
                {"column": "id", "type": "unique", "severity": "warning"},
                {"column": "score", "type": "not_null"},
            ],
        )
        assert result.status is CheckStatus.WARNING
        assert (result.passed_count, result.failed_count, result.warning_count) == (1, 0, 1)
        assert result.is_success

    def test_no_rules_passes(self, engine: DataQualityEngine) -> None:
        result = engine.check(people(), [])
        assert result.status is CheckStatus.PASSED
        assert result.row_count == 6 and result.pass_rate == 1.0

    def test_invalid_rules_are_refused_before_the_engine_runs(
        self, engine: DataQualityEngine
    ) -> None:
        with pytest.raises(RuleValidationError) as info:
            engine.check(
                people(),
                [
                    {"column": "id", "type": "nope"},
                    {"column": "age", "type": "in_range", "min": 5, "max": 1},
                ],
            )
        assert [p.index for p in info.value.problems] == [0, 1]

    def test_unsupported_data_is_a_type_error(self, engine: DataQualityEngine) -> None:
        with pytest.raises(TypeError, match=r"polars\.DataFrame"):
            engine.check([{"id": 1}], [{"column": "id", "type": "not_null"}])

    def test_pandas_input(self, engine: DataQualityEngine) -> None:
        pd = pytest.importorskip("pandas")
        pytest.importorskip("pyarrow")
        frame = pd.DataFrame({"id": [1, 2, 2, None], "s": ["a", "b", None, "a"]})
        result = engine.check(
            frame, [{"column": "id", "type": "not_null"}, {"column": "s", "type": "unique"}]
        )
        assert [(r.failed_count, r.total_count) for r in result.rule_results] == [(1, 4), (2, 3)]

    def test_result_round_trips_through_json_and_pickle(self, engine: DataQualityEngine) -> None:
        result = engine.check(people(), [c.rule for c in CASES[:12]])
        again = QualityCheckOutput.from_dict(json.loads(json.dumps(result.to_dict())))
        assert again == result
        assert pickle.loads(pickle.dumps(result)) == result

    # -- agreement with the oracle -----------------------------------------------------------

    def test_property_counts_equal_the_oracle(self, engine: DataQualityEngine) -> None:
        @settings(
            max_examples=self.property_examples,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
            database=None,
        )
        @given(frame=frames(max_rows=self.property_max_rows), rules=rules_for())
        def check(frame: pl.DataFrame, rules: list[dict[str, Any]]) -> None:
            expected = _REFERENCE.check(frame, rules)
            got = engine.check(frame, rules)
            assert _counts(got) == _counts(expected), (frame, rules)
            assert got.status is expected.status

        check()

    # -- split -------------------------------------------------------------------------------

    def test_split_every_case(self, engine: DataQualityEngine) -> None:
        # Every hand-written case, one split per frame (odd names, every number type, Null
        # columns): the split reconciles with its result, the check and the oracle, and each
        # row-level case names exactly its expected number of rows.
        by_frame: dict[Any, list[Case]] = {}
        for case in CASES + CUSTOM_CASES:
            if rule_class(case.rule["type"]) is not None:
                by_frame.setdefault(case.frame, []).append(case)
        for frame_of, cases in by_frame.items():
            frame, rules = frame_of(), [c.rule for c in cases]
            out = engine.split(frame, rules, row_index=_ROW)
            _assert_split_agrees(engine, frame, rules, out)
            counts = out.reason_counts()
            for case, r in zip(cases, out.result.rule_results, strict=True):
                want = case.failed if r.rule_name in out.row_rules else 0
                assert counts.get(r.rule_name, 0) == want, (case.id, counts.get(r.rule_name))

    def test_split_lazyframe_and_pandas(self, engine: DataQualityEngine) -> None:
        rules = [case.rule for case in CASES if case.frame is people]
        eager = engine.split(people(), rules)
        lazy = engine.split(people().lazy(), rules)
        assert eager.valid.equals(lazy.valid) and eager.invalid.equals(lazy.invalid)
        assert _counts(lazy.result) == _counts(eager.result)
        assert eager.invalid.height == 6  # every row fails one of these
        pd = pytest.importorskip("pandas")
        pytest.importorskip("pyarrow")
        frame = pd.DataFrame({"id": [1, 2, 2, None]})
        out = engine.split(frame, [{"column": "id", "type": "unique"}])
        assert isinstance(out.valid, pl.DataFrame)  # Polars out, whatever came in
        assert out.invalid.get_column("id").to_list() == [2.0, 2.0]

    def test_split_columns_and_clashes(self, engine: DataQualityEngine) -> None:
        from truthound_dq._errors import ColumnClashError

        rules: list[dict[str, Any]] = [
            {"column": "id", "type": "not_null"},
            {"column": "score", "type": "in_range", "max": 90, "severity": "warning"},
            {"type": "row_count", "min": 100},  # fails the check, splits no row
            {"column": "nope", "type": "not_null"},  # not evaluated: fails, names no row
        ]
        out = engine.split(people(), rules, reasons_column="why", row_index="n")
        assert out.valid.columns == ["n", *people().columns, "why"]
        assert out.valid.schema["why"] == pl.List(pl.String)
        assert out.result.status is CheckStatus.FAILED
        assert [r.rule_name for r in out.blocking_failures] == ["row_count", "not_null(nope)"]
        assert out.invalid.height == 1 and out.invalid_fraction == pytest.approx(1 / 6)
        assert out.row_rules == ("not_null(id)", "in_range(score)")
        plain = engine.split(people(), rules)
        assert plain.valid.columns == [*people().columns, "_dq_failed_rules"]
        assert plain.valid.equals(out.valid.drop("n").rename({"why": "_dq_failed_rules"}))
        with pytest.raises(ColumnClashError, match="reasons_column='id'"):
            engine.split(people(), rules, reasons_column="id")
        with pytest.raises(ColumnClashError, match="row_index='email'"):
            engine.split(people().lazy(), rules, row_index="email")
        with pytest.raises(ColumnClashError, match="row_index='x'"):
            engine.split(people(), rules, reasons_column="x", row_index="x")
        with pytest.raises(ValueError, match="age"):  # ColumnClashError is a ValueError
            engine.split(people(), rules, reasons_column="age")

    def test_split_scopes_rows_by_where_and_ignores_tolerances(
        self, engine: DataQualityEngine
    ) -> None:
        # Only rows in a rule's where scope can fail it; mostly and max_failures decide the
        # rule's verdict, never which rows failed it.
        rules: list[dict[str, Any]] = [
            {"column": "id", "type": "unique", "where": "score > 1"},
            {"column": "age", "type": "in_range", "min": 0, "where": "flag = false"},
            {"column": "age", "type": "in_range", "max": 100, "mostly": 0.5},
        ]
        out = engine.split(people(), rules, row_index=_ROW)
        _assert_split_agrees(engine, people(), rules, out)
        assert out.invalid.get_column(_ROW).to_list() == [1, 2, 4, 5]
        assert [r.passed for r in out.result.rule_results] == [False, False, True]
        assert out.invalid.get_column(out.reasons_column).to_list() == [
            ["unique(id)", "in_range(age)"],
            ["unique(id)"],
            ["in_range(age)#2"],
            ["in_range(age)#2"],
        ]

    def test_lazy_scan_memory_is_bounded(
        self, tmp_path_factory: pytest.TempPathFactory, record_property: Any
    ) -> None:
        # A fresh process checks a Parquet folder whose rule columns take ~850 MiB in memory
        # (1M rows, long emails) with row-level rules other than uniqueness: exact counts,
        # and the check's extra peak RSS below a quarter of the columns' size.
        from truthound_dq.testing._memory import (
            expected_counts,
            rule_columns_bytes,
            run_child,
            write_dataset,
        )

        if self.memory_test_engine is None:
            pytest.skip("memory_test_engine is not set for this engine")
        rows = 1_000_000
        folder = tmp_path_factory.getbasetemp() / "lazy-memory-dataset"
        if not folder.exists():
            write_dataset(folder, rows, pad=800, row_group_size=10_000)
        size_mib = rule_columns_bytes(folder) / 2**20
        # 8 MiB batches: what an engine keeps per batch scales with the batch, and this
        # dataset is small. Measured: Pandera's allocator keeps about 7-12 batches' worth
        # (16 MiB batches: 167-203 MiB extra, at the quarter's edge; 8 MiB: about 120 MiB).
        report = run_child(self.memory_test_engine, folder, batch_bytes=8 * 2**20)
        extra = report["peak_mib"] - report["before_mib"]
        print(
            f"\n{self.memory_test_engine}: rule columns {size_mib:.0f} MiB in memory, "
            f"check's extra peak RSS {extra:.0f} MiB, {report['check_s']:.1f} s"
        )
        record_property("lazy_memory_mib", json.dumps({"columns": size_mib, "extra": extra}))
        assert [tuple(c) for c in report["counts"]] == expected_counts(rows)
        assert size_mib > 500, size_mib
        assert extra < size_mib / 4, (extra, size_mib)

    def test_property_lazy_batches_equal_the_oracle(self, engine: DataQualityEngine) -> None:
        @settings(
            max_examples=self.lazy_property_examples,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
            database=None,
        )
        @given(frame=frames(max_rows=self.property_max_rows), rules=rules_for())
        def check(frame: pl.DataFrame, rules: list[dict[str, Any]]) -> None:
            expected = _REFERENCE.check(frame, rules)
            got = engine.check(frame.lazy(), rules, batch_rows=4)
            assert _counts(got) == _counts(expected), (frame, rules)
            assert got.status is expected.status

        check()

    def test_property_split_agrees_with_the_oracle(self, engine: DataQualityEngine) -> None:
        @settings(
            max_examples=self.split_property_examples,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
            database=None,
        )
        @given(frame=frames(max_rows=self.property_max_rows), rules=rules_for())
        def check(frame: pl.DataFrame, rules: list[dict[str, Any]]) -> None:
            out = engine.split(frame, rules, row_index=_ROW)
            _assert_split_agrees(engine, frame, rules, out)
            assert _counts(out.result) == _counts(_REFERENCE.check(frame, rules))

        check()

    # -- profile, learn, auto_schema ----------------------------------------------------------

    def test_profile_counts_equal_the_oracle(self, engine: DataQualityEngine) -> None:
        frame = people()
        got = engine.profile(frame)
        expected = _REFERENCE.profile(frame)
        assert got.row_count == 6
        assert [c.column_name for c in got.columns] == frame.columns
        for mine, truth in zip(got.columns, expected.columns, strict=True):
            assert (mine.null_count, mine.unique_count) == (truth.null_count, truth.unique_count), (
                mine.column_name
            )
            assert mine.null_rate == pytest.approx(truth.null_rate)
        assert got.produced_by, "a profile says what produced it"

    @pytest.mark.parametrize("frame", [odd_names, numbers, all_missing], ids=lambda f: f.__name__)
    def test_profile_and_learn_on_odd_names_and_numbers(
        self, engine: DataQualityEngine, frame: Any
    ) -> None:
        # Column names that look like patterns, every number type, Null columns: profile
        # counts equal the oracle's, and what is learned passes on the data it came from.
        data = frame()
        got, want = engine.profile(data), _REFERENCE.profile(data)
        assert [c.column_name for c in got.columns] == data.columns
        for mine, truth in zip(got.columns, want.columns, strict=True):
            assert (mine.null_count, mine.unique_count) == (truth.null_count, truth.unique_count), (
                mine.column_name
            )
        learned = engine.learn(data)
        assert {r.column for r in learned.rules} <= set(data.columns) | {None}
        result = engine.check(data, learned.to_rules())
        assert result.status is CheckStatus.PASSED, [r.message for r in result.failures]

    def test_profile_selected_columns(self, engine: DataQualityEngine) -> None:
        got = engine.profile(people(), columns=["id", "email"])
        assert [c.column_name for c in got.columns] == ["id", "email"]
        with pytest.raises(ColumnNotFoundError, match="nope"):
            engine.profile(people(), columns=["nope"])

    def test_learned_rules_pass_on_the_data_they_came_from(self, engine: DataQualityEngine) -> None:
        frame = people()
        learned = engine.learn(frame)
        assert learned.rules, "learn returned no rules"
        assert learned.produced_by
        result = engine.check(frame, learned.to_rules())
        assert result.status is CheckStatus.PASSED, [r.message for r in result.failures]

    def test_auto_schema_learns_then_compares(
        self, engine: DataQualityEngine, tmp_path: Any
    ) -> None:
        store = FileBaselineStore(tmp_path)
        rules = [{"column": "id", "type": "not_null", "mostly": 0.5}]
        first = engine.check(
            people(), rules, auto_schema=True, dataset="people", baseline_store=store
        )
        assert len(first.rule_results) == 1 and "learned a baseline" in first.notes[0]
        drifted = people().drop("email").with_columns(pl.col("score").cast(pl.String))
        second = engine.check(
            drifted, rules, auto_schema=True, dataset="people", baseline_store=store
        )
        baseline = [r for r in second.rule_results if r.origin is Origin.BASELINE]
        assert baseline, "later checks add the baseline's results"
        drift = {(r.rule_type, r.column) for r in baseline if not r.passed}
        assert {("column_exists", "email"), ("dtype", "score")} <= drift
        assert second.status is CheckStatus.FAILED

    def test_auto_schema_without_a_dataset_says_so(self, engine: DataQualityEngine) -> None:
        result = engine.check(people(), [], auto_schema=True)
        assert result.status is CheckStatus.PASSED and len(result.rule_results) == 0
        assert "no dataset name" in result.notes[0]
