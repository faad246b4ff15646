"""The mux: scene clips joined by stream copy, one audio track added, chapters written.

Nothing here decodes or re-encodes a frame: clips rendered with identical settings are
concatenated as they are, in this process (PyAV), which takes a fraction of a second for
minutes of 1080p60.
"""

from __future__ import annotations

import heapq
import io
import os
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

from vidgen.errors import BuildError, MediaError, machine_fault
from vidgen.paths import temp_beside, write_atomic


@dataclass(frozen=True)
class Chapter:
    title: str
    start: float
    end: float


def _replace_into(temp: Path, out: Path) -> Path:
    os.replace(temp, out)
    return out


def concat_clips(clips: Sequence[Path], out: Path, frames: int | None = None) -> Path:
    """One video from clips of identical encoding, by stream copy (and, when `frames` is
    given, exactly that many frames: a MediaError otherwise); `out` is replaced only when complete."""
    import av

    temp = temp_beside(out)
    try:
        with _joined(clips) as (stream, packets), av.open(str(temp), "w", format="mp4") as target:
            copy = target.add_stream_from_template(template=stream)
            written = 0
            for packet in packets:
                packet.stream = copy
                target.mux(packet)
                written += 1
        if frames is not None and written != frames:
            raise MediaError(f"the clips joined hold {written} frames, not {frames}")
        return _replace_into(temp, out)
    except av.FFmpegError as error:
        raise _failure("joining the clips", error) from None
    finally:
        temp.unlink(missing_ok=True)


@contextmanager
def _joined(clips: Sequence[Path]) -> Iterator[tuple[Any, Iterator[Any]]]:
    """The clips' video stream (the first's) and their packets one after another, their
    clocks joined by FFmpeg's concat demuxer. Refused when a clip is encoded otherwise than
    the first: a stream copy would make a video that breaks at the join."""
    import av

    if not clips:
        raise MediaError("there are no clips to join")
    first = _encoding(clips[0])
    for clip in clips[1:]:
        if (found := _encoding(clip)) != first:
            codec, width, height, fps, pix_fmt = found
            raise MediaError(f"{clip.name} is encoded differently ({codec} {width}x{height} {fps} fps {pix_fmt}) from {clips[0].name}; clear the cache and build again")
    listing = io.BytesIO("".join(f"file 'file:{Path(clip).resolve().as_posix()}'\n" for clip in clips).encode())
    with av.open(listing, format="concat", options={"safe": "0"}) as source:
        stream = source.streams.video[0]

        def packets() -> Iterator[Any]:
            for packet in source.demux(stream):
                if packet.dts is None:
                    continue  # the demuxer's flushing packets
                # Each clip's clock starts again at its first frame; the muxer counts on from
                # the presentation times (a clip's decoding times may step back at a join).
                packet.dts = None
                yield packet

        yield stream, packets()


def _encoding(clip: Path) -> tuple[str, int, int, Any, str]:
    import av

    try:
        with av.open(str(clip)) as container:
            video = container.streams.video[0]
            return video.codec_context.name, video.width, video.height, video.base_rate, video.pix_fmt or ""
    except (av.FFmpegError, IndexError) as error:
        raise MediaError(f"cannot read {clip.name}: {error}") from None


def mux(video: Path | Sequence[Path], audio: Path | Future[Path], out: Path, *, chapters: Sequence[Chapter] = (), metadata: Mapping[str, str] | None = None) -> Path:
    """video (or clips joined by stream copy) + audio (+ chapters, metadata) → `out`,
    stream-copied in one pass, with its index first (fast start); `out` is replaced only
    when complete. The clips are read while `audio` (a Future) is still being made."""
    import av

    clips = [video] if isinstance(video, Path) else list(video)
    temp = temp_beside(out)
    try:
        with _joined(clips) as (stream, packets):
            pictures = list(packets)  # a few MB: minutes of video at 1 Mbit/s or less
            sound = audio.result() if isinstance(audio, Future) else audio
            with av.open(str(sound)) as narration, av.open(str(temp), "w", format="mp4", options={"movflags": "+faststart"}) as target:
                target.metadata.update(metadata or {})
                copies = {id(stream): target.add_stream_from_template(template=stream)}
                track = narration.streams.audio[0]
                copies[id(track)] = target.add_stream_from_template(template=track)
                target.set_chapters([
                    {"id": number, "start": round(c.start * 1000), "end": round(c.end * 1000), "time_base": Fraction(1, 1000), "metadata": {"title": c.title}}
                    for number, c in enumerate(chapters, 1)
                ])  # fmt: skip
                speech = [packet for packet in narration.demux(track) if packet.dts is not None]
                for packet in _in_time_order(pictures, speech):
                    packet.stream = copies[id(packet.stream)]
                    target.mux(packet)
        return _replace_into(temp, out)
    except (av.FFmpegError, OSError) as error:
        raise _failure("muxing the video", error) from None
    finally:
        temp.unlink(missing_ok=True)


def _failure(what: str, error: Exception) -> BuildError:
    """A failure reading or writing media: the machine's (a full disk) with its advice."""
    return machine_fault(error) or MediaError(f"{what} failed: {error}")


def _in_time_order(*streams: list[Any]) -> Iterator[Any]:
    """The packets of several streams, interleaved by presentation time (the muxer keeps
    its own order within a few packets; this keeps a player's reads short)."""

    def when(packet: Any) -> float:
        return float((packet.pts or 0) * packet.time_base)

    return heapq.merge(*streams, key=when)


def _clock(seconds: float) -> str:
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def write_chapters_txt(chapters: Sequence[Chapter], path: Path) -> Path:
    """Chapters as video sites read them: `0:00 Title`, one per line."""
    return write_atomic(path, "".join(f"{_clock(c.start)} {c.title}\n" for c in chapters))
