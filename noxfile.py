"""Every way to test, lint, type-check, demo and benchmark truthound-prefect.

``python -m nox`` runs the default sessions (the whole test matrix, lint and types).
Sessions install the distributions from this checkout (never from PyPI), one command each.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.error_on_external_run = True
nox.options.reuse_existing_virtualenvs = False
nox.options.sessions = [
    "tests_common",
    "tests",
    "tests_spark",
    "install_check",
    "lint",
    "typecheck",
    "docs",
    "deployment",
]

ROOT = Path(__file__).parent
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
COMMON = "./common"
PREFECT = "./packages/prefect"
DEFAULT_ENGINE = "./packages/truthound"  # truthound-prefect depends on it
# A custom rule type (entry point ``truthound_dq.rules``) every engine's contract suite runs.
RULE_PLUGINS = ["./common/tests/plugins/dq-test-rules"]
TEST_PLUGINS = [
    "./common/tests/plugins/dq-test-engines",
    "./common/tests/plugins/dq-test-engines-rival",
    *RULE_PLUGINS,
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


PREFECT_WORKERS = ["-n", "2", "--dist", "loadfile"]

# Prefect's embedded server gets 20 s to start by default; a busy 2-core machine needs more.
_EPHEMERAL = {"PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "180"}


def _group(name: str) -> list[str]:
    return nox.project.dependency_groups(PYPROJECT, name)


def _pytest(session: nox.Session, *args: str, env: dict[str, str] | None = None) -> None:
    # Exit code 5 (no tests collected) fails the session like any other non-zero code.
    session.run("python", "-m", "pytest", *args, *session.posargs, env=env)


@nox.session(tags=["tests"])
def tests_common(session: nox.Session) -> None:
    """truthound-dq: rules, results, registry and the contract suite on the oracle engine."""
    session.install(f"{COMMON}[pandas,testing]", *TEST_PLUGINS, *_group("test"))
    _log_installed(session)
    _pytest(session, "common/tests", "-m", "not spark")


@nox.session(tags=["tests"])
@nox.parametrize("engine", list(ENGINES))
def tests(session: nox.Session, engine: str) -> None:
    """One engine: its adapter's tests, then the whole Prefect suite on that engine."""
    row = ENGINES[engine]
    session.install(
        f"{COMMON}[pandas,testing]",
        DEFAULT_ENGINE,
        row["path"],
        PREFECT,
        *RULE_PLUGINS,
        *_group("test"),
    )
    _log_installed(session)
    _pytest(session, row["tests"], "-m", "not spark")
    # Tests marked ``once`` do not depend on the engine: they run in the default engine's session.
    once = "not spark" if engine == "truthound" else "not once and not spark"
    # Two workers (one test server each, a file's tests on one worker): a flow run waits on
    # its server most of the time, so two of them keep both cores busy.
    _pytest(session, "packages/prefect/tests", "-m", once, *PREFECT_WORKERS,
            env={"TRUTHOUND_PREFECT_TEST_ENGINE": engine})  # fmt: skip


def _java_home() -> str:
    """``JAVA_HOME``, or the installation of the ``java`` on ``PATH``; a clear error if none."""
    if home := os.environ.get("JAVA_HOME"):
        return home
    java = shutil.which("java")
    if java is None:
        raise RuntimeError(
            "tests_spark needs Java 17 or later (PySpark starts a JVM): install it "
            "(apt-get install openjdk-17-jre-headless) or set JAVA_HOME"
        )
    return str(Path(os.path.realpath(java)).parent.parent)


@nox.session(tags=["tests", "spark"])
def tests_spark(session: nox.Session) -> None:
    """The Spark tests (``-m spark``) of every distribution, on one local[2] Spark per pytest.

    Few property-test examples (``TRUTHOUND_DQ_SPARK_EXAMPLES``): a Spark check costs
    ~0.1-1 s where a Polars one costs milliseconds.
    """
    engines = [row["path"] for row in ENGINES.values()]
    session.install(f"{COMMON}[pandas,testing,spark]", *engines, PREFECT, *TEST_PLUGINS,
                    *_group("test"))  # fmt: skip
    _log_installed(session)
    # TRUTHOUND_DQ_SPARK=1: the Prefect suite's Spark tests run (and fail if pyspark is missing).
    env = {
        "JAVA_HOME": _java_home(),
        "TRUTHOUND_DQ_SPARK_EXAMPLES": "15",
        "TRUTHOUND_DQ_SPARK": "1",
        "TRUTHOUND_DQ_SPARK_CONNECT": "1",  # a local Spark Connect server too (~20-140 s)
    }
    tests = ["common/tests", *(row["tests"] for row in ENGINES.values()), "packages/prefect/tests"]
    _pytest(session, *tests, "-m", "spark", env=env)


