"""Ctrl-C (SIGINT) and SIGTERM in each stage of a build: a clear message and exit code, the
previous video untouched, no partial file left anywhere, and the next build reuses what
was finished before the interrupt."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from vidgen.build import BuildOptions, build
from vidgen.quality import QUALITIES
from vidgen.speech.engines.fake import FakeEngine

ROOT = Path(__file__).resolve().parents[2]
HOOKS = Path(__file__).resolve().parent / "hooks"
EDIT = ("A small network, and a pulse through it.", "A small network, with a pulse running through it.")


def options(project: Path) -> BuildOptions:
    return BuildOptions(quality=QUALITIES["low"], out_dir=project / "output", jobs=1, engines={"fake": FakeEngine})


def _outputs(project: Path) -> dict[str, bytes]:
    folder = project / "output" / "tiny"
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def _leftovers(project: Path) -> list[Path]:
    """Temporary files beside the outputs, and sets of outputs other than the current one.
    (Scratch a killed worker leaves in the cache is never read as an entry; `vidgen cache
    prune` sweeps it.)"""
    out = project / "output"
    sets = out / ".builds" / "tiny"
    stray = [p for p in sets.iterdir() if p.name != ".lock" and p.resolve() != (out / "tiny").resolve()] if sets.is_dir() else []
    return stray + [p for p in [*out.glob("*"), *out.glob("tiny/*")] if ".tmp" in p.name or p.name.startswith("tmp")]


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def interrupt_during(project: Path, tmp_path: Path, stage: str, signum: int, jobs: int = 1) -> tuple[subprocess.CompletedProcess[str], list[psutil.Process]]:
    """Build tiny.yaml, send `signum` once the build is inside `stage`; the finished process
    and the child processes it had at that moment."""
    markers = tmp_path / "markers"
    markers.mkdir(exist_ok=True)
    env = {**os.environ, "VIDGEN_TEST_MARKERS": str(markers), "PYTHONPATH": os.pathsep.join([str(HOOKS), str(ROOT)])}
    command = [sys.executable, "-m", "vidgen", "build", "storyboards/tiny.yaml", "--quality", "low", "--jobs", str(jobs)]
    # Ctrl-C as a terminal sends it, even when these tests run as a background job (whose
    # shell makes it ignore SIGINT, and its children inherit that).
    process = subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=_default_sigint)
    deadline = time.time() + 180
    while not (markers / stage).exists() and process.poll() is None and time.time() < deadline:
        time.sleep(0.05)
    assert (markers / stage).exists(), f"the build never reached {stage}: {process.communicate()[1][-2000:]}"
    children = psutil.Process(process.pid).children(recursive=True)
    process.send_signal(signum)
    out, err = process.communicate(timeout=120)
    return subprocess.CompletedProcess(command, process.returncode, out, err), children


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
@pytest.mark.parametrize("stage", ["speech", "render", "mux"])
def test_an_interrupt_keeps_the_finished_video_and_the_next_build_resumes(project: Path, tmp_path: Path, stage: str, signum: int) -> None:
    board = project / "storyboards" / "tiny.yaml"
    build(board, options(project))
    finished = _outputs(project)
    board.write_text(board.read_text().replace(*EDIT))

    result, _ = interrupt_during(project, tmp_path, stage, signum)

    interrupted = signum == signal.SIGINT
    assert result.returncode == (130 if interrupted else 143), result.stderr
    assert ("interrupted" if interrupted else "terminated") in result.stderr
    assert "Traceback" not in result.stderr
    assert _outputs(project) == finished, "the previous video and its files must be untouched"
    assert _leftovers(project) == []

    FakeEngine.calls = 0
    resumed = build(board, options(project))
    rendered = [scene["id"] for scene in resumed.report["scenes"] if not scene["clip_cached"]]
    assert FakeEngine.calls == (1 if stage == "speech" else 0), "only the beat not yet spoken is spoken again"
    assert rendered == ([] if stage == "mux" else ["second"]), "finished clips are reused"
    assert _outputs(project)["tiny.mp4"] != finished["tiny.mp4"]


def test_ctrl_c_stops_busy_workers_at_once_and_leaves_none_behind(project: Path, tmp_path: Path) -> None:
    board = project / "storyboards" / "tiny.yaml"
    result, children = interrupt_during(project, tmp_path, "speech", signal.SIGINT, jobs=2)  # a worker is speaking
    assert result.returncode == 130 and "Traceback" not in result.stderr, result.stderr
    assert len(children) >= 2, "the workers were running"
    time.sleep(0.5)
    assert [c.pid for c in children if c.is_running() and c.status() != psutil.STATUS_ZOMBIE] == []
    assert _leftovers(project) == []
    assert build(board, options(project)).video.is_file()
