"""Swap the engine by loading a different saved block: the flow does not change.

Each saved ``DataQualityBlock`` names an engine; the flow takes the block's name as a
parameter, so a deployment switches from Truthound to Great Expectations or Pandera by a
parameter (or by editing the block in the UI), and the rules mean the same on each.

    python examples/swap_engines.py     # saves one block per installed engine, runs each
"""

from typing import Any

import polars as pl
from prefect import flow

from truthound_dq import available_engines
from truthound_prefect import DataQualityBlock, data_quality_check_task

RULES = [
    {"column": "id", "type": "not_null"},
    {"column": "id", "type": "unique"},
    {"column": "email", "type": "regex", "pattern": r"^[\w.-]+@[\w.-]+\.[a-zA-Z]{2,}$"},
    {"column": "age", "type": "in_range", "min": 0, "max": 150},
]
ENGINES = ("truthound", "great_expectations", "pandera")


def block_name(engine_name: str) -> str:
    """The saved block's name for an engine (block names allow only a-z, 0-9 and dashes)."""
    return f"quality-{engine_name.replace('_', '-')}"


def save_blocks(engines: list[str] | None = None) -> list[str]:
    """Save one block per engine (default: the installed ones); returns the block names."""
    installed = set(available_engines())
    names = []
    for engine in engines or [e for e in ENGINES if e in installed]:
        block = DataQualityBlock(engine_name=engine, auto_schema=False, fail_on_error=False)
        block.save(block_name(engine), overwrite=True)
        names.append(block_name(engine))
    return names


@flow(name="check-with-saved-block")
def check_with_block(block_name: str) -> dict[str, Any]:
    """Load the block by name and check the same data with its engine."""
    block = DataQualityBlock.load(block_name)
    users = pl.DataFrame(
        {
            "id": [1, 2, 2, None],
            "email": ["a@x.io", "b@y.org", "not-an-email", "d@w.net"],
            "age": [31, 45, 27, 200],
        }
    )
    result = data_quality_check_task(users, block=block, rules=RULES)
    return {
        "engine": result.engine,
        "status": result.status.value,
        "failed": {r.rule_name: r.failed_count for r in result.failures},
    }


if __name__ == "__main__":
    for name in save_blocks():
        print(name, check_with_block(name))
