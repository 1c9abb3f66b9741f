"""Metric history: one small record per check, and where records are kept.

A :class:`MetricsRecord` is what one check measured of one dataset - the row count, each
rule's failed/total, the metrics its anomaly rules name, the engine, the time it took and the
check's time (the ``now`` the check ran with). The anomaly rules compare today's value with
the dataset's past records. A :class:`MetricsStore` appends one record per check and reads the
newest records of a dataset; nothing is ever read, changed and written back, so concurrent
checks cannot lose each other's records.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import tempfile
import threading
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, Self, runtime_checkable

from truthound_dq._errors import TruthoundDQError

__all__ = [
    "DEFAULT_MAX_RECORDS",
    "DEFAULT_MAX_AGE",
    "RuleMetrics",
    "MetricsRecord",
    "MetricsHistory",
    "MetricsStore",
    "MetricsUnavailableError",
    "InMemoryMetricsStore",
    "FileMetricsStore",
    "metric_key",
    "bounded",
]

DEFAULT_MAX_RECORDS = 200
"""Records kept per dataset by default (older ones age out)."""
DEFAULT_MAX_AGE = dt.timedelta(days=400)
"""Age past which a record ages out by default (relative to the newest record)."""


class MetricsUnavailableError(TruthoundDQError):
    """The metric history could not be read (the store is down, slow or unreadable).

    Anomaly rules are then not evaluated, with the reason: an unknown history is not an
    empty one.
    """


def metric_key(metric: str, subject: str | None = None) -> str:
    """The name of a metric in a record: ``row_count``, ``null_rate(email)``, ``pass_rate(r)``."""
    return metric if subject is None else f"{metric}({subject})"


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleMetrics:
    """One evaluated rule's counts in a record.

    Attributes:
        name: The rule's name.
        failed_count: Failing rows (0 or 1 for table rules).
        total_count: Rows (or values) counted.
        passed: The rule's verdict.
    """

    name: str
    failed_count: int
    total_count: int
    passed: bool

    @property
    def pass_rate(self) -> float:
        """Fraction 0..1 of counted rows that passed (1.0 when nothing was counted)."""
        if self.total_count == 0:
            return 1.0
        return (self.total_count - self.failed_count) / self.total_count

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "name": self.name,
            "failed_count": self.failed_count,
            "total_count": self.total_count,
            "passed": self.passed,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Rebuild from :meth:`to_dict`."""
        return cls(
            name=str(data["name"]),
            failed_count=int(data["failed_count"]),
            total_count=int(data["total_count"]),
            passed=bool(data["passed"]),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class MetricsRecord:
    """What one check measured of one dataset.

    Attributes:
        dataset: The dataset name.
        checked_at: The check's time (aware, UTC): its ``now``, not the server's clock.
        row_count: Rows in the data.
        rules: Each evaluated rule's counts, in the check's order.
        metrics: The metrics the check's anomaly rules name (``null_rate(email)``...);
            a masked column keeps counts only (never its ``mean``).
        anomalies: The metric keys the check flagged as anomalies (``row_count``...); they
            stay in the history but are left out of later windows.
        status: The check's status (``passed``, ``warning``, ``failed``).
        engine: The engine that ran the check.
        execution_time_ms: How long the check took.
    """

    dataset: str
    checked_at: dt.datetime
    row_count: int
    rules: tuple[RuleMetrics, ...] = ()
    metrics: Mapping[str, float | int] = field(default_factory=dict)
    anomalies: tuple[str, ...] = ()
    status: str = ""
    engine: str = ""
    execution_time_ms: float = 0.0

    @property
    def pass_rate(self) -> float:
        """Fraction 0..1 of the record's rules that passed (1.0 without rules)."""
        if not self.rules:
            return 1.0
        return sum(r.passed for r in self.rules) / len(self.rules)

    def value(self, key: str) -> float | None:
        """A metric of this record by key (``row_count``, ``pass_rate(<rule>)``...), or None."""
        if key == "row_count":
            return float(self.row_count)
        if key.startswith("pass_rate(") and key.endswith(")"):
            name = key[len("pass_rate(") : -1]
            for rule in self.rules:
                if rule.name == name:
                    return rule.pass_rate
            return None
        got = self.metrics.get(key)
        return None if got is None else float(got)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict (round-trips through :meth:`from_dict`)."""
        return {
            "dataset": self.dataset,
            "checked_at": self.checked_at.isoformat(),
            "row_count": self.row_count,
            "rules": [r.to_dict() for r in self.rules],
            "metrics": dict(self.metrics),
            "anomalies": list(self.anomalies),
            "status": self.status,
            "engine": self.engine,
            "execution_time_ms": self.execution_time_ms,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Rebuild from :meth:`to_dict`."""
        checked_at = dt.datetime.fromisoformat(str(data["checked_at"]))
        if checked_at.tzinfo is None:
            checked_at = checked_at.replace(tzinfo=dt.UTC)
        return cls(
            dataset=str(data["dataset"]),
            checked_at=checked_at,
            row_count=int(data["row_count"]),
            rules=tuple(RuleMetrics.from_dict(r) for r in data.get("rules", ())),
            metrics={str(k): v for k, v in dict(data.get("metrics", {})).items()},
            anomalies=tuple(str(a) for a in data.get("anomalies", ())),
            status=str(data.get("status", "")),
            engine=str(data.get("engine", "")),
            execution_time_ms=float(data.get("execution_time_ms", 0.0)),
        )


@dataclass(frozen=True, slots=True, kw_only=True)
class MetricsHistory:
    """A dataset's past records, as the check read them (what anomaly rules judge against).

    Attributes:
        dataset: The dataset name.
        records: Its newest records, oldest first (this check's own not among them).
    """

    dataset: str
    records: tuple[MetricsRecord, ...] = ()


@runtime_checkable
class MetricsStore(Protocol):
    """Where metrics records live between checks (memory, a directory, a Prefect server).

    A store may also have a ``mask_columns`` attribute (a set of column names): the check
    then records only counts of those columns, never their mean.
    """

    def append(self, record: MetricsRecord) -> None:
        """Add one record (never rewriting the others)."""
        ...

    def read(self, dataset: str, limit: int) -> Sequence[MetricsRecord]:
        """The newest ``limit`` records of ``dataset``, oldest first.

        Raises:
            MetricsUnavailableError: The history could not be read.
        """
        ...


def bounded(
    records: Iterable[MetricsRecord], max_records: int, max_age: dt.timedelta | None
) -> list[MetricsRecord]:
    """``records`` by check time (oldest first), the newest ``max_records`` within ``max_age``.

    The age is measured from the newest record, not the clock, so a backfill simulated with
    ``now`` keeps its history.
    """
    ordered = sorted(records, key=lambda r: r.checked_at)[-max_records:] if max_records else []
    if max_age is not None and ordered:
        oldest = ordered[-1].checked_at - max_age
        ordered = [r for r in ordered if r.checked_at >= oldest]
    return ordered


def _check_bounds(max_records: int, max_age: dt.timedelta | None) -> None:
    if not isinstance(max_records, int) or isinstance(max_records, bool) or max_records < 1:
        raise ValueError(f"max_records must be a whole number >= 1, got {max_records!r}")
    if max_age is not None and (not isinstance(max_age, dt.timedelta) or max_age <= dt.timedelta()):
        raise ValueError(f"max_age must be a positive timedelta or None, got {max_age!r}")


class InMemoryMetricsStore:
    """Records in this process's memory (tests, notebooks, one long-running process).

    Args:
        max_records: Records kept per dataset (older ones are dropped).
        max_age: Records older than this (relative to the newest) are dropped; None: kept.
    """

    def __init__(
        self,
        *,
        max_records: int = DEFAULT_MAX_RECORDS,
        max_age: dt.timedelta | None = DEFAULT_MAX_AGE,
    ) -> None:
        _check_bounds(max_records, max_age)
        self.max_records = max_records
        self.max_age = max_age
        self._records: dict[str, list[MetricsRecord]] = {}
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"InMemoryMetricsStore(max_records={self.max_records})"

    def append(self, record: MetricsRecord) -> None:
        """Add one record; the dataset's oldest age out past the bounds."""
        with self._lock:
            kept = self._records.setdefault(record.dataset, [])
            kept.append(record)
            kept[:] = bounded(kept, self.max_records, self.max_age)

    def read(self, dataset: str, limit: int) -> list[MetricsRecord]:
        """The newest ``limit`` records of ``dataset``, oldest first."""
        with self._lock:
            return list(self._records.get(dataset, ()))[-limit:] if limit > 0 else []


class FileMetricsStore:
    """Records as JSON files, one file per record, in a directory per dataset.

    Each check writes a new file (atomically: a temporary file renamed into place), so
    concurrent writers - threads, processes, ``.map()``ped tasks on one machine or a shared
    volume - never overwrite each other. Files past ``max_records`` or ``max_age`` are deleted
    when the dataset is read.

    Args:
        directory: The root directory (created when first written).
        max_records: Records kept per dataset.
        max_age: Records older than this (relative to the newest) are deleted; None: kept.
    """

    def __init__(
        self,
        directory: str | os.PathLike[str],
        *,
        max_records: int = DEFAULT_MAX_RECORDS,
        max_age: dt.timedelta | None = DEFAULT_MAX_AGE,
    ) -> None:
        _check_bounds(max_records, max_age)
        self.directory = Path(directory)
        self.max_records = max_records
        self.max_age = max_age

    def __repr__(self) -> str:
        return f"FileMetricsStore({str(self.directory)!r})"

    def dataset_directory(self, dataset: str) -> Path:
        """The directory holding ``dataset``'s records."""
        from truthound_dq._baseline import _file_name

        return self.directory / _file_name(dataset).removesuffix(".json")

    def append(self, record: MetricsRecord) -> None:
        """Write the record as a new file (named by check time, then a random suffix)."""
        folder = self.dataset_directory(record.dataset)
        folder.mkdir(parents=True, exist_ok=True)
        stamp = record.checked_at.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
        target = folder / f"{stamp}-{uuid.uuid4().hex[:12]}.json"
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(record.to_dict(), handle)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def read(self, dataset: str, limit: int) -> list[MetricsRecord]:
        """The newest ``limit`` records of ``dataset``, oldest first; ages out old files.

        Raises:
            MetricsUnavailableError: The directory or a record could not be read.
        """
        folder = self.dataset_directory(dataset)
        try:
            files = sorted(p for p in folder.glob("*.json") if not p.name.startswith("."))
        except OSError as exc:
            raise MetricsUnavailableError(f"cannot list {folder}: {exc}") from exc
        records: dict[Path, MetricsRecord] = {}
        for path in files:
            try:
                records[path] = MetricsRecord.from_dict(json.loads(path.read_text("utf-8")))
            except FileNotFoundError:  # aged out by a concurrent reader
                continue
            except (OSError, ValueError, KeyError, TypeError) as exc:
                raise MetricsUnavailableError(f"cannot read {path}: {exc}") from exc
        kept = bounded(records.values(), self.max_records, self.max_age)
        keep = {id(r) for r in kept}
        for path, record in records.items():
            if id(record) not in keep:
                path.unlink(missing_ok=True)
        return kept[-limit:] if limit > 0 else []
