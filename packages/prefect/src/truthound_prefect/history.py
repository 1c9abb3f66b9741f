"""Metric history on the Prefect server: one artifact version per check, keyed per dataset.

Every check inside a flow run appends its metrics record (``truthound_dq.MetricsRecord``) as a
new version of the markdown artifact ``metrics-<dataset>``: Prefect keeps every version of a
key, lists them by key and time, and shows them in the UI under the dataset's key. One create
per check and no read-modify-write of a shared document, so ``.map()``ped checks of one
dataset never lose each other's records. Variables were the alternative, but a value holds at
most 5,000 characters (a record with many rules exceeds it) and events age out after the
server's retention period (7 days by default), shorter than a useful window.

Reads and writes go through the check's API budget (``_api``): a history that cannot be read
leaves the anomaly rules not evaluated, with the reason; a record that cannot be written is
logged and the verdict stands. Old versions age out: past ``max_records`` or ``max_age``
(relative to the newest record) they are deleted, a few per check.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any, ClassVar
from uuid import UUID

from truthound_dq import RULE_CLASSES, MetricsRecord, MetricsUnavailableError
from truthound_dq._metrics import DEFAULT_MAX_AGE, DEFAULT_MAX_RECORDS, bounded
from truthound_dq._rule_types._anomaly import sparkline
from truthound_prefect._api import (
    DEFAULT_API_TIMEOUT_SECONDS,
    ApiBudget,
    ApiUnavailable,
    use_budget,
)
from truthound_prefect._context import in_run, run_logger
from truthound_prefect._keys import safe_key

__all__ = [
    "PrefectMetricsStore",
    "judged_by_history",
    "data_quality_history_artifact",
    "history_markdown",
    "record_markdown",
]

_FENCE = "```json"
_PRUNE_PER_READ = 10  # aged-out versions deleted per read at most (bounded API work)
_PAGE = 200  # the most artifacts the server returns at once


def judged_by_history(rule_type: str) -> bool:
    """Whether results of ``rule_type`` are judged from the metric history (anomaly rules)."""
    definition = RULE_CLASSES.get(rule_type)
    return definition is not None and definition.judges_history


def record_markdown(record: MetricsRecord) -> str:
    """One record as markdown: a line for people, the record as JSON for the next check."""
    anomalies = ", ".join(f"`{a}`" for a in record.anomalies) or "none"
    return "\n".join(
        [
            f"# Metrics of `{record.dataset}` at {record.checked_at.isoformat()}",
            "",
            f"{record.row_count:,} rows, {record.pass_rate:.1%} of {len(record.rules)} rules "
            f"passed ({record.status or '-'}, {record.engine or '-'}); anomalies: {anomalies}.",
            "",
            _FENCE,
            json.dumps(record.to_dict(), sort_keys=True),
            "```",
        ]
    )


def _parse(markdown: Any) -> MetricsRecord:
    text = str(markdown)
    start = text.index(_FENCE) + len(_FENCE)
    end = text.index("```", start)
    return MetricsRecord.from_dict(json.loads(text[start:end]))


class PrefectMetricsStore:
    """A ``truthound_dq.MetricsStore`` on the Prefect server (artifact versions per dataset).

    The Prefect layer uses one inside flow runs: checks record there by default (the block's
    ``record_metrics``). Calls are synchronous on purpose (checks run in worker threads).

    Args:
        budget: The check's API time budget; every read and write is bounded by it.
        mask_columns: Columns whose values are never recorded (counts only: no mean).
        max_records: Versions kept per dataset.
        max_age: Versions older than this (relative to the newest record) are deleted.

    Examples:
        Read a dataset's history in a flow:
        ```python
        from truthound_prefect import PrefectMetricsStore

        records = PrefectMetricsStore().read("orders", 30)
        print([r.row_count for r in records])
        ```
    """

    prefix: ClassVar[str] = "metrics-"

    def __init__(
        self,
        *,
        budget: ApiBudget | None = None,
        mask_columns: Iterable[str] = (),
        max_records: int = DEFAULT_MAX_RECORDS,
        max_age: dt.timedelta | None = DEFAULT_MAX_AGE,
    ) -> None:
        self.budget = budget or ApiBudget()
        self.mask_columns = frozenset(mask_columns)
        self.max_records = max_records
        self.max_age = max_age

    def __repr__(self) -> str:
        return f"PrefectMetricsStore(max_records={self.max_records})"

    def artifact_key(self, dataset: str) -> str:
        """The artifact key holding ``dataset``'s records."""
        return safe_key(f"{self.prefix}{dataset}", unique=True)

    def append(self, record: MetricsRecord) -> None:
        """Create a new version of the dataset's artifact (outside a run: not recorded)."""
        from truthound_prefect.artifacts import _write

        key = self.artifact_key(record.dataset)
        if not in_run():  # artifacts belong to a run; nothing would own this one
            run_logger().warning("metrics of %r not recorded: not in a flow run", record.dataset)
            return
        description = f"Data quality metrics of {record.dataset!r} ({record.row_count:,} rows)"
        with contextlib.suppress(ApiUnavailable):  # logged by the budget
            self.budget.call(
                f"write of the metrics of {record.dataset!r}",
                _write,
                "markdown",
                key,
                record_markdown(record),
                description,
            )
            self.budget.call(f"age-out of the metrics of {record.dataset!r}", self._prune, key)

    def _prune(self, key: str) -> None:
        """Delete the oldest versions past ``max_records`` (a few per check)."""
        from prefect.client.orchestration import get_client
        from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
        from prefect.client.schemas.sorting import ArtifactSort
        from prefect.exceptions import ObjectNotFound

        with get_client(sync_client=True) as client:
            beyond = client.read_artifacts(
                artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key])),
                sort=ArtifactSort.CREATED_DESC,
                offset=self.max_records,
                limit=_PRUNE_PER_READ,
            )
            _delete(client, [a.id for a in beyond], ObjectNotFound)

    def read(self, dataset: str, limit: int) -> list[MetricsRecord]:
        """The newest ``limit`` records of ``dataset``, oldest first; deletes aged-out ones.

        Raises:
            MetricsUnavailableError: The server could not be asked (down, slow, refused).
        """
        if limit <= 0:
            return []
        try:
            records: list[MetricsRecord] = self.budget.call(
                f"read of the metric history of {dataset!r}", self._read, dataset, limit
            )
        except ApiUnavailable as exc:
            raise MetricsUnavailableError("the Prefect API did not answer") from exc
        return records[-limit:]

    def _read(self, dataset: str, limit: int) -> list[MetricsRecord]:
        from prefect.client.orchestration import get_client
        from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
        from prefect.client.schemas.sorting import ArtifactSort
        from prefect.exceptions import ObjectNotFound

        wanted = min(limit, self.max_records)
        key_filter = ArtifactFilter(key=ArtifactFilterKey(any_=[self.artifact_key(dataset)]))
        with get_client(sync_client=True) as client:

            def page(offset: int, size: int) -> list[Any]:
                return list(
                    client.read_artifacts(
                        artifact_filter=key_filter,
                        sort=ArtifactSort.CREATED_DESC,
                        limit=size,
                        offset=offset,
                    )
                )

            found: list[Any] = []
            while len(found) < wanted:  # the server gives at most 200 per page
                size = min(_PAGE, wanted - len(found))
                got = page(len(found), size)
                found += got
                if len(got) < size:
                    break
            parsed: dict[UUID, MetricsRecord] = {}
            for artifact in found:
                try:
                    parsed[artifact.id] = _parse(artifact.data)
                except (ValueError, KeyError, TypeError):  # not ours, or damaged: skipped
                    continue
            kept = bounded(parsed.values(), wanted, self.max_age)
            keep = {id(r) for r in kept}
            stale = [i for i, r in parsed.items() if id(r) not in keep]  # past max_age
            _delete(client, stale[:_PRUNE_PER_READ], ObjectNotFound)
        return kept


