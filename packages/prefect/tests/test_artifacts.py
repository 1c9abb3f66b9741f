"""The content of every artifact, read back through the Prefect client."""

import re

import polars as pl
import pytest
from prefect import flow

from truthound_dq import CheckStatus
from truthound_prefect import data_quality_check_task, data_quality_learn_task, to_prefect_artifact
from truthound_prefect.artifacts import ato_prefect_artifact


def test_check_artifacts(block, bad, rules, read):
    @flow
    def pipeline(data: pl.DataFrame):
        return data_quality_check_task(
            data, block=block, rules=rules, fail_on_error=False, artifact_key="Orders Check_1"
        )

    result = pipeline(bad)
    key = "orders-check-1"
    summary = {row["Metric"]: row["Value"] for row in read.table(f"{key}-summary")}
    assert summary["Status"] == "FAILED"
    assert summary["Rules passed"] == "0 of 5"
    assert summary["Pass rate"] == "0.00%"
    assert summary["Rows"] == "4"
    assert summary["Engine"].startswith(block.engine_name)
    rule_rows = read.table(f"{key}-rules")
    assert [r["Rule"] for r in rule_rows] == [r.rule_name for r in result.rule_results]
    unique = next(r for r in rule_rows if r["Rule"] == "unique(id)")
    assert unique == {
        "Rule": "unique(id)",
        "Column": "id",
        "Type": "unique",
        "Severity": "error",
        "Status": "FAILED",
        "Failed": 2,
        "Total": 3,
        "Pass rate": "33.33%",
        "Observed": "-",
        "Origin": "user",
        # The engine's own validators, or the shared Polars implementation ("truthound_dq").
        "Evaluated by": next(
            r.evaluated_by for r in result.rule_results if r.rule_name == "unique(id)"
        ),
    }
    assert unique["Evaluated by"] in (block.engine_name, "truthound_dq")
    failures = {f["Rule"]: f for f in read.table(f"{key}-failures")}
    assert failures["regex(email)"]["Samples"] == '"not-an-email"'
    assert failures["in_range(age)"]["Failure rate"] == "25.00%"
    assert "1 of 4 non-missing values (25.00%)" in failures["in_range(age)"]["Message"]
    report = read.markdown(key)
    assert report.startswith("# Data quality check: FAILED")
    assert "## Failures" in report and "| unique(id) |" in report


def test_passing_check_writes_no_failures_table(block, good, rules, read):
    @flow
    def pipeline(data: pl.DataFrame):
        return data_quality_check_task(data, block=block, rules=rules, artifact_key="all-good")

    assert pipeline(good).status is CheckStatus.PASSED
    assert read.versions("all-good-failures") == []
    assert "## Failures" not in read.markdown("all-good")


def test_samples_can_be_hidden_or_masked_and_are_bounded(block, read):
    secret = pl.DataFrame({"ssn": ["123-45-6789", "987-65-4321"], "note": ["x" * 500, "ok"]})
    rules = [
        {"column": "ssn", "type": "regex", "pattern": "^$"},
        {"column": "note", "type": "str_length", "max": 10},
        # A table rule's observed statistic is a value of its column: shown, or masked.
        {"column": "ssn", "type": "aggregate", "stat": "distinct_count", "min": 1},
        {"column": "note", "type": "aggregate", "stat": "unique_rate", "min": 0.5},
    ]

    @flow
    def pipeline(data: pl.DataFrame, samples: bool, key: str):
        return data_quality_check_task(
            data,
            block=block,
            rules=rules,
            fail_on_error=False,
            include_samples=samples,
            mask_columns=["ssn"],
            artifact_key=key,
        )

    pipeline(secret, True, "masked")
    failures = {f["Rule"]: f for f in read.table("masked-failures")}
    assert failures["regex(ssn)"]["Samples"] == "***"
    note = failures["str_length(note)"]["Samples"]
    assert len(note) <= 80 and note.endswith("…")
    assert "123-45" not in read.markdown("masked")
    observed = {r["Rule"]: r["Observed"] for r in read.table("masked-rules")}
    assert observed["aggregate(distinct_count(ssn))"] == "***"
    assert observed["aggregate(unique_rate(note))"] == "1"
    assert observed["regex(ssn)"] == "-"
    pipeline(secret, False, "no-samples")
    assert all("Samples" not in f for f in read.table("no-samples-failures"))
    assert "123-45" not in read.markdown("no-samples")


def test_learn_and_profile_artifacts(block, good, read):
    @flow
    def pipeline(data: pl.DataFrame):
        return data_quality_learn_task(
            data, block=block, artifact_key="learned", mask_columns=["status"]
        )

    learned = pipeline(good)
    rows = read.table("learned-rules")
    assert len(rows) == min(len(learned.rules), 50)
    assert {"Column", "Rule type", "Parameters", "Confidence"} == set(rows[0])
    assert all(r["Parameters"] in ("{}", "***") or r["Column"] != "status" for r in rows)
    assert read.markdown("learned").startswith("# Learned rules")

    @flow
    def direct(data: pl.DataFrame):
        return to_prefect_artifact(block.profile(data), key="direct-profile")

    assert len(direct(good)) == 2
    assert to_prefect_artifact(block.profile(good), key="outside-a-run") == []
    columns = read.table("direct-profile-columns")
    assert columns[0]["Null %"] == "0.00%"
    assert re.search(r"\*\*4 rows, 4 columns\*\*", read.markdown("direct-profile"))


async def test_async_artifact_writing(block, good, read):
    @flow
    async def pipeline(data: pl.DataFrame):
        result = await block.acheck(data, [{"column": "id", "type": "unique"}])
        return await to_prefect_artifact(result, key="from-async"), await ato_prefect_artifact(
            result, key="from-async"
        )

    ids, again = await pipeline(good)
    assert len(ids) == len(again) == 3
    assert read.table("from-async-summary")[0]["Value"] == "PASSED"


def test_unsupported_result_type():
    with pytest.raises(TypeError, match="QualityCheckOutput, ProfileOutput or LearnOutput"):
        to_prefect_artifact({"status": "passed"})  # type: ignore[arg-type]


def test_the_designs_include_failures_and_max_failures(block, bad, rules, read):
    @flow
    def pipeline(data: pl.DataFrame):
        result = block.check(data, rules, fail_on_error=False)
        few = to_prefect_artifact(result, key="few-failures", max_failures=2)
        none = to_prefect_artifact(result, key="no-failures", include_failures=False)
        return result, few, none

    result, few, none = pipeline(bad)
    assert result.failed_count == 5
    assert len(few) == 4 and len(none) == 3
    assert len(read.table("few-failures-failures")) == 2
    assert "*... and 3 more failing rules*" in read.markdown("few-failures")
    assert read.versions("no-failures-failures") == []
    assert "## Failures" not in read.markdown("no-failures")
    assert len(read.table("no-failures-rules")) == 5
