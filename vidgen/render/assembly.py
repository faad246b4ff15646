"""A retimed segment put together from its kept pieces without Manim.

After a narration edit a beat mostly keeps its plays and only holds longer or shorter
between them (vidgen.render.pieces). Its steps are the timeline's own (vidgen.render.steps),
followed with what drawing the beat last told (each slot's animations, whether anything was
on screen for the closing fade) instead of drawing: each play, the camera's moves and the
fade are taken as kept, each hold is written at its new length, and the pieces are joined
by stream copy. The build does this in its own process, so an edit whose beats can all be
put together waits for no worker to start and import Manim. When any piece is missing, or
what drawing told is not known, nothing is written and the beat is drawn as before.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

from vidgen.errors import MediaError
from vidgen.media.mux import concat_clips
from vidgen.plan import ActionSlot, ScenePlan
from vidgen.render.pieces import Pieces, frame_of, retime_hold
from vidgen.render.skip_frames import Unsupported
from vidgen.render.steps import FADE, HOLD, JUMP, MOVE, PLAY, beat_steps, camera_moves, move_frames

# The class names the timeline's own animations show in a step's description
# (vidgen.render.camera.Reframe, Manim's FadeOut): what drawing names them.
CAMERA_MOVE = "Reframe"
CLOSING_FADE = "FadeOut"


class _NotKnown(Exception):
    """What drawing told about this beat is not kept: it must be drawn."""


def put_together(scene: ScenePlan, beat: int, out: Path, pieces: Pieces, scratch: Path) -> dict[int, Any] | None:
    """Write segment `beat` of `scene` to `out` (atomically) from the pieces kept in
    `pieces`, and return its key frames (by frame number in the segment, as RGBA arrays);
    None, with nothing written, when it cannot be put together without drawing."""
    import av

    noted = pieces.noted()
    if noted is None:
        return None
    counted, pieces = pieces, pieces.afresh()  # drawing, if it comes to that, counts from the start
    animated, showing = noted

    def animates(slot: ActionSlot, asked: int) -> bool:
        if slot.index not in animated:
            raise _NotKnown
        return bool(animated[slot.index])

    def shows() -> bool:
        if showing is None:
            raise _NotKnown
        return showing

    parts: list[tuple[Path, int, bool]] = []  # each piece, its frames, whether it is a hold
    planned = scene.beats[beat]
    try:
        for step in beat_steps(scene, planned, camera_moves(scene, beat), move_frames(scene.quality.fps), animates, shows):
            slot = step.slot.index if step.slot is not None and step.slot.beat == beat else None
            if step.kind == PLAY:
                names = animated[step.slot.index] + ([CAMERA_MOVE] if step.share is not None else [])  # type: ignore[union-attr]
                parts.append((pieces.next("play", slot, step.asked, step.frames, names), step.frames, False))
            elif step.kind == JUMP:
                pieces.next("jump", slot, step.asked, None, animated[step.slot.index])  # type: ignore[union-attr]
            elif step.kind == MOVE and step.frames:
                parts.append((pieces.next("play", slot, step.asked, step.frames, [CAMERA_MOVE]), step.frames, False))
            elif step.kind == MOVE:
                pieces.next("jump", slot, step.asked, None, [CAMERA_MOVE])
            elif step.kind == FADE:
                parts.append((pieces.next("play", slot, step.asked, step.frames, [CLOSING_FADE]), step.frames, False))
            elif step.kind == HOLD:
                parts.append((pieces.next("hold", slot, step.asked, None, []), step.frames, True))
    except _NotKnown:
        return None
    if sum(frames for _, frames, _ in parts) != planned.frames or not all(Pieces.found(piece) for piece, _, _ in parts):
        return None
    work = Path(tempfile.mkdtemp(prefix="together-", dir=scratch))
    try:
        movies = []
        for number, (piece, frames, held) in enumerate(parts):
            if held:
                movie = work / f"held_{number:05}.mp4"
                retime_hold(piece, movie, frames, scene.quality.fps)
                movies.append(movie)
            else:
                movies.append(piece)
        kept = _key_frames(scene.key_frames_in(beat), parts)
        concat_clips(movies, out, planned.frames)
    except (Unsupported, MediaError, OSError, ValueError, av.FFmpegError):
        return None  # a hold this stream cannot be written for, a damaged piece: drawn instead
    finally:
        shutil.rmtree(work, ignore_errors=True)
    counted.reused += len(parts)
    return kept


def _key_frames(wanted: list[int], parts: list[tuple[Path, int, bool]]) -> dict[int, Any]:
    """The key frames, decoded from the pieces that show them (a hold shows its first picture)."""
    kept, first = {}, 0
    for piece, frames, held in parts:
        for number in wanted:
            if first <= number < first + frames:
                kept[number] = frame_of(piece, 0 if held else number - first)
        first += frames
    return kept
