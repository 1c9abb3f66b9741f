"""Contract cases found by an adversarial review of issue 14's vocabulary (each was wrong once).

Time columns of different units and zones compared exactly, a small spread under a large
mean, a newest value before the year 1000, and 128-bit integer sets with members of both
signs beyond the Int64 range.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from truthound_dq.testing._cases import Case

__all__ = ["REVIEW_CASES", "mixed_times"]

_X = dt.datetime(2024, 1, 1, 1, tzinfo=dt.UTC)
_MIDNIGHT = dt.datetime(2024, 1, 1)


def mixed_times() -> pl.DataFrame:
    """Pairs of columns that differ only in time unit or zone, and values at odd edges."""
    paris = pl.Series([_X, _X + dt.timedelta(hours=1), None]).dt.convert_time_zone("Europe/Paris")
    new_york = pl.Series([_X, _X, _X]).dt.convert_time_zone("America/New_York")
    return pl.DataFrame(
        {
            # 1 us > 0 ms, exactly; Polars alone would compare at the coarser unit.
            "wait_us": pl.Series(
                [dt.timedelta(microseconds=1), dt.timedelta(0), None], dtype=pl.Duration("us")
            ),
            "wait_ms": pl.Series([dt.timedelta(0)] * 3, dtype=pl.Duration("ms")),
            "at_ns": pl.Series(
                [_MIDNIGHT + dt.timedelta(microseconds=1), _MIDNIGHT, None],
                dtype=pl.Datetime("ns"),
            ),
            "at_ms": pl.Series([_MIDNIGHT] * 3, dtype=pl.Datetime("ms")),
            "paris": paris,
            "new_york": new_york,
            "ancient": pl.Series([dt.datetime(999, 1, 1), None, None], dtype=pl.Datetime("ms")),
            "big": pl.Series([2**62 + 1, 2**62 + 2, 2**62 + 4], dtype=pl.Int64),
            "wide": pl.Series([1, 2**100, None], dtype=pl.Int128),
        }
    )


def _c(case_id: str, rule: dict[str, object], failed: int, total: int, passed: bool) -> Case:
    return Case(f"review-{case_id}", rule, failed, total, passed, mixed_times)


REVIEW_CASES: tuple[Case, ...] = (
    _c("compare-duration-units", {"type": "compare", "column": "wait_us", "op": ">",
       "other": "wait_ms"}, 1, 2, False),
    _c("compare-datetime-units", {"type": "compare", "column": "at_ns", "op": "==",
       "other": "at_ms"}, 1, 2, False),
    _c("compare-zones-equal", {"type": "compare", "column": "paris", "op": "==",
       "other": "new_york"}, 1, 2, False),
    _c("compare-zones-greater", {"type": "compare", "column": "paris", "op": ">",
       "other": "new_york"}, 1, 2, False),
    _c("freshness-before-year-1000", {"type": "freshness", "column": "ancient",
       "max_age": "24h"}, 1, 1, False),
    _c("stdev-small-spread-big-mean", {"type": "aggregate", "column": "big", "stat": "stdev",
       "min": 1.5, "max": 1.6}, 0, 1, True),
    _c("in_set-int128-both-signs", {"type": "in_set", "column": "wide",
       "values": [-1, 10**19]}, 2, 2, False),
    _c("not_in_set-int128-both-signs", {"type": "not_in_set", "column": "wide",
       "values": [1, -1, 10**19]}, 1, 2, False),
)  # fmt: skip
