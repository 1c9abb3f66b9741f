"""``auto_schema`` baselines kept on the Prefect server, one block document per dataset.

Kept on the server, baselines survive between deployment runs in fresh containers.

Prefect Variables would be the lighter choice, but their values are capped at 5,000
characters, which a baseline with learned value sets easily exceeds.
"""

from __future__ import annotations

from typing import Any, ClassVar, cast

from prefect.blocks.core import Block
from pydantic import Field

from truthound_dq import Baseline
from truthound_prefect._keys import safe_key

__all__ = ["DataQualityBaseline", "PrefectBaselineStore"]

_LOGO = "https://raw.githubusercontent.com/truthound/truthound/main/docs/assets/logo.png"
_DOCS = "https://truthound.dev/docs/integrations/prefect"  # the design's documentation site


class DataQualityBaseline(Block):
    """The ``auto_schema`` baseline of one dataset: the schema and rules its first check learned.

    Written by data-quality checks inside flows; delete the block document to learn afresh.

    Examples:
        Read a dataset's baseline:
        ```python
        from truthound_prefect.blocks import DataQualityBaseline

        baseline_block = DataQualityBaseline.load("BLOCK_NAME")
        print(baseline_block.baseline["columns"])
        ```
    """

    _block_type_name: ClassVar[str] = "Data Quality Baseline"
    _block_type_slug: ClassVar[str] = "data-quality-baseline"
    _logo_url: ClassVar[Any] = _LOGO
    _documentation_url: ClassVar[Any] = _DOCS

    dataset: str = Field(description="The dataset the baseline belongs to.")
    baseline: dict[str, Any] = Field(
        default_factory=dict, description="The learned schema and rules, as JSON."
    )


class PrefectBaselineStore:
    """A ``truthound_dq.BaselineStore`` on the Prefect server (block documents).

    Calls are synchronous (``_sync=True``) on purpose: checks run in worker threads, where
    Prefect's sync/async dispatch would otherwise hand back a coroutine inside async flows.
    """

    prefix: ClassVar[str] = "baseline-"

    def __repr__(self) -> str:
        return "PrefectBaselineStore()"

    def document_name(self, dataset: str) -> str:
        """The block document name that holds ``dataset``'s baseline."""
        return safe_key(f"{self.prefix}{dataset}", unique=True)

    def load(self, dataset: str) -> Baseline | None:
        """The stored baseline, or None if the dataset has none yet."""
        from prefect.exceptions import ObjectNotFound

        try:
            block = cast(
                DataQualityBaseline,
                DataQualityBaseline.load(self.document_name(dataset), _sync=True),  # type: ignore[call-arg]
            )
        except ValueError as exc:
            if isinstance(exc.__cause__, ObjectNotFound):
                return None
            raise
        return Baseline.from_dict(block.baseline)

    def save(self, baseline: Baseline) -> None:
        """Create or replace the dataset's baseline document."""
        block = DataQualityBaseline(dataset=baseline.dataset, baseline=baseline.to_dict())
        block.save(self.document_name(baseline.dataset), overwrite=True, _sync=True)  # type: ignore[call-arg]
