"""The design's usage examples (shared/design/seed-spec.md), run as written, async and sync.

The block's, the tasks', the decorator's, the factories' and ``to_prefect_artifact``'s examples
are read from our docstrings (which show the design's examples), so the docs cannot drift from
what runs; the complete ETL example and the concurrency example are copied below. Changes to
the design's text, each forced: local Parquet paths for ``s3://``; ``load_data``,
``process_data``, ``load_and_transform_users`` defined trivially; ``rules=[...]`` given a rule;
``task_map`` (Prefect has none) replaced by ``.map()``; ``engine_name="truthound"`` set to the
engine under test, and the default block (examples that pass none) too. Each example also runs
in its sync form: the same text without ``async``/``await``.

Baselines are removed before each run, so every run is a dataset's first: the examples use
``auto_schema``'s defaults, and these tests must not depend on how default dataset names are
numbered.
"""

from __future__ import annotations

import ast
import asyncio
import re
import textwrap
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from prefect import flow, task

import truthound_prefect
from truthound_dq import CheckStatus, LearnOutput, ProfileOutput, QualityCheckOutput
from truthound_prefect import (
    DataQualityBlock,
    create_pipeline_flow,
    create_quality_flow,
    create_validation_flow,
    data_quality_check_task,
    data_quality_learn_task,
    data_quality_profile_task,
    profiled_flow,
    quality_checked_flow,
    to_prefect_artifact,
)
from truthound_prefect import tasks as tasks_module

FENCE = re.compile(r"```python\n(.*?)```", flags=re.S)
# The design's examples as written (async) on every engine; their sync twins test the
# dispatch of the Prefect layer, which does not depend on the engine: once.
MODES = ["async", pytest.param("sync", marks=pytest.mark.once)]


def fences(obj: Any) -> list[str]:
    """The ```python blocks of a docstring, dedented."""
    doc = getattr(obj, "fn", obj).__doc__ or ""
    return [textwrap.dedent(b) for b in FENCE.findall(textwrap.dedent(doc))]


def for_engine(code: str, engine: str, mode: str) -> str:
    code = code.replace('engine_name="truthound"', f"engine_name={engine!r}")
    if mode == "sync":
        code = re.sub(r"\bawait ", "", code).replace("async def ", "def ")
    return code


def run(code: str, namespace: dict[str, Any], mode: str) -> dict[str, Any]:
    """Run a snippet; top-level ``await`` runs on an event loop, as in a notebook."""
    flags = ast.PyCF_ALLOW_TOP_LEVEL_AWAIT if mode == "async" else 0
    compiled = compile(code, "<design example>", "exec", flags=flags, dont_inherit=True)
    if mode == "async":

        async def main() -> None:
            result = eval(compiled, namespace)
            if asyncio.iscoroutine(result):
                await result

        asyncio.run(main())
    else:
        exec(compiled, namespace)
    return namespace


def users() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "id": [1, 2, 3, 4],
            "user_id": [10, 20, 30, 40],
            "email": ["a@x.io", "b@y.org", "c@z.com", "d@w.net"],
            "age": [10, 20, 30, 40],
            "status": ["active", "inactive", "active", "active"],
            "amount": [1.234, 2.5, 0.0, 10.019],
        }
    )


@pytest.fixture(autouse=True)
def fresh_baselines(client: Any) -> None:
    """Forget every stored baseline: each example run is its datasets' first run."""
    from prefect.exceptions import ObjectNotFound

    try:
        docs = client.read_block_documents_by_type("data-quality-baseline", limit=200)
    except ObjectNotFound:  # no baseline was ever stored
        return
    for doc in docs:
        client.delete_block_document(doc.id)


@pytest.fixture(autouse=True)
def default_engine(monkeypatch: pytest.MonkeyPatch, engine_name: str) -> None:
    """Examples that pass no block use the default block, here on the engine under test."""
    resolve = tasks_module.resolve_block

    def on_engine(block: Any) -> DataQualityBlock:
        if block is None:
            return DataQualityBlock(engine_name=engine_name)
        return resolve(block)

    monkeypatch.setattr(tasks_module, "resolve_block", on_engine)


@pytest.fixture
def namespace(tmp_path: Path) -> dict[str, Any]:
    """What the examples take for granted: imports, data, and the helpers left undefined."""
    processed: list[pl.DataFrame] = []
    ns: dict[str, Any] = {
        "__name__": "design_example",
        "pl": pl,
        "flow": flow,
        "task": task,
        "Any": Any,
        "DataQualityBlock": DataQualityBlock,
        "data_quality_check_task": data_quality_check_task,
        "data_quality_profile_task": data_quality_profile_task,
        "data_quality_learn_task": data_quality_learn_task,
        "quality_checked_flow": quality_checked_flow,
        "profiled_flow": profiled_flow,
        "create_quality_flow": create_quality_flow,
        "create_validation_flow": create_validation_flow,
        "create_pipeline_flow": create_pipeline_flow,
        "to_prefect_artifact": to_prefect_artifact,
        "data": users(),
        "user_df": users(),
        "load_data": users,
        "load_and_transform_users": users,
        "load_events": lambda: pl.DataFrame({"kind": ["click", "view"]}),
        "process_data": processed.append,
        "processed": processed,
        "tmp_path": tmp_path,
    }
    return ns


