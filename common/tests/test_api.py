"""The two public namespaces, pinned: users' ``truthound_dq`` and adapters' ``truthound_dq.sdk``.

Changing either list is an API change: update this test on purpose, with the changelog.
"""

import subprocess
import sys
import warnings

import pytest

import truthound_dq
import truthound_dq.sdk

USER_API = (
    "Aggregate",
    "Baseline",
    "BaselineError",
    "BaselineStore",
    "BaselineUnavailableError",
    "CheckCancelledError",
    "CheckStatus",
    "ColumnClashError",
    "ColumnExists",
    "ColumnNotFoundError",
    "ColumnProfile",
    "ColumnSchema",
    "Compare",
    "DEFAULT_REASONS_COLUMN",
    "DType",
    "DTypeFamily",
    "DataQualityEngine",
    "ENTRY_POINT_GROUP",
    "EngineCapabilities",
    "EngineConflictError",
    "EngineError",
    "EngineNotFoundError",
    "EngineNotInstalledError",
    "EnginePluginError",
    "FileBaselineStore",
    "Freshness",
    "Frame",
    "FileMetricsStore",
    "InMemoryMetricsStore",
    "InRange",
    "InSet",
    "LearnOutput",
    "LearnedRule",
    "MetricAnomaly",
    "MetricsHistory",
    "MetricsRecord",
    "MetricsStore",
    "MetricsUnavailableError",
    "Monotonic",
    "NotInSet",
    "NotNull",
    "NotRegex",
    "Origin",
    "ProfileOutput",
    "QualityCheckOutput",
    "RULE_CLASSES",
    "RULE_ENTRY_POINT_GROUP",
    "Regex",
    "RegexDialectError",
    "RowCount",
    "RowCountAnomaly",
    "Rule",
    "RuleMetrics",
    "RuleDefinitionError",
    "RuleFileError",
    "RuleFileFormatError",
    "RuleFileNotFoundError",
    "RuleFileSyntaxError",
    "RuleFileValidationError",
    "RuleKind",
    "RuleProblem",
    "RuleResult",
    "RuleType",
    "RuleValidationError",
    "Schema",
    "Severity",
    "SplitOutput",
    "StrLength",
    "Expression",
    "TruthoundDQError",
    "Unique",
    "UnsupportedRuleError",
    "VALUE_RULE_TYPES",
    "__version__",
    "available_engines",
    "cancel_scope",
    "default_baseline_dir",
    "get_engine",
    "install_hint",
    "is_supported_data",
    "load_rules",
    "normalize_engine_name",
    "parse_rules",
    "register_engine",
    "register_rule",
    "require_engine",
    "rule_types",
    "rules_json_schema",
    "to_polars",
    "unregister_engine",
    "unregister_rule",
)

SDK_API = (
    "DEFAULT_SAMPLE_SIZE",
    "DTypeFamily",
    "DataView",
    "EngineBase",
    "EngineCapabilities",
    "HISTORY_NOTES",
    "Evaluation",
    "FLOAT64_EXACT_INT",
    "JSONScalar",
    "NativeCounts",
    "PASS_THROUGH",
    "POLARS_PRODUCER",
    "Predicate",
    "RuleCounts",
    "RuleKind",
    "SHARED_EVALUATOR",
    "Translations",
    "ViewColumn",
    "build_view",
    "cancel_scope",
    "collect_frame",
    "describe_dtype",
    "dtype_family",
    "dtype_matches",
    "engine_library_version",
    "failure_expr",
    "guard_engine_call",
    "import_engine_library",
    "install_hint",
    "integer_range",
    "is_float",
    "is_nested",
    "is_numeric",
    "is_single_check",
    "is_string_like",
    "json_scalar",
    "learn_table_rules",
    "missing_expr",
    "missing_values",
    "polars_learn",
    "polars_profile",
    "python_compiles",
    "raise_if_cancelled",
    "reference_evaluate",
    "rule_columns",
    "scope_expr",
    "single_check",
    "total_expr",
    "value_expr",
    "view_dtype",
)

# Adapter names truthound_dq exported before the SDK had a namespace of its own: they resolve
# for one release, with a DeprecationWarning naming the new home.
MOVED_TO_SDK = (
    "DEFAULT_SAMPLE_SIZE",
    "EngineBase",
    "Evaluation",
    "POLARS_PRODUCER",
    "RuleCounts",
    "dtype_family",
    "dtype_matches",
    "failure_expr",
    "import_engine_library",
    "json_scalar",
    "missing_expr",
    "polars_learn",
    "polars_profile",
    "reference_evaluate",
)


def test_user_api_is_pinned():
    assert sorted(truthound_dq.__all__) == sorted(USER_API)
    assert len(set(truthound_dq.__all__)) == len(truthound_dq.__all__)
    for name in USER_API:
        assert getattr(truthound_dq, name) is not None


def test_sdk_api_is_pinned():
    assert sorted(truthound_dq.sdk.__all__) == sorted(SDK_API)
    assert len(set(truthound_dq.sdk.__all__)) == len(truthound_dq.sdk.__all__)
    for name in SDK_API:
        assert getattr(truthound_dq.sdk, name) is not None


def test_the_namespaces_do_not_overlap_except_shared_types():
    # EngineCapabilities (read by users at run time) and DTypeFamily (named in dtype rules)
    # belong to both audiences.
    assert set(USER_API) & set(SDK_API) == {
        "EngineCapabilities",
        "DTypeFamily",
        "RuleKind",
        "install_hint",
        "cancel_scope",  # the caller's time limit (Prefect layer) and the engine's work (SDK)
    }


@pytest.mark.parametrize("name", MOVED_TO_SDK)
def test_moved_names_warn_and_resolve_to_the_sdk(name):
    with pytest.warns(DeprecationWarning, match=rf"truthound_dq\.sdk\.{name}\b"):
        old = getattr(truthound_dq, name)
    assert old is getattr(truthound_dq.sdk, name)
    assert name not in truthound_dq.__all__


def test_star_import_gives_no_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        namespace: dict[str, object] = {}
        exec("from truthound_dq import *", namespace)
    assert "EngineBase" not in namespace and "get_engine" in namespace


def test_importing_the_sdk_imports_no_engine():
    code = (
        "import sys, truthound_dq, truthound_dq.sdk, truthound_dq.spark\n"
        "heavy = ('truthound', 'great_expectations', 'pandera', 'prefect', 'pandas', 'pyspark')\n"
        "print(sorted(m for m in heavy if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
