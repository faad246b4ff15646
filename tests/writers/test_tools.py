"""Writers' tools: new, script, check, preview (looked at in a headless browser), watch."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.e2e.conftest import vidgen

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def test_a_new_storyboard_checks_and_builds_as_it_is(tmp_path: Path) -> None:
    assert vidgen("new", "first-video", cwd=tmp_path).returncode == 0
    board = tmp_path / "storyboards" / "first-video.yaml"
    assert board.read_text().startswith("# yaml-language-server: $schema=../schema/storyboard.schema.json")
    assert (tmp_path / "schema" / "storyboard.schema.json").exists()
    assert vidgen("check", str(board), cwd=tmp_path).returncode == 0
    built = vidgen("build", str(board), "--quality", "low", "--offline", cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "output" / "first-video" / "first-video.mp4").exists()
    again = vidgen("new", "first-video", cwd=tmp_path)
    assert again.returncode == 2 and "already exists" in again.stderr


def test_the_script_lists_scenes_beats_and_lengths(project: Path) -> None:
    result = vidgen("script", "storyboards/tiny.yaml", cwd=project)
    assert result.returncode == 0
    assert "## 1. The first scene" in result.stdout and "## 2. The second scene" in result.stdout
    assert "The middle one is zero. It was not rated." in result.stdout  # marks removed
    assert "words per minute" in result.stdout


def test_check_reports_layout_problems_at_the_element(project: Path) -> None:
    (project / "storyboards" / "crowded.yaml").write_text(
        "title: C\nvoice: fake\nscenes:\n  - id: a\n    title: A\n    elements:\n      one: {text: First words}\n"
        f"      two: {{table: [[{', '.join(['1234567'] * 12)}]], size: 26}}\n"  # fits at no readable size
        "    beats:\n      - say: Both at once.\n        do: [show: [one, two]]\n"
    )
    result = vidgen("check", "storyboards/crowded.yaml", cwd=project)
    assert result.returncode == 2
    assert "storyboards/crowded.yaml:8:7: scene 'a', beat 1: 'two' does not fit at center: at the smallest readable size it needs" in result.stderr


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (./setup.sh --dev installs it)")
def test_the_preview_page_shows_the_video_and_every_beat(project: Path, tmp_path: Path) -> None:
    result = vidgen("preview", "storyboards/tiny.yaml", cwd=project)
    assert result.returncode == 0, result.stderr
    page = project / "output" / "preview" / "tiny" / "index.html"
    report = json.loads((page.parent / "build.json").read_text())
    beats = sum(len(s["beats"]) for s in report["scenes"])
    browser = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
               "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}", "--autoplay-policy=no-user-gesture-required",
               "--virtual-time-budget=15000"]  # fmt: skip
    dom = subprocess.run([*browser, "--dump-dom", page.as_uri()], capture_output=True, text=True, timeout=120).stdout
    assert f'data-frames-loaded="{beats}"' in dom  # every beat's frame was loaded and drawn
    duration = float(dom.split('data-video-duration="', 1)[1].split('"', 1)[0])
    assert duration == pytest.approx(report["duration"], abs=0.5)  # the browser played the MP4's metadata
    assert dom.count("class=\"beat\"") == beats and "The second scene" in dom
    shot = tmp_path / "page.png"
    subprocess.run([*browser, "--window-size=1200,1600", f"--screenshot={shot}", page.as_uri()], capture_output=True, timeout=120)
    from PIL import Image

    pixels = Image.open(shot).convert("L")
    assert pixels.getextrema()[1] - pixels.getextrema()[0] > 100  # something is drawn on the page
    # Each beat's frame on the page (kept by the worker as it drew the beat's segment) is a
    # frame the video shows during that beat, within the encoder's noise (and its YUV round trip).
    import av
    import numpy as np

    with av.open(str(page.parent / "tiny.mp4")) as container:
        video = [(float(frame.time), frame.to_ndarray(format="rgb24").astype(np.int16)) for frame in container.decode(video=0)]
    spans = [(beat["start"], beat["start"] + beat["duration"]) for scene in report["scenes"] for beat in scene["beats"]]
    assert len(spans) == beats
    for number, (begin, end) in enumerate(spans, start=1):
        shown = np.asarray(Image.open(page.parent / "frames" / f"{number:02d}.png").convert("RGB")).astype(np.int16)
        closest = min(np.abs(frame - shown).mean() for at, frame in video if begin - 0.1 <= at <= end + 0.1)
        assert closest < 2.0, (number, closest)


def test_watch_rebuilds_when_the_storyboard_is_saved(project: Path) -> None:
    command = [sys.executable, "-m", "vidgen", "watch", "storyboards/tiny.yaml", "--max-builds", "2"]
    process = subprocess.Popen(command, cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    page = project / "output" / "preview" / "tiny" / "index.html"
    deadline = time.time() + 180
    while not page.exists() and time.time() < deadline:
        time.sleep(0.3)
    time.sleep(1.0)
    board = project / "storyboards" / "tiny.yaml"
    # Longer words, longer beat: its picture is stretched, so the scene is rendered again
    # (an edit that kept the beat's length would keep its picture, and its segment).
    board.write_text(board.read_text().replace("A small network, and a pulse through it.", "A small network, and a pulse of light that runs through every layer of it."))
    output, _ = process.communicate(timeout=180)
    assert process.returncode == 0, output
    assert "tiny.yaml changed: building" in output
    assert "rebuilt in" in output and "1 beat(s) spoken" in output and "rendered second" in output