# -- the docstrings' examples --------------------------------------------------------------------


@pytest.fixture
def drop_production_quality(client: Any) -> None:
    from prefect.exceptions import ObjectNotFound

    try:
        doc = client.read_block_document_by_name("production-quality", "data-quality")
    except ObjectNotFound:
        return
    client.delete_block_document(doc.id)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.usefixtures("drop_production_quality")
def test_block_save_load_check(namespace, engine_name, mode):
    made, loaded = fences(DataQualityBlock)[1:3]
    ns = run(for_engine(made + loaded, engine_name, mode), namespace, mode)
    assert ns["block"].engine_name == engine_name
    assert ns["block"].default_rules == [{"column": "id", "type": "not_null"}]
    assert ns["result"].status is CheckStatus.PASSED and ns["result"].engine == engine_name


def _in_a_flow(code: str, name: str) -> str:
    """Top-level calls of a task's example, as the body of a flow (tasks run in flows)."""
    body = textwrap.indent(code, "    ")
    return f"@flow(name={name!r})\nasync def example():\n{body}\n    return result\n"


@pytest.mark.parametrize("mode", MODES)
def test_check_task_examples(namespace, engine_name, mode):
    in_flow, with_block = fences(data_quality_check_task)
    ns = run(for_engine(in_flow, engine_name, mode), namespace, mode)
    run("await my_pipeline()" if mode == "async" else "my_pipeline()", ns, mode)
    assert len(ns["processed"]) == 1  # the check passed, so the data was processed
    code = _in_a_flow(with_block, "check-with-block") + "outcome = await example()\n"
    ns = run(for_engine(code, engine_name, mode), namespace, mode)
    assert ns["outcome"].status is CheckStatus.PASSED and ns["outcome"].engine == engine_name


@pytest.mark.parametrize("mode", MODES)
def test_profile_and_learn_task_examples(namespace, engine_name, mode, capsys):
    (profile,) = fences(data_quality_profile_task)
    (learn,) = fences(data_quality_learn_task)
    for code, kind, printed in [
        (profile, ProfileOutput, "Profiled 6 columns"),
        (learn, LearnOutput, "Learned "),
    ]:
        wrapped = _in_a_flow(code, f"{kind.__name__.lower()}-example") + "out = await example()\n"
        ns = run(for_engine(wrapped, engine_name, mode), namespace, mode)
        assert isinstance(ns["out"], kind) and ns["out"].engine == engine_name
        assert printed in capsys.readouterr().out


@pytest.mark.parametrize("mode", MODES)
def test_decorator_examples(namespace, engine_name, mode, read):
    (checked,) = fences(quality_checked_flow)
    (profiled,) = fences(profiled_flow)
    call = "out = await process_users()\nevents = await build_events()\n"
    ns = run(for_engine(checked + profiled + call, engine_name, mode), namespace, mode)
    assert ns["out"].equals(users()) and ns["events"].height == 2
    assert read.table("data-profile-columns")[0]["Column"] == "kind"


@pytest.mark.parametrize("mode", MODES)
def test_factory_examples(namespace, engine_name, mode):
    code = "".join(
        fences(f)[0] for f in (create_quality_flow, create_validation_flow, create_pipeline_flow)
    )
    ns = run(for_engine(code, engine_name, mode), namespace, mode)
    assert isinstance(ns["result"], QualityCheckOutput)
    assert ns["result"].status is CheckStatus.PASSED and ns["result"].engine == engine_name
    assert ns["valid_df"].equals(users())
    assert ns["cleaned"].height == 4


@pytest.mark.parametrize("mode", MODES)
def test_to_prefect_artifact_examples(namespace, engine_name, mode, read):
    (example,) = fences(truthound_prefect.to_prefect_artifact)
    body = textwrap.indent(example, "    ")
    code = (
        "@flow(name='artifact-example')\n"
        "async def example():\n"
        '    result = await DataQualityBlock(engine_name="truthound").check(\n'
        "        data, [{'column': 'age', 'type': 'in_range', 'max': 15}], fail_on_error=False\n"
        "    )\n"
        f"{body}\n"
        "await example()\n"
    )
    run(for_engine(code, engine_name, mode), namespace, mode)
    assert read.table("orders-failures")[0]["Rule"] == "in_range(age)"
    assert read.table("orders-summary")[0] == {"Metric": "Status", "Value": "FAILED"}


# -- the complete ETL example and the concurrency example ----------------------------------------

