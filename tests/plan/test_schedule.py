"""The timed plan: speech length drives beats, actions fill them, marks start actions."""

from __future__ import annotations

import pytest

from tests.helpers import one_scene, speech_of
from vidgen.errors import StoryboardError
from vidgen.plan import make_plan, schedule_beat
from vidgen.quality import QUALITIES

ELEMENTS = """
a: {text: Alpha, place: left}
b: {text: Beta, place: right}
"""


def beat_of(actions: str, say: str = "Some words here.") -> tuple:
    board = one_scene(ELEMENTS, f"- say: {say}\n  do:\n" + "".join(f"    {line}\n" for line in actions.strip().splitlines()))
    scene = board.scenes[0]
    return scene.beats[0], scene.elements


def test_beat_lasts_as_long_as_its_speech_plus_pause() -> None:
    beat, elements = beat_of("- show: a")
    frames, _ = schedule_beat(beat, speech_of(4.0), pause=0.5, fps=15, elements=elements)
    assert frames == 68  # ceil(4.5 s x 15 fps)


def test_actions_share_the_beat_in_order_without_overlapping() -> None:
    beat, elements = beat_of("- show: a\n- show: b\n- hide: a")
    frames, slots = schedule_beat(beat, speech_of(6.0), pause=0.0, fps=30, elements=elements)
    assert [s.action.kind for s in slots] == ["show", "show", "hide"]
    for earlier, later in zip(slots, slots[1:]):
        assert earlier.end <= later.start
    # Slots spread over the narration: the last action starts in its second half.
    assert slots[-1].start > frames / 2
    # No action runs longer than its kind allows (show at most 2.5 s).
    assert all(s.frames <= 2.5 * 30 for s in slots)


def test_explicit_run_time_is_kept() -> None:
    beat, elements = beat_of("- show: a\n  run_time: 3")
    _, slots = schedule_beat(beat, speech_of(8.0), pause=0.0, fps=30, elements=elements)
    assert slots[0].frames == 90


def test_mark_starts_its_action_on_the_word() -> None:
    beat, elements = beat_of('- show: a\n- show: b\n  at: here', say='One two <mark name="here"/>three.')
    _, slots = schedule_beat(beat, speech_of(3.0, {"here": 1.37}), pause=0.0, fps=60, elements=elements)
    assert slots[1].start == round(1.37 * 60)
    assert slots[0].end <= slots[1].start


def test_actions_that_need_more_time_lengthen_the_beat() -> None:
    beat, elements = beat_of("- show: a\n  run_time: 5\n- show: b\n  run_time: 5")
    frames, slots = schedule_beat(beat, speech_of(2.0), pause=0.0, fps=15, elements=elements)
    assert frames == slots[-1].end == 150


def test_marks_listed_out_of_order_are_an_error() -> None:
    beat, elements = beat_of('- show: a\n  at: late\n- show: b\n  at: early', say='<mark name="early"/>One <mark name="late"/>two.')
    with pytest.raises(StoryboardError, match="order"):
        schedule_beat(beat, speech_of(2.0, {"early": 0.1, "late": 1.0}), pause=0.0, fps=15, elements=elements)


def test_scene_frames_add_up_and_narration_sits_at_beat_starts() -> None:
    board = one_scene(ELEMENTS, "- say: One.\n  do: [show: a]\n- say: Two.\n  do: [show: b]\n")
    plan = make_plan("t", board, [[speech_of(1.0), speech_of(2.0)]], QUALITIES["high"])
    scene = plan.scenes[0]
    assert scene.frames == sum(beat.frames for beat in scene.beats) == plan.frames
    assert [beat.start for beat in scene.beats] == [0, scene.beats[0].frames]
    assert scene.outro_frames == 30  # a 0.5 s fade at 60 fps, inside the last pause


def test_clip_identity_follows_timing_and_content() -> None:
    board = one_scene(ELEMENTS, "- say: One.\n  do: [show: a]\n")
    key = lambda seconds: make_plan("t", board, [[speech_of(seconds)]], QUALITIES["low"]).scenes[0].cache_key()  # noqa: E731
    assert key(1.0) == key(1.0)
    assert key(1.0) != key(2.0)


def test_a_beats_key_frame_shows_its_last_action_finished_even_when_it_ends_with_the_beat() -> None:
    # A new writer's trial: the contact sheet showed a box's text half written, the beat's
    # last action (at its last word) running to the beat's last frame.
    board = one_scene(ELEMENTS, "- say: One.\n  do: [{show: a, run_time: 3}]\n- say: Two two two two.\n  do: [show: b]\n- say: Three.\n  do: [{show: a, run_time: 3}]\n")
    plan = make_plan("t", board, [[speech_of(1.0), speech_of(4.0), speech_of(1.0)]], QUALITIES["low"])
    scene = plan.scenes[0]
    first, second, last = scene.beats
    # The first beat is as long as its action: its key frame is the next beat's first frame.
    assert max(s.end for s in scene.slots if s.beat == 0) == first.start + first.frames
    assert scene.key_frame(0) == second.start
    assert scene.key_frames_in(1)[0] == 0  # the next beat's segment keeps it
    # A beat with room after its action: the frame just after the action, inside the beat.
    end = max(s.end for s in scene.slots if s.beat == 1)
    assert scene.key_frame(1) == end < second.start + second.frames
    # The last beat's action runs up to the closing fade: its key frame is the fade's first.
    assert scene.key_frame(2) == scene.frames - scene.outro_frames
