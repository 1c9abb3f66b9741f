"""What importing costs, sanitized keys and the profile cache fingerprint."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import polars as pl
import pytest

from truthound_prefect._fingerprint import frame_fingerprint, profile_cache_key
from truthound_prefect._keys import safe_key
from truthound_prefect.artifacts import artifact_key


@pytest.mark.once
def test_import_leaves_engines_out_of_sys_modules():
    code = (
        "import sys, json, truthound_prefect\n"
        "print(json.dumps([m for m in ('truthound', 'great_expectations', 'pandera', 'pandas',"
        " 'pyspark')"
        " if m in sys.modules]))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ},
        timeout=180,
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Orders_Daily", "orders-daily"),
        ("a//b  c", "a-b-c"),
        ("___", "data"),
        ("quality-check", "quality-check"),
        ("Ünïcode ✓", "n-code"),
    ],
)
def test_safe_key(given, expected):
    assert safe_key(given) == expected


def test_safe_key_unique_and_bounded():
    assert safe_key("a b", unique=True) != safe_key("a-b", unique=True)
    long = safe_key("x" * 500, max_length=80, unique=True)
    assert len(long) <= 80
    import re

    assert re.fullmatch(r"[a-z0-9-]+", long)


def test_fingerprint_follows_content():
    frame = pl.DataFrame({"a": [1, 2, 3], "b": ["x", "y", None]})
    assert frame_fingerprint(frame) == frame_fingerprint(frame.clone())
    assert frame_fingerprint(frame) != frame_fingerprint(frame.with_columns(pl.lit(9).alias("a")))
    assert frame_fingerprint(frame) != frame_fingerprint(frame.head(2))
    changed = frame.with_columns(
        pl.when(pl.col("a") == 3).then(4).otherwise(pl.col("a")).alias("a")
    )
    assert frame_fingerprint(frame) != frame_fingerprint(changed)
    assert frame_fingerprint(frame) != frame_fingerprint(frame.rename({"b": "c"}))
    assert frame_fingerprint(frame.clear()) != frame_fingerprint(frame)


def test_profile_cache_key():
    frame = pl.DataFrame({"a": [1, 2, 3]})
    key = profile_cache_key(None, {"data": frame, "block": None, "columns": None})
    assert key and key.startswith("truthound-profile-")
    assert key != profile_cache_key(None, {"data": frame, "block": None, "columns": ["a"]})
    assert profile_cache_key(None, {"data": frame.lazy(), "block": None, "columns": None}) is None


def _never(series: pl.Series) -> pl.Series:
    raise AssertionError("the cache key collected the LazyFrame")


def test_profile_cache_key_of_a_lazy_frame_reads_nothing():
    # A LazyFrame is a plan whose files may change: never keyed, and never collected to try.
    scan = pl.LazyFrame({"a": [1, 2]}).select(
        pl.col("a").map_batches(_never, return_dtype=pl.Int64)
    )
    assert profile_cache_key(None, {"data": scan, "block": None, "columns": None}) is None


def test_artifact_key_default_and_given():
    from truthound_dq import QualityCheckOutput

    result = QualityCheckOutput(rule_results=(), row_count=0, dataset="My Flow/check-0")
    assert artifact_key(result) == "quality-check-my-flow-check-0"
    assert artifact_key(result, "Orders_Report") == "orders-report"
