"""Held pictures written as frames that skip every macroblock: the planned number of frames,
each the held picture, and not one decoding error, for every kind of stream x264 writes."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
import av.logging
import numpy as np
import pytest
from manim._config.video_encoder import VideoEncoderSpec

from vidgen.render.encoder import ENCODER_OPTIONS
from vidgen.render.encoding import HoldEncoder
from vidgen.render.skip_frames import _escaped, _rbsp

STREAMS = {
    # CABAC, B-frames (picture order counted in the slice), weighted prediction
    "vidgen's encoder": ("yuv420p", ENCODER_OPTIONS),
    "no B-frames": ("yuv420p", {**ENCODER_OPTIONS, "bf": "0"}),  # order from frame_num
    "CAVLC, no delay": ("yuv420p", {"preset": "ultrafast", "tune": "zerolatency", "crf": "20"}),  # the picture comes before the flush
    "lossless 4:4:4": ("yuv444p", {"preset": "ultrafast", "qp": "0"}),  # the bench's reference
}


def picture(width: int, height: int, shade: int = 0) -> np.ndarray:
    """Smooth gradients with a sharp bar: every macroblock differs from its neighbours."""
    y, x = np.mgrid[0:height, 0:width]
    rgba = np.stack([(x * 255 // width + shade) % 256, y * 255 // height, (x + y) % 256, np.full_like(x, 255)], axis=2).astype(np.uint8)
    rgba[height // 3 : height // 3 + 6, :, :3] = (250, 240, 20)
    return np.ascontiguousarray(rgba)


def encode(path: Path, pixel_format: str, options: dict[str, str], writes: list[tuple[np.ndarray, int]], container: str = "mp4") -> Path:
    height, width = writes[0][0].shape[:2]
    spec = VideoEncoderSpec(container_format=container, codec="libx264", pixel_format=pixel_format, width=width, height=height, frame_rate=Fraction(60), options=tuple(sorted(options.items())))
    encoder = HoldEncoder(target=path, spec=spec)
    for pixels, repeat in writes:
        encoder.write_frame(pixels, repeat=repeat)
    encoder.finish()
    return path


def decoded(path: Path) -> tuple[list[np.ndarray], list[Fraction], list[int], list[str]]:
    """Frames, their times, the packets' sizes, and the decoder's complaints."""
    previous = av.logging.get_level()
    av.logging.set_level(av.logging.WARNING)
    try:
        with av.logging.Capture(local=False) as logs, av.open(str(path)) as container:
            stream = container.streams.video[0]
            sizes = [packet.size for packet in container.demux(stream) if packet.size]
            container.seek(0)
            frames = list(container.decode(stream))
    finally:
        av.logging.set_level(previous)
    complaints = [message for level, _, message in logs if level <= av.logging.WARNING]
    return [frame.to_ndarray(format="rgb24") for frame in frames], [frame.time for frame in frames], sizes, complaints


@pytest.mark.parametrize("kind", STREAMS)
def test_a_hold_is_written_as_skipped_frames_showing_the_held_picture(tmp_path: Path, kind: str) -> None:
    pixel_format, options = STREAMS[kind]
    held = picture(200, 120)  # not a multiple of 16: the stream crops its last macroblocks
    repeat = 150  # frame numbers and picture order counts wrap several times
    frames, times, sizes, complaints = decoded(encode(tmp_path / "hold.mp4", pixel_format, options, [(held, repeat)]))

    assert complaints == []
    assert len(frames) == repeat
    assert times == pytest.approx([index / 60 for index in range(repeat)])
    assert all(np.array_equal(frame, frames[0]) for frame in frames)
    error = np.abs(frames[0].astype(int) - held[..., :3].astype(int)).mean()
    assert error < (1 if kind.startswith("lossless") else 3)  # lossless but for RGB-YUV rounding
    # The encoder made the first picture; every other frame is a few bytes of skipped slice.
    assert len(sizes) == repeat and max(sizes[1:]) < 40 < sizes[0]


def test_parameter_sets_sent_in_band_are_read_from_the_first_picture(tmp_path: Path) -> None:
    held = picture(96, 64)
    frames, _, sizes, complaints = decoded(encode(tmp_path / "hold.ts", "yuv420p", ENCODER_OPTIONS, [(held, 30)], container="mpegts"))

    assert complaints == []
    assert len(frames) == 30 and all(np.array_equal(frame, frames[0]) for frame in frames)
    assert max(sizes[1:]) < 40


def test_a_hold_followed_by_other_frames_goes_through_the_encoder(tmp_path: Path) -> None:
    first, second = picture(96, 64), picture(96, 64, shade=90)
    frames, _, _, complaints = decoded(encode(tmp_path / "mixed.mp4", "yuv420p", ENCODER_OPTIONS, [(first, 20), (second, 1), (first, 5)]))

    assert complaints == []
    assert len(frames) == 26
    assert all(np.abs(frame.astype(int) - frames[0].astype(int)).mean() < 1 for frame in frames[:20])
    assert np.abs(frames[20].astype(int) - frames[19].astype(int)).mean() > 20
    assert np.abs(frames[25].astype(int) - frames[0].astype(int)).mean() < 3


def test_emulation_prevention_bytes_are_added_and_removed() -> None:
    payload = b"\x00\x00\x01\x00\x00\x00\x00\x00\x03\x07"
    escaped = _escaped(payload)
    assert escaped == b"\x00\x00\x03\x01\x00\x00\x03\x00\x00\x03\x00\x03\x07"
    assert b"\x00\x00\x00" not in escaped and b"\x00\x00\x01" not in escaped
    assert _rbsp(b"\x41" + escaped) == payload