ETL = '''
@task(name="extract_data")
async def extract_data(source: str) -> pl.DataFrame:
    """데이터 추출"""
    return pl.read_parquet(source)


@task(name="transform_data")
async def transform_data(data: pl.DataFrame) -> pl.DataFrame:
    """데이터 변환"""
    return (
        data
        .filter(pl.col("status") == "active")
        .with_columns([
            pl.col("amount").round(2),
        ])
    )


@task(name="load_data")
async def load_data(data: pl.DataFrame, destination: str) -> None:
    """데이터 로드"""
    data.write_parquet(destination)


@flow(name="etl_with_quality_gates")
async def etl_pipeline(
    source: str,
    destination: str,
) -> dict:
    logger = get_run_logger()
    results = {}

    # Block 설정
    block = DataQualityBlock(engine_name="truthound", auto_schema=True)

    # 1. 데이터 추출
    logger.info("Extracting data...")
    raw_data = await extract_data(source)
    results["extracted_rows"] = len(raw_data)

    # 2. 원본 데이터 품질 검증
    logger.info("Checking raw data quality...")
    raw_quality = await data_quality_check_task(
        data=raw_data,
        block=block,
        rules=[
            {"column": "id", "type": "not_null"},
            {"column": "id", "type": "unique"},
            {"column": "email", "type": "regex", "pattern": "^[\\\\w\\\\.-]+@[\\\\w\\\\.-]+\\\\.[a-zA-Z]{2,}$"},
            {"column": "amount", "type": "in_range", "min": 0},
        ],
        fail_on_error=True,
    )
    results["raw_quality"] = raw_quality

    # 3. 데이터 변환
    logger.info("Transforming data...")
    transformed_data = await transform_data(raw_data)
    results["transformed_rows"] = len(transformed_data)

    # 4. 변환 데이터 품질 검증
    logger.info("Checking transformed data quality...")
    await data_quality_check_task(
        data=transformed_data,
        block=block,
        rules=[
            {"column": "id", "type": "not_null"},
            {"column": "amount", "type": "in_range", "min": 0},
        ],
        fail_on_error=True,
    )

    # 5. 데이터 로드
    logger.info("Loading data...")
    await load_data(transformed_data, destination)
    results["loaded_rows"] = len(transformed_data)

    logger.info("ETL pipeline completed successfully!")
    return results
'''

# The design's ``if __name__ == "__main__":`` block, with local paths for s3://.
ETL_MAIN = """
asyncio.run(etl_pipeline(
    source=source,
    destination=destination,
))
"""

CONCURRENCY = """
@flow(name="parallel_quality_checks")
async def parallel_validation_flow(
    datasets: list[dict[str, Any]],
) -> list[dict]:
    from prefect import task
    from truthound_prefect import data_quality_check_task, DataQualityBlock

    block = DataQualityBlock(engine_name="truthound", auto_schema=True)

    @task
    async def check_dataset(dataset: dict) -> dict:
        data = pl.read_parquet(dataset["path"])
        result = await data_quality_check_task(
            data=data,
            block=block,
            rules=dataset["rules"],
            fail_on_error=False,
        )
        return {"name": dataset["name"], "result": result}

    # 병렬 실행 (task_map(check_dataset, datasets) in the design)
    results = check_dataset.map(datasets).result()

    return results
"""


@pytest.mark.parametrize("mode", MODES)
def test_complete_etl_example(namespace, engine_name, mode, tmp_path):
    from prefect import get_run_logger

    source, destination = tmp_path / "raw.parquet", tmp_path / "processed.parquet"
    users().write_parquet(source)
    namespace.update(
        get_run_logger=get_run_logger,
        asyncio=asyncio,
        source=str(source),
        destination=str(destination),
    )
    ns = run(for_engine(ETL, engine_name, mode), namespace, mode)
    if mode == "async":
        exec(ETL_MAIN, ns)  # as written: asyncio.run() from sync code
    else:
        ns["etl_pipeline"](source=str(source), destination=str(destination))
    out = pl.read_parquet(destination)
    assert out["amount"].to_list() == [1.23, 0.0, 10.02]
    assert out["status"].unique().to_list() == ["active"]


@pytest.mark.parametrize("mode", MODES)
def test_concurrency_example(namespace, engine_name, mode, tmp_path):
    frames = {
        "users": (users(), [{"column": "id", "type": "unique"}]),
        "orders": (
            pl.DataFrame({"order_id": [1, 2, 2], "total": [5.0, 7.5, 1.0]}),
            [{"column": "order_id", "type": "unique"}],
        ),
        "events": (
            pl.DataFrame({"kind": ["click", "view", None]}),
            [{"column": "kind", "type": "not_null"}],
        ),
    }
    datasets = []
    for name, (frame, rules) in frames.items():
        path = tmp_path / f"{name}.parquet"
        frame.write_parquet(path)
        datasets.append({"name": name, "path": str(path), "rules": rules})
    ns = run(for_engine(CONCURRENCY, engine_name, mode), namespace, mode)
    call = "results = await parallel_validation_flow(datasets)"
    ns = run(for_engine(call, engine_name, mode), {**ns, "datasets": datasets}, mode)
    statuses = {r["name"]: r["result"].status for r in ns["results"]}
    assert statuses == {
        "users": CheckStatus.PASSED,
        "orders": CheckStatus.FAILED,
        "events": CheckStatus.FAILED,
    }
    assert {r["result"].engine for r in ns["results"]} == {engine_name}
