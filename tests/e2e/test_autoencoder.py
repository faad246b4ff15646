"""The demo video, built for real: the autoencoder storyboard, spoken by Piper, offline."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.conftest import beat_levels, vidgen
from vidgen.media import check_cues, parse_srt, probe
from vidgen.media.loudness import measure_loudness
from vidgen.storyboard.narration import parse_narration

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    result = vidgen("build", "storyboards/autoencoder.yaml", "--quality", "low", "--offline", "--out", str(out), cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return out / "autoencoder"


def test_the_demo_video_has_the_right_streams_and_length(built: Path) -> None:
    info = probe(built / "autoencoder.mp4")
    report = json.loads((built / "build.json").read_text())
    assert [(v.codec, v.width, v.height, v.pix_fmt) for v in info.video] == [("h264", 854, 480, "yuv420p")]
    assert [(a.codec, a.sample_rate) for a in info.audio] == [("aac", 48_000)]
    beats = [beat for scene in report["scenes"] for beat in scene["beats"]]
    assert info.duration == pytest.approx(sum(b["duration"] for b in beats), abs=0.5)
    assert len(info.chapters) == len(report["scenes"]) == 8


def test_every_beat_is_spoken_by_piper_and_audible(built: Path) -> None:
    report = json.loads((built / "build.json").read_text())
    assert {beat["engine"] for scene in report["scenes"] for beat in scene["beats"]} == {"piper"}
    levels = beat_levels(built / "autoencoder.mp4", report)
    assert min(levels) > -30, levels


def test_the_narration_is_at_broadcast_loudness(built: Path) -> None:
    loudness = measure_loudness(built / "autoencoder.mp4")
    assert loudness.integrated == pytest.approx(-16.0, abs=1.0)
    assert loudness.true_peak <= -1.0


def test_subtitles_follow_the_whole_narration_in_order(built: Path) -> None:
    report = json.loads((built / "build.json").read_text())
    cues = parse_srt(built / "autoencoder.srt")
    assert check_cues(cues) == []
    spoken = " ".join(parse_narration(beat["say"]).text for scene in report["scenes"] for beat in scene["beats"])
    assert " ".join(c.text.replace("\n", " ") for c in cues) == spoken
    starts = [beat["start"] for scene in report["scenes"] for beat in scene["beats"]]
    for start in starts:  # a cue begins within a beat's first half-second
        assert any(0 <= cue.start - start < 0.5 for cue in cues)
