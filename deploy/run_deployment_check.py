"""End-to-end deployment check: a real Prefect server, a process worker, prefect.yaml.

What it does, in order (``python -m nox -s deployment`` runs it):

1. checks the manifests no engine runs here: prefect.yaml, Dockerfile, k8s/deployment.yaml;
2. starts ``prefect server start`` on 127.0.0.1 (a free port, a throwaway PREFECT_HOME) and
   waits for ``/api/health``;
3. saves a ``DataQualityBlock`` per engine, creates the process work pool ``local-process``,
   deploys ``local-quality-check`` from prefect.yaml and starts a worker on the pool;
4. runs the deployment twice with parameters - Truthound with ``fail_on_error=false`` (the
   run completes, the failed check is in the artifacts), then another engine's block with
   ``fail_on_error=true`` (the run fails) - waits for each, and reads the artifacts back;
5. stops the worker and the server by process group, and makes sure no process it started
   is left (any process carrying its PREFECT_HOME is reported and killed).

Every wait is bounded; the whole check takes about a minute here.
"""

import argparse
import ast
import json
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
POOL = "local-process"
DEPLOYMENT = "daily-quality-check/local-quality-check"


def log(message: str) -> None:
    print(f"[deployment-check] {message}", flush=True)


# -- 1. manifests --------------------------------------------------------------------------------


def check_prefect_yaml(path: Path = ROOT / "prefect.yaml") -> dict[str, Any]:
    """Every deployment names a work pool and an entrypoint whose flow function exists."""
    config = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert config["prefect-version"].startswith("3."), "prefect.yaml must target Prefect 3"
    deployments = {d["name"]: d for d in config["deployments"]}
    assert {"local-quality-check", "docker-quality-check", "k8s-quality-check"} <= set(deployments)
    for name, deployment in deployments.items():
        file, func = deployment["entrypoint"].split(":")
        tree = ast.parse((ROOT / file).read_text(encoding="utf-8"))
        functions = {n.name for n in tree.body if isinstance(n, ast.FunctionDef)}
        assert func in functions, f"{name}: no function {func} in {file}"
        assert deployment["work_pool"]["name"], f"{name}: no work pool"
        assert set(deployment["parameters"]) == {"block_name", "fail_on_error", "rows"}
    assert deployments["local-quality-check"]["work_pool"]["name"] == POOL
    return config


DOCKER_INSTRUCTIONS = {
    "FROM", "RUN", "CMD", "LABEL", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT", "VOLUME",
    "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL",
}  # fmt: skip


