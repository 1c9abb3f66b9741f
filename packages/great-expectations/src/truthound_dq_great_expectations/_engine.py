"""``GreatExpectationsEngine``: the rules of ``docs/rules.md`` run through GX 1.x."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from importlib.metadata import PackageNotFoundError, version
from typing import Any, ClassVar

import polars as pl

from truthound_dq import ColumnExists, EngineCapabilities, Frame, LearnOutput, ProfileOutput, Rule
from truthound_dq.sdk import (
    POLARS_PRODUCER,
    EngineBase,
    Evaluation,
    RuleCounts,
    polars_learn,
    polars_profile,
    reference_evaluate,
)
from truthound_dq_great_expectations._convert import to_pandas
from truthound_dq_great_expectations._expectations import (
    NATIVE,
    RULE_KEY,
    gx_is_exact,
    to_counts,
    to_expectation,
)
from truthound_dq_great_expectations._session import GXSession

__all__ = ["GreatExpectationsEngine"]

_SHARED = POLARS_PRODUCER
PRODUCED_BY = f"{_SHARED} (Great Expectations 1.x has no profiler)"

_NOTES = {
    "regex": (
        "computed with the shared Polars implementation: GX's expect_column_values_to_match_regex "
        "runs pandas str.contains, i.e. Python's re (pandas 3 falls back to it from RE2), whose "
        "dialect is not the canonical one: its $ also matches before a trailing newline "
        "('a\\n' matches '^a$') and its \\w misses combining marks"
    ),
    "in_range": (
        "GX coerces min_value/max_value to float and compares integer columns as float64: "
        "on an integer column whose values or bounds go beyond 2**53 the rule is computed "
        "with the shared Polars implementation (exact), otherwise by GX"
    ),
    "dtype": (
        "computed from the Polars schema: GX only sees the pandas frame after conversion, "
        "where Int64 with nulls, Categorical or Enum no longer have their Polars dtype"
    ),
    "conversion": (
        "GX validates pandas only: the columns the rules use are converted once per check "
        "(Polars -> Arrow -> pandas); integers with nulls beyond 2**53 become nullable Int64 "
        "so they stay exact"
    ),
    "profile": f"{_SHARED}: GX 1.x has no profiler",
    "learn": f"{_SHARED}: GX 1.x has no rule inference",
}


class GreatExpectationsEngine(EngineBase):
    """Great Expectations 1.x on Polars data: one expectation per rule, one validation.

    The GX context lives in memory (nothing is written to disk), is built on first use and
    reused by every later call of this instance; concurrent calls are serialised around GX.

    Examples:
        >>> from truthound_dq import get_engine
        >>> engine = get_engine("great_expectations")  # or "gx", "ge"
        >>> result = engine.check(frame, [{"column": "id", "type": "not_null"}])  # doctest: +SKIP
    """

    engine_name: ClassVar[str] = "great_expectations"
    capabilities: ClassVar[EngineCapabilities] = EngineCapabilities(
        native_rule_types=NATIVE,
        native_profile=False,
        native_learn=False,
        lazy_input=False,
        notes=_NOTES,
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._session = GXSession()

    @property
    def engine_version(self) -> str:
        """Version of the installed ``great-expectations`` distribution."""
        try:
            return version("great-expectations")
        except PackageNotFoundError:
            return "not installed"

    def _evaluate(
        self, frame: Frame, rules: Sequence[Rule], *, sample_size: int, options: Mapping[str, Any]
    ) -> Evaluation:
        df = frame.collect() if isinstance(frame, pl.LazyFrame) else frame
        counts: list[RuleCounts | None] = [None] * len(rules)
        faithful = [r.type in NATIVE and gx_is_exact(r, df) for r in rules]
        native = [(i, r) for i, r in enumerate(rules) if faithful[i]]
        borrowed = [(i, r) for i, r in enumerate(rules) if not faithful[i]]
        if native:
            for i, rule_counts in self._run_gx(df, native, sample_size).items():
                counts[i] = rule_counts
        if borrowed:
            shared = reference_evaluate(df, [r for _, r in borrowed], sample_size=sample_size)
            for (i, _), rule_counts in zip(borrowed, shared.counts, strict=True):
                counts[i] = rule_counts
        missing = [rules[i].name for i, c in enumerate(counts) if c is None]
        if missing:
            raise RuntimeError(f"GX returned no result for {', '.join(missing)}")
        return Evaluation(df.height, [c for c in counts if c is not None])

    def _run_gx(
        self, df: pl.DataFrame, rules: Sequence[tuple[int, Rule]], sample_size: int
    ) -> dict[int, RuleCounts]:
        # Only the columns the rules name are converted (column_exists included, so GX sees
        # whether the column is there).
        wanted = dict.fromkeys(r.column for _, r in rules if r.column is not None)
        columns = [c for c in wanted if c in df.schema]
        pdf = to_pandas(df, columns)
        self._session.batch_definition()  # imports GX, or says how to install it
        expectations = [to_expectation(rule, i) for i, rule in rules]
        result_format = {
            "result_format": "BASIC",
            "partial_unexpected_count": max(sample_size, 1),
            "include_unexpected_rows": False,
        }
        validation = self._session.validate(pdf, expectations, result_format)
        by_index = dict(rules)
        out: dict[int, RuleCounts] = {}
        for result in validation.results:
            i = int(result.expectation_config.meta[RULE_KEY])
            rule = by_index[i]
            info = result.exception_info or {}
            if info.get("raised_exception") and not isinstance(rule, ColumnExists):
                raise RuntimeError(f"GX failed on {rule.name}: {info.get('exception_message')}")
            out[i] = to_counts(rule, result, df.schema, sample_size)
        return out

    def _profile(self, frame: Frame, columns: Sequence[str] | None) -> ProfileOutput:
        return polars_profile(frame, columns, produced_by=PRODUCED_BY)

    def _learn(self, frame: Frame, options: Mapping[str, Any]) -> LearnOutput:
        return polars_learn(frame, produced_by=PRODUCED_BY)
