"""The camera frames a build-up's sparse opening closer and pulls back as the rest arrives;
band words stay put on screen; segments rendered alone still join into the whole scene."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from tests.helpers import one_scene, plan_of, storyboard
from tests.render.test_segments import frames_of, psnr
from vidgen.layout.box import Box
from vidgen.layout.coverage import beat_spans
from vidgen.layout.dock import SAFE
from vidgen.layout.framing import AIM, MOST, WHOLE, BeatView, frame_beats
from vidgen.media import concat_clips
from vidgen.render.camera import plan_framing
from vidgen.render.frame import GAP
from vidgen.render.still import render_still
from vidgen.render.worker import render_scene, render_segment

# A small vector alone, then a tall table beside it: the layout keeps the vector where it
# will be once the table has come, so the first beat alone would use a third of the frame.
ELEMENTS = """\
title: {caption: Building up, place: top}
a: {vector: [1, 2], color: blue, place: left}
t: {table: [[1, 2, 3], [4, 5, 6], [7, 8, 9], [1, 2, 3]], place: right}
"""
BEATS = """\
- say: First the vector alone, for a while.
  do: [show: title, show: a, indicate: title]
- say: Then the table arrives beside it.
  do: [show: t]
- say: And the picture stays.
  do: [{highlight: 'a[0]', color: red}]
