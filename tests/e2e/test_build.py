"""Whole builds through the command line: outputs probed, heard (as numbers) and read."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.conftest import beat_levels, vidgen
from vidgen.media import check_cues, parse_srt, probe
from vidgen.storyboard.narration import parse_narration


def test_a_low_quality_build_makes_a_narrated_video(project: Path) -> None:
    result = vidgen("build", "storyboards/tiny.yaml", "--quality", "low", "--jobs", "2", cwd=project)
    assert result.returncode == 0, result.stderr
    folder = project / "output" / "tiny"
    video = folder / "tiny.mp4"
    info = probe(video)
    report = json.loads((folder / "build.json").read_text())

    assert [(v.codec, v.width, v.height, v.pix_fmt) for v in info.video] == [("h264", 854, 480, "yuv420p")]
    assert [a.codec for a in info.audio] == ["aac"]
    beats_total = sum(beat["duration"] for scene in report["scenes"] for beat in scene["beats"])
    assert info.duration == pytest.approx(beats_total, abs=0.5)
    assert [c.title for c in info.chapters] == ["The first scene", "The second scene"]

    assert all(level > -35 for level in beat_levels(video, report))  # narration in every beat
    assert {beat["engine"] for scene in report["scenes"] for beat in scene["beats"]} == {"fake"}
    assert set(report["stages"]) >= {"validate", "speech", "plan", "render", "mux"}

    cues = parse_srt(folder / "tiny.srt")
    assert check_cues(cues) == []
    spoken = [parse_narration(beat["say"]).text for scene in report["scenes"] for beat in scene["beats"]]
    assert " ".join(c.text.replace("\n", " ") for c in cues) == " ".join(spoken)
    assert (folder / "tiny.vtt").read_text().startswith("WEBVTT")
    assert (folder / "chapters.txt").read_text().startswith("0:00 The first scene\n")
    assert (folder / "contact_sheet.png").stat().st_size > 10_000


def test_high_quality_is_1080p60(project: Path) -> None:
    result = vidgen("build", "storyboards/tiny.yaml", "--quality", "high", "--out", "hd", cwd=project)
    assert result.returncode == 0, result.stderr
    video = probe(project / "hd" / "tiny" / "tiny.mp4").video[0]
    assert (video.width, video.height, video.fps) == (1920, 1080, 60)


def test_invalid_input_exits_2_with_a_position_and_no_traceback(project: Path) -> None:
    (project / "storyboards" / "bad.yaml").write_text("title: Bad\nscenes:\n  - id: a\n    title: A\n    beats:\n      - say: Hi.\n        do: [{shwo: x}]\n")
    result = vidgen("build", "storyboards/bad.yaml", cwd=project)
    assert result.returncode == 2
    assert "storyboards/bad.yaml:7:14:" in result.stderr and "did you mean 'show'?" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "output" / "bad").exists()


def test_a_missing_file_exits_2(project: Path) -> None:
    result = vidgen("build", "storyboards/nope.yaml", cwd=project)
    assert result.returncode == 2 and "no such storyboard" in result.stderr and "Traceback" not in result.stderr


def test_a_build_that_cannot_speak_exits_1_with_the_reason(project: Path) -> None:
    (project / "voices" / "fake.yaml").write_text("name: fake\nengines:\n  - engine: edge-tts\n    voice: en-US-AriaNeural\n")
    result = vidgen("build", "storyboards/tiny.yaml", "--quality", "low", "--offline", cwd=project)
    assert result.returncode == 1
    assert "no engine of voice 'fake' could speak (network engines skipped: --offline)" in result.stderr
    assert "Traceback" not in result.stderr
