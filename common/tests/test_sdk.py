"""The adapter SDK end to end: an adapter written only against ``truthound_dq.sdk``."""

from __future__ import annotations

import asyncio
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar

import polars as pl
import pytest

from truthound_dq import (
    CheckStatus,
    ColumnExists,
    EngineError,
    InRange,
    NotNull,
    Regex,
    RowCount,
    Rule,
    Unique,
)
from truthound_dq._cancel import CheckCancelledError, cancel_scope
from truthound_dq.sdk import (
    SHARED_EVALUATOR,
    DataView,
    EngineBase,
    EngineCapabilities,
    NativeCounts,
    Translations,
    failure_expr,
    guard_engine_call,
    polars_learn,
    polars_profile,
)
from truthound_dq.testing import EngineContractSuite, people

TRANSLATIONS: Translations[pl.Expr] = Translations("toy")


def _not_decimal(rule: Rule, view: DataView) -> bool:
    assert rule.column is not None
    return view.dtype(rule.column).base_type() != pl.Decimal


@TRANSLATIONS.register(NotNull, Unique, Regex)
def _mask(rule: Rule, view: DataView) -> pl.Expr:
    # (the view's schema: a compound unique reads several columns)
    return failure_expr(rule, view.schema)


@TRANSLATIONS.register(InRange, when=_not_decimal)
def _range(rule: Rule, view: DataView) -> pl.Expr:
    assert rule.column is not None
    return failure_expr(rule, view.dtype(rule.column))


@TRANSLATIONS.register(ColumnExists, RowCount)
def _whole(rule: Rule, view: DataView) -> pl.Expr:
    # A view may have no columns at all (only table-level rules): rows come from row_count().
    if isinstance(rule, ColumnExists):
        assert rule.column is not None
        bad = rule.column not in view.schema
    else:
        assert isinstance(rule, RowCount)
        rows = view.row_count()
        bad = (rule.min is not None and rows < rule.min) or (
            rule.max is not None and rows > rule.max
        )
    return pl.lit(int(bad), dtype=pl.Int64).first()


class ToyEngine(EngineBase):
    """Evaluates some rules "natively" (its own Polars query), borrows the rest."""

    engine_name: ClassVar[str] = "toy"
    translations: ClassVar[Translations[pl.Expr]] = TRANSLATIONS
    capabilities: ClassVar[EngineCapabilities] = EngineCapabilities(
        native_rule_types=TRANSLATIONS.rule_types
    )
    seen: ClassVar[list[list[Rule]]] = []

    @property
    def engine_version(self) -> str:
        return "1"

    def _evaluate_native(
        self,
        view: DataView,
        rules: Sequence[Rule],
        *,
        sample_size: int,
        options: Mapping[str, Any],
    ) -> Sequence[NativeCounts]:
        type(self).seen.append(list(rules))
        exprs = [TRANSLATIONS.translate(r, view).sum().alias(str(i)) for i, r in enumerate(rules)]
        row = view.data().lazy().select(exprs).collect().row(0)
        # Totals and samples left to the base.
        return [NativeCounts(int(v)) for v in row]

    def _profile(self, frame: Any, columns: Sequence[str] | None) -> Any:
        return polars_profile(frame, columns)

    def _learn(self, frame: Any, options: Mapping[str, Any]) -> Any:
        return polars_learn(frame)


class TestToyEngineContract(EngineContractSuite):
    property_examples = 25

    @pytest.fixture
    def engine(self) -> ToyEngine:
        return ToyEngine()


def test_native_rules_get_safe_names_and_results_say_who_evaluated():
    frame = pl.DataFrame({"^a$": [1, None, 1], "*": ["x", "y", None], "A": [1, 2, 3]})
    ToyEngine.seen.clear()
    result = ToyEngine().check(
        frame,
        [
            {"column": "^a$", "type": "unique"},
            {"column": "*", "type": "in_set", "values": ["x"]},
            {"column": "A", "type": "in_range", "max": 2},
        ],
    )
    got = [(r.failed_count, r.total_count, r.evaluated_by) for r in result.rule_results]
    assert got == [(2, 2, "toy"), (1, 2, SHARED_EVALUATOR), (1, 3, "toy")]
    (native,) = ToyEngine.seen
    assert [r.column for r in native] == ["c0", "c2"]
    assert [r.name for r in native] == ["unique(^a$)", "in_range(A)"]
    assert result.rule_results[0].sample_values == (1, 1)


def test_predicate_declines_and_the_base_borrows():
    frame = pl.DataFrame({"d": pl.Series(["1.10", "2.50"], dtype=pl.Decimal(10, 2))})
    result = ToyEngine().check(frame, [{"column": "d", "type": "in_range", "max": 2}])
    (r,) = result.rule_results
    assert (r.failed_count, r.total_count, r.evaluated_by) == (1, 2, SHARED_EVALUATOR)


