"""Beat segments: rendered alone, joined by stream copy, they make the whole scene's clip."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np

from tests.helpers import one_scene, plan_of
from vidgen.media import concat_clips
from vidgen.render.worker import render_scene, render_segment

# Every kind of state a beat can leave for the next: a persistent marker, a counted number,
# a set cell, a move, a replace and a transform that swap mobjects, an element visible from
# the start, an unhighlight, and the scene's closing fade in the last beat.
ELEMENTS = """\
v: {vector: [1, 2, 3, 4]}
n: {number: 3, place: right of v}
w: {vector: [7, 8], place: below v}
c: {caption: hello, place: top}
d: {caption: bye, place: bottom}
t: {text: Always here, size: label, place: top left, visible: true}
"""
BEATS = """\
- say: One two three.
  do: [show: v, {highlight: 'v[1]', color: red}]
- say: Four five six.
  do: [show: n, {count: n, to: 9}, {set: 'v[0]', to: 5}]
- say: Seven eight.
  do: [show: c, {move: v, to: left, scale: 0.8}, {replace: c, with: d}]
- say: Nine ten eleven.
  do: [show: w, {transform: 'v[2]', into: w}, {unhighlight: v}]
"""


def frames_of(path: Path) -> list[np.ndarray]:
    with av.open(str(path)) as container:
        return [frame.to_ndarray(format="rgb24") for frame in container.decode(container.streams.video[0])]


def keyframes_of(path: Path) -> list[bool]:
    with av.open(str(path)) as container:
        return [frame.key_frame for frame in container.decode(container.streams.video[0])]


def psnr(a: np.ndarray, b: np.ndarray) -> float:
    error = np.mean((a.astype(float) - b.astype(float)) ** 2)
    return float("inf") if error == 0 else 10 * np.log10(255**2 / error)


def test_segments_joined_are_the_whole_scene_frame_for_frame(tmp_path: Path) -> None:
    scene = plan_of(one_scene(ELEMENTS, BEATS)).scenes[0]
    whole = frames_of(render_scene(scene, tmp_path / "whole.mp4", tmp_path / "work"))
    segments = [render_segment(scene, beat.index, tmp_path / f"beat{beat.index}.mp4", tmp_path / "work") for beat in scene.beats]
    for beat, segment in zip(scene.beats, segments):
        keys = keyframes_of(segment)
        assert len(keys) == beat.frames and keys[0], f"beat {beat.index}: {len(keys)} frames, first a keyframe: {keys[0]}"
    joined = frames_of(concat_clips(segments, tmp_path / "joined.mp4"))

    assert len(whole) == len(joined) == scene.frames
    for beat in scene.beats[1:]:
        for frame in (beat.start - 1, beat.start):  # either side of the boundary
            assert psnr(joined[frame], whole[frame]) >= 40, f"frame {frame} (beat {beat.index} starts at {beat.start})"
    # Continuity: the third beat opens on the picture the second one closed on.
    assert psnr(joined[scene.beats[2].start], joined[scene.beats[2].start - 1]) >= 40
    assert psnr(joined[-1], whole[-1]) >= 40  # the closing fade, in the last segment only
    assert np.abs(joined[-1].astype(int) - joined[scene.beats[-1].start].astype(int)).sum() > 0


def test_a_segment_keeps_its_key_frame_as_drawn_so_the_contact_sheet_decodes_nothing(tmp_path: Path, monkeypatch) -> None:
    import importlib

    from PIL import Image

    from vidgen.assemble import beat_sources
    from vidgen.media.contact_sheet import THUMB_WIDTH, kept_thumbnail, thumbnail

    scene = plan_of(one_scene(ELEMENTS, BEATS)).scenes[0]
    thumbs = tmp_path / "thumbs"
    segments = [render_segment(scene, beat.index, tmp_path / f"beat{beat.index}.mp4", tmp_path / "work", thumbs_dir=thumbs) for beat in scene.beats]
    sources = beat_sources(plan_of(one_scene(ELEMENTS, BEATS)), {scene.id: segments})
    # One thumbnail per beat at the sheet's width, and at full width for the (low quality) preview page.
    assert len(list(thumbs.glob("*.png"))) == 2 * len(scene.beats)
    kept = [np.asarray(Image.open(kept_thumbnail(source, at, THUMB_WIDTH, thumbs)).convert("RGB")) for source, at in sources]
    decoded = [np.asarray(thumbnail(source, at, THUMB_WIDTH, None)) for source, at in sources]
    for number, (mine, theirs) in enumerate(zip(kept, decoded)):
        assert psnr(mine, theirs) >= 35, f"beat {number}: the kept frame is not the one the video shows there"
    # The key frames differ from beat to beat: each beat's own moment was kept, not one frame.
    assert all(psnr(a, b) < 40 for a, b in zip(kept, kept[1:]))

    def no_decoding(*args: object) -> None:
        raise AssertionError("a frame was decoded")

    sheet = importlib.import_module("vidgen.media.contact_sheet")  # the package's `contact_sheet` is the function
    monkeypatch.setattr(sheet, "frame_at", no_decoding)
    sheet.contact_sheet(segments[0], [(0.0, "beat")] * len(sources), tmp_path / "sheet.png", sources=sources, thumbs_dir=thumbs)
