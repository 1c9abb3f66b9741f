"""GX on Spark tests: a real local[2] Spark (one per pytest session); skipped without pyspark."""

from typing import Any

import pytest

pytest.importorskip("pyspark", reason="the Spark tests need pyspark (truthound-prefect[spark])")


@pytest.fixture(scope="session")
def spark_session() -> Any:
    """The process's local Spark session (the contract suite's ``spark`` is the same one)."""
    from truthound_dq.testing import local_spark_session

    return local_spark_session()