def test_null_dtype_column_is_all_missing():
    frame = pl.DataFrame({"n": pl.Series([None, None, None], dtype=pl.Null)})
    result = ToyEngine().check(
        frame,
        [
            {"column": "n", "type": "regex", "pattern": "x"},
            {"column": "n", "type": "in_set", "values": [1]},
            {"column": "n", "type": "not_null"},
        ],
    )
    got = [(r.failed_count, r.total_count, r.passed, r.evaluated) for r in result.rule_results]
    assert got == [(0, 0, True, True), (0, 0, True, True), (3, 3, False, True)]


def test_lazyframe_view_and_row_count_without_columns():
    result = ToyEngine().check(people().lazy(), [{"type": "row_count", "min": 7}])
    assert result.row_count == 6 and result.status is CheckStatus.FAILED


class _Panic(BaseException):
    """Stands in for pyo3's PanicException, a BaseException."""


def _raise(exc: BaseException) -> None:
    raise exc


def test_base_exceptions_become_engine_errors_but_signals_pass():
    with pytest.raises(EngineError) as info:
        guard_engine_call("toy", "check", _raise, _Panic("boom"))
    assert isinstance(info.value.__cause__, _Panic)
    for signal in (KeyboardInterrupt(), SystemExit(1), GeneratorExit(), asyncio.CancelledError()):
        with pytest.raises(type(signal)):
            guard_engine_call("toy", "check", _raise, signal)


def test_old_names_warn_and_still_work():
    import truthound_dq
    import truthound_dq.sdk

    with pytest.warns(DeprecationWarning, match=r"truthound_dq\.sdk\.EngineBase"):
        old = truthound_dq.EngineBase
    assert old is truthound_dq.sdk.EngineBase
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        from truthound_dq.sdk import reference_evaluate  # noqa: F401
    with pytest.raises(AttributeError):
        truthound_dq.nope  # noqa: B018


class _Scripted(ToyEngine):
    """Returns what the test says, to check what the base does with an adapter's answer."""

    engine_name: ClassVar[str] = "scripted"
    answer: ClassVar[list[NativeCounts]] = []

    def _evaluate_native(self, view, rules, *, sample_size, options):  # type: ignore[no-untyped-def]
        return type(self).answer


def test_inconsistent_or_missing_counts_are_engine_errors():
    rules = [{"column": "id", "type": "not_null"}]
    _Scripted.answer = [NativeCounts(7)]
    with pytest.raises(EngineError, match="failed 7 of 6"):
        _Scripted().check(people(), rules)
    _Scripted.answer = []
    with pytest.raises(EngineError, match="0 counts for 1 rules"):
        _Scripted().check(people(), rules)


def test_given_totals_and_samples_are_kept():
    _Scripted.answer = [NativeCounts(1, 6, ("mine",))]
    (r,) = _Scripted().check(people(), [{"column": "score", "type": "unique"}]).rule_results
    assert (r.failed_count, r.total_count, r.sample_values) == (1, 6, ("mine",))


class _LazyToy(ToyEngine):
    engine_name: ClassVar[str] = "lazy-toy"
    capabilities: ClassVar[EngineCapabilities] = EngineCapabilities(
        native_rule_types=TRANSLATIONS.rule_types, lazy_input=True
    )


def test_a_lazy_view_for_lazy_adapters_collected_once_if_asked():
    ToyEngine.seen.clear()
    views: list[DataView] = []

    class Spy(_LazyToy):
        def _evaluate_native(self, view, rules, *, sample_size, options):  # type: ignore[no-untyped-def]
            views.append(view)
            return super()._evaluate_native(view, rules, sample_size=sample_size, options=options)

    class Collecting(Spy):
        collect_view: ClassVar[bool | None] = True

    rules = [
        {"column": "id", "type": "not_null"},
        {"column": "email", "type": "regex", "pattern": "@"},
    ]
    lazy = Spy().check(people().lazy(), rules)
    eager = Collecting().check(people().lazy(), rules)
    assert views[0].is_lazy and not views[1].is_lazy
    assert [(r.failed_count, r.total_count) for r in lazy.rule_results] == [(1, 6), (2, 5)]
    assert [(r.failed_count, r.total_count) for r in eager.rule_results] == [(1, 6), (2, 5)]


class _BatchingToy(ToyEngine):
    engine_name: ClassVar[str] = "batching-toy"
    lazy_batches: ClassVar[bool | None] = True


class TestBatchingToyContract(EngineContractSuite):
    """The whole contract for an engine fed LazyFrames in batches (the adapters' path)."""

    property_examples = 10
    split_property_examples = 5

    @pytest.fixture
    def engine(self) -> _BatchingToy:
        return _BatchingToy()


