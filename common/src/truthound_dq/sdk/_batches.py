"""Bounded batches of a lazy view for engines that cannot stream, and the exact merge of counts.

An engine that needs its data in memory (Great Expectations needs pandas; Truthound and
Pandera collect) is fed the projected view of a LazyFrame batch by batch, each a
``DataFrame`` of at most ``batch_rows`` rows and about ``batch_bytes`` bytes, read by Polars'
streaming engine (``LazyFrame.collect_batches``: measured on a 20M-row Parquet folder, 1.9 s
and 240 MiB peak for 500k-row batches, against 3.1 s and 1.1 GiB with the in-memory engine,
which reads the whole projection first). Only rule types whose answers add up across batches
are evaluated this way (``Rule.batch_problem``); the others go to the shared streaming pass.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import polars as pl

from truthound_dq._cancel import collect_frame, raise_if_cancelled
from truthound_dq._results import JSONScalar
from truthound_dq._rule import Rule, RuleKind
from truthound_dq.sdk._outcome import NativeCounts

__all__ = [
    "DEFAULT_BATCH_BYTES",
    "DEFAULT_BATCH_ROWS",
    "batch_size",
    "iter_batches",
    "merge_counts",
]

DEFAULT_BATCH_ROWS = 2_000_000
"""Rows per batch at most (the ``batch_rows`` check option)."""
DEFAULT_BATCH_BYTES = 256 * 2**20
"""Bytes per batch at most, as Polars estimates them (the ``batch_bytes`` check option)."""
_PROBE_ROWS = 10_000


def batch_size(frame: pl.LazyFrame, *, max_rows: int, max_bytes: int) -> int:
    """Rows per batch: ``max_rows``, fewer if rows as wide as the first ones exceed ``max_bytes``.

    The width is estimated from the first ``10,000`` rows (one small read, the scan's slice).
    """
    if max_rows < 1 or max_bytes < 1:
        raise ValueError(
            f"batch_rows and batch_bytes must be positive, got {max_rows}, {max_bytes}"
        )
    probe = collect_frame(frame.head(_PROBE_ROWS), engine="streaming")
    if probe.height == 0 or probe.width == 0:
        return max_rows
    per_row = max(1.0, probe.estimated_size() / probe.height)
    return max(1, min(max_rows, int(max_bytes // per_row)))


def iter_batches(frame: pl.LazyFrame, rows: int) -> Iterator[pl.DataFrame]:
    """The frame's rows in order, ``rows`` at a time (at least one batch, maybe empty).

    Stops before the next batch once the check's cancel scope is cancelled.
    """
    seen = False
    for batch in frame.collect_batches(chunk_size=rows, engine="streaming"):
        raise_if_cancelled()
        seen = True
        yield batch
    if not seen:
        yield collect_frame(frame.clear())


def merge_counts(rule: Rule, parts: Sequence[NativeCounts], sample_size: int) -> NativeCounts:
    """One rule's counts on all rows from its counts on consecutive batches, exactly.

    Failed and total add (a total any batch left to the base stays None); samples are the
    batches' in order, up to ``sample_size`` (None, for the base to take, if a failing batch
    gave none); a ``table`` rule that observes the data merges its observed values by the
    rule's own ``merge_observed``; one that reads only the schema answers as its first batch.
    """
    if not parts:
        raise ValueError(f"no batch answered {rule.name}")
    if rule.kind is RuleKind.TABLE:
        if rule.observes_data:
            merged = rule.merge_observed([p.observed_value for p in parts])
            return NativeCounts(failed_count=0, observed_value=merged)
        return parts[0]
    failed = sum(int(p.failed_count) for p in parts)
    totals = [p.total_count for p in parts]
    total = None if any(t is None for t in totals) else sum(int(t or 0) for t in totals)
    samples: list[JSONScalar] | None = []
    for part in parts:
        if len(samples or ()) >= sample_size:
            break
        if part.sample_values is None:
            if part.failed_count > 0:
                samples = None
                break
            continue
        assert samples is not None
        samples.extend(part.sample_values)
    shown: Any = None if samples is None else tuple(samples[:sample_size])
    return NativeCounts(failed_count=failed, total_count=total, sample_values=shown)
