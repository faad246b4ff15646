"""Encoding held pictures cheaply.

Explainer videos hold still while the narrator talks; Manim sends a held frame as one RGBA
array with a repeat count, to a partial movie of its own (one per `wait`). Two savings:
- Manim's encoder converts that array to YUV again for every repeat (about 10 ms a frame at
  1080p); converting it once gives the same video for about half the work.
- When the hold is the whole partial movie, the encoder encodes its first frame alone and
  the repeats are written as frames that skip every macroblock (vidgen.render.skip_frames):
  the same pictures, without x264 spending ~7 ms on each identical frame.
Plugged in through the Cairo renderer's `file_writer_class`.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any

from manim.scene.scene_file_writer import SceneFileWriter
from manim.scene.video_segment_encoder import VideoSegmentEncoder

from vidgen.render.skip_frames import StreamParams, Unsupported, mux_skipped, stream_params

H264_ENCODERS = {"libx264"}


class HoldEncoder(VideoSegmentEncoder):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A hold that opens the segment waits here until we know whether the segment ends
        # with it (Manim's `wait`), and can be written as skipped frames.
        self._held: tuple[Any, int] | None = None

    @property
    def _time_base(self) -> Fraction:
        return Fraction(self.spec.frame_rate.denominator, self.spec.frame_rate.numerator)

    def write_frame(self, pixels: Any, *, repeat: int = 1) -> None:
        import av

        self._validate_frame(pixels, repeat)
        try:
            self._release_held()
            # The array is the encoder's (Manim's contract): wrapped, not copied (8 MB at 1080p).
            frame = av.VideoFrame.from_numpy_buffer(pixels, format="rgba")
            if repeat > 1:
                frame = frame.reformat(format=self.spec.pixel_format)
                if self._next_pts == 0 and _skippable(self.spec.codec, self.spec.pixel_format, self.spec.width, self.spec.height, tuple(sorted(self.spec.options))):
                    self._held = (frame, repeat)
                    return
            self._encode(frame, repeat)
        except BaseException as error:
            raise self._operation_error("encode", error) from error

    def finish(self) -> None:
        if self._held is None or self._closed:
            super().finish()
            return
        frame, repeat = self._held
        self._held = None
        try:
            self._encode_hold(frame, repeat)  # flushes the encoder: only the file is left to close
        except BaseException as error:
            self.abort()
            raise self._operation_error("encode", error) from error
        self._closed = True
        try:
            self._container.close()
        except Exception as error:
            raise self._operation_error("finish", error) from error

    def _release_held(self) -> None:
        if self._held is not None:
            frame, repeat = self._held
            self._held = None
            self._encode(frame, repeat)

    def _encode(self, frame: Any, repeat: int) -> list[Any]:
        """`frame` `repeat` times through the encoder (None: flush it); the packets muxed."""
        packets = []
        for _ in range(repeat):
            if frame is not None:
                frame.pts = self._next_pts
                frame.time_base = self._time_base
                self._next_pts += 1
            for packet in self._stream.encode(frame):
                self._container.mux(packet)
                packets.append(packet)
        return packets

    def _encode_hold(self, frame: Any, repeat: int) -> None:
        """The hold's first frame through the encoder, flushed; the rest as skipped frames."""
        # An encoder without delay returns the picture at once, others when flushed.
        packets = self._encode(frame, 1) + self._encode(None, 1)
        first = packets[0] if len(packets) == 1 else None
        if first is None or first.pts is None or first.dts is None:
            raise RuntimeError(f"the encoder returned {len(packets)} packets for a held frame, not one picture")
        # MP4 keeps the parameter sets in the stream's extradata; other containers, in band.
        params = stream_params(bytes(self._stream.codec_context.extradata or b"") or bytes(first))
        mux_skipped(self._container, self._stream, first, repeat, self._time_base / first.time_base, params)
        self._next_pts += repeat - 1


@lru_cache(maxsize=16)
def _skippable(codec: str, pixel_format: str, width: int, height: int, options: tuple[tuple[str, str], ...]) -> StreamParams | None:
    """The stream's parameters when this encoder's holds can be written as skipped frames:
    asked of a throwaway encoder with the same settings, once per process."""
    if codec not in H264_ENCODERS:
        return None
    import av

    context = av.CodecContext.create(codec, "w")
    context.width, context.height, context.pix_fmt = width, height, pixel_format
    context.time_base = Fraction(1, 60)
    context.options = dict(options)
    context.flags |= av.codec.context.Flags.global_header
    try:
        context.open()
        return stream_params(bytes(context.extradata or b""))
    except (Unsupported, av.FFmpegError):
        return None


class HoldFriendlyWriter(SceneFileWriter):
    """Also keeps the frames numbered in `keep` (counted from the first written), as drawn:
    a segment's key frame for the contact sheet, without decoding it again; takes kept
    pieces in place of partial movies, and keeps the partial movies it is asked to
    (vidgen.render.pieces)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.keep: frozenset[int] = frozenset()
        self.kept: dict[int, Any] = {}
        self.written = 0
        self.to_keep: list[tuple[int, Path]] = []  # (partial movie's index, piece)

    def reuse(self, movie: Path, frames: int, picture: Callable[[int], Any]) -> None:
        """`movie` (`frames` frames) as the next partial movie; `picture(i)` gives its
        i-th frame when a key frame falls in it."""
        for number in self.keep:
            if self.written <= number < self.written + frames:
                self.kept[number] = picture(number - self.written)
        self.written += frames
        self.partial_movie_files.append(str(movie))
        self.sections[-1].partial_movie_files.append(str(movie))

    def combine_to_movie(self) -> None:
        from vidgen.render.pieces import Pieces

        for index, piece in self.to_keep:  # every encode has finished: the files are whole
            movie = self.partial_movie_files[index]
            if movie is not None:
                Pieces.keep(Path(movie), piece)
        super().combine_to_movie()

    def write_frame(self, pixels: Any, *, repeat: int = 1) -> None:
        for number in self.keep:
            if self.written <= number < self.written + repeat:
                self.kept[number] = pixels.copy()  # the encoder owns `pixels` once written
        self.written += repeat
        super().write_frame(pixels, repeat=repeat)

    def _create_segment_encoder(self, target: Path) -> VideoSegmentEncoder:
        return HoldEncoder(target=target, spec=self.video_encoder)