def test_a_lazy_input_is_fed_in_bounded_batches_and_merged():
    heights: list[int] = []

    class Spy(_BatchingToy):
        def _evaluate_native(self, view, rules, *, sample_size, options):  # type: ignore[no-untyped-def]
            assert not view.is_lazy
            heights.append(view.row_count())
            return super()._evaluate_native(view, rules, sample_size=sample_size, options=options)

    frame = pl.DataFrame(
        {"id": [1, 2, 2, None, 5, 6, 7], "s": ["a", "bb", None, "c", "a", "x", "y"]}
    )
    rules = [
        {"column": "id", "type": "unique"},
        {"column": "id", "type": "in_range", "max": 5},
        {"column": "s", "type": "not_null"},
    ]
    eager = Spy().check(frame, rules)
    assert heights == [7]
    heights.clear()
    lazy = Spy().check(frame.lazy(), rules, batch_rows=3)
    assert heights == [3, 3, 1]
    assert [(r.failed_count, r.total_count, r.sample_values) for r in lazy.rule_results] == [
        (r.failed_count, r.total_count, r.sample_values) for r in eager.rule_results
    ]
    # unique does not merge across batches (2 and 2 are in different batches): the base's.
    assert [r.evaluated_by for r in lazy.rule_results] == [
        SHARED_EVALUATOR,
        "batching-toy",
        "batching-toy",
    ]
    assert any("unique(id)" in note and "batches" in note for note in lazy.notes)
    heights.clear()
    Spy().check(frame.lazy(), rules, batch_bytes=1)  # at least one row per batch
    assert heights == [1] * 7
    with pytest.raises(TypeError, match="batch_rows must be a positive integer"):
        Spy().check(frame.lazy(), rules, batch_rows=0)


