"""DataQualityBlock and DataQualityBaseline on a real Prefect server."""

import asyncio
import json
import os
import re
import subprocess
import sys
import time
import uuid

import pydantic
import pytest
from prefect.testing.standard_test_suites import BlockStandardTestSuite

from truthound_dq import (
    CheckStatus,
    TruthoundDQError,
    get_engine,
    register_engine,
    unregister_engine,
)
from truthound_dq.testing import ReferenceEngine
from truthound_prefect import CheckTimeoutError, DataQualityBlock, DataQualityError
from truthound_prefect.blocks import DataQualityBaseline


class _Standards(BlockStandardTestSuite):
    def test_has_a_valid_image(self, block):
        # Prefect's version downloads the logo with Pillow; offline, check its address.
        assert re.fullmatch(r"https://\S+\.(png|svg)", str(block._logo_url))


class TestDataQualityBlockStandards(_Standards):
    @pytest.fixture
    def block(self):
        return DataQualityBlock


class TestDataQualityBaselineStandards(_Standards):
    @pytest.fixture
    def block(self):
        return DataQualityBaseline


def _name() -> str:
    return f"test-{uuid.uuid4().hex[:10]}"


def test_save_and_load_with_defaults_left_unset():
    name = _name()
    DataQualityBlock().save(name)
    loaded = DataQualityBlock.load(name)
    assert loaded.engine_name == "truthound"
    assert (loaded.auto_schema, loaded.fail_on_error, loaded.timeout_seconds) == (True, True, 300.0)
    assert loaded.default_rules == []


def test_save_and_load_round_trip(engine_name, rules):
    name = _name()
    DataQualityBlock(engine_name=engine_name, default_rules=rules, timeout_seconds=12).save(name)
    loaded = DataQualityBlock.load(name)
    assert loaded.engine_name == engine_name
    assert loaded.default_rules == rules
    assert loaded.timeout_seconds == 12


async def test_async_save_and_load(engine_name):
    name = _name()
    await DataQualityBlock(engine_name=engine_name).asave(name)
    loaded = await DataQualityBlock.aload(name)
    assert loaded.engine_name == engine_name


def test_default_rules_are_validated_when_built():
    with pytest.raises(pydantic.ValidationError, match="unknown type 'notnull'"):
        DataQualityBlock(default_rules=[{"column": "id", "type": "notnull"}])


def test_timeout_bounds():
    with pytest.raises(pydantic.ValidationError):
        DataQualityBlock(timeout_seconds=0)
    with pytest.raises(pydantic.ValidationError):
        DataQualityBlock(timeout_seconds=3601)


def test_check_outside_a_flow(block, good, bad, rules):
    result = block.check(good, rules)
    assert result.status is CheckStatus.PASSED
    with pytest.raises(DataQualityError) as info:
        block.check(bad, rules)
    assert info.value.result.status is CheckStatus.FAILED
    assert block.check(bad, rules, fail_on_error=False).failed_count == 5


def test_check_uses_default_rules_unless_given(engine_name, bad):
    block = DataQualityBlock(
        engine_name=engine_name,
        auto_schema=False,
        default_rules=[{"column": "id", "type": "not_null"}],
    )
    assert len(block.check(bad, fail_on_error=False).rule_results) == 1
    assert len(block.check(bad, [], fail_on_error=False).rule_results) == 0


async def test_check_in_async_code(block, good, bad, rules):
    result = await block.check(good, rules)
    assert result.status is CheckStatus.PASSED
    result = await block.acheck(bad, rules, fail_on_error=False)
    assert result.status is CheckStatus.FAILED
    profile = await block.profile(good)
    assert profile.row_count == 4
    learned = await block.learn(good)
    assert learned.rules


def test_profile_and_learn_sync(block, good):
    assert block.profile(good, columns=["id"]).columns[0].column_name == "id"
    learned = block.learn(good)
    assert block.check(good, learned.to_rules()).status is CheckStatus.PASSED


class Slow(ReferenceEngine):
    engine_name = "slow"

    def _evaluate(self, frame, rules, *, sample_size, options):
        time.sleep(3)
        return super()._evaluate(frame, rules, sample_size=sample_size, options=options)


