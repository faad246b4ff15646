"""The cache: nothing redone without a reason, and nothing lost when builds collide or die."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from tests.e2e.conftest import vidgen
from tests.helpers import slow_storyboard
from vidgen.build import BuildOptions, build
from vidgen.errors import RenderError
from vidgen.media import probe
from vidgen.quality import QUALITIES
from vidgen.speech.engines.fake import FakeEngine


def options(project: Path, **extra: object) -> BuildOptions:
    return BuildOptions(quality=QUALITIES["low"], out_dir=project / "output", jobs=1, engines={"fake": FakeEngine}, **extra)  # type: ignore[arg-type]


def rendered(report: dict) -> list[str]:
    return [scene["id"] for scene in report["scenes"] if not scene["clip_cached"]]


def test_a_rebuild_with_nothing_changed_speaks_and_renders_nothing(project: Path) -> None:
    board = project / "storyboards" / "tiny.yaml"
    first = build(board, options(project))
    video_bytes = first.video.read_bytes()
    FakeEngine.calls = 0
    again = build(board, options(project))
    assert FakeEngine.calls == 0
    assert rendered(again.report) == []
    assert again.video.read_bytes() == video_bytes


def test_editing_one_beat_redoes_one_beat_and_one_scene(project: Path) -> None:
    board = project / "storyboards" / "tiny.yaml"
    build(board, options(project))
    board.write_text(board.read_text().replace("A small network, and a pulse through it.", "A small network, with a pulse running through it."))
    FakeEngine.calls = 0
    edited = build(board, options(project))
    assert FakeEngine.calls == 1
    assert rendered(edited.report) == ["second"]


def segments(project: Path) -> set[str]:
    return {p.name for p in (project / "output" / ".cache" / "clips").glob("*.mp4")}


def narration_pieces(project: Path) -> set[str]:
    return {p.name for p in (project / "output" / ".cache" / "narration").glob("*.m4a")}


def test_editing_the_words_of_one_beat_renders_that_beat_alone(project: Path) -> None:
    board = project / "storyboards" / "tiny.yaml"
    first = build(board, options(project))
    before, sound_before = segments(project), narration_pieces(project)
    assert len(before) == 3  # one per beat
    assert len(sound_before) == 2  # one per scene
    board.write_text(board.read_text().replace("Here is a vector of three ratings.", "Here is a vector that holds three ratings of films."))
    edited = build(board, options(project))
    made = segments(project) - before
    assert len(made) == 1 and made.pop().startswith("first-01-")  # the next beat starts from the same picture
    assert len(narration_pieces(project) - sound_before) == 1  # and one scene's sound is encoded again
    streams = probe(edited.video)
    assert streams.audio[0].duration == pytest.approx(streams.video[0].duration, abs=0.002)
    assert [[b["segment_cached"] for b in s["beats"]] for s in edited.report["scenes"]] == [[False, True], [True]]
    assert edited.report["scenes"][0]["beats"][0]["duration"] != first.report["scenes"][0]["beats"][0]["duration"]
    assert probe(edited.video).video[0].frames == round(edited.plan.frames)


def _worker_pids(parent: int) -> list[int]:
    try:
        children = psutil.Process(parent).children(recursive=True)
    except psutil.NoSuchProcess:
        return []
    pids = []
    for child in children:
        try:  # a short-lived helper (fc-match, ffmpeg) may be gone, or a zombie, by now
            if "multiprocessing" in " ".join(child.cmdline()):
                pids.append(child.pid)
        except psutil.Error:
            pass
    return pids


def test_a_killed_render_worker_fails_the_build_cleanly_and_the_next_build_resumes(project: Path) -> None:
    board = project / "storyboards" / "slow.yaml"
    board.write_text(slow_storyboard(run_time=12, say="Scene {i} has a network with a long pulse."))
    process = subprocess.Popen([sys.executable, "-m", "vidgen", "build", str(board), "--quality", "low", "--jobs", "2"], cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    clips = project / "output" / ".cache" / "clips"
    deadline = time.time() + 240
    victim = None
    while time.time() < deadline and process.poll() is None:
        workers = _worker_pids(process.pid)
        if workers and clips.is_dir() and any(clips.glob("*.mp4")):
            victim = workers[-1]
            os.kill(victim, signal.SIGKILL)
            break
        time.sleep(0.2)
    _, stderr = process.communicate(timeout=240)
    assert victim is not None, "no worker was seen rendering"
    assert process.returncode == 1 and "a render worker died" in stderr and "Traceback" not in stderr
    finished = set(clips.glob("*.mp4"))
    assert finished and not (project / "output" / "slow" / "slow.mp4").exists()
    again = vidgen("build", "storyboards/slow.yaml", "--quality", "low", "--jobs", "2", cwd=project)
    assert again.returncode == 0, again.stderr
    assert finished <= set(clips.glob("*.mp4"))  # what was finished was kept and reused


def test_two_builds_at_once_both_succeed_with_identical_outputs(project: Path) -> None:
    commands = [
        [sys.executable, "-m", "vidgen", "build", "storyboards/tiny.yaml", "--quality", "low", "--out", out, "--cache", "shared-cache", "--jobs", "1"]
        for out in ("one", "two")
    ]
    processes = [subprocess.Popen(c, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for c in commands]
    results = [p.communicate(timeout=300) for p in processes]
    assert [p.returncode for p in processes] == [0, 0], [r[1] for r in results]
    one, two = (project / name / "tiny" / "tiny.mp4" for name in ("one", "two"))
    assert one.read_bytes() == two.read_bytes()
    assert (project / "one" / "tiny" / "tiny.srt").read_text() == (project / "two" / "tiny" / "tiny.srt").read_text()


def test_a_render_failure_is_a_build_error_naming_the_scene(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from vidgen.render.scene import StoryboardScene

    def broken(self: StoryboardScene) -> None:
        raise ValueError("the encoder broke")

    monkeypatch.setattr(StoryboardScene, "construct", broken)
    with pytest.raises(RenderError, match="scene 'first', beat 1 failed to render: ValueError: the encoder broke"):
        build(project / "storyboards" / "tiny.yaml", options(project))
    assert not (project / "output" / "tiny" / "tiny.mp4").exists()