def test_read_ahead_batches_stay_whole_and_stop_with_the_check(tmp_path: Path) -> None:
    # A scan's slices are read one ahead in Polars' background: the batches stay whole and
    # in order, an engine error on batch 2 ends the check there (no batch 3 is checked), and
    # a cancel while batch 1 is checked raises instead of reading on.
    import threading

    from truthound_dq.sdk._batches import iter_batches

    pl.DataFrame({"i": range(10)}).write_parquet(tmp_path / "a.parquet")
    scan = pl.scan_parquet(tmp_path / "*.parquet")
    got = [b.get_column("i").to_list() for b in iter_batches(scan, 4)]
    assert got == [[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]
    assert [b.height for b in iter_batches(scan.filter(pl.col("i") < 0), 4)] == [0]

    started: list[int] = []

    class Failing(_BatchingToy):
        def _evaluate_native(self, view, rules, *, sample_size, options):  # type: ignore[no-untyped-def]
            started.append(view.row_count())
            if len(started) == 2:
                raise RuntimeError("engine broke on batch 2")
            return super()._evaluate_native(view, rules, sample_size=sample_size, options=options)

    rules = [{"column": "i", "type": "in_range", "max": 8}]
    with pytest.raises(EngineError, match="engine broke on batch 2"):
        Failing().check(scan, rules, batch_rows=3)
    assert started == [3, 3]

    event = threading.Event()

    class Cancelling(_BatchingToy):
        def _evaluate_native(self, view, rules, *, sample_size, options):  # type: ignore[no-untyped-def]
            event.set()  # the time limit passes while the first batch is checked
            return super()._evaluate_native(view, rules, sample_size=sample_size, options=options)

    with cancel_scope(event), pytest.raises(CheckCancelledError):
        Cancelling().check(scan, rules, batch_rows=3)


def test_a_parquet_scan_reads_only_the_rule_columns(tmp_path: Path) -> None:
    # The view's projection reaches the scan (Polars reads 2 of 5 columns of every file),
    # and the batches an engine gets hold only those columns.
    from truthound_dq.sdk import build_view

    for part in range(3):
        pl.DataFrame(
            {"a": [1, 2], "^b$": ["x", None], "c": [1.5, 2.5], "*": [True, False], "e": [0, 0]}
        ).write_parquet(tmp_path / f"part-{part}.parquet")
    scan = pl.scan_parquet(tmp_path / "*.parquet")
    rules = [{"column": "^b$", "type": "not_null"}, {"column": "*", "type": "unique"}]
    from truthound_dq import parse_rules

    view, _ = build_view(scan, scan.collect_schema(), parse_rules(rules), collect=False)
    plan = view.frame.explain()
    assert "PROJECT 2/5 COLUMNS" in plan, plan
    seen: list[list[str]] = []

    class Spy(_BatchingToy):
        def _evaluate_native(self, view, rules, *, sample_size, options):  # type: ignore[no-untyped-def]
            seen.append(view.frame.columns)
            return super()._evaluate_native(view, rules, sample_size=sample_size, options=options)

    result = Spy().check(scan, rules, batch_rows=4)
    assert [(r.failed_count, r.total_count) for r in result.rule_results] == [(3, 6), (6, 6)]
    assert seen and all(columns == ["c0", "c1"] for columns in seen)


def test_a_failing_predicate_is_an_engine_error():
    def explode(rule: Rule, view: DataView) -> bool:
        raise ValueError("predicate broke")

    broken: Translations[None] = Translations("broken")
    broken.register(NotNull, when=explode)(lambda rule, view: None)

    class Broken(ToyEngine):
        engine_name: ClassVar[str] = "broken"
        translations: ClassVar[Translations[Any]] = broken

    with pytest.raises(EngineError, match="predicate broke") as info:
        Broken().check(people(), [{"column": "id", "type": "not_null"}])
    assert isinstance(info.value.__cause__, ValueError)


def test_the_engines_error_wins_over_the_shared_pass(monkeypatch):
    import truthound_dq.sdk._base as base

    def shared_breaks(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("shared pass broke")

    class Raising(ToyEngine):
        engine_name: ClassVar[str] = "raising"

        def _evaluate_native(self, view, rules, *, sample_size, options):  # type: ignore[no-untyped-def]
            raise ZeroDivisionError("engine broke")

    rules = [{"column": "id", "type": "not_null"}, {"column": "status", "type": "in_set",
             "values": ["x"]}]  # fmt: skip
    monkeypatch.setattr(base, "shared_pass", shared_breaks)  # fault injection
    with pytest.raises(EngineError, match="engine broke"):
        Raising().check(people(), rules)
    with pytest.raises(EngineError, match=r"shared Polars implementation\): RuntimeError"):
        ToyEngine().check(people(), rules)


def test_profile_and_learn_get_safe_names_and_give_the_users_back():
    seen: list[list[str]] = []

    class Spy(ToyEngine):
        engine_name: ClassVar[str] = "spy"

        def _profile(self, frame: Any, columns: Sequence[str] | None) -> Any:
            seen.append(list(frame.collect_schema().names()))
            return super()._profile(frame, columns)

    frame = pl.DataFrame({"^a$": [1, None], "*": ["x", "x"], "A": [True, False]})
    profile = Spy().profile(frame, columns=["*"])
    assert seen == [["c0", "c1", "c2"]]
    assert [c.column_name for c in profile.columns] == ["*"]
    learned = Spy().learn(frame)
    assert {r.column for r in learned.rules} == {"^a$", "*", "A", None}
    assert [c.name for c in learned.columns] == ["^a$", "*", "A"]
    # A table rule naming columns in its parameters gets the user's names back too.
    (schema,) = [r for r in learned.rules if r.rule_type == "schema"]
    assert list(schema.parameters["columns"]) == ["^a$", "*", "A"]


class DisagreeingEngine(ToyEngine):
    """Reports one failing row more for not_null than the canonical mask has."""

    engine_name: ClassVar[str] = "disagreeing"

    def _evaluate_native(
        self,
        view: DataView,
        rules: Sequence[Rule],
        *,
        sample_size: int,
        options: Mapping[str, Any],
    ) -> Sequence[NativeCounts]:
        counts = super()._evaluate_native(view, rules, sample_size=sample_size, options=options)
        return [
            NativeCounts(c.failed_count + 1) if isinstance(r, NotNull) else c
            for r, c in zip(rules, counts, strict=True)
        ]


def test_split_refuses_an_engine_that_disagrees_with_the_canonical_masks():
    # Its check still returns its (wrong) counts; its split never returns rows that
    # contradict them: it names the rule instead.
    rules = [{"column": "id", "type": "not_null"}, {"column": "id", "type": "unique"}]
    assert DisagreeingEngine().check(people(), rules).rule_results[0].failed_count == 2
    with pytest.raises(EngineError, match=r"not_null\(id\): the result says 2 .* mask 1"):
        DisagreeingEngine().split(people(), rules)
    out = ToyEngine().split(people(), rules)
    assert out.reason_counts() == {"not_null(id)": 1, "unique(id)": 2}


@pytest.mark.parametrize(
    "rule",
    [
        {"column": "a", "type": "unique"},
        {"column": "a", "type": "in_set", "values": []},
        {"column": "a", "type": "monotonic"},
        {"column": "a", "type": "compare", "op": "<", "other": "b"},
        {"column": "a", "type": "not_null"},
    ],
    ids=lambda r: r["type"],
)
def test_split_by_one_rule_on_an_all_missing_column(rule):
    # The mask of a value rule on a Null column is a constant: it must still be one value per
    # row (a bare literal would give the reasons column one row).
    data = pl.DataFrame({"a": [None, None, None], "b": [1, 2, 3]})
    out = ToyEngine().split(data, [rule])
    failed = out.result.rule_results[0].failed_count
    assert (out.valid.height + out.invalid.height, out.invalid.height) == (3, failed)
