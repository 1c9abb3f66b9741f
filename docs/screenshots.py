"""Screenshots of the demo's artifacts in the Prefect UI, for the docs (``nox -s screenshots``).

Starts a Prefect server with its UI on 127.0.0.1 (a free port, a throwaway PREFECT_HOME), runs
examples/demo_pipeline.py against it, finds the check and profile artifacts through the client
and photographs their pages with headless Chromium into docs/images/. Every process it starts
is stopped by process group at the end (the helpers of deploy/run_deployment_check.py).
"""

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "deploy"))

from run_deployment_check import Processes, log, prefect_server, processes_with  # noqa: E402

IMAGES = ROOT / "docs" / "images"
# artifact key -> image name
SHOTS = {
    "orders-raw-check": "check-report.png",
    "orders-raw-check-failures": "check-failures.png",
    "orders-raw-profile-columns": "profile-columns.png",
}


def chromium() -> str:
    """Path of the Chromium executable."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise SystemExit("no chromium: apt-get install -y chromium")


def latest_artifact_ids() -> dict[str, str]:
    """The id of the newest version of each artifact in ``SHOTS``."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
    from prefect.client.schemas.sorting import ArtifactSort

    ids = {}
    with get_client(sync_client=True) as client:
        for key in SHOTS:
            found = client.read_artifacts(
                artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key])),
                sort=ArtifactSort.CREATED_DESC,
                limit=1,
            )
            if not found:
                raise RuntimeError(f"the demo wrote no artifact {key!r}")
            ids[key] = str(found[0].id)
    return ids


def screenshot(url: str, target: Path, profile: Path) -> None:
    """Load ``url`` in headless Chromium and save a PNG of the page at ``target``."""
    args = [
        chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--hide-scrollbars", f"--user-data-dir={profile}",
        "--window-size=1400,1000", "--virtual-time-budget=20000",
        f"--screenshot={target}", url,
    ]  # fmt: skip
    proc = subprocess.Popen(
        args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        proc.wait(timeout=120)
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)  # its renderer and GPU helpers too
        proc.wait()
    if not target.exists() or target.stat().st_size < 10_000:
        raise RuntimeError(f"no usable screenshot of {url}")
    log(f"{target.relative_to(ROOT)} ({target.stat().st_size:,} bytes) <- {url}")


def main() -> int:
    """Server, demo, screenshots; everything started is stopped."""
    tmp = Path(tempfile.mkdtemp(prefix="truthound-prefect-shots-"))
    home = tmp / "prefect-home"
    home.mkdir()
    procs = Processes(tmp)
    IMAGES.mkdir(exist_ok=True)
    try:
        with prefect_server(home, procs, ui=True) as env:
            subprocess.run(
                [sys.executable, "examples/demo_pipeline.py"], cwd=ROOT, env=env, check=True
            )
            base = env["PREFECT_API_URL"].removesuffix("/api")
            for key, artifact_id in latest_artifact_ids().items():
                screenshot(f"{base}/artifacts/artifact/{artifact_id}", IMAGES / SHOTS[key], tmp)
                time.sleep(0.5)
    finally:
        procs.stop_all()
        left = processes_with(f"PREFECT_HOME={home}")
        for pid in left:
            os.kill(pid, signal.SIGKILL)
        log(f"processes left behind and killed: {left}" if left else "no process left behind")
    shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
