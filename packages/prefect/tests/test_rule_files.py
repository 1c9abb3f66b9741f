"""Rule files and the check's time (``now=``) through the tasks, block, decorators, factories."""

import datetime as dt
from pathlib import Path

import jsonschema
import pytest
from prefect import flow
from pydantic import ValidationError

from truthound_dq import CheckStatus, RuleFileFormatError, RuleFileNotFoundError, RuleType
from truthound_prefect import (
    DataQualityBlock,
    create_pipeline_flow,
    create_quality_flow,
    create_validation_flow,
    data_quality_check_task,
    quality_checked_flow,
)

NOW = dt.datetime(2024, 5, 6, 7, 8, 9)  # naive: UTC
NOW_UTC = NOW.replace(tzinfo=dt.UTC)
YAML = """\
# yaml-language-server: $schema=rules.schema.json
rules:
  - {column: id, type: not_null}
  - {column: status, type: in_set, values: [active, inactive]}
"""


@pytest.fixture
def rule_file(tmp_path: Path) -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text(YAML, encoding="utf-8")
    return path


def _counts(result):
    return [(r.rule_name, r.failed_count, r.total_count) for r in result.rule_results]


EXPECTED = [("not_null(id)", 0, 4), ("in_set(status)", 0, 4)]


def test_task_reads_a_rule_file_and_checks_at_the_given_time(block, good, rule_file):
    @flow
    def pipeline(data, path):
        return data_quality_check_task(
            data, block=block, rules=path, now=NOW, create_artifact=False, emit_events=False
        )

    result = pipeline(good, str(rule_file))
    assert result.status is CheckStatus.PASSED
    assert _counts(result) == EXPECTED
    assert result.timestamp == NOW_UTC


@pytest.mark.once
def test_factories_and_decorators_take_a_path_and_now(block, good, bad, rule_file):
    checked = create_quality_flow("rule-file-quality", rules=rule_file, block=block, now=NOW)
    result = checked(data=good)
    assert (_counts(result), result.timestamp) == (EXPECTED, NOW_UTC)
    # A run's own now (a backfill's day, a deployment parameter) wins over the factory's.
    later = NOW_UTC + dt.timedelta(days=3)
    assert checked(data=good, now=later).timestamp == later

    validate = create_validation_flow("rule-file-validate", rules=str(rule_file), block=block)
    assert validate(data=good) is good

    @create_pipeline_flow("rule-file-pipeline", post_check_rules=rule_file, block=block, now=NOW)
    def clean(data):
        return data

    assert clean(data=good) is good

    @quality_checked_flow(rules=str(rule_file), block=block, fail_on_error=False, now=NOW)
    def produce():
        return bad

    assert produce() is bad
    # The file is read on every run: an edit takes effect on the next one.
    rule_file.write_text("- {column: id, type: unique}\n", encoding="utf-8")
    result = checked(data=good)
    assert _counts(result) == [("unique(id)", 0, 4)]


@pytest.mark.once
def test_a_string_that_is_no_rule_file_fails_when_the_flow_is_defined(block, tmp_path):
    with pytest.raises(RuleFileNotFoundError, match="not found"):
        create_quality_flow("missing", rules=str(tmp_path / "missing.yaml"), block=block)
    with pytest.raises(RuleFileFormatError, match="'not_null' is not a rule file"):
        quality_checked_flow(rules="not_null", block=block)
    with pytest.raises(RuleFileNotFoundError):
        create_pipeline_flow("missing", pre_check_rules=tmp_path / "nope.json")
    with pytest.raises(RuleFileFormatError):
        data_quality_check_task.fn(None, block=block, rules="id")


@pytest.mark.once
def test_block_default_rules_from_a_file_are_saved_as_rules(engine_name, good, rule_file):
    block = DataQualityBlock(engine_name=engine_name, auto_schema=False, default_rules=rule_file)
    assert block.default_rules == [
        {"column": "id", "type": "not_null"},
        {"column": "status", "type": "in_set", "values": ["active", "inactive"]},
    ]
    block.save("rules-from-a-file", overwrite=True)
    rule_file.unlink()  # the saved block holds the rules, not the path
    loaded = DataQualityBlock.load("rules-from-a-file")
    assert loaded.default_rules == block.default_rules
    result = loaded.check(good, now=NOW)
    assert (_counts(result), result.timestamp) == (EXPECTED, NOW_UTC)
    with pytest.raises(ValidationError, match="rule file .*rules.yaml' not found"):
        DataQualityBlock(engine_name=engine_name, default_rules=str(rule_file))


@pytest.mark.once
def test_block_schema_gives_default_rules_a_form_per_rule_type():
    builtin = [t.value for t in RuleType]
    registered = DataQualityBlock._to_block_schema().fields  # what Prefect stores
    for schema in (DataQualityBlock.model_json_schema(), registered):
        field = schema["properties"]["default_rules"]
        branches = field["items"]["anyOf"]
        assert [b["title"] for b in branches] == [*builtin, "a plugin's rule type"]
        assert branches[0]["additionalProperties"] is False  # kept: it is inside a list
        validator = jsonschema.Draft202012Validator(field)
        assert validator.is_valid(
            [{"column": "id", "type": "not_null"}, {"column": "n", "type": "divisible_by"}]
        )
        assert not validator.is_valid([{"column": "id", "type": "not_null", "min": 1}])
        assert not validator.is_valid([{"column": "id", "type": "in_range"}])
