"""``auto_schema`` baselines kept on the Prefect server, one block document per dataset.

Kept on the server, baselines survive between deployment runs in fresh containers.

Prefect Variables would be the lighter choice, but their values are capped at 5,000
characters, which a baseline with learned value sets easily exceeds.
"""

from __future__ import annotations

import contextlib
import dataclasses
import threading
from collections.abc import Iterable
from typing import Any, ClassVar, cast

from prefect.blocks.core import Block
from pydantic import Field

from truthound_dq import Baseline, BaselineUnavailableError
from truthound_prefect._api import ApiBudget, ApiUnavailable
from truthound_prefect._keys import safe_key

__all__ = ["DataQualityBaseline", "PrefectBaselineStore", "mask_baseline"]

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

    Args:
        budget: The check's API time budget; every read and write is bounded by it.
        mask_columns: Columns whose values must not be stored: their learned rules that
            carry values (sets, ranges, lengths, patterns) are left out of the document;
            their names, dtypes and value-free rules (``not_null``, ``unique``) are kept.
    """

    prefix: ClassVar[str] = "baseline-"

    def __init__(
        self, *, budget: ApiBudget | None = None, mask_columns: Iterable[str] = ()
    ) -> None:
        self.budget = budget or ApiBudget()
        self.mask_columns = frozenset(mask_columns)

    def __repr__(self) -> str:
        return "PrefectBaselineStore()"

    def document_name(self, dataset: str) -> str:
        """The block document name that holds ``dataset``'s baseline."""
        return safe_key(f"{self.prefix}{dataset}", unique=True)

    def _read(self, dataset: str) -> dict[str, Any] | None:
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
        return block.baseline

    def load(self, dataset: str) -> Baseline | None:
        """The stored baseline, or None if the dataset has none yet.

        Raises:
            BaselineUnavailableError: The server could not be asked (down, slow, refused):
                the baseline is unknown, which is not the same as absent.
        """
        try:
            stored = self.budget.call(f"read of the baseline of {dataset!r}", self._read, dataset)
        except ApiUnavailable as exc:
            raise BaselineUnavailableError("the Prefect API did not answer") from exc
        return None if stored is None else Baseline.from_dict(stored)

    def save(self, baseline: Baseline) -> None:
        """Create or replace the dataset's baseline document (masked columns: no values).

        A failed write is logged and the check goes on; the next check learns again.
        """
        kept = mask_baseline(baseline, self.mask_columns)
        block = DataQualityBaseline(dataset=kept.dataset, baseline=kept.to_dict())
        with contextlib.suppress(ApiUnavailable):
            self.budget.call(
                f"write of the baseline of {baseline.dataset!r}",
                _write,
                block,
                self.document_name(baseline.dataset),
            )


_registered: set[str] = set()
_register_lock = threading.Lock()


def _write(block: DataQualityBaseline, name: str) -> None:
    """Create or replace the document ``name``: one or three API calls.

    ``Block.save`` registers the block type and schema on every call (several writes); from
    many concurrent checks (a ``.map()``) those writes queue on the server's database. The
    type is registered once per process and API instead.
    """
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.actions import BlockDocumentCreate, BlockDocumentUpdate
    from prefect.exceptions import ObjectAlreadyExists
    from prefect.settings import PREFECT_API_URL

    api = str(PREFECT_API_URL.value())
    with _register_lock:
        if api not in _registered:
            DataQualityBaseline.register_type_and_schema(_sync=True)  # type: ignore[call-arg]
            _registered.add(api)
    document = block._to_block_document(name=name, include_secrets=True)
    with get_client(sync_client=True) as client:
        try:
            client.create_block_document(
                BlockDocumentCreate(
                    **document.model_dump(
                        include={"name", "block_schema_id", "block_type_id", "data"}
                    )
                )
            )
        except ObjectAlreadyExists:
            existing = client.read_block_document_by_name(
                name=name, block_type_slug=DataQualityBaseline.get_block_type_slug()
            )
            client.update_block_document(
                block_document_id=existing.id,
                block_document=BlockDocumentUpdate(
                    block_schema_id=document.block_schema_id, data=document.data
                ),
            )


_VALUE_FREE = frozenset({"not_null", "unique", "dtype", "column_exists"})


def mask_baseline(baseline: Baseline, mask_columns: Iterable[str]) -> Baseline:
    """``baseline`` without the learned rules that carry values of masked columns.

    Even a digest would not do: a small learned set is recovered by hashing guesses.
    """
    masked = frozenset(mask_columns)
    if not masked:
        return baseline
    rules = tuple(
        rule
        for rule in baseline.rules
        if rule.get("column") not in masked or rule.get("type") in _VALUE_FREE
    )
    return dataclasses.replace(baseline, rules=rules)
