"""Time values in rules: durations, dates and datetimes parsed exactly; freshness's verdict."""

import datetime as dt
import json

import polars as pl
import pytest

from truthound_dq import RuleValidationError, parse_rules
from truthound_dq._rule import CheckContext
from truthound_dq._rule_types.freshness import newest_text
from truthound_dq._times import duration_ns, format_duration, time_bound

NS = 10**9


@pytest.mark.parametrize(
    ("text", "ns"),
    [
        ("30m", 30 * 60 * NS),
        ("24h", 24 * 3600 * NS),
        ("7d", 7 * 86400 * NS),
        ("1d12h", 36 * 3600 * NS),
        ("2w", 14 * 86400 * NS),
        ("1500ns", 1500),
        ("3us", 3000),
        ("2ms", 2_000_000),
        ("-1h", -3600 * NS),
        ("PT24H", 24 * 3600 * NS),
        ("P7D", 7 * 86400 * NS),
        ("P1W", 7 * 86400 * NS),
        ("P1DT12H30M", (36 * 60 + 30) * 60 * NS),
        ("PT0.5S", NS // 2),
        ("PT0.000000001S", 1),
        ("pt1h", 3600 * NS),
    ],
)
def test_durations_in_both_syntaxes(text: str, ns: int) -> None:
    assert duration_ns(text) == ns


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("1mo", "no fixed length"),
        ("1y", "no fixed length"),
        ("P1M", "no fixed length"),
        ("P1Y", "no fixed length"),
        ("3i", "unknown unit"),
        ("P", "expected a duration"),
        ("PT", "expected a duration"),
        ("PT0.0000000001S", "finer than a nanosecond"),
    ],
)
def test_durations_without_a_fixed_length_are_refused(text: str, why: str) -> None:
    with pytest.raises(ValueError, match=why):
        duration_ns(text)


def test_durations_are_written_largest_units_first() -> None:
    assert format_duration(36 * 3600 * NS + 1) == "1d12h1ns"
    assert format_duration(0) == "0s"
    assert format_duration(-90 * NS) == "-1m30s"


def test_datetimes_keep_nanoseconds_and_offsets() -> None:
    naive = time_bound("2024-01-01T00:00:00.000000001")
    assert naive is not None
    assert (naive.kind, naive.aware, naive.value) == ("datetime", False, 1_704_067_200 * NS + 1)
    aware = time_bound("2024-01-01T01:00:00+01:00")
    assert aware is not None
    assert (aware.aware, aware.value) == (True, 1_704_067_200 * NS)
    date = time_bound("2024-01-01")
    assert date is not None
    assert (date.kind, date.ns) == ("date", 1_704_067_200 * NS)
    assert time_bound("abc") is None


def test_python_values_become_text_and_round_trip_through_json() -> None:
    rules = parse_rules(
        [
            {"column": "d", "type": "in_range", "min": dt.date(2024, 1, 1)},
            {"column": "t", "type": "in_range", "max": dt.datetime(2024, 1, 1, tzinfo=dt.UTC)},
            {"column": "u", "type": "in_range", "min": dt.timedelta(hours=36), "strict_min": True},
            {"column": "t", "type": "freshness", "max_age": dt.timedelta(minutes=90)},
        ]
    )
    dicts = [r.to_dict() for r in rules]
    assert [d.get("min", d.get("max", d.get("max_age"))) for d in dicts] == [
        "2024-01-01",
        "2024-01-01T00:00:00+00:00",
        "1d12h",
        "1h30m",
    ]
    assert parse_rules(json.loads(json.dumps(dicts))) == rules
    assert "strict_max" not in dicts[2] and dicts[2]["strict_min"] is True


def test_messages_show_bounds_readably() -> None:
    frame = pl.DataFrame({"d": [dt.date(2023, 1, 1)], "i": [0]})
    from truthound_dq.testing import ReferenceEngine

    result = ReferenceEngine().check(
        frame,
        [
            {"column": "d", "type": "in_range", "min": "2024-01-01"},
            {"column": "i", "type": "in_range", "min": 0, "max": 10, "strict_min": True},
        ],
    )
    assert [r.message.split("are outside ")[1] for r in result.rule_results] == [
        "[2024-01-01, ∞)",
        "(0, 10]",
    ]


def test_bounds_of_two_kinds_and_mixed_zones_are_refused_at_once() -> None:
    with pytest.raises(RuleValidationError) as info:
        parse_rules(
            [
                {"column": "d", "type": "in_range", "min": "2024-01-01", "max": 5},
                {
                    "column": "d",
                    "type": "in_range",
                    "min": "2024-01-01T00:00",
                    "max": "2025-01-01T00:00Z",
                },
                {"column": "d", "type": "in_range", "min": "2025-01-01", "max": "2024-01-01"},
                {"column": "d", "type": "in_range", "min": "P1M"},
                {"column": "d", "type": "in_range", "max": 3, "strict_min": True},
                {"column": "d", "type": "freshness", "max_age": "-1h"},
                {"column": "d", "type": "freshness", "max_age": 3},
                {"column": "s", "type": "str_length", "min": 2, "max": 2, "strict_max": True},
            ]
        )
    text = str(info.value)
    for fragment in (
        "rule 0: 'min' is a date and 'max' a number",
        "rule 1: 'min' and 'max' mix a naive datetime and one with a UTC offset",
        "rule 2: 'min' '2025-01-01' is after 'max' '2024-01-01'",
        "rule 3: 'min' 'P1M' is not a valid date, datetime or duration: months and years",
        "rule 4: 'strict_min' is given but 'min' is not",
        "rule 5: 'max_age' '-1h' is negative",
        "rule 6: 'max_age' must be a duration",
        "rule 7: 'min' equals 'max' (2) with a strict bound",
    ):
        assert fragment in text


def test_freshness_verdict_is_exact_to_the_nanosecond() -> None:
    (rule,) = parse_rules([{"column": "t", "type": "freshness", "max_age": "1us"}])
    now = dt.datetime(2024, 1, 1, 0, 0, 0, 2, tzinfo=dt.UTC)
    context = CheckContext(row_count=1, now=now, schema=pl.Schema())
    assert rule.verdict("2024-01-01T00:00:00.000001", context)
    assert not rule.verdict("2024-01-01T00:00:00.000000999", context)
    assert rule.undefined(None, context) is not None


def test_native_newest_values_read_like_the_shared_ones() -> None:
    pd = pytest.importorskip("pandas")
    assert newest_text(pd.Timestamp("2024-01-01T00:00:00.000000001", tz="UTC")) == (
        "2024-01-01T00:00:00.000000001+00:00"
    )
    assert newest_text(dt.datetime(2024, 1, 1, 0, 0, 0, 500000)) == "2024-01-01T00:00:00.500"
    assert newest_text(dt.date(2024, 1, 1)) == "2024-01-01"
    series = pl.Series([dt.datetime(2024, 1, 1, 0, 0, 0, 500000)], dtype=pl.Datetime("ns", "UTC"))
    shared = series.dt.to_string("%Y-%m-%dT%H:%M:%S%.f%:z").item()
    assert newest_text(series.item()) == shared
