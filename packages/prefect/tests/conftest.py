"""One real Prefect server for the whole session, and the engine under test.

The nox matrix runs this suite once per engine (``TRUTHOUND_PREFECT_TEST_ENGINE``); nothing
here mocks Prefect or the engine. Tests marked ``spark`` run only in nox's ``tests_spark``
session, which sets ``TRUTHOUND_DQ_SPARK=1`` and installs pyspark: elsewhere they are skipped
with that reason, and there a missing pyspark fails the run instead of skipping them.
"""

from __future__ import annotations

import importlib.util
import json
import os
import tempfile
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import polars as pl
import pytest

# Settings Prefect reads when it is first imported: keep its home, results and caches in a
# throwaway directory, and stay off the network.
_HOME = Path(tempfile.mkdtemp(prefix="truthound-prefect-tests-"))
os.environ.setdefault("PREFECT_HOME", str(_HOME / "prefect"))
os.environ.setdefault("PREFECT_LOCAL_STORAGE_PATH", str(_HOME / "storage"))
os.environ.setdefault("TRUTHOUND_DQ_BASELINE_DIR", str(_HOME / "baselines"))
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
os.environ["DO_NOT_TRACK"] = "1"

ENGINE = os.environ.get("TRUTHOUND_PREFECT_TEST_ENGINE", "truthound")
SPARK_RUN = os.environ.get("TRUTHOUND_DQ_SPARK") == "1"


def pytest_configure(config: pytest.Config) -> None:
    # Also registered in the root pyproject.toml; here too, for a checkout of this suite alone.
    config.addinivalue_line(
        "markers", "spark: needs pyspark and Java; runs in nox's tests_spark session only"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    here = Path(__file__).parent  # only this suite's items: other suites gate their own
    spark_items = [
        item for item in items if item.get_closest_marker("spark") and here in item.path.parents
    ]
    if not spark_items:
        return
    if not SPARK_RUN:
        skip = pytest.mark.skip(
            reason="a Spark test: runs in nox's tests_spark session (TRUTHOUND_DQ_SPARK=1)"
        )
        for item in spark_items:
            item.add_marker(skip)
    elif importlib.util.find_spec("pyspark") is None:
        raise pytest.UsageError(
            "TRUTHOUND_DQ_SPARK=1 but pyspark is not installed: the Spark tests would be "
            "skipped silently; pip install 'truthound-prefect[spark]'"
        )


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    """One local Spark session (``local[2]``) for the Spark tests of the pytest session."""
    from truthound_dq.testing import local_spark_session

    session = local_spark_session()
    yield session
    session.stop()


@pytest.fixture(scope="session", autouse=True)
def prefect_server() -> Iterator[str]:
    """A temporary Prefect server (SQLite) for every test of the session."""
    from prefect.settings import PREFECT_API_URL
    from prefect.testing.utilities import prefect_test_harness

    # The harness needs ~15 s here, much more on a busy machine.
    with prefect_test_harness(server_startup_timeout=240):
        yield str(PREFECT_API_URL.value())


@pytest.fixture
def engine_name() -> str:
    return ENGINE


@pytest.fixture
def block():  # type: ignore[no-untyped-def]
    from truthound_prefect import DataQualityBlock

    return DataQualityBlock(engine_name=ENGINE, auto_schema=False)


@pytest.fixture
def client():  # type: ignore[no-untyped-def]
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as c:
        yield c


RULES = [
    {"column": "id", "type": "not_null"},
    {"column": "id", "type": "unique"},
    {"column": "email", "type": "regex", "pattern": r"^[\w.-]+@[\w.-]+\.[a-zA-Z]{2,}$"},
    {"column": "age", "type": "in_range", "min": 0, "max": 150},
    {"column": "status", "type": "in_set", "values": ["active", "inactive"]},
]


def good() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "id": [1, 2, 3, 4],
            "email": ["a@x.io", "b@y.org", "c@z.com", "d@w.net"],
            "age": [10, 20, 30, 40],
            "status": ["active", "inactive", "active", "active"],
        }
    )


