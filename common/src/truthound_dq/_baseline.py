"""Schema baselines for ``auto_schema``: learned once per dataset, compared on later checks."""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, Self, runtime_checkable

from truthound_dq._results import ColumnSchema, LearnOutput

__all__ = ["Baseline", "BaselineStore", "FileBaselineStore", "default_baseline_dir"]

BASELINE_DIR_ENV = "TRUTHOUND_DQ_BASELINE_DIR"


@dataclass(frozen=True, slots=True, kw_only=True)
class Baseline:
    """What the first ``auto_schema`` check of a dataset learned.

    Attributes:
        dataset: The dataset name.
        columns: Column names and dtypes at learning time.
        rules: Learned rule dicts (as ``check`` accepts them).
        engine: Engine that learned them.
        created_at: ISO timestamp of learning.
    """

    dataset: str
    columns: tuple[ColumnSchema, ...]
    rules: tuple[Mapping[str, Any], ...]
    engine: str = ""
    created_at: str = ""

    @classmethod
    def from_learn(cls, dataset: str, learned: LearnOutput) -> Self:
        """A baseline from a ``learn`` result."""
        return cls(
            dataset=dataset,
            columns=learned.columns,
            rules=tuple(learned.to_rules()),
            engine=learned.engine,
            created_at=learned.timestamp.isoformat(),
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return {
            "dataset": self.dataset,
            "columns": [{"name": c.name, "dtype": c.dtype} for c in self.columns],
            "rules": [dict(r) for r in self.rules],
            "engine": self.engine,
            "created_at": self.created_at,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Self:
        """Rebuild from :meth:`to_dict`."""
        return cls(
            dataset=data["dataset"],
            columns=tuple(ColumnSchema(**c) for c in data["columns"]),
            rules=tuple(data.get("rules", ())),
            engine=data.get("engine", ""),
            created_at=data.get("created_at", ""),
        )


@runtime_checkable
class BaselineStore(Protocol):
    """Where baselines live between checks (a directory, a Prefect server...)."""

    def load(self, dataset: str) -> Baseline | None:
        """The baseline of ``dataset``, or None if there is none yet."""
        ...

    def save(self, baseline: Baseline) -> None:
        """Store (or replace) the baseline of ``baseline.dataset``."""
        ...


def default_baseline_dir() -> Path:
    """``$TRUTHOUND_DQ_BASELINE_DIR``, else the user's cache directory - never the cwd."""
    if configured := os.environ.get(BASELINE_DIR_ENV):
        return Path(configured).expanduser()
    if sys.platform == "win32":
        root = Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local")
    elif sys.platform == "darwin":
        root = Path.home() / "Library" / "Caches"
    else:
        root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return root / "truthound-dq" / "baselines"


def _file_name(dataset: str) -> str:
    # Readable and collision-free: a sanitized prefix plus a hash of the exact name.
    readable = re.sub(r"[^A-Za-z0-9._-]+", "-", dataset).strip("-.")[:60] or "dataset"
    digest = hashlib.sha256(dataset.encode()).hexdigest()[:12]
    return f"{readable}-{digest}.json"


class FileBaselineStore:
    """Baselines as JSON files in a directory (default: :func:`default_baseline_dir`)."""

    def __init__(self, directory: str | os.PathLike[str] | None = None) -> None:
        self.directory = Path(directory) if directory is not None else default_baseline_dir()

    def __repr__(self) -> str:
        return f"FileBaselineStore({str(self.directory)!r})"

    def path(self, dataset: str) -> Path:
        """The file that holds the baseline of ``dataset``."""
        return self.directory / _file_name(dataset)

    def load(self, dataset: str) -> Baseline | None:
        """The stored baseline, or None."""
        try:
            text = self.path(dataset).read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        return Baseline.from_dict(json.loads(text))

    def save(self, baseline: Baseline) -> None:
        """Write atomically, so a crash never leaves half a baseline."""
        self.directory.mkdir(parents=True, exist_ok=True)
        target = self.path(baseline.dataset)
        fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(baseline.to_dict(), handle, indent=2)
            os.replace(tmp, target)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