def _delete(client: Any, ids: Sequence[UUID], missing: type[Exception]) -> None:
    for artifact_id in ids:
        with contextlib.suppress(missing):  # a concurrent check deleted it first
            client.delete_artifact(artifact_id)


def history_markdown(dataset: str, records: Sequence[MetricsRecord]) -> str:
    """A dataset's row count and pass rates over time, oldest first (a pure function)."""
    if not records:
        return f"# History of `{dataset}`\n\nNo checks recorded yet."
    rows = [r.row_count for r in records]
    rates = [r.pass_rate for r in records]
    lines = [
        f"# History of `{dataset}`",
        "",
        f"{len(records)} checks from {records[0].checked_at:%Y-%m-%d %H:%M} to "
        f"{records[-1].checked_at:%Y-%m-%d %H:%M} UTC.",
        "",
        f"- Rows: `{sparkline(rows[:-1], rows[-1])}` (last {rows[-1]:,}, "
        f"min {min(rows):,}, max {max(rows):,})",
        f"- Pass rate: `{sparkline(rates[:-1], rates[-1])}` (last {rates[-1]:.1%})",
        "",
        "| Checked at | Rows | Rules passed | Pass rate | Status | Engine | Anomalies |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in reversed(records):
        passed = sum(m.passed for m in r.rules)
        anomalies = ", ".join(r.anomalies) or "-"
        lines.append(
            f"| {r.checked_at:%Y-%m-%d %H:%M} | {r.row_count:,} | {passed} of {len(r.rules)} | "
            f"{r.pass_rate:.1%} | {r.status or '-'} | {r.engine or '-'} | {anomalies} |"
        )
    return "\n".join(lines)


def data_quality_history_artifact(
    dataset: str,
    *,
    key: str | None = None,
    limit: int = 30,
    api_timeout_seconds: float = DEFAULT_API_TIMEOUT_SECONDS,
) -> UUID | None:
    """Write a markdown artifact of a dataset's row count and pass rates over its last checks.

    Reads the records the checks kept on the server (:class:`PrefectMetricsStore`) and writes
    ``history-<dataset>`` (or ``key``). Call it in a flow or task run; like every artifact, a
    failure is logged and None returned, never raised.

    Args:
        dataset: The dataset name the checks used.
        key: The artifact key (sanitized); default ``history-<dataset>``.
        limit: Most recent checks shown.
        api_timeout_seconds: Longest the read and the write may take together.

    Examples:
        ```python
        @flow
        def report():
            data_quality_history_artifact("orders", limit=14)
        ```
    """
    from truthound_prefect.artifacts import _write

    artifact = safe_key(key or f"history-{dataset}", max_length=100)
    if not in_run():
        run_logger().warning("artifact %r not written: not in a flow or task run", artifact)
        return None
    budget = ApiBudget(api_timeout_seconds)
    with use_budget(budget):
        try:
            records = PrefectMetricsStore(budget=budget).read(dataset, limit)
        except MetricsUnavailableError:  # logged by the budget
            return None
        with contextlib.suppress(ApiUnavailable):
            created: UUID = budget.call(
                f"artifact {artifact!r}",
                _write,
                "markdown",
                artifact,
                history_markdown(dataset, records),
                f"Data quality history of {dataset!r} ({len(records)} checks)",
            )
            return created
    return None
