"""The adapter SDK of truthound-dq: what an engine adapter needs, apart from the user API.

Users call ``truthound_dq`` (rules, results, ``get_engine``, errors). Adapter authors
subclass :class:`EngineBase`, register native translations in a :class:`Translations`,
read the :class:`DataView` the base builds and return :class:`NativeCounts`; every rule they
do not translate is evaluated by the shared Polars implementation. ``docs/engines.md``
("Writing an adapter") walks through it; ``truthound_dq.testing.EngineContractSuite`` is the
suite an adapter must pass.
"""

from truthound_dq._cancel import cancel_scope, collect_frame, raise_if_cancelled
from truthound_dq._dtypes import (
    DTypeFamily,
    describe_dtype,
    dtype_family,
    dtype_matches,
    is_float,
    is_nested,
    is_numeric,
    is_string_like,
)
from truthound_dq._engine import EngineCapabilities, Evaluation, RuleCounts, rule_columns
from truthound_dq._learn_table import learn_table_rules
from truthound_dq._numbers import FLOAT64_EXACT_INT, integer_range
from truthound_dq._polars import (
    DEFAULT_SAMPLE_SIZE,
    POLARS_PRODUCER,
    SHARED_EVALUATOR,
    failure_expr,
    missing_expr,
    polars_learn,
    polars_profile,
    reference_evaluate,
    scope_expr,
    total_expr,
    value_expr,
)
from truthound_dq._regex_dialect import python_compiles
from truthound_dq._registry import engine_library_version, import_engine_library, install_hint
from truthound_dq._results import JSONScalar, json_scalar
from truthound_dq._rule import RuleKind, missing_values
from truthound_dq.sdk._base import EngineBase
from truthound_dq.sdk._faults import PASS_THROUGH, guard_engine_call
from truthound_dq.sdk._history import HISTORY_NOTES
from truthound_dq.sdk._outcome import NativeCounts
from truthound_dq.sdk._shared import is_single_check, single_check
from truthound_dq.sdk._translations import Predicate, Translations
from truthound_dq.sdk._view import DataView, ViewColumn, build_view, view_dtype

__all__ = [
    # The adapter contract
    "EngineBase",
    "HISTORY_NOTES",
    "EngineCapabilities",
    "NativeCounts",
    "Translations",
    "Predicate",
    "DataView",
    "ViewColumn",
    "build_view",
    "view_dtype",
    # Canonical semantics (the shared Polars implementation)
    "SHARED_EVALUATOR",
    "POLARS_PRODUCER",
    "DEFAULT_SAMPLE_SIZE",
    "RuleKind",
    "missing_expr",
    "missing_values",
    "value_expr",
    "failure_expr",
    "total_expr",
    "scope_expr",
    "is_single_check",
    "single_check",
    "reference_evaluate",
    "polars_profile",
    "polars_learn",
    "learn_table_rules",
    "python_compiles",
    # Numbers and dtypes
    "FLOAT64_EXACT_INT",
    "integer_range",
    "DTypeFamily",
    "describe_dtype",
    "dtype_family",
    "dtype_matches",
    "is_float",
    "is_nested",
    "is_numeric",
    "is_string_like",
    # Engine libraries and faults
    "import_engine_library",
    "engine_library_version",
    "install_hint",
    "guard_engine_call",
    "PASS_THROUGH",
    # Cancellable work (a caller's time limit)
    "collect_frame",
    "raise_if_cancelled",
    "cancel_scope",
    # Values
    "JSONScalar",
    "json_scalar",
    "rule_columns",
    # Deprecated adapter hook (truthound-dq 0.x): EngineBase._evaluate returns these
    "Evaluation",
    "RuleCounts",
]
