"""truthound-prefect: data-quality gates for Prefect with a pluggable engine.

Importing this package (Prefect does, through the ``prefect.collections`` entry point)
registers the blocks and imports no engine library.
"""

from truthound_prefect._errors import (
    CheckTimeoutError,
    DataQualityError,
    MaskedEngineError,
    SLAViolationError,
)
from truthound_prefect._version import __version__
from truthound_prefect.artifacts import ato_prefect_artifact, to_prefect_artifact
from truthound_prefect.blocks import DataQualityBaseline, DataQualityBlock
from truthound_prefect.flows import (
    create_pipeline_flow,
    create_quality_flow,
    create_validation_flow,
    profiled_flow,
    quality_checked_flow,
    validated_flow,
)
from truthound_prefect.history import PrefectMetricsStore, data_quality_history_artifact
from truthound_prefect.sla import SLABlock, SLAConfig, SLAMonitor, SLAViolation
from truthound_prefect.tasks import (
    data_quality_check_task,
    data_quality_learn_task,
    data_quality_profile_task,
    data_quality_split_task,
)

__all__ = [
    "__version__",
    # Blocks
    "DataQualityBlock",
    "DataQualityBaseline",
    "SLABlock",
    # Tasks
    "data_quality_check_task",
    "data_quality_split_task",
    "data_quality_profile_task",
    "data_quality_learn_task",
    # Flow decorators
    "quality_checked_flow",
    "profiled_flow",
    "validated_flow",
    # Flow factories
    "create_quality_flow",
    "create_validation_flow",
    "create_pipeline_flow",
    # SLA
    "SLAConfig",
    "SLAMonitor",
    "SLAViolation",
    # Metric history
    "PrefectMetricsStore",
    "data_quality_history_artifact",
    # Artifacts and errors
    "to_prefect_artifact",
    "ato_prefect_artifact",
    "DataQualityError",
    "CheckTimeoutError",
    "MaskedEngineError",
    "SLAViolationError",
]
