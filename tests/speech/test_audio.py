"""Audio helpers: trimming, seamless joins, and refusing what is not speech."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from vidgen.errors import SpeechError
from vidgen.speech.audio import RATE, check_speech, join, read_audio, speech_bounds, trim_silence, write_wav


def tone(seconds: float, level: float = 0.3) -> np.ndarray:
    return (level * np.sin(2 * np.pi * 200 * np.arange(int(seconds * RATE)) / RATE)).astype(np.float32)


def test_trim_keeps_the_sound_and_a_little_air() -> None:
    padded = np.concatenate([np.zeros(RATE), tone(0.5), np.zeros(RATE)])
    start, end = speech_bounds(padded)
    assert abs(start / RATE - 0.96) < 0.02 and abs(end / RATE - 1.54) < 0.02
    assert len(trim_silence(np.zeros(RATE, np.float32))) == 0


def test_joins_have_no_clicks_and_gaps_are_exact() -> None:
    offset = np.full(RATE // 2, 0.5, np.float32)  # a DC offset: a hard cut would click
    joined, spans = join([offset, offset], [0.25])
    assert spans[1][0] - spans[0][1] == pytest.approx(0.25, abs=1 / RATE)
    assert np.max(np.abs(np.diff(joined))) < 0.01


@pytest.mark.parametrize(("samples", "reason"), [(np.zeros(0, np.float32), "no audio"), (tone(0.05), "ms of audio"), (np.zeros(RATE, np.float32), "silent")])
def test_empty_short_or_silent_audio_is_not_speech(samples: np.ndarray, reason: str) -> None:
    with pytest.raises(SpeechError, match=reason):
        check_speech(samples, "test")


def test_wavs_round_trip_at_48_khz(tmp_path: Path) -> None:
    write_wav(tmp_path / "a.wav", tone(1.0))
    back = read_audio(tmp_path / "a.wav")
    assert len(back) == RATE and np.max(np.abs(back - tone(1.0))) < 1e-3
