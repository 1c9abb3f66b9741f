"""SLA limits, the consecutive-failure count on the server, wiring and events - all real."""

from __future__ import annotations

import asyncio
import json
import logging
import re
import uuid

import pydantic
import pytest
from prefect import flow
from prefect.testing.standard_test_suites import BlockStandardTestSuite

from truthound_dq import CheckStatus, Severity
from truthound_prefect import (
    DataQualityBlock,
    DataQualityError,
    SLABlock,
    SLAConfig,
    SLAMonitor,
    SLAViolation,
    SLAViolationError,
    create_pipeline_flow,
    create_quality_flow,
    create_validation_flow,
    data_quality_check_task,
    quality_checked_flow,
    validated_flow,
)
from truthound_prefect._events import dataset_resource
from truthound_prefect.blocks import SLABlock as RegisteredSLABlock
from truthound_prefect.sla import failure_rate
from truthound_prefect.tasks import should_retry


def _uid(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


# -- the block ------------------------------------------------------------------------------


class TestSLABlockStandards(BlockStandardTestSuite):
    @pytest.fixture
    def block(self):
        return SLABlock

    def test_has_a_valid_image(self, block):
        # Prefect's version downloads the logo with Pillow; offline, check its address.
        assert re.fullmatch(r"https://\S+\.(png|svg)", str(block._logo_url))


def test_block_is_registered_with_the_blocks_module():
    assert RegisteredSLABlock is SLABlock
    assert (SLABlock.get_block_type_slug(), SLABlock.get_block_type_name()) == ("sla", "SLA")


def test_block_save_load_round_trip():
    name = _uid("sla")
    SLABlock(max_failure_rate=0.05, min_row_count=1, severity="warning").save(name)
    loaded = SLABlock.load(name)
    assert loaded.to_config() == SLAConfig(
        max_failure_rate=0.05, min_row_count=1, severity=Severity.WARNING
    )
    assert SLABlock.from_config(loaded.to_config()).max_failure_rate == 0.05


# -- configs --------------------------------------------------------------------------------


def test_config_json_round_trip():
    config = SLAConfig(
        max_failure_rate=0.1,
        min_pass_rate=0.9,
        max_execution_time_seconds=2.5,
        min_row_count=1,
        max_row_count=1000,
        max_consecutive_failures=3,
        severity="warning",
    )
    assert config.severity is Severity.WARNING
    assert SLAConfig.from_dict(json.loads(json.dumps(config.to_dict()))) == config
    assert SLAConfig().limits == {}
    assert SLAConfig().severity is Severity.ERROR


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"max_failure_rate": -0.1}, "max_failure_rate must not be negative"),
        ({"max_failure_rate": 5}, "max_failure_rate is a fraction from 0 to 1, got 5"),
        ({"min_pass_rate": 1.01}, "min_pass_rate is a fraction from 0 to 1"),
        ({"min_pass_rate": float("nan")}, "min_pass_rate must not be negative"),
        ({"max_execution_time_seconds": -1}, "max_execution_time_seconds must not be negative"),
        ({"min_row_count": -1}, "min_row_count must not be negative"),
        ({"max_row_count": 1.5}, "max_row_count must be a whole number"),
        ({"max_consecutive_failures": True}, "max_consecutive_failures must be a whole number"),
        ({"max_consecutive_failures": -2}, "max_consecutive_failures must not be negative"),
        ({"min_row_count": 10, "max_row_count": 5}, "min_row_count 10 is greater than max_row"),
        ({"severity": "fatal"}, "severity must be 'warning' or 'error'"),
        ({"max_failure_rate": "5%"}, "max_failure_rate must be a number"),
    ],
)
def test_bad_configs_are_rejected(kwargs, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        SLAConfig(**kwargs)


def test_every_problem_is_named_at_once():
    with pytest.raises(ValueError) as info:
        SLAConfig(max_failure_rate=2, min_row_count=-1)
    assert "max_failure_rate" in str(info.value) and "min_row_count" in str(info.value)


def test_unknown_keys_are_rejected():
    with pytest.raises(ValueError, match=r"unknown key\(s\) \['max_failures'\]"):
        SLAConfig.from_dict({"max_failures": 1})


@pytest.mark.parametrize(
    "kwargs",
    [
        {"max_failure_rate": 1.5},
        {"min_pass_rate": -0.5},
        {"min_row_count": 10, "max_row_count": 5},
        {"severity": "fatal"},
    ],
)
def test_bad_blocks_are_rejected(kwargs):
    with pytest.raises(pydantic.ValidationError):
        SLABlock(**kwargs)


def test_violation_json_round_trip():
    violation = SLAViolation(
        limit="max_failure_rate",
        observed=0.25,
        threshold=0.1,
        severity=Severity.WARNING,
        message="failure rate 25.00% is above the SLA's max_failure_rate 10.00%",
    )
    assert SLAViolation.from_dict(json.loads(json.dumps(violation.to_dict()))) == violation


# -- every limit, on real results -----------------------------------------------------------


@pytest.fixture
def bad_result(block, bad, rules):
    return block.run_check(bad, rules)


@pytest.fixture
def good_result(block, good, rules):
    return block.run_check(good, rules)


def _limits(monitor: SLAMonitor, result) -> dict[str, SLAViolation]:
    return {v.limit: v for v in monitor.evaluate(result)}


def test_failure_rate_is_failing_rows_over_checked_rows(bad_result, good_result):
    # not_null 1/4, unique 2/3 (missing ids are skipped), regex, in_range, in_set 1/4 each.
    assert failure_rate(bad_result) == pytest.approx(6 / 19)
    assert failure_rate(good_result) == 0.0
    found = _limits(SLAMonitor("rate", SLAConfig(max_failure_rate=0.3)), bad_result)
    assert found["max_failure_rate"].observed == pytest.approx(6 / 19)
    assert found["max_failure_rate"].threshold == 0.3
    assert "31.58%" in found["max_failure_rate"].message
    assert not _limits(SLAMonitor("rate", SLAConfig(max_failure_rate=0.32)), bad_result)


def test_min_pass_rate(bad_result, good_result):
    monitor = SLAMonitor("pass", SLAConfig(min_pass_rate=0.5))
    violation = _limits(monitor, bad_result)["min_pass_rate"]
    assert (violation.observed, violation.threshold) == (0.0, 0.5)
    assert "pass rate 0.00% is below" in violation.message
    assert not monitor.evaluate(good_result)


def test_max_execution_time(good_result):
    assert good_result.execution_time_ms > 0
    violation = _limits(SLAMonitor("t", SLAConfig(max_execution_time_seconds=0)), good_result)[
        "max_execution_time_seconds"
    ]
    assert violation.observed == pytest.approx(good_result.execution_time_ms / 1000)
    assert not SLAMonitor("t", SLAConfig(max_execution_time_seconds=600)).evaluate(good_result)


def test_row_count_limits(good_result):
    assert good_result.row_count == 4
    too_few = _limits(SLAMonitor("rows", SLAConfig(min_row_count=5)), good_result)
    assert (too_few["min_row_count"].observed, too_few["min_row_count"].threshold) == (4, 5)
    too_many = _limits(SLAMonitor("rows", SLAConfig(max_row_count=3)), good_result)
    assert too_many["max_row_count"].message == "row count 4 is above the SLA's max_row_count 3"
    assert not SLAMonitor("rows", SLAConfig(min_row_count=4, max_row_count=4)).evaluate(good_result)


def test_consecutive_failures_are_counted_on_the_server(bad_result, good_result, client):
    monitor = SLAMonitor(_uid("Orders / Daily"), SLAConfig(max_consecutive_failures=1))
    assert re.fullmatch(r"[a-z0-9_-]{1,255}", monitor.variable_name)
    assert monitor.consecutive_failures() == 0
    assert monitor.evaluate(bad_result) == []  # 1 in a row: tolerated
    assert monitor.consecutive_failures() == 1
    second = monitor.evaluate(bad_result)  # 2 in a row
    assert [(v.limit, v.observed, v.threshold) for v in second] == [
        ("max_consecutive_failures", 2, 1)
    ]
    # Kept on the server, not in the monitor: a new monitor of the same name sees it.
    again = SLAMonitor(monitor.name, monitor.config)
    assert again.consecutive_failures() == 2
    stored = client.read_variable_by_name(monitor.variable_name)
    assert stored.value["consecutive_failures"] == 2
    assert again.evaluate(good_result) == []  # a passing check resets the count
    assert monitor.consecutive_failures() == 0
    monitor.reset()
    assert client.read_variable_by_name(monitor.variable_name) is None


def test_zero_consecutive_failures_makes_any_failure_a_violation(bad_result, good_result):
    monitor = SLAMonitor(_uid("zero"), SLAConfig(max_consecutive_failures=0))
    assert monitor.evaluate(good_result) == []
    assert [v.limit for v in monitor.evaluate(bad_result)] == ["max_consecutive_failures"]


def test_warnings_are_not_failures_for_the_count(block, bad):
    result = block.run_check(bad, [{"column": "id", "type": "unique", "severity": "warning"}])
    assert result.status is CheckStatus.WARNING
    monitor = SLAMonitor(_uid("warn"), SLAConfig(max_consecutive_failures=0))
    assert monitor.evaluate(result) == []
    assert monitor.consecutive_failures() == 0


def test_severity_is_carried_and_no_limit_no_server(bad_result):
    monitor = SLAMonitor(_uid("sev"), SLAConfig(min_pass_rate=1, severity="warning"))
    assert [v.severity for v in monitor.evaluate(bad_result)] == [Severity.WARNING]
    # Without max_consecutive_failures nothing is written to the server.
    assert monitor.consecutive_failures() == 0


def test_monitor_rejects_bad_arguments():
    with pytest.raises(ValueError, match="non-empty name"):
        SLAMonitor("", SLAConfig())
    with pytest.raises(TypeError, match="must be an SLAConfig"):
        SLAMonitor("x", {"min_row_count": 1})  # type: ignore[arg-type]


# -- in flows: log, artifact, events, raise ------------------------------------------------


def test_error_violation_raises_after_artifacts_and_events(block, good, read, events, client):
    dataset = _uid("orders")

    @flow
    def pipeline(data):
        return data_quality_check_task(
            data,
            block=block,
            rules=[{"column": "id", "type": "unique"}],
            dataset=dataset,
            artifact_key=dataset,
            sla=SLAConfig(min_row_count=10, max_row_count=100),
            return_state=True,
        )

    task_state = pipeline(good, return_state=True).result(raise_on_failure=False)
    with pytest.raises(SLAViolationError) as info:
        task_state.result()
    error = info.value
    assert error.result.status is CheckStatus.PASSED
    assert [v.limit for v in error.violations] == ["min_row_count"]
    assert "row count 4 is below the SLA's min_row_count 10" in str(error)
    # Not retried: the same data breaks the same limit.
    assert client.read_task_run(task_state.state_details.task_run_id).run_count == 1
    report = read.markdown(dataset)
    assert "## SLA" in report and "| min_row_count | 4 | 10 | error |" in report

    resource_id = dataset_resource(dataset)["prefect.resource.id"]
    found = events.wait(resource_id, 2)
    assert [e.event for e in found] == ["truthound.check.passed", "truthound.sla.violated"]
    check, violated = found
    assert check.resource.name == dataset
    assert check.payload["status"] == "passed" and check.payload["sla_violations"] == 1
    assert violated.payload["limit"] == "min_row_count"
    assert (violated.payload["observed"], violated.payload["threshold"]) == (4, 10)
    assert violated.payload["severity"] == "error"
    assert violated.payload["monitor"] == dataset
    flow_run_id = client.read_task_run(task_state.state_details.task_run_id).flow_run_id
    assert events.related(violated)["flow-run"][0] == f"prefect.flow-run.{flow_run_id}"
    assert events.related(check)["task-run"][0] == (
        f"prefect.task-run.{task_state.state_details.task_run_id}"
    )


def test_check_events_carry_the_summary(engine_name, bad, rules, events):
    dataset = _uid("Customers Daily")
    name = _uid("dq")
    saved = DataQualityBlock(engine_name=engine_name, auto_schema=False, fail_on_error=False)
    saved.save(name)
    sla_name = _uid("sla")
    SLABlock(min_pass_rate=0.5, severity="warning").save(sla_name)

    @flow
    def pipeline(data):
        return data_quality_check_task(
            data, block=name, rules=rules, dataset=dataset, sla=f"sla/{sla_name}"
        )

    result = pipeline(bad)  # warning severity and fail_on_error off: a result, no raise
    assert result.status is CheckStatus.FAILED
    resource = dataset_resource(dataset)
    assert (
        resource["prefect.resource.id"] == f"truthound.dataset.{dataset.lower().replace(' ', '-')}"
    )
    found = events.wait(resource["prefect.resource.id"], 2)
    assert [e.event for e in found] == ["truthound.check.failed", "truthound.sla.violated"]
    payload = found[0].payload
    assert payload == {
        "status": "failed",
        "dataset": dataset,
        "engine": engine_name,
        "engine_version": result.engine_version,
        "rule_count": 5,
        "passed_count": 0,
        "failed_count": 5,
        "warning_count": 0,
        "pass_rate": 0.0,
        "row_count": 4,
        "execution_time_ms": pytest.approx(result.execution_time_ms),
        "failed_rules": [
            "not_null(id)",
            "unique(id)",
            "regex(email)",
            "in_range(age)",
            "in_set(status)",
        ],
        "failed_rules_truncated": False,
        "sla_violations": 1,
    }
    roles = events.related(found[0])
    assert roles["data-quality-block"] == (
        f"prefect.block-document.{saved._block_document_id}",
        name,
    )
    sla_doc = SLABlock.load(sla_name)._block_document_id
    assert roles["sla-block"] == (f"prefect.block-document.{sla_doc}", sla_name)
    assert found[1].payload["severity"] == "warning"
    assert found[1].follows == found[0].id


def test_warning_violations_are_logged_and_the_flow_completes(block, good, rules, caplog):
    @flow
    def pipeline(data):
        return data_quality_check_task(
            data,
            block=block,
            rules=rules,
            create_artifact=False,
            sla=SLAConfig(max_row_count=2, severity="warning"),
        )

    caplog.set_level(logging.INFO)
    assert pipeline(good).status is CheckStatus.PASSED
    assert "violated (warning): row count 4 is above the SLA's max_row_count 2" in caplog.text


def test_a_met_sla_says_so_in_the_report(block, good, rules, read):
    key = _uid("met")

    @flow
    def pipeline(data):
        return data_quality_check_task(
            data, block=block, rules=rules, artifact_key=key, sla=SLAConfig(min_row_count=1)
        )

    pipeline(good)
    assert "## SLA\n\nEvery SLA limit was met." in read.markdown(key)


def test_failed_check_error_comes_before_the_sla_error(block, bad, rules):
    @flow
    def pipeline(data, fail):
        return data_quality_check_task(
            data,
            block=block,
            rules=rules,
            fail_on_error=fail,
            create_artifact=False,
            sla=SLAConfig(min_pass_rate=1),
        )

    with pytest.raises(DataQualityError):
        pipeline(bad, True)
    # With fail_on_error off, the SLA still gates: its severity is error.
    with pytest.raises(SLAViolationError):
        pipeline(bad, False)


def test_sla_errors_are_not_retried(bad_result):
    from prefect.states import Failed

    state = Failed(data=SLAViolationError([], bad_result))
    assert should_retry(None, None, state) is False  # type: ignore[arg-type]


@pytest.mark.once  # an injected event fault, handled by the Prefect layer
def test_emit_failure_never_changes_the_outcome(block, good, bad, monkeypatch, caplog):
    import prefect.events

    def broken(*args, **kwargs):
        raise ConnectionError("events endpoint unreachable")

    # A fault injected at the boundary: the event emission itself.
    monkeypatch.setattr(prefect.events, "emit_event", broken)

    @flow
    def pipeline(data, sla):
        return data_quality_check_task(
            data,
            block=block,
            rules=[{"column": "id", "type": "not_null"}],
            create_artifact=False,
            fail_on_error=False,
            sla=sla,
        )

    caplog.set_level(logging.WARNING)
    assert pipeline(good, None).status is CheckStatus.PASSED
    assert "Prefect API: event 'truthound.check.passed' not done" in caplog.text
    assert pipeline(bad, SLAConfig(min_pass_rate=1, severity="warning")).failed_count == 1
    assert "Prefect API: event 'truthound.sla.violated' not done" in caplog.text
    with pytest.raises(SLAViolationError):
        pipeline(good, SLAConfig(min_row_count=5))


def test_sla_in_an_async_flow(block, good, rules):
    monitor = SLAMonitor(_uid("async"), SLAConfig(max_consecutive_failures=0, min_row_count=1))

    @flow
    async def pipeline(data):
        return await data_quality_check_task(
            data, block=block, rules=rules, create_artifact=False, sla=monitor
        )

    assert asyncio.run(pipeline(good)).status is CheckStatus.PASSED
    assert monitor.consecutive_failures() == 0


# -- decorators and factories --------------------------------------------------------------

TOO_MANY_ROWS = SLAConfig(max_row_count=2)


def test_decorators_take_an_sla(block, good):
    @quality_checked_flow(
        rules=[{"column": "id", "type": "unique"}], block=block, sla=TOO_MANY_ROWS
    )
    def build(data):
        return data

    @validated_flow(rules=[{"column": "id", "type": "unique"}], block=block, sla=TOO_MANY_ROWS)
    async def build_async(data):
        return data

    @quality_checked_flow(block=block, sla=SLAConfig(max_row_count=10))
    def fine(data):
        return data

    with pytest.raises(SLAViolationError):
        build(good)
    with pytest.raises(SLAViolationError):
        asyncio.run(build_async(good))
    assert fine(good).equals(good)


def test_factories_take_an_sla(block, good):
    rules = [{"column": "id", "type": "not_null"}]
    quality = create_quality_flow(_uid("q"), rules, block=block, sla=TOO_MANY_ROWS)
    validation = create_validation_flow(_uid("v"), rules, block=block, sla=TOO_MANY_ROWS)

    @create_pipeline_flow(_uid("p"), post_check_rules=rules, block=block, sla=TOO_MANY_ROWS)
    def transform(data):
        return data

    for built in (quality, validation, transform):
        with pytest.raises(SLAViolationError) as info:
            built(good)
        assert info.value.violations[0].limit == "max_row_count"
    ok = create_quality_flow(_uid("ok"), rules, block=block, sla=SLAConfig(max_row_count=4))
    assert ok(good).status is CheckStatus.PASSED


def test_bad_sla_argument_is_a_clear_error(block, good):
    @flow
    def pipeline(data):
        return data_quality_check_task(data, block=block, rules=[], sla={"min_row_count": 1})

    with pytest.raises(TypeError, match="sla must be an SLABlock"):
        pipeline(good)
