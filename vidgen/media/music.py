"""Background music under the narration: looped to length, faded in and out, and ducked
(by at least 12 dB) wherever someone speaks, with a soft attack and release so the music
neither pumps nor cuts in over the first syllable."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from vidgen.media.loudness import TARGET_LUFS, integrated_loudness
from vidgen.speech.audio import RATE, read_audio

SPEECH_THRESHOLD = 10 ** (-45 / 20)
ATTACK, RELEASE = 0.08, 0.5  # seconds


def _smooth(active: np.ndarray, attack: float, release: float) -> np.ndarray:
    """A 0..1 envelope that rises over `attack` seconds and falls over `release`."""
    from scipy.ndimage import maximum_filter1d, uniform_filter1d

    # Reach full ducking *before* speech starts: widen the activity by the attack time,
    # then soften both edges.
    widened = maximum_filter1d(active.astype(np.float32), size=2 * int(attack * RATE) + 1)
    held = maximum_filter1d(widened, size=int(release * RATE), origin=-(int(release * RATE) // 2 - 1))
    return uniform_filter1d(held, size=max(1, int(attack * RATE)))


def music_bed(file: Path, narration: np.ndarray, volume_db: float, duck_db: float, fade: float) -> np.ndarray:
    """The music track to add to `narration` (same length)."""
    music = read_audio(file)
    if len(music) == 0:
        return np.zeros_like(narration)
    music = np.resize(music, len(narration))  # loop it to the video's length
    loudness = integrated_loudness(music)
    if loudness != float("-inf"):
        music = music * 10 ** ((TARGET_LUFS + volume_db - loudness) / 20)
    speaking = _smooth(np.abs(narration) > SPEECH_THRESHOLD, ATTACK, RELEASE)
    music = music * 10 ** (-duck_db * speaking / 20)
    ramp = int(fade * RATE)
    if ramp and len(music) > 2 * ramp:
        curve = np.linspace(0.0, 1.0, ramp) ** 2
        music[:ramp] *= curve
        music[-ramp:] *= curve[::-1]
    return music.astype(np.float32)
