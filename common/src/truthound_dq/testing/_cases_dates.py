"""Contract cases of the dates slice: time bounds, strict bounds and freshness.

``in_range`` on dates, datetimes and durations, strict bounds (``in_range`` and
``str_length``), and ``freshness``.

Freshness cases hold data far from any plausible check time (years ago, or centuries ahead),
so their verdicts do not depend on when the suite runs; ``EngineContractSuite`` judges one
rule against a fixed ``now`` separately.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import polars as pl

from truthound_dq.testing._cases import (
    Case,
    NotEvaluatedCase,
    all_missing,
    not_evaluated_on,
    numbers,
    people,
)

__all__ = [
    "DATE_CASES",
    "NOT_EVALUATED_DATE_CASES",
    "times",
    "empty_times",
    "odd_times",
]

UTC = dt.UTC


def _utc(year: int, month: int, day: int, hour: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=UTC)


def times() -> pl.DataFrame:
    """Five rows of every time dtype: dates, naive and aware datetimes in each unit, durations.

    Row 2 is missing everywhere; values sit a unit either side of the bounds the cases use.
    """
    return pl.DataFrame(
        {
            "d": pl.Series(
                [dt.date(2024, 1, 1), dt.date(2023, 12, 31), None, dt.date(2024, 2, 29),
                 dt.date(2024, 1, 1)],
                dtype=pl.Date,
            ),
            "n": pl.Series(
                [dt.datetime(2024, 1, 1), dt.datetime(2024, 1, 1, 0, 0, 0, 1), None,
                 dt.datetime(2023, 6, 30, 23, 59, 59, 999999), dt.datetime(2024, 1, 1, 12)],
                dtype=pl.Datetime("us"),
            ),
            "t": pl.Series(
                [_utc(2024, 1, 1), _utc(2024, 1, 1, 5), None, _utc(2023, 12, 31, 23),
                 _utc(2024, 6, 1)],
                dtype=pl.Datetime("us", "UTC"),
            ),
            # Nanoseconds in New York: the first value is 1 ns after midnight UTC.
            "z": pl.Series(
                [1_704_067_200_000_000_001, 1_704_085_199_000_000_000, None,
                 1_704_085_200_000_000_000, 1_672_531_200_000_000_000],
                dtype=pl.Int64,
            ).cast(pl.Datetime("ns", "UTC")).dt.convert_time_zone("America/New_York"),
            "m": pl.Series(
                [dt.datetime(2024, 1, 1, 0, 0, 0, 1000), dt.datetime(2024, 1, 1, 0, 0, 0, 2000),
                 None, dt.datetime(2024, 1, 1), dt.datetime(2023, 12, 31, 23, 59, 59, 999000)],
                dtype=pl.Datetime("ms"),
            ),
            "u": pl.Series(
                [dt.timedelta(hours=1), dt.timedelta(minutes=30), None, dt.timedelta(days=2),
                 dt.timedelta(0)],
                dtype=pl.Duration("us"),
            ),
            "v": pl.Series([1, 1_000, None, 1_500, 0], dtype=pl.Int64).cast(pl.Duration("ns")),
            "ahead": pl.Series(
                [None, dt.datetime(2200, 1, 1), None, None, dt.datetime(2100, 1, 1)],
                dtype=pl.Datetime("ms"),
            ),
            "blank": pl.Series([None] * 5, dtype=pl.Date),
            "i": [1, 2, 3, 4, 5],
            "s": ["2024-01-01", "x", None, "y", "z"],
            "c": pl.Series(["a", "b", None, "a", "b"], dtype=pl.Categorical),
        }
    )  # fmt: skip


def empty_times() -> pl.DataFrame:
    """The same schema with no rows."""
    return times().clear()


def odd_times() -> pl.DataFrame:
    """Time columns named like patterns next to plain look-alikes holding other values."""
    return pl.DataFrame(
        {
            "^d$": pl.Series([dt.date(2020, 1, 1), dt.date(2024, 1, 1), None], dtype=pl.Date),
            "d": pl.Series([dt.date(2024, 1, 1)] * 3, dtype=pl.Date),
            "*": pl.Series(
                [dt.datetime(2001, 1, 1), None, dt.datetime(2002, 1, 1)], dtype=pl.Datetime("us")
            ),
            "a.b": pl.Series(
                [dt.timedelta(seconds=1), dt.timedelta(seconds=3), None], dtype=pl.Duration("ms")
            ),
            "quo\"te'": pl.Series(
                [_utc(2300, 1, 1), None, _utc(2000, 1, 1)], dtype=pl.Datetime("us", "UTC")
            ),
        }
    )


def _case(case_id: str, rule: dict[str, Any], failed: int, total: int, passed: bool) -> Case:
    return Case(case_id, rule, failed, total, passed, times)


def _range(column: str, **bounds: Any) -> dict[str, Any]:
    return {"type": "in_range", "column": column, **bounds}


DATE_CASES: tuple[Case, ...] = (
    # Dates: Date columns compare by day; a date bound on a naive datetime is its midnight.
    _case("in_range-date-min", _range("d", min="2024-01-01"), 1, 4, False),
    _case("in_range-date-strict-min", _range("d", min="2024-01-01", strict_min=True), 3, 4, False),
    _case("in_range-date-both-inclusive", _range("d", min="2023-12-31", max="2024-02-29"),
          0, 4, True),
    _case("in_range-date-strict-max", _range("d", max="2024-02-29", strict_max=True), 1, 4, False),
    _case("in_range-date-python-date", _range("d", min=dt.date(2024, 1, 1)), 1, 4, False),
    _case("in_range-date-on-naive-datetime-is-midnight", _range("n", max="2024-01-01"),
          2, 4, False),
    # Naive datetimes on naive columns.
    _case("in_range-datetime-naive-strict", _range("n", min="2024-01-01T00:00:00",
          strict_min=True), 2, 4, False),
    _case("in_range-datetime-python", _range("n", max=dt.datetime(2024, 1, 1, 12)), 0, 4, True),
    _case("in_range-datetime-space-separator", _range("n", min="2024-01-01 00:00:00.000001"),
          2, 4, False),
    # Aware bounds on aware columns compare instants, whatever either's zone.
    _case("in_range-datetime-aware-utc", _range("t", min="2024-01-01T00:00:00+00:00"),
          1, 4, False),
    _case("in_range-datetime-aware-offset", _range("t", max="2024-01-01T06:00:00+01:00"),
          1, 4, False),
    _case("in_range-datetime-aware-z", _range("t", max="2024-01-01T05:00:00Z", strict_max=True),
          2, 4, False),
    _case("in_range-datetime-aware-python", _range("t", min=_utc(2024, 1, 1, 5)), 2, 4, False),
    _case("in_range-datetime-other-zone",
          _range("z", min="2024-01-01T00:00:00Z", max="2024-01-01T00:00:00-05:00"), 1, 4, False),
    _case("in_range-datetime-other-zone-strict",
          _range("z", min="2024-01-01T00:00:00Z", max="2024-01-01T00:00:00-05:00",
                 strict_max=True), 2, 4, False),
    # Exact in every unit: nanosecond columns, and bounds finer than the column's unit.
    _case("in_range-datetime-ns-bound-ns-column",
          _range("z", min="2024-01-01T00:00:00.000000001+00:00"), 1, 4, False),
    _case("in_range-datetime-ns-bound-ns-column-strict",
          _range("z", min="2024-01-01T00:00:00.000000001+00:00", strict_min=True), 2, 4, False),
    _case("in_range-datetime-us-bound-ms-column-max",
          _range("m", max="2024-01-01T00:00:00.0015"), 1, 4, False),
    _case("in_range-datetime-us-bound-ms-column-min",
          _range("m", min="2024-01-01T00:00:00.0015"), 3, 4, False),
    _case("in_range-datetime-ns-bound-us-column",
          _range("n", min="2024-01-01T00:00:00.000000500"), 2, 4, False),
    _case("in_range-datetime-ns-bound-us-column-strict-max",
          _range("n", max="2024-01-01T00:00:00.000000500", strict_max=True), 2, 4, False),
    # Durations: Polars' syntax, ISO-8601 or timedelta; nanosecond columns too.
    _case("in_range-duration-polars", _range("u", min="30m", max="1h"), 2, 4, False),
    _case("in_range-duration-iso-strict", _range("u", max="PT1H", strict_max=True), 2, 4, False),
    _case("in_range-duration-timedelta-strict",
          _range("u", min=dt.timedelta(minutes=30), strict_min=True), 2, 4, False),
    _case("in_range-duration-compound", _range("u", max="1d12h"), 1, 4, False),
    _case("in_range-duration-week", _range("u", max="P1W"), 0, 4, True),
    _case("in_range-duration-ns-bound-us-column", _range("u", min="1ns"), 1, 4, False),
    _case("in_range-duration-ns-column", _range("v", max="1us"), 1, 4, False),
    _case("in_range-duration-ns-column-strict", _range("v", min="1ns", strict_min=True),
          2, 4, False),
    _case("in_range-duration-fractional-iso", _range("v", max="PT0.0000015S", strict_max=True),
          1, 4, False),
    # Missing values are skipped; an all-missing column passes over nothing.
    _case("in_range-date-all-missing", _range("blank", min="2024-01-01"), 0, 0, True),
    Case("in_range-date-null-dtype", _range("nothing", min="2024-01-01"), 0, 0, True,
         all_missing),
    Case("in_range-date-empty", _range("d", min="2024-01-01"), 0, 0, True, empty_times),
    Case("in_range-duration-empty", _range("u", max="1h", strict_max=True), 0, 0, True,
         empty_times),
    # Strict number bounds: exact on every numeric type, NaN still missing.
    Case("in_range-strict-min-int", _range("score", min=1, strict_min=True), 1, 6, False, people),
    Case("in_range-strict-max-int", _range("score", max=6, strict_max=True), 1, 6, False, people),
    Case("in_range-strict-float-bound-on-int", _range("score", min=2.0, max=5.5,
         strict_min=True, strict_max=True), 3, 6, False, people),
    Case("in_range-strict-float-column", _range("age", min=10, max=150, strict_min=True,
         strict_max=True), 4, 4, False, people),
    Case("in_range-strict-decimal", _range("dec", max=2.5, strict_max=True), 1, 3, False,
         numbers),
    Case("in_range-strict-float32-above-bound", _range("f32", min=0.1, strict_min=True),
         0, 2, True, numbers),
    Case("in_range-strict-large-int", _range("i64", max=2**62 + 1, strict_max=True), 1, 3, False,
         numbers),
    # str_length: strict bounds exclude the length itself.
    Case("str_length-strict-min", {"column": "email", "type": "str_length", "min": 3,
         "strict_min": True}, 2, 5, False, people),
    Case("str_length-strict-max", {"column": "email", "type": "str_length", "max": 6,
         "strict_max": True}, 3, 5, False, people),
    Case("str_length-strict-categorical", {"column": "code", "type": "str_length", "min": 1,
         "max": 2, "strict_max": True}, 0, 5, True, people),
    # freshness: newest non-missing value vs the check's time (data far from any "now").
    _case("freshness-aware-within", {"type": "freshness", "column": "t",
          "max_age": "P36500D"}, 0, 1, True),
    _case("freshness-date-stale", {"type": "freshness", "column": "d", "max_age": "1d"},
          1, 1, False),
    _case("freshness-naive-stale", {"type": "freshness", "column": "n", "max_age": "PT24H"},
          1, 1, False),
    _case("freshness-ns-other-zone-stale", {"type": "freshness", "column": "z",
          "max_age": "1w"}, 1, 1, False),
    _case("freshness-future-passes", {"type": "freshness", "column": "ahead", "max_age": "0s"},
          0, 1, True),
    _case("freshness-timedelta", {"type": "freshness", "column": "d",
          "max_age": dt.timedelta(days=36500)}, 0, 1, True),
    _case("freshness-all-missing-fails", {"type": "freshness", "column": "blank",
          "max_age": "P1000D"}, 1, 1, False),
    Case("freshness-null-dtype-fails", {"type": "freshness", "column": "nothing",
         "max_age": "1d"}, 1, 1, False, all_missing),
    Case("freshness-empty-fails", {"type": "freshness", "column": "t", "max_age": "P36500D"},
         1, 1, False, empty_times),
    # Column names are just names.
    Case("name-regex-like-in_range-date", _range("^d$", min="2024-01-01"), 1, 2, False,
         odd_times),
    Case("name-wildcard-in_range-datetime", _range("*", max="2001-06-01T00:00:00"), 1, 2, False,
         odd_times),
    Case("name-dot-in_range-duration", _range("a.b", min="2s", strict_min=True), 1, 2, False,
         odd_times),
    Case("name-quotes-freshness", {"type": "freshness", "column": 'quo"te\'', "max_age": "1s"},
         0, 1, True, odd_times),
    Case("name-wildcard-freshness", {"type": "freshness", "column": "*", "max_age": "1d"},
         1, 1, False, odd_times),
)  # fmt: skip


_not_evaluated = not_evaluated_on(times)


NOT_EVALUATED_DATE_CASES: tuple[NotEvaluatedCase, ...] = (
    _not_evaluated("in_range-naive-bound-aware-column", _range("t", min="2024-01-01T00:00:00"),
                     ("bounds are naive", "column is time-zone aware")),
    _not_evaluated("in_range-aware-bound-naive-column",
                     _range("n", min="2024-01-01T00:00:00+00:00"),
                     ("bounds are time-zone aware", "column is naive")),
    _not_evaluated("in_range-date-bound-aware-column", _range("z", max="2024-01-01"),
                     ("bounds are dates", "column is time-zone aware")),
    _not_evaluated("in_range-datetime-bound-date-column", _range("d", min="2024-01-01T00:00"),
                     ("bounds are datetimes", "Date")),
    _not_evaluated("in_range-duration-bound-datetime-column", _range("n", max="1h"),
                     ("bounds are durations",)),
    _not_evaluated("in_range-number-bound-date-column", _range("d", min=0), ("numeric",)),
    _not_evaluated("in_range-date-bound-int-column", _range("i", min="2024-01-01"),
                     ("bounds are dates", "Int64")),
    _not_evaluated("in_range-date-bound-string-column", _range("s", min="2024-01-01"),
                     ("bounds are dates", "String")),
    _not_evaluated("freshness-int-column", {"type": "freshness", "column": "i",
                     "max_age": "1d"}, ("date or datetime",)),
    _not_evaluated("freshness-duration-column", {"type": "freshness", "column": "u",
                     "max_age": "1d"}, ("date or datetime", "Duration")),
    _not_evaluated("freshness-categorical-column", {"type": "freshness", "column": "c",
                     "max_age": "1d"}, ("date or datetime", "Categorical")),
    _not_evaluated("freshness-missing-column", {"type": "freshness", "column": "nope",
                     "max_age": "1d"}, ("'nope' not found",)),
)  # fmt: skip
