"""``TruthoundEngine``: the vocabulary of ``truthound_dq`` evaluated by Truthound's validators."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, ClassVar

from truthound_dq import (
    BaselineStore,
    EngineCapabilities,
    Frame,
    LearnOutput,
    ProfileOutput,
    Rule,
)
from truthound_dq.sdk import (
    HISTORY_NOTES,
    DataView,
    EngineBase,
    NativeCounts,
    Translations,
    engine_library_version,
)
from truthound_dq_truthound._translate import TRANSLATIONS

__all__ = ["TruthoundEngine"]

_NOTES = {
    **HISTORY_NOTES,
    "not_null": "NotNullValidator over every not_null column at once; NaN turned into null.",
    "unique": (
        "DuplicateValidator (every row of a repeated value) per column, minus the null rows "
        "when two or more pair up; UniqueValidator counts only extra copies and misses "
        "duplicates when the column has nulls. A compound key (columns) is the shared Polars "
        "implementation: CompoundKeyValidator counts extra copies only (rows minus distinct "
        "keys), and DuplicateValidator(subset=...) pairs up rows with missing key values, "
        "which the rule skips."
    ),
    "regex": (
        "RegexValidator (search: match_full=False, dotall=False, no early termination, so "
        "counts are exact) through a subclass that takes blank strings for values (the stock "
        "validator skips empty and whitespace-only strings); one validator per pattern over "
        "all its columns. Patterns its ReDoS guard or Python's re refuses, or that re warns "
        "on ([[:alpha:]]): shared Polars implementation."
    ),
    "not_regex": (
        "NotMatchRegexValidator (search: match_full=False) through a subclass that takes blank "
        "strings for values, like regex's; one validator per pattern over all its columns. "
        "Patterns its ReDoS guard or Python's re refuses, or that re warns on ([[:alpha:]]): "
        "shared Polars implementation."
    ),
    "compare": (
        "ColumnComparisonValidator (rows with a null skipped, NaN turned into null), one per "
        "pair; its Polars comparison is exact on equal dtypes, two floats and two integers of "
        "one signedness. Shared Polars implementation for an integer against a float "
        "(compared as Float64, rounded beyond 2**53), Decimal, temporal columns of different "
        "units or zones, and a column compared with itself (the validator cannot select it "
        "twice). Totals and samples (both values) by the shared Polars pass."
    ),
    "monotonic": (
        "shared Polars implementation: IncreasingValidator/DecreasingValidator compare each "
        "row with the previous *row* through Series.diff(), so a value after a null is never "
        "compared, and the strict count subtracts one for the first row's null difference, "
        "which the sum already skips (one violation too few); numeric columns only."
    ),
    "in_range": (
        "BetweenValidator (inclusive), one per bounds over all their columns, NaN turned into "
        "null; each bound turned into the exact bound of the column's own type (ceil/floor on "
        "integers, the nearest float on the safe side on Float32/Float64, so Float32 0.1 is "
        "above 0.1 and -inf below -1e308). Shared Polars implementation on Decimal, Int128, "
        "UInt128 (which it skips) and where no bound of the column's type is exact (every "
        "value fails, e.g. min above the type's largest value). strict_min/strict_max on "
        "integer columns become the next integer in (floor(min) + 1, ceil(max) - 1); strict "
        "bounds on float columns, and date, datetime and duration bounds, are computed with "
        "the shared Polars implementation (BetweenValidator is inclusive and compares "
        "Python datetimes, in microseconds)."
    ),
    "in_set": (
        "InSetValidator with the members a value of the column can equal exactly (3.5 on "
        "integers, 2**60 + 1 on floats, 0.1 on Float32 match nothing and are left out). "
        "Shared Polars implementation on Decimal columns (Polars rounds float members to "
        "the column's scale), for members no one Polars dtype holds (-1 next to 10**19 on a "
        "128-bit column: Truthound builds its members as a Series), and for an empty set "
        "(values: []; likewise not_in_set)."
    ),
    "not_in_set": (
        "NotInSetValidator, members as for in_set; Decimal columns and members of no one "
        "dtype as for in_set."
    ),
    "str_length": (
        "LengthValidator (characters); Categorical/Enum read as String; strict bounds as the "
        "next whole length (min + 1, max - 1)."
    ),
    "freshness": (
        "computed with the shared Polars implementation: RecentDataValidator takes max_age "
        "in float hours, compares Python datetimes (microseconds; a naive check time with an "
        "aware column raises) and reports no newest value for the base to judge"
    ),
    "dtype": (
        "ColumnTypeValidator, one per dtype class of a family; fails if all mismatch. Shared "
        "Polars implementation where comparing dtype classes would not mean the rule."
    ),
    "column_exists": "ColumnExistsValidator.",
    "row_count": "RowCountValidator.",
    "aggregate": (
        "Shared Polars implementation: Truthound's MeanBetween/MedianBetween/SumBetween/"
        "StdBetween validators report the statistic only when it is outside the bounds (the "
        "base judges the observed value), keep NaN in the mean and sum (Polars propagates "
        "it; the rule skips NaN as missing), sum Int64 in 64 bits (wraps around) and skip "
        "empty frames silently (the rule fails as undefined)."
    ),
    "schema": (
        "Shared Polars implementation, from the data's schema: the rule's dtype names and "
        "families, exact and ordered differ from Truthound's schema validators, and the "
        "message lists every difference."
    ),
    "totals": (
        "Missing values per column from NotNullValidator (NaN turned into null), shared "
        "with the not_null rules of the same columns."
    ),
    "samples": (
        "The first failing values in row order, taken by the adapter with the canonical "
        "failure expression (stopping early): Truthound's own samples are cut to 50 "
        "characters (regex) or ordered by frequency (unique)."
    ),
    "speed": (
        "One validator per rule kind and parameters over all its columns, in th.check calls "
        "of at most 256 columns each (Truthound's per-validator cost grows with the frame's "
        "width), so the cost is linear in the number of rules."
    ),
    "profile": (
        "th.profile for the row count, dtypes and numeric min/max; exact missing and "
        "distinct counts and means by the shared Polars pass, because th.profile reports "
        "only rounded percentages (and counts NaN as a value)."
    ),
    "learn": "th.learn over the data with NaN turned into null, translated into rules.",
    "expression": (
        "Shared Polars implementation: Truthound's ExpressionValidator would only run the "
        "same Polars expression, on data whose NaN the adapter turns into null (NaN is a "
        "value in SQL text, see docs/rules.md)."
    ),
    "where": (
        "Native for every row-level rule above: th.check runs on the in-scope rows only (the "
        "view filtered by the canonical scope, null out of scope), one run per distinct "
        "where, so Truthound's counts and totals there are the rule's."
    ),
}


class TruthoundEngine(EngineBase):
    """Checks, profiles and learns with Truthound (``truthound>=3.2,<4``).

    Rules are evaluated by Truthound validators (one per rule kind and parameters, over all
    their columns), composed where Truthound's meaning differs from ``docs/rules.md``; where
    Truthound cannot give the exact canonical answer (see ``capabilities.notes``) the rule is
    evaluated by the shared Polars implementation, and its result says so (``evaluated_by``).
    Truthound runs in a temporary, non-persisting context: nothing is written to the working
    directory.

    Args:
        baseline_store: Where ``auto_schema`` keeps baselines (default: the user's cache).
        workdir: Parent folder of Truthound's temporary context (default: the system's
            temporary directory); it is removed after each call.

    Example:
        >>> import polars as pl
        >>> from truthound_dq_truthound import TruthoundEngine
        >>> result = TruthoundEngine().check(
        ...     pl.DataFrame({"id": [1, 2, 2]}), [{"column": "id", "type": "unique"}]
        ... )
        >>> result.rule_results[0].failed_count
        2
    """

    engine_name: ClassVar[str] = "truthound"
    translations: ClassVar[Translations[Any]] = TRANSLATIONS
    native_totals: ClassVar[bool] = True
    # Truthound runs one query per validator: a LazyFrame would run its whole plan each time,
    # so a lazy input comes in bounded, collected batches (the base merges their counts).
    lazy_batches: ClassVar[bool | None] = True
    capabilities: ClassVar[EngineCapabilities] = EngineCapabilities(
        native_rule_types=TRANSLATIONS.rule_types,
        native_profile=True,
        native_learn=True,
        lazy_input=True,
        notes=_NOTES,
    )

    def __init__(
        self, *, baseline_store: BaselineStore | None = None, workdir: str | Path | None = None
    ) -> None:
        super().__init__(baseline_store=baseline_store)
        self.workdir = workdir

    @property
    def engine_version(self) -> str:
        """The installed Truthound version (read without importing Truthound)."""
        return engine_library_version("truthound", "truthound")

    def _evaluate_native(
        self,
        view: DataView,
        rules: Sequence[Rule],
        *,
        sample_size: int,
        options: Mapping[str, Any],
    ) -> Sequence[NativeCounts]:
        from truthound_dq_truthound._check import evaluate_native

        return evaluate_native(view, rules, sample_size=sample_size, workdir=self.workdir)

    def _profile(self, frame: Frame, columns: Sequence[str] | None) -> ProfileOutput:
        from truthound_dq_truthound._profile import profile

        return profile(frame, columns)

    def _learn(self, frame: Frame, options: Mapping[str, Any]) -> LearnOutput:
        from truthound_dq_truthound._learn import learn

        return learn(frame)
