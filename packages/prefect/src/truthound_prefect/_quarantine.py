"""Quarantined rows: the bounded, masked table artifact of them and the Parquet file of them.

Two audiences, two rules. The artifact is seen by everyone with access to the workspace: a
bounded number of rows and columns, every value truncated, ``mask_columns`` shown as
``***`` - and nothing of it is ever logged. The Parquet file is the user's own data, written
where the user says, whole and unmasked (``mask_columns`` governs only what reaches
artifacts, logs and events).
"""

from __future__ import annotations

import inspect
import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from truthound_dq import SplitOutput
from truthound_dq.sdk import json_scalar
from truthound_prefect.artifacts import MASK, _short

__all__ = ["quarantine_rows", "quarantine_description", "write_invalid_rows"]


def _headers(names: Sequence[str], limit: int) -> list[str]:
    # Table keys: bounded, and still distinct once cut.
    out: list[str] = []
    for name in names:
        key = str(_short(name, limit))
        base, n = key, 2
        while key in out:
            key, n = f"{base}#{n}", n + 1
        out.append(key)
    return out


def _shown_positions(split: SplitOutput, max_columns: int) -> list[int]:
    # By position, never by name: a column may be called "^a$" or "*".
    added = {split.reasons_column, split.row_index}
    columns = split.invalid.columns
    data = [i for i, name in enumerate(columns) if name not in added][:max_columns]
    first = [columns.index(split.row_index)] if split.row_index is not None else []
    return [*first, *data, columns.index(split.reasons_column)]


def quarantine_rows(
    split: SplitOutput,
    *,
    mask_columns: Sequence[str] = (),
    max_rows: int = 20,
    max_columns: int = 30,
    max_value_length: int = 80,
) -> list[dict[str, Any]]:
    """The first quarantined rows as table rows: bounded, truncated, masked columns hidden."""
    masked = set(mask_columns)
    columns = split.invalid.columns
    positions = _shown_positions(split, max_columns)
    headers = _headers([columns[i] for i in positions], max_value_length)
    rows: list[dict[str, Any]] = []
    for values in split.invalid.head(max_rows).iter_rows():
        row: dict[str, Any] = {}
        for header, i in zip(headers, positions, strict=True):
            name, value = columns[i], values[i]
            if name == split.reasons_column:
                row[header] = _short(", ".join(value or ()), 2 * max_value_length)
            elif name in masked:
                row[header] = MASK
            else:
                row[header] = _short(json_scalar(value), max_value_length)
        rows.append(row)
    return rows


def quarantine_description(split: SplitOutput, max_rows: int, max_columns: int) -> str:
    """What the quarantine artifact shows, and what it leaves out."""
    shown = min(max_rows, split.invalid.height)
    data_columns = len(split.data_columns)
    text = f"Quarantined rows: first {shown:,} of {split.invalid.height:,}"
    if data_columns > max_columns:
        text += f" ({max_columns} of {data_columns} columns)"
    return text


def write_invalid_rows(
    split: SplitOutput, path: str | os.PathLike[str], storage: Any = None
) -> str:
    """Write the quarantined rows (every column, unmasked) as Parquet; returns where.

    Args:
        split: The split.
        path: A local file path, or the path within ``storage``.
        storage: A Prefect ``WritableFileSystem`` block (``LocalFileSystem``,
            ``RemoteFileSystem``, a cloud collection's bucket block...), or None for a
            local path.
    """
    if storage is None:
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        split.invalid.write_parquet(target)
        return str(target)
    if not callable(getattr(storage, "write_path", None)):
        raise TypeError(
            "invalid_rows_storage must be a Prefect WritableFileSystem block (one with "
            f"write_path), got {type(storage).__name__}"
        )
    buffer = io.BytesIO()
    split.invalid.write_parquet(buffer)
    written = storage.write_path(os.fspath(path), buffer.getvalue())
    if inspect.isawaitable(written):  # an async-only block, or Prefect's dispatch chose async
        from truthound_prefect._dispatch import run_coroutine

        written = run_coroutine(_awaited(written))
    return str(written) if written else os.fspath(path)


async def _awaited(awaitable: Any) -> Any:
    return await awaitable