def dockerfile_instructions(text: str) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, with line continuations joined and comments dropped."""
    joined = re.sub(r"\\\n", " ", text)
    out = []
    for line in joined.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#"):
            word, _, rest = stripped.partition(" ")
            out.append((word.upper(), rest.strip()))
    return out


def check_dockerfile(path: Path = ROOT / "Dockerfile") -> None:
    """A small lint: known instructions, a pinned base, sources that exist, non-root, exec CMD."""
    instructions = dockerfile_instructions(path.read_text(encoding="utf-8"))
    unknown = [word for word, _ in instructions if word not in DOCKER_INSTRUCTIONS]
    assert not unknown, f"unknown Dockerfile instructions: {unknown}"
    first = next(word for word, _ in instructions if word != "ARG")
    assert first == "FROM", "the first instruction must be FROM"
    for word, args in instructions:
        if word == "FROM":
            image = args.split()[0]
            assert ":" in image and not image.endswith(":latest"), f"unpinned base {image}"
        if word == "COPY":
            for source in shlex.split(args)[:-1]:
                if not source.startswith("--"):
                    assert (ROOT / source).exists(), f"COPY source {source} does not exist"
        if word == "ADD":
            raise AssertionError("use COPY, not ADD")
        if word in {"CMD", "ENTRYPOINT"}:
            assert isinstance(json.loads(args), list), f"{word} must use the exec form"
    users = [args for word, args in instructions if word == "USER"]
    assert users and users[-1] not in {"root", "0"}, "the image must not run as root"


def check_k8s(path: Path = ROOT / "k8s" / "deployment.yaml", pools: set[str] | None = None) -> None:
    """The worker Deployment: selector matches labels, pinned image, resources, the API URL."""
    docs = [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d]
    for doc in docs:
        assert {"apiVersion", "kind", "metadata"} <= set(doc), f"incomplete object {doc}"
    deployments = [d for d in docs if d["kind"] == "Deployment"]
    assert len(deployments) == 1
    deployment = deployments[0]
    assert deployment["apiVersion"] == "apps/v1"
    spec = deployment["spec"]
    labels = spec["template"]["metadata"]["labels"]
    assert spec["selector"]["matchLabels"].items() <= labels.items(), "selector misses the pods"
    pod = spec["template"]["spec"]
    accounts = {d["metadata"]["name"] for d in docs if d["kind"] == "ServiceAccount"}
    assert pod["serviceAccountName"] in accounts
    for container in pod["containers"]:
        image = container["image"]
        assert ":" in image and not image.endswith(":latest"), f"unpinned image {image}"
        assert {"requests", "limits"} <= set(container["resources"])
        env = {e["name"] for e in container["env"]}
        assert "PREFECT_API_URL" in env
        command = container["command"]
        assert command[:3] == ["prefect", "worker", "start"]
        pool = command[command.index("--pool") + 1]
        assert pools is None or pool in pools, f"worker pool {pool} is not in prefect.yaml"


def check_manifests() -> None:
    config = check_prefect_yaml()
    check_dockerfile()
    check_k8s(pools={d["work_pool"]["name"] for d in config["deployments"]})
    log("prefect.yaml, Dockerfile and k8s/deployment.yaml: ok")


# -- processes -----------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Processes:
    """Background processes, each the leader of its own process group, stopped by PID."""

    def __init__(self, logs: Path) -> None:
        self.logs = logs
        self.started: list[tuple[str, subprocess.Popen[bytes]]] = []

    def start(self, name: str, *args: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
        out = (self.logs / f"{name}.log").open("wb")
        proc = subprocess.Popen(  # the group lets us stop its children too
            args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.started.append((name, proc))
        log(f"started {name} (pid {proc.pid}): {' '.join(args[1:])}")
        return proc

    def stop_all(self) -> None:
        for name, proc in reversed(self.started):  # the worker before the server
            stop_group(proc, name)

    def tail(self, name: str, lines: int = 40) -> str:
        path = self.logs / f"{name}.log"
        text = path.read_text(errors="replace") if path.exists() else ""
        return "\n".join(text.splitlines()[-lines:])


def stop_group(proc: subprocess.Popen[bytes], name: str, grace: float = 20.0) -> None:
    """SIGTERM the process group, wait, then SIGKILL whatever is left of it."""
    for sig, wait in ((signal.SIGTERM, grace), (signal.SIGKILL, 5.0)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            break
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline and group_alive(proc.pid):
            proc.poll()
            time.sleep(0.2)
        if not group_alive(proc.pid):
            break
    proc.poll()
    log(f"stopped {name} (pid {proc.pid}, exit {proc.returncode})")


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    # Zombies of our own children count as gone once reaped; members of the group that are
    # zombies (not ours to reap) are dead too.
    return any(state != "Z" for state in group_states(pgid))


def group_states(pgid: int) -> Iterator[str]:
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:
            yield fields[0]


def processes_with(marker: str) -> list[int]:
    """PIDs of live processes whose environment contains ``marker`` (our PREFECT_HOME)."""
    found = []
    needle = marker.encode()
    for environ in Path("/proc").glob("[0-9]*/environ"):
        pid = int(environ.parent.name)
        if pid == os.getpid():
            continue
        try:
            if needle in environ.read_bytes():
                state = (environ.parent / "stat").read_text().rsplit(")", 1)[1].split()[0]
                if state != "Z":
                    found.append(pid)
        except OSError:
            continue
    return found


def wait_for(what: str, ready: Callable[[], bool], timeout: float, interval: float = 0.5) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready():
            return
        time.sleep(interval)
    raise TimeoutError(f"{what}: not ready after {timeout:.0f} s")


def healthy(url: str, server: subprocess.Popen[bytes]) -> bool:
    if server.poll() is not None:
        raise RuntimeError(f"prefect server exited with code {server.returncode}")
    try:
        with urllib.request.urlopen(f"{url}/health", timeout=2) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def run(*args: str, env: dict[str, str], timeout: float = 120) -> str:
    log(f"$ {' '.join(args[1:]) if args[0].endswith('prefect') else ' '.join(args)}")
    done = subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if done.returncode:
        raise RuntimeError(f"{args} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return done.stdout


# -- 3./4. deploy, run, read back ----------------------------------------------------------------


def save_blocks(engines: list[str]) -> None:
    from truthound_prefect import DataQualityBlock

    for engine in engines:
        block = DataQualityBlock(engine_name=engine, auto_schema=False)
        block.save(f"deploy-{engine.replace('_', '-')}", overwrite=True)


def run_and_wait(parameters: dict[str, Any], timeout: float) -> Any:
    """Start a run of the deployment with ``parameters``; poll until it ends; the flow run."""
    from prefect.client.orchestration import get_client
    from prefect.deployments import run_deployment

    flow_run = run_deployment(DEPLOYMENT, parameters=parameters, timeout=0)
    log(f"flow run {flow_run.name} ({flow_run.id}) with {parameters}")
    deadline = time.monotonic() + timeout
    with get_client(sync_client=True) as client:
        while True:
            flow_run = client.read_flow_run(flow_run.id)
            if flow_run.state is not None and flow_run.state.is_final():
                log(f"flow run {flow_run.name}: {flow_run.state.type.value}")
                return flow_run
            if time.monotonic() > deadline:
                raise TimeoutError(f"flow run {flow_run.id} did not finish within {timeout} s")
            time.sleep(1)


def artifacts_of(flow_run_id: Any) -> dict[str, Any]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId

    with get_client(sync_client=True) as client:
        found = client.read_artifacts(
            artifact_filter=ArtifactFilter(flow_run_id=ArtifactFilterFlowRunId(any_=[flow_run_id]))
        )
    out = {}
    for artifact in found:
        data = artifact.data
        out[str(artifact.key)] = (
            json.loads(data) if isinstance(data, str) and artifact.type == ("table") else data
        )
    return out


def expect_check_artifacts(artifacts: dict[str, Any], engine: str) -> None:
    expected = {
        "daily-orders-check",
        "daily-orders-check-summary",
        "daily-orders-check-rules",
        "daily-orders-check-failures",
        "daily-orders-profile-columns",
    }
    missing = expected - set(artifacts)
    assert not missing, f"artifacts missing: {sorted(missing)} (found {sorted(artifacts)})"
    summary = {row["Metric"]: row["Value"] for row in artifacts["daily-orders-check-summary"]}
    assert summary["Status"] == "FAILED", summary
    assert summary["Engine"].startswith(engine), summary
    failed = {row["Rule"] for row in artifacts["daily-orders-check-failures"]}
    assert len(failed) == 2, failed  # the bad emails and the negative amounts
    assert "FAILED" in artifacts["daily-orders-check"]


def check_deployment(env: dict[str, str], procs: Processes, engines: list[str]) -> None:
    from prefect.client.schemas.objects import StateType

    prefect = str(BIN / "prefect")
    save_blocks(engines)
    run(prefect, "work-pool", "create", POOL, "--type", "process", env=env)
    run(prefect, "--no-prompt", "deploy", "--name", "local-quality-check", env=env, timeout=180)
    worker = procs.start("worker", prefect, "worker", "start", "--pool", POOL, env=env)

    started = time.monotonic()
    passed_run = run_and_wait(
        {"block_name": "deploy-truthound", "fail_on_error": False, "rows": 700}, timeout=150
    )
    assert passed_run.state.type is StateType.COMPLETED, (passed_run.state, procs.tail("worker"))
    expect_check_artifacts(artifacts_of(passed_run.id), "truthound")

    other = engines[-1]
    failed_run = run_and_wait(
        {"block_name": f"deploy-{other.replace('_', '-')}", "fail_on_error": True, "rows": 700},
        timeout=150,
    )
    assert failed_run.state.type is StateType.FAILED, (failed_run.state, procs.tail("worker"))
    assert "DataQualityError" in (failed_run.state.message or ""), failed_run.state.message
    # The failure contract: the artifacts are written before the run fails.
    expect_check_artifacts(artifacts_of(failed_run.id), other)
    assert worker.poll() is None, "the worker died"
    log(f"two deployment runs checked in {time.monotonic() - started:.0f} s")


# -- main ----------------------------------------------------------------------------------------


@contextmanager
def prefect_server(home: Path, procs: Processes, *, ui: bool = False) -> Iterator[dict[str, str]]:
    """A Prefect server on a free port of 127.0.0.1; yields the environment that uses it."""
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_API_URL": api,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "DO_NOT_TRACK": "1",
        "PREFECT_UI_ENABLED": "true" if ui else "false",
        "PREFECT_LOCAL_STORAGE_PATH": str(home / "storage"),
        "PREFECT_WORKER_QUERY_SECONDS": "2",
        "PREFECT_LOGGING_TO_API_BATCH_INTERVAL": "0.5",
        "TRUTHOUND_DQ_BASELINE_DIR": str(home / "baselines"),
        "TRUTHOUND_PREFECT_CHECKOUT": str(ROOT),
    }
    env.pop("PREFECT_PROFILES_PATH", None)
    os.environ.update(env)  # this process talks to the same server (Prefect not imported yet)
    server = procs.start(
        "server", str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1",
        "--port", str(port), env=env,
    )  # fmt: skip
    t0 = time.monotonic()
    try:
        wait_for("prefect server", lambda: healthy(api, server), timeout=120)
    except Exception:
        log(procs.tail("server"))
        raise
    log(f"server healthy at {api} after {time.monotonic() - t0:.0f} s")
    yield env


def main() -> int:
    if not __debug__:
        sys.exit("the checks are asserts: run without python -O")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--engines",
        default="truthound,pandera",
        help="engines to save blocks for; the first must be truthound (default: %(default)s)",
    )
    args = parser.parse_args()
    engines = args.engines.split(",")

    check_manifests()
    tmp = Path(tempfile.mkdtemp(prefix="truthound-prefect-deploy-"))
    home = tmp / "prefect-home"
    home.mkdir()
    procs = Processes(tmp)
    started = time.monotonic()
    ok = False
    try:
        with prefect_server(home, procs) as env:
            check_deployment(env, procs, engines)
        ok = True
    except BaseException:
        for name, _ in procs.started:
            log(f"--- last lines of {name}.log ---\n{procs.tail(name)}")
        raise
    finally:
        procs.stop_all()
        left = processes_with(f"PREFECT_HOME={home}")
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        if left:
            log(f"processes left behind and killed: {left}")
            ok = False
        else:
            log("no process left behind")
    if ok:
        shutil.rmtree(tmp, ignore_errors=True)
    log(f"{'passed' if ok else 'FAILED'} in {time.monotonic() - started:.0f} s (logs in {tmp})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