"""
BLUE = np.array([0x58, 0xA6, 0xFF])


def build_up(**scene: str):
    return plan_of(one_scene(ELEMENTS, BEATS, **scene)).scenes[0]


def ink(image, colour: np.ndarray, rows: slice = slice(None)) -> Box:
    """The pixel box of what is drawn near `colour` (within `rows` of the image)."""
    pixels = np.asarray(image).astype(int)[rows]
    ys, xs = np.nonzero(np.abs(pixels - colour).sum(axis=2) < 90)
    return Box(xs.min(), xs.max(), ys.min(), ys.max())


def test_a_sparse_opening_is_framed_closer_and_the_camera_pulls_back() -> None:
    scene = build_up()
    framing = plan_framing(scene)
    opening, beats = framing.opening, framing.beats
    assert opening == beats[0] and 1.15 < beats[0].zoom <= MOST
    assert beats[1] == beats[2] == WHOLE
    assert framing.fixed == {"title"}

    first, _ = render_still(scene, 2)  # after the first beat's last action
    second, _ = render_still(scene, 3)
    vector_first, vector_second = ink(first, BLUE), ink(second, BLUE)
    assert abs(vector_first.width / vector_second.width - beats[0].zoom) < 0.05 * beats[0].zoom
    # The heading is a band's words: it stays where it is on screen while the picture is
    # framed, also after an indicate (which holds the heading's words in a group of its own).
    band = slice(0, first.size[1] // 6)
    white = np.array([0xE6, 0xED, 0xF3])
    assert ink(first, white, band) == ink(second, white, band)


def test_the_camera_fills_a_sparse_beat_up_to_its_aim_and_still_turns_it_off() -> None:
    still = beat_spans(build_up(camera="still"))
    assert plan_framing(build_up(camera="still")).beats == (WHOLE,) * 3
    spans = beat_spans(build_up())
    assert still[0] < 0.5 and spans[1:] == still[1:]
    # Framed up to the aim, unless that would be closer than the camera ever goes.
    assert abs(spans[0] - min(AIM, MOST * still[0])) < 0.01, (spans, still)


def test_segments_with_camera_moves_join_into_the_whole_scene(tmp_path: Path) -> None:
    scene = build_up()
    whole = frames_of(render_scene(scene, tmp_path / "whole.mp4", tmp_path / "work"))
    segments = [render_segment(scene, beat.index, tmp_path / f"beat{beat.index}.mp4", tmp_path / "work") for beat in scene.beats]
    joined = frames_of(concat_clips(segments, tmp_path / "joined.mp4"))
    assert len(whole) == len(joined) == scene.frames
    for beat in scene.beats[1:]:
        for frame in (beat.start - 1, beat.start, beat.start + 10):  # either side, and mid-move
            assert psnr(joined[frame], whole[frame]) >= 40, f"frame {frame}"
    # The video is framed as the stills are: the last frame of the first beat is its still.
    still, _ = render_still(scene, 2)
    assert psnr(whole[scene.beats[1].start - 1], np.asarray(still)) >= 30
    # The move is over within a second (the table may still be fading in): the vector has
    # reached the place it keeps, at the size it keeps.
    settled = scene.beats[1].start + scene.quality.fps + 1
    moving = scene.beats[1].start + scene.quality.fps // 2
    assert ink(whole[settled], BLUE) == ink(whole[scene.beats[2].start - 1], BLUE) != ink(whole[moving], BLUE)


def test_the_room_between_band_words_and_the_fullest_beat_bound_the_framing() -> None:
    small = BeatView(Box(-1, 1, -0.5, 0.5))
    full = BeatView(Box(-5, 5, -3, 3))
    framing = frame_beats([small, full], frozenset())
    assert framing.beats[0].zoom == MOST and framing.beats[1] == WHOLE
    # A beat no sparser than the scene's fullest one is never blown up.
    assert frame_beats([small, small], frozenset()).beats == (WHOLE, WHOLE)
    # Band words leave 1.3 units between them: the picture is framed to fill that, centred.
    heading, caption = Box(-3, 3, 1.0 + GAP, 1.6 + GAP), Box(-3, 3, -0.9 - GAP, -0.3 - GAP)
    tall = BeatView(Box(-0.5, 0.5, -0.2, 0.6), [heading, caption])
    (shot, _) = frame_beats([tall, full], frozenset()).beats
    screen = shot.to_screen(tall.picture)
    assert abs(shot.zoom - 1.3 / 0.8) < 1e-3 and screen.top <= 1.0 and screen.bottom >= -0.3 and abs(screen.center[1] - 0.35) < 1e-3
    # A corner note beside the picture's place: framed clear of it, where the picture is.
    corner = Box(1.0, 3.0, 0.9, 1.5)
    beside = BeatView(Box(-1.5, 0.5, 0.8, 1.6), [corner])
    (shot, _) = frame_beats([beside, full], frozenset()).beats
    screen = shot.to_screen(beside.picture)
    assert shot.zoom > 1.15 and not screen.overlaps(corner, GAP - 1e-3) and SAFE.contains(screen)
    # A scene the next continues ends on the whole frame; one that continues opens on it.
    chained = frame_beats([small, full, small], frozenset(), continues=True, continued=True)
    assert chained.opening == WHOLE and chained.beats[0] != WHOLE and chained.beats[-1] == WHOLE


def test_a_band_word_joined_to_the_picture_is_framed_with_it() -> None:
    board = one_scene(
        ELEMENTS + "link: {arrow: [title, a]}\n",
        BEATS.replace("do: [show: t]", "do: [show: t, show: link]"),
    )
    # The heading is part of the picture now: with the vector below it, it spans over half
    # the frame, and the camera has nothing to frame closer.
    assert plan_framing(plan_of(board).scenes[0]).fixed == set()


def test_continued_scenes_meet_on_the_whole_frame() -> None:
    board = storyboard(
        """
        title: Test
        scenes:
          - id: one
            title: One
            outro: keep
            elements:
              a: {vector: [1, 2], place: left}
              t: {table: [[1, 2], [3, 4], [5, 6], [7, 8]], place: right}
            beats:
              - say: A vector.
                do: [show: a]
              - say: And a table.
                do: [show: t]
              - say: Now only the vector is left.
                do: [hide: t]
          - id: two
            title: Two
            elements:
              a: {vector: [1, 2], place: left, visible: true}
              t: {table: [[1, 2], [3, 4], [5, 6], [7, 8]], place: right}
            beats:
              - say: Still the vector.
                do: [{highlight: 'a[0]'}]
              - say: The table again.
                do: [show: t]
        """
    )
    one, two = (plan_framing(scene) for scene in plan_of(board).scenes)
    assert one.opening != WHOLE and one.beats[-1] == WHOLE
    assert two.opening == WHOLE and two.beats[0] != WHOLE


def test_band_words_stay_put_and_what_is_joined_to_the_picture_goes_with_it() -> None:
    from vidgen.render.camera import fixed_elements
    from vidgen.render.scene import Timeline

    band = (
        "head: {caption: A heading, place: top left}\n"
        "note: {caption: A note, place: top right}\n"
        "tie: {arrow: [head, note]}\n"
        "sum: {equation: 'a + b = c', place: bottom}\n"
        "row: {vector: [1, 2, 3], place: bottom left}\n"
        "says: {text: Over the row, size: label, place: above row}\n"
    )
    show = "- say: All at once.\n  do: [show: [head, note, tie, sum, row, says{more}]]\n"
    with_net = one_scene(band + "net: {mlp: [2, 3, 1]}\nfeed: {arrow: [row, net]}\n", show.format(more=", net, feed"))
    # Words in the bands stay put (and the arrow between two of them); the vector joined to
    # the network by an arrow is framed with it, and so are the words placed by the vector.
    assert fixed_elements(Timeline(plan_of(with_net).scenes[0]).stage) == {"head", "note", "tie", "sum"}
    # With nothing in the middle, the bands hold the picture: only words stay put.
    bands_only = one_scene(band, show.format(more=""))
    assert fixed_elements(Timeline(plan_of(bands_only).scenes[0]).stage) == {"head", "note", "tie"}
