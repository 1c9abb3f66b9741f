"""Spark tests: a real local[2] Spark (one per pytest session); skipped without pyspark."""

import pytest

pytest.importorskip("pyspark", reason="the Spark tests need pyspark (truthound-dq[spark])")
