from __future__ import annotations

from pathlib import Path

import av
import numpy as np
import pytest

from vidgen.speech.audio import RATE, write_wav


def make_clip(path: Path, color: tuple[int, int, int], seconds: float = 1.0, size: tuple[int, int] = (854, 480), fps: int = 15) -> Path:
    """An H.264 yuv420p clip of one colour, encoded like Manim's clips."""
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=fps, options={"preset": "veryfast", "crf": "20"})
        stream.width, stream.height, stream.pix_fmt = size[0], size[1], "yuv420p"
        image = np.zeros((size[1], size[0], 3), np.uint8)
        image[:] = color
        for index in range(int(seconds * fps)):
            frame = av.VideoFrame.from_ndarray(image, format="rgb24")
            frame.pts = index
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return path


def tone(seconds: float, level: float = 0.3, frequency: float = 440.0) -> np.ndarray:
    t = np.arange(int(seconds * RATE)) / RATE
    return (level * np.sin(2 * np.pi * frequency * t)).astype(np.float32)


@pytest.fixture
def clips(tmp_path: Path) -> list[Path]:
    return [make_clip(tmp_path / "red.mp4", (220, 40, 40)), make_clip(tmp_path / "blue.mp4", (40, 40, 220), seconds=2.0)]


@pytest.fixture
def speech_wav(tmp_path: Path) -> Path:
    return write_wav(tmp_path / "speech.wav", tone(0.5))
