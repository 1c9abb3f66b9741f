"""``TruthoundEngine``: the vocabulary of ``truthound_dq`` evaluated by Truthound's validators."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from importlib.metadata import version
from pathlib import Path
from typing import Any, ClassVar

from truthound_dq import (
    BaselineStore,
    EngineCapabilities,
    Frame,
    LearnOutput,
    ProfileOutput,
    Rule,
    RuleType,
)
from truthound_dq.sdk import EngineBase, Evaluation

__all__ = ["TruthoundEngine"]

_NOTES = {
    "not_null": "NotNullValidator on the column with NaN turned into null (NaN is missing).",
    "unique": (
        "DuplicateValidator (every row of a repeated value) minus the null rows when two or "
        "more pair up; UniqueValidator counts only extra copies and is off by one with nulls."
    ),
    "regex": (
        "RegexValidator with match_full=False (search), dotall=False and no early "
        "termination (exact counts); the empty and whitespace-only strings it skips are "
        "checked by the shared Polars expression. Patterns its ReDoS guard refuses are "
        "evaluated by the shared Polars expression."
    ),
    "in_range": (
        "BetweenValidator (inclusive) with NaN turned into null; on dtypes Truthound does "
        "not treat as numeric (Decimal, Int128, UInt128, Float16) the shared Polars expression."
    ),
    "in_set": "InSetValidator with values matched to the column's dtype.",
    "not_in_set": "NotInSetValidator with values matched to the column's dtype.",
    "str_length": "LengthValidator (characters); Categorical/Enum read as String.",
    "dtype": "ColumnTypeValidator, one per dtype class of a family; fails if all mismatch.",
    "column_exists": "ColumnExistsValidator.",
    "row_count": "RowCountValidator.",
    "totals": "Missing values per column from NullValidator (NaN turned into null).",
    "samples": (
        "The first failing values in row order, taken by the adapter with the canonical "
        "failure expression (stopping early): Truthound's own samples are cut to 50 "
        "characters (regex) or ordered by frequency (unique)."
    ),
    "profile": (
        "th.profile for the row count, dtypes and numeric min/max; exact missing and "
        "distinct counts and means by the shared Polars pass, because th.profile reports "
        "only rounded percentages (and counts NaN as a value)."
    ),
    "learn": "th.learn over the data with NaN turned into null, translated into rules.",
}


class TruthoundEngine(EngineBase):
    """Checks, profiles and learns with Truthound (``truthound>=3.2,<4``).

    Every rule is evaluated by a Truthound validator instance configured for its column,
    composed where Truthound's meaning differs from ``docs/rules.md`` (see
    ``capabilities.notes``). Truthound runs in a temporary, non-persisting context: nothing
    is written to the working directory.

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
    capabilities: ClassVar[EngineCapabilities] = EngineCapabilities(
        native_rule_types=frozenset(RuleType),
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
        return version("truthound")

    def _evaluate(
        self, frame: Frame, rules: Sequence[Rule], *, sample_size: int, options: Mapping[str, Any]
    ) -> Evaluation:
        from truthound_dq_truthound._check import evaluate

        return evaluate(frame, rules, sample_size=sample_size, workdir=self.workdir)

    def _profile(self, frame: Frame, columns: Sequence[str] | None) -> ProfileOutput:
        from truthound_dq_truthound._profile import profile

        return profile(frame, columns)

    def _learn(self, frame: Frame, options: Mapping[str, Any]) -> LearnOutput:
        from truthound_dq_truthound._learn import learn

        return learn(frame)
