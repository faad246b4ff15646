"""The mux: scene clips joined by stream copy, one audio track added, chapters written.

Nothing here decodes or re-encodes a frame: clips rendered with identical settings are
concatenated as they are, which takes about a second for minutes of 1080p60.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from vidgen.errors import MediaError
from vidgen.media.ffmpeg import run_ffmpeg
from vidgen.media.probe import probe
from vidgen.paths import temp_beside, write_atomic


@dataclass(frozen=True)
class Chapter:
    title: str
    start: float
    end: float


def _replace_into(temp: Path, out: Path) -> Path:
    os.replace(temp, out)
    return out


def concat_clips(clips: Sequence[Path], out: Path) -> Path:
    """One video from clips of identical encoding, by stream copy."""
    if not clips:
        raise MediaError("there are no clips to join")
    first = probe(clips[0]).video[0]
    for clip in clips[1:]:
        video = probe(clip).video[0]
        if (video.codec, video.width, video.height, video.fps, video.pix_fmt) != (first.codec, first.width, first.height, first.fps, first.pix_fmt):
            raise MediaError(f"{clip.name} is encoded differently ({video.codec} {video.width}x{video.height} {video.fps} fps {video.pix_fmt}) from {clips[0].name}; clear the cache and build again")
    listing = out.with_name(out.stem + ".concat.txt")
    temp = temp_beside(out)
    try:  # from the first write on: a full disk can fail any of them
        listing.write_text("".join(f"file '{Path(clip).resolve().as_posix()}'\n" for clip in clips))
        run_ffmpeg(["-f", "concat", "-safe", "0", "-i", str(listing), "-c", "copy", "-an", str(temp)], what="joining the scene clips")
        return _replace_into(temp, out)
    finally:
        temp.unlink(missing_ok=True)
        listing.unlink(missing_ok=True)


def _escape(text: str) -> str:
    for char in ("\\", "=", ";", "#", "\n"):
        text = text.replace(char, "\\" + char)
    return text


def ffmetadata(chapters: Sequence[Chapter], metadata: Mapping[str, str]) -> str:
    lines = [";FFMETADATA1"] + [f"{key}={_escape(value)}" for key, value in metadata.items()]
    for chapter in chapters:
        lines += ["[CHAPTER]", "TIMEBASE=1/1000", f"START={round(chapter.start * 1000)}", f"END={round(chapter.end * 1000)}", f"title={_escape(chapter.title)}"]
    return "\n".join(lines) + "\n"


def mux(video: Path, audio: Path, out: Path, *, chapters: Sequence[Chapter] = (), metadata: Mapping[str, str] | None = None) -> Path:
    """video + audio (+ chapters) → `out`, stream-copied; `out` is replaced only when complete."""
    meta = out.with_name(out.stem + ".ffmeta.txt")
    temp = temp_beside(out)
    try:  # from the first write on: a full disk can fail any of them
        meta.write_text(ffmetadata(chapters, metadata or {}))
        run_ffmpeg(
            ["-i", str(video), "-i", str(audio), "-f", "ffmetadata", "-i", str(meta),
             "-map", "0:v:0", "-map", "1:a:0", "-map_metadata", "2", "-map_chapters", "2",
             "-c", "copy", "-movflags", "+faststart", str(temp)],
            what="muxing the video",
        )  # fmt: skip
        return _replace_into(temp, out)
    finally:
        temp.unlink(missing_ok=True)
        meta.unlink(missing_ok=True)


def _clock(seconds: float) -> str:
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def write_chapters_txt(chapters: Sequence[Chapter], path: Path) -> Path:
    """Chapters as video sites read them: `0:00 Title`, one per line."""
    return write_atomic(path, "".join(f"{_clock(c.start)} {c.title}\n" for c in chapters))
