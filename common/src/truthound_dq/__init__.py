"""truthound-dq: one rule vocabulary, one result model and pluggable data-quality engines.

Example:
    >>> import polars as pl
    >>> from truthound_dq import parse_rules
    >>> parse_rules([{"column": "id", "type": "not_null"}])[0].name
    'not_null(id)'

Importing this package imports no engine library, no pandas and no Prefect.
"""

from truthound_dq._autoschema import BaselineError, BaselineUnavailableError
from truthound_dq._base import EngineBase
from truthound_dq._baseline import Baseline, BaselineStore, FileBaselineStore, default_baseline_dir
from truthound_dq._cancel import (
    CheckCancelledError,
    cancel_scope,
    collect_frame,
    raise_if_cancelled,
)
from truthound_dq._data import Frame, is_supported_data, to_polars
from truthound_dq._dtypes import DTypeFamily, dtype_family, dtype_matches
from truthound_dq._engine import DataQualityEngine, EngineCapabilities, Evaluation, RuleCounts
from truthound_dq._errors import (
    ColumnNotFoundError,
    EngineConflictError,
    EngineError,
    EngineNotFoundError,
    EngineNotInstalledError,
    EnginePluginError,
    RuleProblem,
    RuleValidationError,
    TruthoundDQError,
    UnsupportedRuleError,
)
from truthound_dq._polars import (
    DEFAULT_SAMPLE_SIZE,
    POLARS_PRODUCER,
    failure_expr,
    missing_expr,
    polars_learn,
    polars_profile,
    reference_evaluate,
)
from truthound_dq._registry import (
    ENTRY_POINT_GROUP,
    available_engines,
    get_engine,
    import_engine_library,
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
    json_scalar,
)
from truthound_dq._rules import (
    RULE_CLASSES,
    VALUE_RULE_TYPES,
    ColumnExists,
    DType,
    InRange,
    InSet,
    NotInSet,
    NotNull,
    Regex,
    RowCount,
    Rule,
    RuleType,
    Severity,
    StrLength,
    Unique,
    parse_rules,
)
from truthound_dq._version import __version__

__all__ = [
    "__version__",
    # Engines
    "DataQualityEngine",
    "EngineBase",
    "EngineCapabilities",
    "Evaluation",
    "RuleCounts",
    # Registry
    "ENTRY_POINT_GROUP",
    "available_engines",
    "get_engine",
    "require_engine",
    "register_engine",
    "unregister_engine",
    "normalize_engine_name",
    "install_hint",
    "import_engine_library",
    # Rules
    "parse_rules",
    "Rule",
    "RuleType",
    "Severity",
    "NotNull",
    "Unique",
    "Regex",
    "InRange",
    "InSet",
    "NotInSet",
    "StrLength",
    "DType",
    "ColumnExists",
    "RowCount",
    "RULE_CLASSES",
    "VALUE_RULE_TYPES",
    "DTypeFamily",
    "dtype_family",
    "dtype_matches",
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
    "json_scalar",
    # Data
    "Frame",
    "to_polars",
    "collect_frame",
    "cancel_scope",
    "raise_if_cancelled",
    "CheckCancelledError",
    "is_supported_data",
    # Baselines
    "Baseline",
    "BaselineStore",
    "FileBaselineStore",
    "default_baseline_dir",
    # Shared Polars implementation (the oracle)
    "DEFAULT_SAMPLE_SIZE",
    "POLARS_PRODUCER",
    "missing_expr",
    "failure_expr",
    "reference_evaluate",
    "polars_profile",
    "polars_learn",
    # Errors
    "TruthoundDQError",
    "RuleValidationError",
    "RuleProblem",
    "ColumnNotFoundError",
    "EngineError",
    "UnsupportedRuleError",
    "EngineNotFoundError",
    "EngineNotInstalledError",
    "EnginePluginError",
    "EngineConflictError",
    "BaselineError",
    "BaselineUnavailableError",
]
