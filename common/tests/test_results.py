"""The result model: derived status and counts, JSON round-trips with primitives only."""

import datetime as dt
import json
import math
import pickle

from truthound_dq import (
    CheckStatus,
    ColumnProfile,
    ColumnSchema,
    LearnedRule,
    LearnOutput,
    Origin,
    ProfileOutput,
    QualityCheckOutput,
    RuleResult,
    Severity,
)
from truthound_dq.sdk import json_scalar


def rr(name, passed, severity=Severity.ERROR, failed=0, total=10):
    return RuleResult(
        rule_name=name,
        rule_type="not_null",
        column="c",
        severity=severity,
        passed=passed,
        failed_count=failed,
        total_count=total,
    )


def test_status_and_counts_derive_from_rule_results():
    ok = QualityCheckOutput(rule_results=(rr("a", True), rr("b", True)), row_count=10)
    assert ok.status is CheckStatus.PASSED and ok.pass_rate == 1.0
    warn = QualityCheckOutput(
        rule_results=(rr("a", True), rr("b", False, Severity.WARNING, 3)), row_count=10
    )
    assert warn.status is CheckStatus.WARNING and warn.is_success
    assert (warn.passed_count, warn.failed_count, warn.warning_count) == (1, 0, 1)
    bad = QualityCheckOutput(
        rule_results=(rr("a", False, failed=1), rr("b", False, Severity.WARNING, 3), rr("c", True)),
        row_count=10,
    )
    assert bad.status is CheckStatus.FAILED and not bad.is_success
    assert (bad.passed_count, bad.failed_count, bad.warning_count) == (1, 1, 1)
    assert [f.rule_name for f in bad.failures] == ["a", "b"]
    assert math.isclose(bad.pass_rate, 1 / 3)
    empty = QualityCheckOutput(rule_results=(), row_count=0)
    assert empty.status is CheckStatus.PASSED and empty.pass_rate == 1.0


def test_rates_are_fractions():
    r = rr("a", False, failed=3, total=12)
    assert r.failure_rate == 0.25 and r.pass_rate == 0.75
    assert rr("a", True, total=0).failure_rate == 0.0


def test_check_output_json_round_trip():
    out = QualityCheckOutput(
        rule_results=(
            rr("a", False, failed=2),
            RuleResult(
                rule_name="baseline:x",
                rule_type="dtype",
                column=None,
                severity=Severity.WARNING,
                passed=True,
                failed_count=0,
                total_count=1,
                sample_values=("x", 1, 2.5, None, True),
                origin=Origin.BASELINE,
                evaluated=False,
                mostly=0.5,
                evaluated_by="truthound_dq",
            ),
        ),
        row_count=10,
        execution_time_ms=1.5,
        engine="e",
        engine_version="1",
        timestamp=dt.datetime(2026, 1, 2, 3, 4, 5, tzinfo=dt.UTC),
        dataset="d",
        notes=("n",),
    )
    data = json.loads(json.dumps(out.to_dict(), allow_nan=False))
    assert data["status"] == "failed" and data["pass_rate"] == 0.5
    assert QualityCheckOutput.from_dict(data) == out
    assert pickle.loads(pickle.dumps(out)) == out
    assert data["rule_results"][1]["evaluated_by"] == "truthound_dq"


def test_payloads_written_before_evaluated_by_still_load():
    result = rr("a", False, failed=2)
    old = result.to_dict()
    del old["evaluated_by"]
    assert RuleResult.from_dict(old) == result
    assert RuleResult.from_dict(old).evaluated_by == ""


def test_profile_and_learn_round_trip():
    profile = ProfileOutput(
        row_count=3,
        columns=(
            ColumnProfile(
                column_name="a",
                dtype="Int64",
                null_count=1,
                null_rate=1 / 3,
                unique_count=2,
                min=1,
                max=5,
                mean=3.0,
            ),
        ),
        produced_by="x",
    )
    assert ProfileOutput.from_dict(json.loads(json.dumps(profile.to_dict()))) == profile
    assert profile.column("a").null_count == 1
    learn = LearnOutput(
        rules=(
            LearnedRule(
                column="a", rule_type="in_range", parameters={"min": 1, "max": 5}, confidence=0.9
            ),
            LearnedRule(column=None, rule_type="row_count", parameters={"min": 1}),
        ),
        columns=(ColumnSchema(name="a", dtype="Int64"),),
        row_count=3,
    )
    assert LearnOutput.from_dict(json.loads(json.dumps(learn.to_dict()))) == learn
    assert learn.to_rules() == [
        {"type": "in_range", "column": "a", "min": 1, "max": 5},
        {"type": "row_count", "min": 1},
    ]
    assert learn.to_rules(min_confidence=0.95) == [{"type": "row_count", "min": 1}]


def test_json_scalar():
    assert json_scalar(dt.date(2026, 1, 2)) == "2026-01-02"
    assert json_scalar(float("inf")) == "inf"
    assert json_scalar(b"\x01") == "01"
    assert json_scalar(3) == 3 and json_scalar(None) is None
