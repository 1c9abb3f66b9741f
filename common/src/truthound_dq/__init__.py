"""truthound-dq: one rule vocabulary, one result model and pluggable data-quality engines.

Example:
    >>> import polars as pl
    >>> from truthound_dq import parse_rules
    >>> parse_rules([{"column": "id", "type": "not_null"}])[0].name
    'not_null(id)'

Importing this package imports no engine library, no pandas and no Prefect. Adapter authors
use :mod:`truthound_dq.sdk`; the adapter names this namespace used to export
(``EngineBase``, ``reference_evaluate``, ...) still resolve here for one release, with a
``DeprecationWarning``.
"""

from typing import Any

from truthound_dq._autoschema import BaselineError, BaselineUnavailableError
from truthound_dq._baseline import Baseline, BaselineStore, FileBaselineStore, default_baseline_dir
from truthound_dq._cancel import CheckCancelledError, cancel_scope
from truthound_dq._data import Frame, is_supported_data, to_polars
from truthound_dq._definitions import (
    RULE_ENTRY_POINT_GROUP,
    register_rule,
    rule_types,
    unregister_rule,
)
from truthound_dq._dtypes import DTypeFamily
from truthound_dq._engine import DataQualityEngine, EngineCapabilities
from truthound_dq._errors import (
    ColumnClashError,
    ColumnNotFoundError,
    EngineConflictError,
    EngineError,
    EngineNotFoundError,
    EngineNotInstalledError,
    EnginePluginError,
    RuleDefinitionError,
    RuleFileError,
    RuleFileFormatError,
    RuleFileNotFoundError,
    RuleFileSyntaxError,
    RuleFileValidationError,
    RuleProblem,
    RuleValidationError,
    TruthoundDQError,
    UnsupportedRuleError,
)
from truthound_dq._files import load_rules
from truthound_dq._metrics import (
    FileMetricsStore,
    InMemoryMetricsStore,
    MetricsHistory,
    MetricsRecord,
    MetricsStore,
    MetricsUnavailableError,
    RuleMetrics,
)
from truthound_dq._regex_dialect import RegexDialectError
from truthound_dq._registry import (
    ENTRY_POINT_GROUP,
    available_engines,
    get_engine,
    install_hint,
    normalize_engine_name,
    register_engine,
    require_engine,
    unregister_engine,
)
from truthound_dq._results import (
    CheckStatus,
    ColumnProfile,
    ColumnSchema,
    LearnedRule,
    LearnOutput,
    Origin,
    ProfileOutput,
    QualityCheckOutput,
    RuleResult,
)
from truthound_dq._rule_types import MetricAnomaly, RowCountAnomaly
from truthound_dq._rules import (
    RULE_CLASSES,
    VALUE_RULE_TYPES,
    Aggregate,
    ColumnExists,
    Compare,
    DType,
    Expression,
    Freshness,
    InRange,
    InSet,
    Monotonic,
    NotInSet,
    NotNull,
    NotRegex,
    Regex,
    RowCount,
    Rule,
    RuleKind,
    RuleType,
    Schema,
    Severity,
    StrLength,
    Unique,
    parse_rules,
)
from truthound_dq._schema import rules_json_schema
from truthound_dq._split import DEFAULT_REASONS_COLUMN, SplitOutput
from truthound_dq._version import __version__

__all__ = [
    "__version__",
    # Engines
    "DataQualityEngine",
    "EngineCapabilities",
    # Registry
    "ENTRY_POINT_GROUP",
    "available_engines",
    "get_engine",
    "require_engine",
    "register_engine",
    "unregister_engine",
    "normalize_engine_name",
    "install_hint",
    # Rules
    "parse_rules",
    "load_rules",
    "Rule",
    "RuleKind",
    "RuleType",
    "Severity",
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
    "RULE_CLASSES",
    "VALUE_RULE_TYPES",
    # Custom rule types
    "register_rule",
    "unregister_rule",
    "rule_types",
    "rules_json_schema",
    "RULE_ENTRY_POINT_GROUP",
    "DTypeFamily",
    # Results
    "CheckStatus",
    "Origin",
    "RuleResult",
    "QualityCheckOutput",
    "ColumnProfile",
    "ProfileOutput",
    "LearnedRule",
    "ColumnSchema",
    "LearnOutput",
    "SplitOutput",
    "DEFAULT_REASONS_COLUMN",
    # Data
    "Frame",
    "to_polars",
    "cancel_scope",
    "CheckCancelledError",
    "is_supported_data",
    # Baselines
    "Baseline",
    "BaselineStore",
    "FileBaselineStore",
    "default_baseline_dir",
    # Metric history
    "MetricsRecord",
    "RuleMetrics",
    "MetricsHistory",
    "MetricsStore",
    "InMemoryMetricsStore",
    "FileMetricsStore",
    "MetricsUnavailableError",
    # Errors
    "TruthoundDQError",
    "RuleValidationError",
    "RuleDefinitionError",
    "RuleProblem",
    "RuleFileError",
    "RuleFileNotFoundError",
    "RuleFileSyntaxError",
    "RuleFileFormatError",
    "RuleFileValidationError",
    "RegexDialectError",
    "ColumnNotFoundError",
    "ColumnClashError",
    "EngineError",
    "UnsupportedRuleError",
    "EngineNotFoundError",
    "EngineNotInstalledError",
    "EnginePluginError",
    "EngineConflictError",
    "BaselineError",
    "BaselineUnavailableError",
]

# Adapter names that moved to truthound_dq.sdk; resolved lazily with a warning for one release.
_MOVED_TO_SDK = frozenset(
    {
        "EngineBase",
        "Evaluation",
        "RuleCounts",
        "DEFAULT_SAMPLE_SIZE",
        "POLARS_PRODUCER",
        "missing_expr",
        "failure_expr",
        "reference_evaluate",
        "polars_profile",
        "polars_learn",
        "import_engine_library",
        "json_scalar",
        "dtype_family",
        "dtype_matches",
    }
)


def __getattr__(name: str) -> Any:
    if name in _MOVED_TO_SDK:
        import warnings

        from truthound_dq import sdk

        warnings.warn(
            f"truthound_dq.{name} moved to truthound_dq.sdk.{name} (the adapter SDK); "
            "the old name will be removed in the next release",
            DeprecationWarning,
            stacklevel=2,
        )
        return getattr(sdk, name)
    raise AttributeError(f"module 'truthound_dq' has no attribute {name!r}")
