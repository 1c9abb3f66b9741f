"""A content fingerprint of a frame, for the profile task's cache key.

Prefect's default cache key cloudpickles every input - a whole 10M-row frame (seconds and
hundreds of MB). A profile depends only on each column's values, so hashing every column with
Polars in one parallel pass is enough: it changes whenever any value changes.

Only frames already in memory get a key. A LazyFrame or a PySpark DataFrame is a plan, not
data: the files or tables it reads can change while the plan stays the same, so a key of the
plan would serve a stale profile, and a key of the content would need a full pass over the
data (or a Spark job) just to decide whether to skip the pass. Neither is cached.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

import polars as pl

from truthound_dq import to_polars
from truthound_prefect._frames import is_spark_frame

__all__ = ["frame_fingerprint", "profile_cache_key"]


def frame_fingerprint(frame: pl.DataFrame) -> str:
    """A hex digest of the frame's schema, length and every column's multiset of values.

    Two seeds per column make an accidental collision of the wrapped hash sums negligible.
    Polars' hashes are stable within a Polars version, which is part of the digest.
    """
    digest = hashlib.sha256()
    digest.update(json.dumps([pl.__version__, frame.height, str(frame.schema)]).encode())
    if frame.width and frame.height:
        sums = frame.select(
            *(pl.col(c).hash(seed=0).sum().alias(f"{i}a") for i, c in enumerate(frame.columns)),
            *(pl.col(c).hash(seed=7).sum().alias(f"{i}b") for i, c in enumerate(frame.columns)),
        ).row(0)
        digest.update(json.dumps(sums).encode())
    return digest.hexdigest()


def _is_plan(data: Any) -> bool:
    """Whether ``data`` is a lazy plan (a LazyFrame, a PySpark DataFrame), not data in memory.

    Judged by type alone: nothing here may touch the plan (no ``collect``, no Spark job).
    """
    return isinstance(data, pl.LazyFrame) or is_spark_frame(data)


def profile_cache_key(context: Any, parameters: dict[str, Any]) -> str | None:
    """Prefect ``cache_key_fn`` of the profile task: data, engine, columns and masked columns.

    None (no caching) for a LazyFrame or a PySpark DataFrame: what they read can change under
    the same plan, and hashing their content would cost a full pass of its own (see the
    module docstring). Never collects, pickles or runs a Spark job.
    """
    data = parameters.get("data")
    if data is None or _is_plan(data):
        return None
    try:
        frame = to_polars(data)
    except TypeError:
        return None
    assert isinstance(frame, pl.DataFrame)
    block = parameters.get("block")
    engine = getattr(block, "engine_name", block) or "truthound"
    columns = parameters.get("columns")
    masked = sorted(parameters.get("mask_columns") or ())
    parts = [frame_fingerprint(frame), str(engine), json.dumps(columns), json.dumps(masked)]
    return "truthound-profile-" + hashlib.sha256("|".join(parts).encode()).hexdigest()
