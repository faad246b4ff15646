"""A segment's pieces: a beat whose words changed is put together from its kept plays and
holds (the holds written again at their new length), and shows what drawing it would."""

from __future__ import annotations

import json
from pathlib import Path

import av
import numpy as np

from tests.helpers import one_scene, plan_of
from tests.render.test_segments import frames_of, keyframes_of, psnr
from vidgen.identity import segment_identity, sidecar
from vidgen.render.pieces import retime_hold
from vidgen.render.worker import render_segment

# Fixed runs: a longer narration only lengthens the holds between and after the actions.
ELEMENTS = """\
v: {vector: [1, 2, 3, 4]}
c: {caption: hello, place: top}
"""
BEATS = """\
- say: One two three.
  do: [show: v]
- say: {say}
  do: [{{show: c, run_time: 0.6}}, {{highlight: 'v[1]', color: red, run_time: 0.6}}, {{set: 'v[2]', to: 9, run_time: 0.6}}]
"""
SHORT = "Four five six seven, eight and nine."
LONG = "Four five six seven, and then eight, nine, ten, eleven and twelve."


def scene_saying(words: str):  # noqa: ANN201 - a ScenePlan
    return plan_of(one_scene(ELEMENTS, BEATS.format(say=words))).scenes[0]


def made(segment: Path) -> dict:
    return json.loads(sidecar(segment).read_text())


def render(scene, out: Path, work: Path, thumbs: Path | None = None) -> Path:  # noqa: ANN001
    return render_segment(scene, 1, out, work, segment_identity(scene, 1), thumbs_dir=thumbs)


def test_a_retimed_beat_is_put_together_from_its_kept_pieces(tmp_path: Path) -> None:
    short, long = scene_saying(SHORT), scene_saying(LONG)
    assert long.beats[1].frames > short.beats[1].frames + 10
    first = render(short, tmp_path / "clips" / "short.mp4", tmp_path / "work")
    assert made(first)["pieces"]["reused"] == 0
    drawn = made(first)["pieces"]["drawn"]
    assert drawn >= 4  # three plays and at least one hold

    again = render(long, tmp_path / "clips" / "long.mp4", tmp_path / "work", tmp_path / "thumbs")
    assert made(again)["pieces"] == {"reused": drawn, "drawn": 0}, "the longer beat drew a piece again"
    fresh = render_segment(long, 1, tmp_path / "fresh.mp4", tmp_path / "work2")  # no pieces: drawn whole

    mine, theirs = frames_of(again), frames_of(fresh)
    assert len(mine) == len(theirs) == long.beats[1].frames
    assert keyframes_of(again)[0]
    worst = min(psnr(a, b) for a, b in zip(mine, theirs))
    assert worst >= 40, f"a frame of the put-together beat differs from the drawn one ({worst:.1f} dB)"
    # Its key frame (for the contact sheet) was kept although nothing was drawn.
    assert len(list((tmp_path / "thumbs").glob("*.png"))) == 2 * len(long.key_frames_in(1)) > 0


def test_an_edit_that_changes_an_action_draws_its_beat_again(tmp_path: Path) -> None:
    scene = scene_saying(SHORT)
    render(scene, tmp_path / "clips" / "a.mp4", tmp_path / "work")
    changed = plan_of(one_scene(ELEMENTS, BEATS.format(say=SHORT).replace("color: red", "color: green"))).scenes[0]
    again = render(changed, tmp_path / "clips" / "b.mp4", tmp_path / "work")
    # Where things go is composed from every action of the scene: a changed action is a
    # changed picture, and no piece of the old one is taken for it.
    assert made(again)["pieces"] == {"reused": 0, "drawn": made(tmp_path / "clips" / "a.mp4")["pieces"]["drawn"]}


def test_a_kept_hold_is_written_at_any_length_without_the_encoder(tmp_path: Path) -> None:
    scene = scene_saying(SHORT)
    render(scene, tmp_path / "clips" / "a.mp4", tmp_path / "work")
    holds = []
    for piece in (tmp_path / "clips" / "pieces").glob("*.mp4"):
        frames = frames_of(piece)
        if len(frames) > 2 and all(psnr(frames[0], f) == float("inf") for f in frames):
            holds.append((piece, frames[0]))
    assert holds, "no hold was kept"
    piece, picture = holds[0]
    for length in (1, 7, 95):
        out = tmp_path / f"held{length}.mp4"
        retime_hold(piece, out, length, scene.quality.fps)
        frames = frames_of(out)
        assert len(frames) == length
        assert all(np.array_equal(frame, picture) for frame in frames)
        with av.open(str(out)) as container:
            stream = container.streams.video[0]
            assert abs(float(stream.duration * stream.time_base) - length / scene.quality.fps) < 1e-6


def test_a_retimed_beat_is_put_together_in_the_build_without_drawing(tmp_path: Path, monkeypatch) -> None:  # noqa: ANN001
    """The build's own process puts an edited beat together from the pieces and what the
    last drawing of it told (vidgen.render.assembly): a camera move beside a play (the
    second beat), a closing fade (the last); every frame as drawing it would give."""
    import dataclasses

    from tests.render.test_camera import BEATS as CAMERA_BEATS
    from tests.render.test_camera import ELEMENTS as CAMERA_ELEMENTS
    from vidgen.render import worker
    from vidgen.render.camera import plan_framing

    def framed(beats: str):  # noqa: ANN202 - a ScenePlan framed as the build frames it
        scene = plan_of(one_scene(CAMERA_ELEMENTS, beats)).scenes[0]
        return dataclasses.replace(scene, framing=plan_framing(scene))

    short = framed(CAMERA_BEATS)
    long = framed(CAMERA_BEATS.replace("arrives beside it.", "arrives beside it, slowly, row after row.").replace("stays.", "stays, and we look at it for a while longer."))
    assert short.framing.moves and long.beats[1].frames > short.beats[1].frames and long.beats[2].frames > short.beats[2].frames
    for beat in (1, 2):
        worker.render_segment(short, beat, tmp_path / "clips" / f"short{beat}.mp4", tmp_path / "work", segment_identity(short, beat))

    def no_drawing(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        raise AssertionError("the retimed beat was drawn")

    monkeypatch.setattr(worker, "_render", no_drawing)
    for beat in (1, 2):
        out = tmp_path / "clips" / f"long{beat}.mp4"
        assert worker.put_segment_together(long, beat, out, tmp_path / "work", segment_identity(long, beat), tmp_path / "thumbs")
        assert made(out)["pieces"]["drawn"] == 0 and made(out)["pieces"]["reused"] >= 2
        monkeypatch.undo()
        fresh = worker.render_segment(long, beat, tmp_path / f"fresh{beat}.mp4", tmp_path / "work2")  # no pieces: drawn whole
        monkeypatch.setattr(worker, "_render", no_drawing)
        mine, theirs = frames_of(out), frames_of(fresh)
        assert len(mine) == len(theirs) == long.beats[beat].frames
        worst = min(psnr(a, b) for a, b in zip(mine, theirs))
        assert worst >= 40, f"beat {beat + 1}: a frame put together differs from the drawn one ({worst:.1f} dB)"
    # Not kept (no notes): the build's process leaves the beat to a worker, writing nothing.
    other = tmp_path / "clips" / "other.mp4"
    assert not worker.put_segment_together(framed(CAMERA_BEATS.replace("red", "green")), 2, other, tmp_path / "work", segment_identity(framed(CAMERA_BEATS.replace("red", "green")), 2))
    assert not other.exists()
