from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from vidgen.media.probe import read_audio_track

TINY = """
title: Tiny
voice: fake
scenes:
  - id: first
    title: The first scene
    elements:
      ratings: {vector: [5, 0, 1], label: Ratings}
      note: {caption: A caption, place: bottom}
    beats:
      - say: Here is a vector of three ratings.
        do:
          - show: ratings
      - say: The middle one is <mark name="zero"/>zero. It was not rated.
        do:
          - highlight: "ratings[1]"
            at: zero
          - show: note
  - id: second
    title: The second scene
    elements:
      net: {mlp: [3, 2, 3], label: Network}
    beats:
      - say: A small network, and a pulse through it.
        do:
          - show: net
          - flow: net
"""

FAKE_VOICE = "name: fake\nlanguage: en\nengines:\n  - engine: fake\n    voice: tone\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "storyboards").mkdir()
    (tmp_path / "voices").mkdir()
    (tmp_path / "storyboards" / "tiny.yaml").write_text(textwrap.dedent(TINY))
    (tmp_path / "voices" / "fake.yaml").write_text(FAKE_VOICE)
    return tmp_path


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
