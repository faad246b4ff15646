"""A beat's steps: which action plays when, and the holds between them, frame by frame.

The arithmetic of a beat (vidgen.render.scene.Timeline drives Manim through it), kept apart
from Manim: a retimed beat is put together from kept pieces by following the same steps
without drawing (vidgen.render.assembly). What only drawing knows is asked for: whether a
slot's action animates anything (`animated`), whether anything is on screen for the
closing fade (`showing`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from vidgen.plan import ActionSlot, BeatPlan, ScenePlan

PLAY, HOLD, JUMP, MOVE, FADE, DONE = "play", "hold", "jump", "move", "fade", "done"
MOVE_SECONDS = 1.0  # a camera move takes at most this long, at the start of its beat


def move_frames(fps: int) -> int:
    """How many frames a camera move takes (at most: a shorter beat hurries it)."""
    return max(1, round(MOVE_SECONDS * fps))


@dataclass(frozen=True)
class Step:
    """One step of a beat. `play`: the slot's animations over `frames` (with the camera's
    move beside them, taking `share` of the play, when `share` is set); `hold`: the picture
    kept; `jump`: the slot's animations to their end without a frame; `move`: the camera's
    move alone (no frame: a jump); `fade`: the closing fade; `done`: the slot has finished.
    `slot` and `asked` are the slot last reached in this beat (None before the first) and
    the frames it was asked to fill."""

    kind: str
    frames: int = 0
    slot: ActionSlot | None = None
    asked: int | None = None
    share: float | None = None


def camera_moves(plan: ScenePlan, beat: int) -> bool:
    """Whether the camera moves at beat `beat`'s start: its shot differs from the last beat's."""
    framing = plan.framing
    if framing is None or not framing.moves:
        return False
    return framing.beats[beat] != (framing.beats[beat - 1] if beat else framing.opening)


def beat_steps(
    plan: ScenePlan,
    beat: BeatPlan,
    moves: bool,
    move_frames: int,
    animated: Callable[[ActionSlot, int], bool],
    showing: Callable[[], bool],
) -> Iterator[Step]:
    """Exactly `beat.frames` frames of steps: the beat's actions in storyboard order, holds
    between them, the camera's move (when `moves`) beside what happens first, and (last
    beat) the scene's closing fade. `animated(slot, asked)` is asked when the slot is reached."""
    frame, end = beat.start, beat.start + beat.frames
    slot: ActionSlot | None = None
    asked: int | None = None

    def hold(frames: int, move: bool) -> Iterator[Step]:
        moving = min(frames, move_frames) if move else 0
        if moving:
            yield Step(MOVE, moving, slot, asked)
        if frames > moving:
            yield Step(HOLD, frames - moving, slot, asked)

    for next_slot in sorted((s for s in plan.slots if s.beat == beat.index), key=lambda s: (s.start, s.index)):
        start = max(next_slot.start, frame)
        if start > frame:
            yield from hold(start - frame, moves)
            moves = False
        slot, asked = next_slot, max(1, next_slot.end - start)
        animates = animated(slot, asked)
        frames = min(max(1, slot.end - start), end - start)
        if animates and frames > 0:
            yield Step(PLAY, frames, slot, asked, min(1.0, move_frames / frames) if moves else None)
            moves = False
        elif animates:
            yield Step(JUMP, 0, slot, asked)  # no frame left in the beat: the state still changes
        elif frames > 0:
            yield from hold(frames, moves)
            moves = False
        yield Step(DONE, 0, slot, asked)
        frame = start + max(frames, 0)
    last = beat.index == len(plan.beats) - 1
    if moves:  # nothing in the beat to move beside: the camera moves alone
        room = (plan.frames - plan.outro_frames if last and plan.outro_frames else end) - frame
        if room > 0:
            yield from hold(room, True)
            frame += room
        else:
            yield Step(MOVE, 0, slot, asked)
    if last:
        outro_start = plan.frames - plan.outro_frames
        if plan.outro_frames and showing() and frame <= outro_start:
            if outro_start > frame:
                yield Step(HOLD, outro_start - frame, slot, asked)
            yield Step(FADE, plan.outro_frames, slot, asked)
            frame = end
    if end > frame:
        yield Step(HOLD, end - frame, slot, asked)
