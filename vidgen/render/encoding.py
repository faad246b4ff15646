"""Encoding held pictures cheaply.

Explainer videos hold still while the narrator talks; Manim sends a held frame as one RGBA
array with a repeat count, and its encoder converts that array to YUV again for every
repeat (about 10 ms a frame at 1080p, as much as x264 spends encoding it). Converting it
once and sending the same YUV frame `repeat` times gives a bit-identical video for about
half the work. Plugged in through the Cairo renderer's `file_writer_class`.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path
from typing import Any

from manim.scene.scene_file_writer import SceneFileWriter
from manim.scene.video_segment_encoder import VideoSegmentEncoder


class HoldEncoder(VideoSegmentEncoder):
    def write_frame(self, pixels: Any, *, repeat: int = 1) -> None:
        if repeat == 1:
            super().write_frame(pixels, repeat=1)
            return
        import av

        self._validate_frame(pixels, repeat)
        time_base = Fraction(self.spec.frame_rate.denominator, self.spec.frame_rate.numerator)
        try:
            frame = av.VideoFrame.from_ndarray(pixels, format="rgba").reformat(format=self.spec.pixel_format)
            for _ in range(repeat):
                frame.pts = self._next_pts
                frame.time_base = time_base
                self._next_pts += 1
                for packet in self._stream.encode(frame):
                    self._container.mux(packet)
        except BaseException as error:
            raise self._operation_error("encode", error) from error


class HoldFriendlyWriter(SceneFileWriter):
    """Also keeps the frames numbered in `keep` (counted from the first written), as drawn:
    a segment's key frame for the contact sheet, without decoding it again."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.keep: frozenset[int] = frozenset()
        self.kept: dict[int, Any] = {}
        self.written = 0

    def write_frame(self, pixels: Any, *, repeat: int = 1) -> None:
        for number in self.keep:
            if self.written <= number < self.written + repeat:
                self.kept[number] = pixels.copy()  # the encoder owns `pixels` once written
        self.written += repeat
        super().write_frame(pixels, repeat=repeat)

    def _create_segment_encoder(self, target: Path) -> VideoSegmentEncoder:
        return HoldEncoder(target=target, spec=self.video_encoder)
