"""The engine protocol every adapter satisfies, and what an adapter reports back."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

from truthound_dq._results import JSONScalar, LearnOutput, ProfileOutput, QualityCheckOutput
from truthound_dq._rules import Rule, RuleType

if TYPE_CHECKING:
    from truthound_dq._split import SplitOutput

__all__ = ["DataQualityEngine", "EngineCapabilities", "RuleCounts", "Evaluation"]


@dataclass(frozen=True, slots=True, kw_only=True)
class EngineCapabilities:
    """What an engine does with its own machinery, and what it composes or borrows.

    Every engine evaluates every rule type; ``native_rule_types`` are the ones its own
    validators evaluate, the rest are computed by the adapter (and documented as such).

    Attributes:
        rule_types: Rule types ``check`` evaluates.
        native_rule_types: Rule types evaluated by the engine's own validators.
        native_profile: Whether ``profile`` is computed by the engine itself.
        native_learn: Whether ``learn`` is inferred by the engine itself.
        lazy_input: Whether a LazyFrame is validated without converting it to another library.
        notes: Per rule type (or operation), how the adapter gets the canonical answer.
    """

    rule_types: frozenset[str] = frozenset(RuleType)
    native_rule_types: frozenset[str] = frozenset()
    native_profile: bool = False
    native_learn: bool = False
    lazy_input: bool = True
    notes: Mapping[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (sorted lists)."""
        return {
            "rule_types": sorted(str(t) for t in self.rule_types),
            "native_rule_types": sorted(str(t) for t in self.native_rule_types),
            "native_profile": self.native_profile,
            "native_learn": self.native_learn,
            "lazy_input": self.lazy_input,
            "notes": dict(self.notes),
        }


@runtime_checkable
class DataQualityEngine(Protocol):
    """A data-quality engine: checks rules, profiles and learns rules from data.

    Adapters usually subclass :class:`truthound_dq.sdk.EngineBase`, which implements the parts
    that must mean the same on every engine (parsing, missing columns, status, auto_schema).
    """

    @property
    def engine_name(self) -> str:
        """Canonical name, e.g. ``truthound``."""
        ...

    @property
    def engine_version(self) -> str:
        """Version of the engine library."""
        ...

    @property
    def capabilities(self) -> EngineCapabilities:
        """What the engine supports natively."""
        ...

    def check(
        self,
        data: Any,
        rules: Sequence[Mapping[str, Any]] | None = None,
        *,
        auto_schema: bool = False,
        **options: Any,
    ) -> QualityCheckOutput:
        """Check ``rules`` against ``data``; a failed rule is a result, not an exception."""
        ...

    def split(
        self,
        data: Any,
        rules: Sequence[Mapping[str, Any]] | None = None,
        *,
        auto_schema: bool = False,
        reasons_column: str = "_dq_failed_rules",
        row_index: str | None = None,
        **options: Any,
    ) -> SplitOutput:
        """Check, then split ``data`` into valid and quarantined rows (see ``docs/split.md``)."""
        ...

    def profile(self, data: Any, *, columns: Sequence[str] | None = None) -> ProfileOutput:
        """Per-column statistics of ``data``."""
        ...

    def learn(self, data: Any, **options: Any) -> LearnOutput:
        """Rules inferred from ``data`` that ``data`` itself passes."""
        ...


@dataclass(frozen=True, slots=True)
class RuleCounts:
    """What an adapter reports for one rule; the shared code turns it into a ``RuleResult``.

    Attributes:
        failed_count: Failing rows (1 or 0 for dtype, column_exists and row_count).
        total_count: Rows evaluated (non-missing rows for value rules; 1 for single checks).
        sample_values: Up to ``sample_size`` failing values, in row order.
        observed_value: A table rule's observed value (Python-typed: a number, a datetime).
    """

    failed_count: int
    total_count: int
    sample_values: tuple[JSONScalar, ...] = ()
    observed_value: Any = None


@dataclass(frozen=True, slots=True)
class Evaluation:
    """An adapter's answer for a batch of rules: the row count and one ``RuleCounts`` each."""

    row_count: int
    counts: Sequence[RuleCounts]

    def __post_init__(self) -> None:
        object.__setattr__(self, "counts", tuple(self.counts))


def rule_columns(rules: Sequence[Rule]) -> list[str]:
    """Distinct columns the rules refer to, in first-use order."""
    return list(dict.fromkeys(r.column for r in rules if r.column is not None))
