from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np

from vidgen.media.probe import read_audio_track


def vidgen(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "vidgen", *args], cwd=cwd, capture_output=True, text=True, timeout=900)


def beat_levels(video: Path, report: dict) -> list[float]:
    """RMS (dBFS) of the audio track over each beat's narration span."""
    samples = read_audio_track(video)
    levels = []
    for scene in report["scenes"]:
        for beat in scene["beats"]:
            first, last = int(beat["start"] * 48_000), int((beat["start"] + beat["speech"]) * 48_000)
            window = samples[first:last]
            levels.append(20 * np.log10(np.sqrt(np.mean(window**2)) + 1e-12))
    return levels