def bad() -> pl.DataFrame:
    return pl.DataFrame(
        {
            "id": [1, 2, 2, None],
            "email": ["a@x.io", "not-an-email", "c@z.com", "d@w.net"],
            "age": [10, 200, 30, 40],
            "status": ["active", "inactive", "deleted", "active"],
        }
    )


def artifacts(client: Any, key: str) -> list[Any]:
    """Every version of the artifact ``key``, newest first."""
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
    from prefect.client.schemas.sorting import ArtifactSort

    return list(
        client.read_artifacts(
            artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key])),
            sort=ArtifactSort.CREATED_DESC,
        )
    )


def latest_table(client: Any, key: str) -> list[dict[str, Any]]:
    found = artifacts(client, key)
    assert found, f"no artifact {key!r}"
    assert found[0].type == "table"
    data = found[0].data
    return json.loads(data) if isinstance(data, str) else data


def latest_markdown(client: Any, key: str) -> str:
    found = artifacts(client, key)
    assert found, f"no artifact {key!r}"
    assert found[0].type == "markdown"
    return str(found[0].data)


class Artifacts:
    """Reads artifacts back through the Prefect client."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def versions(self, key: str) -> list[Any]:
        return artifacts(self.client, key)

    def table(self, key: str) -> list[dict[str, Any]]:
        return latest_table(self.client, key)

    def markdown(self, key: str) -> str:
        return latest_markdown(self.client, key)


@pytest.fixture
def read(client: Any) -> Artifacts:
    return Artifacts(client)


@pytest.fixture
def rules() -> list[dict[str, Any]]:
    return [dict(r) for r in RULES]


@pytest.fixture(name="good")
def _good() -> pl.DataFrame:
    return good()


@pytest.fixture(name="bad")
def _bad() -> pl.DataFrame:
    return bad()


class Events:
    """Reads events back through the Prefect client, waiting a bounded time for them.

    The server stores events in batches, so a test polls (never sleeps blindly).
    """

    def __init__(self, client: Any) -> None:
        self.client = client

    def read(self, resource_id: str, names: list[str] | None = None) -> list[Any]:
        """Events of one resource, oldest first."""
        from prefect.events.filters import (
            EventFilter,
            EventNameFilter,
            EventOrder,
            EventResourceFilter,
        )

        # Built per call: the filter's ``until`` defaults to the time it is built.
        flt = EventFilter(
            resource=EventResourceFilter(id=[resource_id]),
            event=EventNameFilter(name=names) if names else None,
            order=EventOrder.ASC,
        )
        # The server caps a page at 50 (the client's default of 100 is refused).
        return list(self.client.read_events(flt, limit=50).events)

    def wait(
        self, resource_id: str, count: int, names: list[str] | None = None, timeout: float = 60
    ) -> list[Any]:
        """Poll until ``count`` events of the resource are stored, at most ``timeout`` s."""
        deadline = time.monotonic() + timeout
        while True:
            found = self.read(resource_id, names)
            if len(found) >= count or time.monotonic() > deadline:
                return found
            time.sleep(0.25)

    @staticmethod
    def related(event: Any) -> dict[str, tuple[str, str | None]]:
        """role -> (resource id, name) of an event's related resources."""
        return {r.role: (r.id, r.name) for r in event.related}


@pytest.fixture
def events(client: Any) -> Events:
    return Events(client)


class Receiver:
    """A tiny HTTP server on 127.0.0.1 recording the bodies POSTed to it."""

    def __init__(self) -> None:
        self.bodies: list[dict[str, Any]] = []
        received = self.bodies

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                received.append(json.loads(self.rfile.read(length)))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/alert"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def wait_for(self, predicate: Any, timeout: float = 60) -> bool:
        deadline = time.monotonic() + timeout
        while not predicate(self.bodies):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.2)
        return True


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    r.thread.start()
    try:
        yield r
    finally:
        r.server.shutdown()
        r.server.server_close()
