"""What a media file holds, read with PyAV: streams, durations, frames, chapters."""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

from vidgen.errors import MediaError


@dataclass(frozen=True)
class VideoStream:
    codec: str
    width: int
    height: int
    fps: Fraction
    pix_fmt: str
    frames: int
    duration: float


@dataclass(frozen=True)
class AudioStream:
    codec: str
    sample_rate: int
    channels: int
    duration: float


@dataclass(frozen=True)
class ChapterInfo:
    title: str
    start: float
    end: float


@dataclass(frozen=True)
class MediaInfo:
    duration: float
    video: tuple[VideoStream, ...]
    audio: tuple[AudioStream, ...]
    chapters: tuple[ChapterInfo, ...]


def _seconds(value: int | None, base: Fraction | None) -> float:
    return float(value * base) if value is not None and base is not None else 0.0


def probe(path: Path) -> MediaInfo:
    import av

    try:
        with av.open(str(path)) as container:
            videos, audios = [], []
            for stream in container.streams.video:
                frames = stream.frames or sum(1 for packet in container.demux(stream) if packet.size)
                rate = stream.base_rate or stream.guessed_rate or stream.average_rate or 0  # the declared rate, not an estimate
                videos.append(VideoStream(stream.codec_context.name, stream.width, stream.height, Fraction(rate), stream.pix_fmt or "", frames, _seconds(stream.duration, stream.time_base)))
            for stream in container.streams.audio:
                audios.append(AudioStream(stream.codec_context.name, stream.sample_rate, stream.channels, _seconds(stream.duration, stream.time_base)))
            chapters = tuple(
                ChapterInfo(chapter["metadata"].get("title", ""), float(chapter["start"] * chapter["time_base"]), float(chapter["end"] * chapter["time_base"]))
                for chapter in container.chapters()
            )
            duration = container.duration / 1_000_000 if container.duration else 0.0
    except Exception as error:
        raise MediaError(f"cannot read {path.name}: {error}") from None
    return MediaInfo(duration, tuple(videos), tuple(audios), chapters)


def frame_at(path: Path, seconds: float) -> np.ndarray:
    """The RGB frame on screen at `seconds`."""
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        stream.thread_type = "AUTO"  # decode on every core: seeking decodes from the last keyframe
        container.seek(int(max(0.0, seconds - 1.0) / stream.time_base), stream=stream, backward=True)
        chosen = None
        for frame in container.decode(stream):
            if frame.time is not None and frame.time > seconds + 1e-6:
                break
            chosen = frame
        if chosen is None:
            raise MediaError(f"{path.name} has no frame at {seconds:.2f} s")
        return chosen.to_ndarray(format="rgb24")


def read_audio_track(path: Path) -> np.ndarray:
    """A file's first audio track as float32 mono samples at 48 kHz."""
    from vidgen.speech.audio import read_audio

    return read_audio(path)
