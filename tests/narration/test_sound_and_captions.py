"""Background music ducked under the voice, and captions burned into the picture."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from tests.e2e.conftest import vidgen
from vidgen.build import BuildOptions, build
from vidgen.media.loudness import measure_loudness
from vidgen.media.probe import frame_at, read_audio_track
from vidgen.quality import QUALITIES
from vidgen.speech.audio import RATE, write_wav
from vidgen.speech.engines.fake import FakeEngine


def band_db(samples: np.ndarray, start: float, end: float, frequency: float = 1000.0) -> float:
    """Level (dB) of one frequency over a stretch of audio."""
    chunk = samples[int(start * RATE) : int(end * RATE)]
    spectrum = np.abs(np.fft.rfft(chunk * np.hanning(len(chunk))))
    bins = np.fft.rfftfreq(len(chunk), 1 / RATE)
    band = spectrum[(bins > frequency - 20) & (bins < frequency + 20)]
    return 20 * np.log10(band.max() / len(chunk) + 1e-12)


def test_music_is_faded_and_ducked_under_speech(project: Path) -> None:
    t = np.arange(40 * RATE) / RATE
    write_wav(project / "storyboards" / "bed.wav", (0.3 * np.sin(2 * np.pi * 1000 * t)).astype(np.float32))
    board = project / "storyboards" / "tiny.yaml"
    board.write_text(board.read_text().replace("voice: fake\n", "voice: fake\npause: 2.5\nmusic: {file: bed.wav, volume: -12, duck: 14, fade: 1.5}\n"))
    result = build(board, BuildOptions(quality=QUALITIES["low"], out_dir=project / "output", jobs=1, engines={"fake": FakeEngine}))
    samples = read_audio_track(result.video)
    beats = [b for s in result.report["scenes"] for b in s["beats"]]
    during = [band_db(samples, b["start"] + 0.3, b["start"] + b["speech"] - 0.1) for b in beats]
    gaps = [band_db(samples, b["start"] + b["speech"] + 0.9, b["start"] + b["duration"] - 0.2) for b in beats[:-1]]
    assert max(during) <= min(gaps) - 12, (during, gaps)
    assert band_db(samples, result.report["duration"] - 0.15, result.report["duration"]) < min(gaps) - 10  # faded out
    loudness = measure_loudness(result.video)
    assert loudness.integrated == pytest.approx(-16, abs=1) and loudness.true_peak <= -1.0


def test_music_outside_the_project_is_refused(project: Path) -> None:
    board = project / "storyboards" / "tiny.yaml"
    board.write_text(board.read_text().replace("voice: fake\n", "voice: fake\nmusic: {file: /etc/passwd}\n"))
    result = vidgen("check", "storyboards/tiny.yaml", cwd=project)
    assert result.returncode == 2 and "music '/etc/passwd' is outside the project" in result.stderr


def test_burned_captions_are_drawn_into_the_picture(project: Path) -> None:
    plain = vidgen("build", "storyboards/tiny.yaml", "--quality", "low", "--out", "plain", cwd=project)
    burned = vidgen("build", "storyboards/tiny.yaml", "--quality", "low", "--out", "burned", "--burn-captions", cwd=project)
    assert plain.returncode == 0 and burned.returncode == 0, burned.stderr
    report = json.loads((project / "burned" / "tiny" / "build.json").read_text())
    moment = report["scenes"][0]["beats"][0]["start"] + 1.0  # the first sentence is being spoken
    without = frame_at(project / "plain" / "tiny" / "tiny.mp4", moment).astype(int)
    with_captions = frame_at(project / "burned" / "tiny" / "tiny.mp4", moment).astype(int)
    band = slice(int(with_captions.shape[0] * 0.8), with_captions.shape[0])
    changed = np.abs(with_captions[band] - without[band]).sum(axis=2) > 60
    assert changed.mean() > 0.02  # a caption box and its text sit at the bottom
    assert (with_captions[band].min(axis=2) > 200).sum() > 200  # white letters
    top = slice(0, int(with_captions.shape[0] * 0.6))
    assert np.abs(with_captions[top] - without[top]).mean() < 3  # the rest of the picture is unchanged