@nox.session(default=False, tags=["lowest"])
def tests_lowest(session: nox.Session) -> None:
    """Not in the default run: the Prefect suite on the lowest versions the pyprojects declare.

    uv's ``--resolution lowest-direct`` takes the floor of every direct dependency of the
    local distributions (``prefect>=3.9`` gives Prefect 3.9.0, ``polars>=1.30`` Polars
    1.30.0) and the newest of everything else, as a fresh install would. The local
    distributions are named on the same command line, so ``truthound-dq`` and the adapter
    come from this checkout, never from PyPI. Runs on the default engine (Truthound).
    """
    if session.venv_backend != "uv":
        session.error("tests_lowest needs uv's --resolution lowest-direct")
    session.install(
        "--resolution",
        "lowest-direct",
        f"{COMMON}[pandas,testing]",
        DEFAULT_ENGINE,
        PREFECT,
        *_group("test"),
    )
    _log_installed(session)
    _pytest(session, "packages/prefect/tests", env={"TRUTHOUND_PREFECT_TEST_ENGINE": "truthound"})


@nox.session(tags=["tests"])
def install_check(session: nox.Session) -> None:
    """Wheels into a fresh pip environment: ``pip install ./packages/prefect[great_expectations]``.

    Builds every distribution's wheel, installs truthound-prefect with the extra the way a
    user would (pip, the sibling wheels found locally), and runs a flow on the engine.
    """
    tmp = Path(session.create_tmp())
    wheels, venv = tmp / "wheels", tmp / "fresh-venv"
    shutil.rmtree(wheels, ignore_errors=True)
    dists = [COMMON, DEFAULT_ENGINE, *(row["path"] for row in ENGINES.values()), PREFECT]
    python = str(venv / "bin" / "python")
    if session.venv_backend == "uv":
        for path in dists:
            session.run("uv", "build", "--wheel", "--out-dir", str(wheels), path, external=True)
        # uv lays down the environment fast; pip then resolves the user's exact command
        # (the underscore spelling of the extra) against it, from the same wheels.
        session.run("uv", "venv", "--clear", "--seed", "--python", sys.executable, str(venv),
                    external=True)  # fmt: skip
        # Our wheels keep their version (0.1.0) from change to change, and uv caches a
        # --find-links wheel by its path: refresh them, or a stale build gets installed.
        local = ["truthound-dq", "truthound-dq-truthound", "truthound-dq-great-expectations",
                 "truthound-dq-pandera", "truthound-prefect"]  # fmt: skip
        refresh = [arg for name in local for arg in ("--refresh-package", name)]
        session.run("uv", "pip", "install", "--python", python, *refresh, "--find-links",
                    str(wheels), f"{PREFECT}[great-expectations]", external=True)  # fmt: skip
    else:
        session.install("build")
        for path in dists:
            session.run("python", "-m", "build", "--wheel", "--outdir", str(wheels), path)
        session.run(sys.executable, "-m", "venv", "--clear", str(venv), external=True)
    session.run(python, "-m", "pip", "install", "--quiet", "--find-links", str(wheels),
                f"{PREFECT}[great_expectations]", external=True)  # fmt: skip
    env = {"PREFECT_HOME": str(tmp / "prefect-home"), **_EPHEMERAL}
    session.run(python, "packages/prefect/tests/install_smoke.py", "great_expectations",
                external=True, env=env)  # fmt: skip


@nox.session
def demo(session: nox.Session) -> None:
    """The demo pipeline on Prefect's embedded server (the README's second command)."""
    session.install(COMMON, DEFAULT_ENGINE, PREFECT)
    session.run("python", "examples/demo_pipeline.py", *session.posargs, env=_EPHEMERAL)