@pytest.mark.once
def test_timeout_is_enforced(good, rules):
    register_engine("slow", Slow, force=True)  # a fault injected: an engine that hangs
    try:
        block = DataQualityBlock(engine_name="slow", timeout_seconds=1, auto_schema=False)
        started = time.perf_counter()
        with pytest.raises(CheckTimeoutError, match="timeout_seconds=1"):
            block.check(good, rules)
        assert time.perf_counter() - started < 2.5
    finally:
        unregister_engine("slow")


def _get_engine_message(name: str) -> str:
    with pytest.raises(TruthoundDQError) as info:
        get_engine(name)
    return str(info.value)


@pytest.mark.parametrize("name", ["nope", "great-expectationz"])
def test_unknown_engine_is_refused_when_the_block_is_made(name):
    with pytest.raises(pydantic.ValidationError) as info:
        DataQualityBlock(engine_name=name)
    assert _get_engine_message(name) in str(info.value)
    assert "unknown engine" in str(info.value)


def test_uninstalled_engine_is_refused_with_the_install_line(monkeypatch):
    # The fault injected: the pandera adapter's entry point is not on this machine.
    from truthound_dq import _registry

    advertised = _registry._entry_points()
    monkeypatch.setattr(
        _registry, "_entry_points", lambda: {k: v for k, v in advertised.items() if k != "pandera"}
    )
    monkeypatch.setattr(_registry, "_instances", {})  # nor made earlier in this process
    with pytest.raises(pydantic.ValidationError) as info:
        DataQualityBlock(engine_name="pandera")
    assert _get_engine_message("pandera") in str(info.value)
    assert "pip install 'truthound-prefect[pandera]'" in str(info.value)


def test_unknown_engine_is_refused_when_the_block_is_loaded():
    name = _name()
    # A document written past validation (by an older version, the UI or the API).
    DataQualityBlock.model_construct(engine_name="nope").save(name)
    # Prefect wraps the validation error; the traceback shows ours as its cause.
    with pytest.raises(RuntimeError, match="failed validation") as info:
        DataQualityBlock.load(name)
    assert isinstance(info.value.__cause__, pydantic.ValidationError)
    assert _get_engine_message("nope") in str(info.value.__cause__)


@pytest.mark.once  # engine names are checked from entry points, no engine runs
def test_engine_names_are_checked_without_importing_the_engine(engine_name):
    code = (
        "import sys; from truthound_prefect import DataQualityBlock; "
        f"DataQualityBlock(engine_name={engine_name!r}); DataQualityBlock(); "
        "loaded = {'great_expectations', 'pandera', 'truthound'} & set(sys.modules); "
        "assert not loaded, loaded"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)  # noqa: PLW1510
    assert out.returncode == 0, out.stderr


def _cli_env(prefect_server: str) -> dict[str, str]:
    return {**os.environ, "PREFECT_API_URL": prefect_server}


@pytest.mark.once
def test_prefect_block_register_cli(prefect_server):
    out = subprocess.run(  # noqa: PLW1510 - the return code is asserted
        [sys.executable, "-m", "prefect", "block", "register", "-m", "truthound_prefect.blocks"],
        capture_output=True,
        text=True,
        env=_cli_env(prefect_server),
        timeout=180,
    )
    assert out.returncode == 0, out.stderr + out.stdout
    assert "DataQuality" in out.stdout
    assert re.search(r"\bSLA\s*│", out.stdout), out.stdout


@pytest.mark.once
def test_load_by_slug_in_a_fresh_process(prefect_server, engine_name):
    name = _name()
    DataQualityBlock(engine_name=engine_name, fail_on_error=False).save(name)
    code = (
        "import json\n"
        "from prefect.blocks.core import Block\n"
        f"block = Block.load('data-quality/{name}')\n"
        "print(json.dumps([type(block).__module__, block.engine_name, block.fail_on_error]))\n"
    )
    out = subprocess.run(  # noqa: PLW1510 - the return code is asserted
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=_cli_env(prefect_server),
        timeout=180,
    )
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout.strip().splitlines()[-1]) == [
        "truthound_prefect.blocks",
        engine_name,
        False,
    ]


def test_sync_check_called_inside_a_running_loop_thread_is_not_a_coroutine(block, good):
    # A sync function that runs while an event loop is running elsewhere in the process
    # gets a result, not a coroutine.
    async def main():
        return await asyncio.to_thread(block.check, good, [{"column": "id", "type": "unique"}])

    assert asyncio.run(main()).status is CheckStatus.PASSED
