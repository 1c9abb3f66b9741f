"""``SplitOutput``: the rows that passed, the rows put aside with their reasons, and the check.

``engine.split(data, rules)`` checks like ``engine.check`` and then splits the data by the
canonical failure masks of the row-level rules it evaluated, so the rows it quarantines are
exactly the rows the counts counted (see ``docs/split.md``).
"""

from __future__ import annotations

from dataclasses import dataclass

import polars as pl

from truthound_dq._results import QualityCheckOutput, RuleResult
from truthound_dq._rules import Severity

__all__ = ["SplitOutput", "DEFAULT_REASONS_COLUMN"]

DEFAULT_REASONS_COLUMN = "_dq_failed_rules"
"""The default name of the list column naming the rules each row failed."""


@dataclass(frozen=True, slots=True, kw_only=True, eq=False)
class SplitOutput:
    """The result of ``engine.split``: valid rows, quarantined rows and the check result.

    Both frames hold the data's columns under their original names, then the reasons
    column (a ``List(String)`` of the ``rule_name`` of every rule the row failed, warning
    rules included; empty when it failed none) and, if asked for, the row index (the row's
    0-based position in the input) first. Polars frames whatever the input was.

    Attributes:
        valid: Rows that fail no error-severity row-level rule (they may name warnings).
        invalid: Rows that fail at least one error-severity row-level rule.
        result: What ``engine.check`` returns for the same data and rules.
        reasons_column: The name of the reasons column.
        row_index: The name of the row index column, or None if none was added.
        row_rules: Names of the row-level rules whose failures split the rows (evaluated
            ``row`` and ``value`` rules); the others (table-level rules, rules not
            evaluated) name no row.
    """

    valid: pl.DataFrame
    invalid: pl.DataFrame
    result: QualityCheckOutput
    reasons_column: str = DEFAULT_REASONS_COLUMN
    row_index: str | None = None
    row_rules: tuple[str, ...] = ()

    @property
    def row_count(self) -> int:
        """Rows split (valid plus invalid, the checked data's row count)."""
        return self.valid.height + self.invalid.height

    @property
    def invalid_fraction(self) -> float:
        """Fraction 0..1 of the rows quarantined (0.0 for no rows)."""
        rows = self.row_count
        return self.invalid.height / rows if rows else 0.0

    @property
    def blocking_failures(self) -> tuple[RuleResult, ...]:
        """Failed error-severity rules that quarantined no row, so the split cannot fix them.

        Table-level rules (row count, schema) and rules that were not evaluated: a pipeline
        that publishes the valid rows must still stop on these.
        """
        split_by = set(self.row_rules)
        return tuple(
            r
            for r in self.result.rule_results
            if not r.passed and r.severity is Severity.ERROR and r.rule_name not in split_by
        )

    @property
    def data_columns(self) -> list[str]:
        """The data's own columns (without the reasons column and the row index)."""
        added = {self.reasons_column, self.row_index}
        return [c for c in self.valid.columns if c not in added]

    @property
    def valid_data(self) -> pl.DataFrame:
        """The valid rows with the data's own columns only (what a pipeline publishes)."""
        added = {self.reasons_column, self.row_index}
        keep = [i for i, name in enumerate(self.valid.columns) if name not in added]
        return self.valid[:, keep]  # by position: no name is read as a pattern

    def reason_counts(self) -> dict[str, int]:
        """How many rows (valid and invalid) name each row-level rule, by rule name."""
        counts = dict.fromkeys(self.row_rules, 0)
        for frame in (self.valid, self.invalid):
            reasons = frame.get_column(self.reasons_column)
            for name in self.row_rules:
                counts[name] += int(reasons.list.contains(name).sum())
        return counts

    def __repr__(self) -> str:
        return (
            f"SplitOutput(valid={self.valid.height} rows, invalid={self.invalid.height} rows, "
            f"status={self.result.status.value})"
        )