@nox.session(tags=["deployment"])
def deployment(session: nox.Session) -> None:
    """prefect.yaml end to end: server, process pool, deploy, worker, two runs, artifacts.

    Lints the Dockerfile and k8s/deployment.yaml, then runs deploy/run_deployment_check.py:
    a real ``prefect server`` on 127.0.0.1, stopped (with its worker) by PID at the end.
    """
    session.install(COMMON, DEFAULT_ENGINE, "./packages/pandera", PREFECT, "pyyaml>=6")
    _log_installed(session)
    session.run("python", "deploy/run_deployment_check.py", "--engines", "truthound,pandera")


@nox.session(tags=["docs"])
def docs(session: nox.Session) -> None:
    """The MkDocs site: generated tables and schema up to date, snippets run, --strict build."""
    engines = [row["path"] for row in ENGINES.values()]
    session.install(COMMON, *engines, PREFECT, *_group("docs"), *_group("test"))
    _log_installed(session)
    for generator in ("gen_capabilities", "gen_rule_table", "gen_rules_schema"):
        session.run("python", f"docs/{generator}.py", "--check")
    # Every ```python block of the docs, on a real Prefect server, with every engine installed.
    _pytest(session, "packages/prefect/tests/test_docs_snippets.py",
            env={"TRUTHOUND_PREFECT_DOCS_SNIPPETS": "1"})  # fmt: skip
    site = str(Path(session.create_tmp()) / "site")
    session.run("mkdocs", "build", "--strict", "--site-dir", site, env={"NO_MKDOCS_2_WARNING": "1"})


@nox.session
def screenshots(session: nox.Session) -> None:
    """Not in the default run: the demo's artifacts in the Prefect UI, into docs/images/.

    Needs Debian's chromium (installed here with apt-get when missing).
    """
    if not shutil.which("chromium"):
        session.run("apt-get", "update", external=True)
        session.run("apt-get", "install", "-y", "chromium", external=True)
    session.install(COMMON, DEFAULT_ENGINE, PREFECT, "pyyaml>=6")
    session.run("python", "docs/screenshots.py")


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
    session.install(f"{COMMON}[pandas,testing,spark]", DEFAULT_ENGINE, *engines, PREFECT,
                    *_group("typecheck"))  # fmt: skip
    _log_installed(session)
    sources = ["common/src", *(f"{row['path']}/src" for row in ENGINES.values()), f"{PREFECT}/src"]
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


@nox.session(default=False, tags=["bench"])
def bench_scale(session: nox.Session) -> None:
    """Wide table (250 columns x 4 rules) and 10,000 rules, every adapter vs the best floor.

    ``python -m nox -s bench_scale -- --quick`` for a smoke run; prints, writes nothing.
    """
    engines = [row["path"] for row in ENGINES.values()]
    session.install(f"{COMMON}[testing]", *engines, "numpy")
    _log_installed(session)
    session.run(
        "flock", "/tmp/bench.lock", "python", "bench/scale.py", *session.posargs, external=True
    )


@nox.session(default=False, tags=["bench"])
def bench_lazy(session: nox.Session) -> None:
    """Lazy Parquet scans of 10M, 50M and 100M rows: every adapter vs the best streaming plan.

    Datasets are generated once under ``/work/bench-data`` (``-- --data DIR`` elsewhere,
    about 6 GB for all three); ``python -m nox -s bench_lazy -- --quick`` runs 10M rows and
    writes nothing; the full run rewrites the "Lazy scans at scale" table of
    docs/benchmarks.md (about 30 minutes on 2 cores).
    """
    engines = [row["path"] for row in ENGINES.values()]
    session.install(f"{COMMON}[testing]", *engines, "numpy")
    _log_installed(session)
    session.run(
        "flock", "/tmp/bench.lock", "python", "bench/scale_lazy.py", *session.posargs,
        external=True,
    )  # fmt: skip


def _log_installed(session: nox.Session) -> None:
    if session.venv_backend == "uv":
        session.run("uv", "pip", "list", external=True)
    else:
        session.run("python", "-m", "pip", "list")


if os.environ.get("CI"):
    # On CI a session that cannot find its interpreter must fail, not be skipped.
    nox.options.error_on_missing_interpreters = True
