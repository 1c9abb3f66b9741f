"""Testing helpers shipped for adapters: the oracle, the contract suite and strategies.

Needs the ``testing`` extra (pytest and Hypothesis): ``pip install 'truthound-dq[testing]'``.

- :class:`ReferenceEngine`: every rule's canonical semantics in plain Polars (the oracle).
- :class:`EngineContractSuite`: subclass it in an adapter's tests and provide ``engine``.
- :class:`SparkContractSuite`: the same contract on a local Spark (``pytest -m spark``).
- :mod:`truthound_dq.testing.strategies`: Hypothesis strategies for frames and rules.
"""

from truthound_dq._polars import reference_evaluate
from truthound_dq.testing._cases import (
    CASES,
    CUSTOM_CASES,
    Case,
    all_missing,
    empty_people,
    numbers,
    odd_names,
    people,
)
from truthound_dq.testing._contract import EngineContractSuite
from truthound_dq.testing._contract_spark import SparkContractSuite
from truthound_dq.testing._reference import ReferenceEngine
from truthound_dq.testing._spark import local_spark_session, to_spark_frame

__all__ = [
    "ReferenceEngine",
    "EngineContractSuite",
    "SparkContractSuite",
    "local_spark_session",
    "to_spark_frame",
    "reference_evaluate",
    "CASES",
    "CUSTOM_CASES",
    "Case",
    "people",
    "empty_people",
    "odd_names",
    "numbers",
    "all_missing",
]
