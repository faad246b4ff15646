"""Many videos at once: series files, failures kept to their episode, and Dask clusters."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.e2e.conftest import vidgen
from tests.helpers import TINY, slow_storyboard
from vidgen.executors import THREADS_VARIABLE, open_workers, usable_cores
from vidgen.media import probe

SERIES = """
series: Tiny series
theme: light
intro:
  id: series-intro
  title: Welcome
  elements:
    card: {title: Tiny series}
  beats:
    - say: Welcome to the series.
      do: [show: card]
episodes: [one.yaml, two.yaml, broken.yaml]
"""


CAPTION = "note: {caption: A caption, place: bottom}"
TOO_WIDE = "note: {table: [[%s]], size: 26}" % ", ".join(["1234567"] * 12)  # fits at no readable size


@pytest.fixture
def series_project(project: Path) -> Path:
    boards = project / "storyboards"
    (boards / "one.yaml").write_text(textwrap.dedent(TINY))
    (boards / "two.yaml").write_text(textwrap.dedent(TINY).replace("Here is a vector of three ratings.", "Another vector of three ratings."))
    (boards / "broken.yaml").write_text(textwrap.dedent(TINY).replace(CAPTION, TOO_WIDE))
    (boards / "series.yaml").write_text(SERIES)
    return project


def test_a_series_builds_each_episode_and_one_failure_stops_only_itself(series_project: Path) -> None:
    result = vidgen("build", "storyboards/series.yaml", "--quality", "low", "--jobs", "2", cwd=series_project)
    assert result.returncode == 2  # broken.yaml cannot be laid out: an input error
    assert "storyboards/broken.yaml:9:7: scene 'first', beat 2: 'note' does not fit at center" in result.stderr
    for name in ("one", "two"):
        info = probe(series_project / "output" / name / f"{name}.mp4")
        assert [c.title for c in info.chapters][0] == "Welcome"  # the series' intro comes first
    summary = result.stderr + result.stdout
    assert "one.yaml" in summary and "failed" in summary and "built" in summary
    assert not (series_project / "output" / "broken").exists()

    # Fix the broken episode: a rerun builds it, and finds the others up to date.
    board = series_project / "storyboards" / "broken.yaml"
    board.write_text(board.read_text().replace(TOO_WIDE, CAPTION))
    again = vidgen("build", "storyboards/series.yaml", "--quality", "low", "--jobs", "2", cwd=series_project)
    assert again.returncode == 0, again.stderr
    assert again.stdout.count("up to date") + again.stderr.count("up to date") == 2
    assert (series_project / "output" / "broken" / "broken.mp4").exists()


@pytest.fixture(scope="module")
def cluster() -> object:
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=":0", worker_dashboard_address=":0") as local:
        yield local


@pytest.mark.parametrize("shared", [True, False], ids=["shared-cache", "results-as-bytes"])
def test_a_dask_cluster_builds_the_videos(project: Path, cluster: object, shared: bool) -> None:
    boards = project / "storyboards"
    (boards / "two.yaml").write_text(textwrap.dedent(TINY).replace("Here is a vector of three ratings.", "A second vector of ratings."))
    cache = ["--cache", str(project / "shared-cache")] if shared else []
    result = vidgen("build", "storyboards/tiny.yaml", "storyboards/two.yaml", "--quality", "low", "--scheduler", cluster.scheduler_address, *cache, cwd=project)  # type: ignore[attr-defined]
    assert result.returncode == 0, result.stderr
    for name in ("tiny", "two"):
        info = probe(project / "output" / name / f"{name}.mp4")
        assert [(v.codec, v.width) for v in info.video] == [("h264", 854)] and info.audio
    local_cache = project / "shared-cache" if shared else project / "output" / ".cache"
    # Every segment is in the driver's cache; the two storyboards differ only in their first
    # beat's words, so they share the other beats' segments (the second beat of the first
    # scene starts from the same picture, and the second scene is the same), rendered once.
    assert len(list((local_cache / "clips").glob("*.mp4"))) == 4


def _readiness(dask_worker: object) -> tuple[str | None, bool]:
    return os.environ.get(THREADS_VARIABLE), dask_worker.periodic_callbacks["profile"].is_running()  # type: ignore[attr-defined]


def _as_started(dask_worker: object) -> None:
    os.environ.pop(THREADS_VARIABLE, None)
    dask_worker.periodic_callbacks["profile"].start()  # type: ignore[attr-defined]


def test_a_cluster_build_gives_each_worker_its_share_of_the_cores_and_stops_its_profiler(cluster: object) -> None:
    """Two one-thread workers on this machine: each task may use half its cores (it took
    them all, and two voice models spun on every core), and the worker's stack sampler,
    which took a fifth of a render, is stopped."""
    from distributed import Client

    with Client(cluster.scheduler_address) as client:  # type: ignore[attr-defined]
        client.run(_as_started)
        assert set(client.run(_readiness).values()) == {(None, True)}
        with open_workers(1, cluster.scheduler_address):  # type: ignore[attr-defined]
            ready = set(client.run(_readiness).values())
    assert ready == {(str(max(1, usable_cores() // 2)), False)}


def test_a_worker_lost_mid_render_is_replaced_and_the_build_completes(project: Path) -> None:
    import psutil
    from distributed import Client, LocalCluster

    board = project / "storyboards" / "slow.yaml"
    board.write_text(slow_storyboard(run_time=10))
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=":0", worker_dashboard_address=":0") as local, Client(local) as client:
        build = subprocess.Popen(
            [sys.executable, "-m", "vidgen", "build", "storyboards/slow.yaml", "--quality", "low", "--scheduler", local.scheduler_address, "--cache", str(project / "c")],
            cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        killed = False
        deadline = time.time() + 240
        while time.time() < deadline and build.poll() is None and not killed:
            busy = [address for address, keys in client.processing().items() if any("render_task" in str(k) for k in keys)]
            if busy:
                pid = client.run(lambda: __import__("os").getpid(), workers=[busy[0]])[busy[0]]
                psutil.Process(pid).kill()
                killed = True
            time.sleep(0.2)
        _, stderr = build.communicate(timeout=300)
    assert killed, "no render was seen running"
    assert build.returncode == 0, stderr
    assert probe(project / "output" / "slow" / "slow.mp4").video[0].frames > 0
