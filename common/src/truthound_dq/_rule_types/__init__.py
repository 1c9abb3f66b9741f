"""The built-in rule types, one definition per module (see ``truthound_dq._rule``)."""

from truthound_dq._rule_types.aggregate import Aggregate
from truthound_dq._rule_types.column_exists import ColumnExists
from truthound_dq._rule_types.compare import Compare
from truthound_dq._rule_types.dtype import DType
from truthound_dq._rule_types.expression import Expression
from truthound_dq._rule_types.freshness import Freshness
from truthound_dq._rule_types.in_range import InRange
from truthound_dq._rule_types.in_set import InSet
from truthound_dq._rule_types.metric_anomaly import MetricAnomaly
from truthound_dq._rule_types.monotonic import Monotonic
from truthound_dq._rule_types.not_in_set import NotInSet
from truthound_dq._rule_types.not_null import NotNull
from truthound_dq._rule_types.not_regex import NotRegex
from truthound_dq._rule_types.regex import Regex
from truthound_dq._rule_types.row_count import RowCount
from truthound_dq._rule_types.row_count_anomaly import RowCountAnomaly
from truthound_dq._rule_types.schema import Schema
from truthound_dq._rule_types.str_length import StrLength
from truthound_dq._rule_types.unique import Unique

__all__ = [
    "BUILTIN_RULES",
    "NotNull",
    "Unique",
    "Regex",
    "NotRegex",
    "InRange",
    "InSet",
    "NotInSet",
    "StrLength",
    "Compare",
    "Monotonic",
    "Expression",
    "DType",
    "ColumnExists",
    "RowCount",
    "Freshness",
    "Aggregate",
    "Schema",
    "RowCountAnomaly",
    "MetricAnomaly",
]

BUILTIN_RULES = (
    NotNull,
    Unique,
    Regex,
    NotRegex,
    InRange,
    InSet,
    NotInSet,
    StrLength,
    Compare,
    Monotonic,
    Expression,
    DType,
    ColumnExists,
    RowCount,
    Freshness,
    Aggregate,
    Schema,
    RowCountAnomaly,
    MetricAnomaly,
)
"""In the order docs/rules.md lists them."""
