"""A Dask cluster of separate processes on loopback (`dask scheduler`, `dask worker`), each
worker with a temporary folder of its own and no shared cache (results come back as bytes):
a worker killed mid-render is replaced and the build completes; an interrupted build stops
its tasks on the workers, not only its client."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest

from tests.helpers import slow_storyboard
from vidgen.media import probe

ROOT = Path(__file__).resolve().parents[2]
DASK = Path(sys.executable).parent / "dask"
WORKERS = 2


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The scheduler's address; the cluster is stopped after the module's tests."""
    from distributed import Client

    home = tmp_path_factory.mktemp("cluster")
    scheduler_file = home / "scheduler.json"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    quiet = {"stdout": subprocess.DEVNULL, "stderr": open(home / "cluster.log", "wb")}  # noqa: SIM115 - closed with the cluster
    processes = [subprocess.Popen([str(DASK), "scheduler", "--host", "127.0.0.1", "--port", "0", "--no-dashboard", "--scheduler-file", str(scheduler_file)], env=env, **quiet)]
    try:
        deadline = time.time() + 60
        while not scheduler_file.exists() and time.time() < deadline:
            time.sleep(0.2)
        for number in range(WORKERS):
            scratch = home / f"worker-{number}"  # its own TMPDIR: no folder is shared
            scratch.mkdir()
            processes.append(subprocess.Popen(
                [str(DASK), "worker", "--scheduler-file", str(scheduler_file), "--host", "127.0.0.1", "--nthreads", "1", "--nworkers", "1",
                 "--no-dashboard", "--name", f"w{number}", "--local-directory", str(scratch)],
                env={**env, "TMPDIR": str(scratch)}, **quiet,
            ))  # fmt: skip
        with Client(scheduler_file=str(scheduler_file), timeout="30s") as client:
            client.wait_for_workers(WORKERS, timeout=90)
            yield client.scheduler.address
    finally:
        for process in reversed(processes):
            _stop(process)
        quiet["stderr"].close()  # type: ignore[attr-defined]


def _rendering(client: object) -> dict[str, list[str]]:
    """Worker address → the render tasks it is running now."""
    found = client.run(lambda dask_worker: [str(key) for key in dask_worker.active_threads.values()])  # type: ignore[attr-defined]
    return {address: [k for k in keys if "render" in k] for address, keys in found.items() if any("render" in k for k in keys)}


def _build(project: Path, board: str, address: str) -> subprocess.Popen[str]:
    command = [sys.executable, "-m", "vidgen", "build", f"storyboards/{board}", "--quality", "low", "--scheduler", address]
    return subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def _wait_for_renders(client: object, build: subprocess.Popen[str], count: int) -> dict[str, list[str]]:
    deadline = time.time() + 180
    while time.time() < deadline and build.poll() is None:
        busy = _rendering(client)
        if sum(len(keys) for keys in busy.values()) >= count:
            return busy
        time.sleep(0.2)
    raise AssertionError(f"the renders never ran: {build.communicate()[1][-2000:] if build.poll() is not None else 'still waiting'}")


def test_a_worker_killed_mid_render_is_replaced_and_the_build_completes(project: Path, cluster: str) -> None:
    from distributed import Client

    (project / "storyboards" / "slow.yaml").write_text(slow_storyboard(scenes=2, run_time=4))
    with Client(cluster, timeout="30s") as client:
        build = _build(project, "slow.yaml", cluster)
        busy = _wait_for_renders(client, build, 1)
        victim = next(iter(busy))
        pid = client.run(os.getpid, workers=[victim])[victim]
        psutil.Process(pid).kill()
        _, stderr = build.communicate(timeout=300)
    assert build.returncode == 0, stderr
    video = probe(project / "output" / "slow" / "slow.mp4")
    assert video.video[0].frames > 0 and len(video.chapters) == 2
    assert len(list((project / "output" / ".cache" / "clips").glob("*.mp4"))) == 2, "both clips came back as bytes"


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupted_build_stops_its_tasks_on_the_cluster(project: Path, cluster: str, signum: int) -> None:
    from distributed import Client

    # Two renders that would take minutes, one per worker.
    (project / "storyboards" / "long.yaml").write_text(slow_storyboard(scenes=2, run_time=120, say=f"Long scene {{i}} ({signum})."))
    with Client(cluster, timeout="30s") as client:
        pids = client.run(os.getpid)
        build = _build(project, "long.yaml", cluster)
        _wait_for_renders(client, build, WORKERS)
        build.send_signal(signum)
        _, stderr = build.communicate(timeout=60)
        assert build.returncode == 128 + signum and "Traceback" not in stderr, stderr
        stopped = time.time()
        while _rendering(client) and time.time() - stopped < 15:
            time.sleep(0.2)
        assert _rendering(client) == {}, "the renders still run on the workers"
        assert client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks)) == 0, "the scheduler forgot the tasks"
        assert client.run(os.getpid) == pids, "the tasks were stopped, not their workers"
        # The workers are free again: a new task runs at once.
        assert client.submit(sum, [1, 2], pure=False).result(timeout=30) == 3
    assert not (project / "output" / "long").exists()
