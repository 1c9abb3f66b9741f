"""The check options of this issue on the base: ``now=`` (the check's time) and a rule file."""

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from truthound_dq import RuleFileNotFoundError, RuleValidationError
from truthound_dq.testing import ReferenceEngine

FRAME = pl.DataFrame({"id": [1, None]})
RULES = [{"column": "id", "type": "not_null"}]


def test_now_is_the_results_timestamp():
    engine = ReferenceEngine()
    naive = dt.datetime(2024, 1, 2, 3, 4, 5)
    assert engine.check(FRAME, RULES, now=naive).timestamp == naive.replace(tzinfo=dt.UTC)
    seoul = dt.datetime(2024, 1, 2, 12, 4, 5, tzinfo=dt.timezone(dt.timedelta(hours=9)))
    stamp = engine.check(FRAME, RULES, now=seoul).timestamp
    assert stamp == seoul and stamp.tzinfo is dt.UTC and stamp.hour == 3
    before = dt.datetime.now(dt.UTC)
    assert before <= engine.check(FRAME, RULES, now=None).timestamp <= dt.datetime.now(dt.UTC)
    result = engine.check(FRAME, RULES, now=naive)
    assert type(result).from_dict(result.to_dict()).timestamp == result.timestamp


@pytest.mark.parametrize("now", ["yesterday", dt.date(2024, 1, 1), 1704067200])
def test_now_must_be_a_datetime(now):
    with pytest.raises(TypeError, match="now must be a datetime"):
        ReferenceEngine().check(FRAME, RULES, now=now)


def test_a_path_is_a_rule_file_but_a_string_is_not_rules(tmp_path):
    path = tmp_path / "rules.yaml"
    path.write_text("- {column: id, type: not_null}\n", encoding="utf-8")
    (result,) = ReferenceEngine().check(FRAME, path).rule_results
    assert (result.failed_count, result.total_count) == (1, 2)
    with pytest.raises(RuleFileNotFoundError):
        ReferenceEngine().check(FRAME, Path(tmp_path / "missing.yaml"))
    with pytest.raises(RuleValidationError, match=r"got str \(a rule file\? read it with"):
        ReferenceEngine().check(FRAME, str(path))  # type: ignore[arg-type]
