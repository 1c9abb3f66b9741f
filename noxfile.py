"""Every way to test, lint, type-check, demo and benchmark truthound-prefect.

``python -m nox`` runs the default sessions (the whole test matrix, lint and types).
Sessions install the distributions from this checkout (never from PyPI), one command each.
"""

from __future__ import annotations

import os
from pathlib import Path

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.error_on_external_run = True
nox.options.reuse_existing_virtualenvs = False

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
COMMON = "./common"
TEST_PLUGINS = [
    "./common/tests/plugins/dq-test-engines",
    "./common/tests/plugins/dq-test-engines-rival",
]

# The engine table: one row per adapter distribution. Adding an engine means adding a row;
# the test matrix, type checking and install checks follow from it.
#   path:  the distribution's directory, installed from this checkout
#   tests: the adapter's own tests (they subclass truthound_dq.testing.EngineContractSuite)
ENGINES: dict[str, dict[str, str]] = {
    "truthound": {"path": "./packages/truthound", "tests": "packages/truthound/tests"},
    "great_expectations": {
        "path": "./packages/great-expectations",
        "tests": "packages/great-expectations/tests",
    },
    "pandera": {"path": "./packages/pandera", "tests": "packages/pandera/tests"},
}


def _group(name: str) -> list[str]:
    return nox.project.dependency_groups(PYPROJECT, name)


def _pytest(session: nox.Session, *paths: str) -> None:
    # Exit code 5 (no tests collected) fails the session like any other non-zero code.
    session.run("python", "-m", "pytest", *paths, *session.posargs)


@nox.session(tags=["tests"])
def tests_common(session: nox.Session) -> None:
    """truthound-dq: rules, results, registry and the contract suite on the oracle engine."""
    session.install(f"{COMMON}[pandas,testing]", *TEST_PLUGINS, *_group("test"))
    _log_installed(session)
    _pytest(session, "common/tests")


if ENGINES:

    @nox.session(tags=["tests"])
    @nox.parametrize("engine", list(ENGINES))
    def tests(session: nox.Session, engine: str) -> None:
        """One engine: its adapter's tests (the contract suite included)."""
        row = ENGINES[engine]
        session.install(f"{COMMON}[pandas,testing]", row["path"], *_group("test"))
        _log_installed(session)
        _pytest(session, row["tests"])


@nox.session(tags=["lint"])
def lint(session: nox.Session) -> None:
    """Ruff: lint (with isort, pyupgrade, pydocstyle) and formatting."""
    session.install(*_group("lint"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(tags=["typecheck"])
def typecheck(session: nox.Session) -> None:
    """mypy --strict over every distribution's sources."""
    engines = [row["path"] for row in ENGINES.values()]
    session.install(f"{COMMON}[pandas,testing]", *engines, *_group("typecheck"))
    _log_installed(session)
    sources = ["common/src", *(f"{row['path']}/src" for row in ENGINES.values())]
    session.run("mypy", "--strict", *sources)


@nox.session(default=False, tags=["bench"])
def bench(session: nox.Session) -> None:
    """The benchmark suite (not in the default run): regenerates docs/benchmarks.md.

    ``python -m nox -s bench`` runs 1M and 10M rows (tens of minutes on 2 cores);
    ``python -m nox -s bench -- --quick`` runs 100k rows once and writes nothing. Other
    options: ``python bench/suite.py --help``. Runs under ``flock /tmp/bench.lock`` so two
    benchmarks never share the machine.
    """
    engines = [row["path"] for row in ENGINES.values()]
    session.install(COMMON, *engines, "./packages/prefect", "numpy")
    _log_installed(session)
    session.run(
        "flock", "/tmp/bench.lock", "python", "bench/suite.py", *session.posargs, external=True
    )


def _log_installed(session: nox.Session) -> None:
    if session.venv_backend == "uv":
        session.run("uv", "pip", "list", external=True)
    else:
        session.run("python", "-m", "pip", "list")


if os.environ.get("CI"):
    # On CI a session that cannot find its interpreter must fail, not be skipped.
    nox.options.error_on_missing_interpreters = True
