"""truthound-dq's own tests need the test-engine distributions installed (nox does it)."""

from importlib.metadata import PackageNotFoundError, version

import pytest


def pytest_configure(config: pytest.Config) -> None:
    for dist in ("dq-test-engines", "dq-test-engines-rival"):
        try:
            version(dist)
        except PackageNotFoundError:
            raise pytest.UsageError(
                f"{dist} is not installed: the registry tests use real entry points. "
                "Run 'nox -s tests-common', or pip install ./common/tests/plugins/*/"
            ) from None
