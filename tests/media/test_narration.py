"""The narration track: every beat at its sample, loud enough, never clipped."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.media.conftest import tone
from vidgen.media.loudness import integrated_loudness, measure_loudness, normalize_speech, true_peak
from vidgen.media.narration import assemble_narration
from vidgen.speech.audio import RATE, read_audio, write_wav


def test_beats_land_on_their_samples_and_the_track_has_the_exact_length(tmp_path: Path, speech_wav: Path) -> None:
    out = assemble_narration([(speech_wav, 0.5), (speech_wav, 1.25)], 2.5, tmp_path / "n.wav")
    samples = read_audio(out)
    assert len(samples) == int(2.5 * RATE)
    onsets = np.nonzero(np.abs(samples) > 0.01)[0]
    assert abs(onsets[0] / RATE - 0.5) < 0.001
    second = onsets[onsets > int(1.1 * RATE)][0]
    assert abs(second / RATE - 1.25) < 0.001


def test_the_numpy_meter_agrees_with_ffmpeg(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    speechy = (tone(3.0, 0.2, 180) * (0.5 + 0.5 * np.sin(np.arange(3 * RATE) / RATE * 2 * np.pi * 3)) + rng.normal(0, 0.01, 3 * RATE)).astype(np.float32)
    path = write_wav(tmp_path / "s.wav", speechy)
    reference = measure_loudness(path)
    assert integrated_loudness(read_audio(path)) == pytest.approx(reference.integrated, abs=0.2)


def test_speech_is_normalised_to_minus_16_lufs_under_minus_1_dbtp(tmp_path: Path) -> None:
    loud = np.clip(tone(4.0, 0.9, 200) + tone(4.0, 0.5, 3000), -1, 1)  # hot and peaky
    quiet = tone(4.0, 0.01, 300)
    for signal in (loud, quiet):
        normalised = normalize_speech(signal)
        path = write_wav(tmp_path / "n.wav", normalised)
        measured = measure_loudness(path)
        assert measured.integrated == pytest.approx(-16.0, abs=1.0)
        assert measured.true_peak <= -1.0
        assert np.max(np.abs(normalised)) < 1.0
        assert true_peak(normalised) <= -1.0
