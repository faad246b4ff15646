"""The narration track: every beat's speech at its place on the video's clock."""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from vidgen.media.ffmpeg import run_ffmpeg
from vidgen.speech.audio import RATE, fade_edges, read_audio, write_wav


def assemble_narration(placements: Sequence[tuple[Path, float]], total: float, out: Path) -> Path:
    """Mix each WAV in at its start (sample-exact) into `total` seconds.

    Beats arrive loudness-normalised from the speech stage, and never overlap, so the
    track is already at its target level and cannot clip."""
    track = np.zeros(int(round(total * RATE)), np.float32)
    for wav, start in placements:
        samples = fade_edges(read_audio(wav))
        first = int(round(start * RATE))
        last = min(len(track), first + len(samples))
        if last > first:
            track[first:last] += samples[: last - first]
    return write_wav(out, track)


def encode_aac(wav: Path, out: Path, bitrate: str = "160k") -> Path:
    temp = out.with_name(f".{out.stem}.{os.getpid()}.tmp{out.suffix}")
    try:
        # The "fast" coder is 3x quicker than the default search and indistinguishable for speech at this rate.
        run_ffmpeg(["-i", str(wav), "-c:a", "aac", "-aac_coder", "fast", "-b:a", bitrate, "-ar", "48000", str(temp)], what="encoding the narration")
        os.replace(temp, out)
    finally:
        temp.unlink(missing_ok=True)
    return out
