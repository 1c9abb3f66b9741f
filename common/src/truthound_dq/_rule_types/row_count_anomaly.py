"""``row_count_anomaly``: today's row count is normal for the dataset's own history.

A table rule judged from the metric history (see ``_anomaly``): the row count against the
median of the last ``window`` checks of the dataset, in scaled MADs, or as a relative change
(``min_change: -0.5``: at most 50% fewer rows than the median).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar

from truthound_dq._rule import CheckContext, Fail, RuleType
from truthound_dq._rule_types._anomaly import AnomalyRule

__all__ = ["RowCountAnomaly"]


@dataclass(frozen=True, slots=True, kw_only=True)
class RowCountAnomaly(AnomalyRule):
    """Today's row count is within ``max_deviation`` scaled MADs of the window's median."""

    type: ClassVar[str] = RuleType.ROW_COUNT_ANOMALY
    needs_column: ClassVar[bool] = False
    _params: ClassVar[tuple[str, ...]] = AnomalyRule._window_params
    summary: ClassVar[str] = (
        "the row count is further than `max_deviation` scaled MADs from the median of the "
        "dataset's last `window` checks, or changed beyond `min_change`/`max_change` "
        "(needs `metrics_store` and `dataset`)"
    )

    @classmethod
    def parse_parameters(cls, raw: Mapping[str, Any], fail: Fail) -> dict[str, Any]:
        """The window's parameters (see ``AnomalyRule.parse_window``)."""
        return cls.parse_window(raw, fail)

    @classmethod
    def default_name(cls, params: Mapping[str, Any]) -> str | None:
        """``row_count_anomaly``."""
        return "row_count_anomaly"

    def metric_name(self) -> str:
        """``row_count``."""
        return "row_count"

    def metric_key(self) -> str:
        """``row_count``."""
        return "row_count"

    def undefined(self, observed: Any, context: CheckContext) -> str | None:
        """As the base (today's value is the row count, never undefined)."""
        return AnomalyRule.undefined(self, context.row_count, context)

    def verdict(self, observed: Any, context: CheckContext) -> bool:
        """The row count judged against the window."""
        return AnomalyRule.verdict(self, context.row_count, context)

    def describe_verdict(self, passed: bool, observed: Any, context: CheckContext) -> str:
        """As the base, of the row count."""
        return AnomalyRule.describe_verdict(self, passed, context.row_count, context)
