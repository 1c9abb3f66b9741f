"""Results, errors and artifact helpers in one place.

Example:
    ```python
    from truthound_prefect.utils import CheckStatus, DataQualityError, to_prefect_artifact
    ```
"""

from truthound_dq import (
    CheckStatus,
    EngineError,
    LearnOutput,
    ProfileOutput,
    QualityCheckOutput,
    RuleResult,
    Severity,
)
from truthound_prefect._errors import CheckTimeoutError, DataQualityError, SLAViolationError
from truthound_prefect._fingerprint import frame_fingerprint
from truthound_prefect.artifacts import artifact_key, ato_prefect_artifact, to_prefect_artifact

__all__ = [
    "QualityCheckOutput",
    "ProfileOutput",
    "LearnOutput",
    "RuleResult",
    "CheckStatus",
    "Severity",
    "DataQualityError",
    "CheckTimeoutError",
    "SLAViolationError",
    "EngineError",
    "to_prefect_artifact",
    "ato_prefect_artifact",
    "artifact_key",
    "frame_fingerprint",
]
