"""Joining clips by stream copy and adding the narration and chapters."""

from __future__ import annotations

from pathlib import Path

import av
import pytest

from tests.media.conftest import make_clip
from vidgen.errors import MediaError
from vidgen.media import Chapter, concat_clips, encode_aac, mux, probe, write_chapters_txt
from vidgen.media.narration import assemble_narration


def nal_units(packet: bytes) -> list[bytes]:
    """The NAL units of a length-prefixed (MP4) H.264 packet."""
    units, position = [], 0
    while position < len(packet):
        size = int.from_bytes(packet[position : position + 4], "big")
        units.append(packet[position + 4 : position + 4 + size])
        position += 4 + size
    return units


def packets(path: Path) -> list[bytes]:
    with av.open(str(path)) as container:
        return [bytes(p) for p in container.demux(container.streams.video[0]) if p.size]


def test_clips_join_by_stream_copy(tmp_path: Path, clips: list[Path]) -> None:
    joined = concat_clips(clips, tmp_path / "joined.mp4")
    info = probe(joined)
    assert info.video[0].frames == 15 + 30
    # Nothing is re-encoded: every coded picture keeps its bytes. At each clip's first
    # keyframe ffmpeg only inserts the parameter sets (SPS, PPS: NAL types 7 and 8).
    originals = packets(clips[0]) + packets(clips[1])
    for original, copied in zip(originals, packets(joined), strict=True):
        added = [unit for unit in nal_units(copied) if unit not in nal_units(original)]
        assert [unit for unit in nal_units(copied) if unit not in added] == nal_units(original)
        assert all(unit[0] & 0x1F in (7, 8) for unit in added)


def test_clips_encoded_differently_are_refused_by_name(tmp_path: Path, clips: list[Path]) -> None:
    odd = make_clip(tmp_path / "odd.mp4", (0, 0, 0), size=(640, 360))
    with pytest.raises(MediaError, match="odd.mp4 is encoded differently"):
        concat_clips([*clips, odd], tmp_path / "joined.mp4")


def test_the_mux_holds_one_h264_and_one_aac_stream_with_chapters(tmp_path: Path, clips: list[Path], speech_wav: Path) -> None:
    video = concat_clips(clips, tmp_path / "joined.mp4")
    narration = assemble_narration([(speech_wav, 0.2), (speech_wav, 1.5)], 3.0, tmp_path / "narration.wav")
    audio = encode_aac(narration, tmp_path / "narration.m4a")
    chapters = [Chapter("Red = first; part #1", 0.0, 1.0), Chapter("Blue", 1.0, 3.0)]
    out = mux(video, audio, tmp_path / "final.mp4", chapters=chapters, metadata={"title": "Test"})
    info = probe(out)
    assert [(v.codec, v.pix_fmt, v.width, v.height) for v in info.video] == [("h264", "yuv420p", 854, 480)]
    assert [(a.codec, a.sample_rate) for a in info.audio] == [("aac", 48_000)]
    assert info.duration == pytest.approx(3.0, abs=0.1)
    assert [(c.title, round(c.start, 3), round(c.end, 3)) for c in info.chapters] == [("Red = first; part #1", 0.0, 1.0), ("Blue", 1.0, 3.0)]
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary leftovers


def test_a_failed_mux_leaves_the_previous_video_untouched(tmp_path: Path, clips: list[Path]) -> None:
    previous = tmp_path / "final.mp4"
    previous.write_bytes(b"the previous finished video")
    with pytest.raises(MediaError):
        mux(clips[0], tmp_path / "missing.m4a", previous)
    assert previous.read_bytes() == b"the previous finished video"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_chapters_text_uses_the_video_site_format(tmp_path: Path) -> None:
    path = write_chapters_txt([Chapter("Intro", 0, 61), Chapter("Encoder", 61.4, 3700), Chapter("Late", 3725, 3800)], tmp_path / "chapters.txt")
    assert path.read_text() == "0:00 Intro\n1:01 Encoder\n1:02:05 Late\n"
