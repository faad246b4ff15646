"""The compiler: a ScenePlan becomes a Manim Scene that plays it frame-exactly.

Manim writes ceil(run_time·fps) frames for a play and int(duration·fps) for a frozen
wait; asking for n∓½ frames' worth of time makes both exact, so every clip has exactly
the frames the plan gave it and the narration laid under it cannot drift.

A scene is rendered beat by beat (one segment each, see vidgen.render.segments): every
beat fills exactly its planned frames, whatever the beats before it did, so a segment
rendered alone is the same picture as that stretch of a whole-scene render. The beats
before a segment are played without drawing ("advanced"), as Manim's `-n` does.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from manim import FadeOut, Scene
from manim.utils.iterables import list_update

from vidgen.actions import ACTION_KINDS
from vidgen.layout.framing import WHOLE, Framing, Shot
from vidgen.plan import ActionSlot, BeatPlan, ScenePlan
from vidgen.render.camera import FramingCamera, Reframe, framing_of, new_frame
from vidgen.render.pieces import Pieces, frame_of, retime_hold
from vidgen.render.skip_frames import Unsupported
from vidgen.render.stage import Stage
from vidgen.render.steps import DONE, FADE, HOLD, JUMP, MOVE, PLAY, beat_steps, move_frames
from vidgen.theme import THEMES

Play = Callable[[list[Any], int], None]
Hold = Callable[[int], None]


class Timeline:
    """Drives a Stage through a ScenePlan; `play`/`hold`/`jump` are supplied by the runner.

    `play(animations, frames)` draws them over `frames` frames, `hold(frames)` keeps the
    picture, `jump(animations)` brings them to their end without drawing (an action the
    plan left no frame for, or a beat before the segment being rendered)."""

    def __init__(self, plan: ScenePlan, fresh_layout: bool = False, framing: Framing | None = None) -> None:
        self.plan = plan
        self.stage = Stage(plan.scene, THEMES[plan.theme], plan.chain, plan.chain_index, fresh_layout)
        self.current: ActionSlot | None = None  # the slot being played, for observers
        # The camera: None stands still (the layout check measures the layout's own frame).
        self.framing = framing
        self.shot = framing.opening if framing is not None else WHOLE
        self.frame = new_frame(self.shot)
        self.move_frames = move_frames(plan.quality.fps)
        # What drawing told about the beats run: each slot's animations (class names), by
        # slot index, and whether anything was on screen for the closing fade.
        self.animated: dict[int, list[str]] = {}
        self.showing: bool | None = None

    def fixed(self) -> Callable[[Any], bool]:
        """Which mobjects stay put on screen while the camera moves (a band's words, and
        their parts: Manim hands the camera pieces of what moves, not whole elements)."""
        if self.framing is None or not self.framing.fixed:
            return lambda mobject: False
        members = {id(m) for name in self.framing.fixed if name in self.stage.drawings for m in self.stage.drawings[name].mobject.get_family()}
        return lambda mobject: id(mobject) in members

    def run(self, play: Play, hold: Hold, on_step: Any = None, remove: Any = lambda mobject: None, jump: Any = None) -> None:
        for beat in self.plan.beats:
            self.run_beat(beat, play, hold, on_step, remove, jump)

    def run_beat(self, beat: BeatPlan, play: Play, hold: Hold, on_step: Any = None, remove: Any = lambda mobject: None, jump: Any = None) -> None:
        """Exactly `beat.frames` frames: the beat's steps (vidgen.render.steps) drawn."""
        jump = jump or (lambda animations: play(animations, 1))
        self.asked: int | None = None  # the frames the action being played was asked to fill
        # The camera moves to this beat's shot at the beat's start, beside what happens first.
        move = self._move_to(self.framing.beats[beat.index]) if self.framing is not None else None
        animations: list[Any] = []
        on_screen: list[Any] = []

        def animated(slot: ActionSlot, asked: int) -> bool:
            nonlocal animations
            self.current, self.asked = slot, asked
            self.stage.at(slot.beat, slot.index)
            animations = ACTION_KINDS[slot.action.kind].animate(slot.action, self.stage, asked / self.plan.quality.fps)
            self.animated[slot.index] = [type(animation).__name__ for animation in animations]
            return bool(animations)

        def showing() -> bool:
            nonlocal on_screen
            on_screen = list(self.stage.on_screen().values())
            self.showing = bool(on_screen)
            return self.showing

        for step in beat_steps(self.plan, beat, move is not None, self.move_frames, animated, showing):
            if step.kind == PLAY:
                play([*animations, move(step.share)] if move is not None and step.share is not None else animations, step.frames)
            elif step.kind == JUMP:
                jump(animations)
            elif step.kind == MOVE and move is not None and step.frames:
                play([move(1.0)], step.frames)
            elif step.kind == MOVE and move is not None:
                jump([move(1.0)])
            elif step.kind == HOLD:
                hold(step.frames)
            elif step.kind == FADE:
                play([FadeOut(*on_screen)], step.frames)
                self.stage.visible.clear()
            elif step.kind == DONE:
                self.stage.finish_step(remove)
                if on_step:
                    on_step(step.slot, self.stage)

    def _move_to(self, shot: Shot) -> Callable[[float], Reframe] | None:
        """The camera's move to `shot` (made once its share of a play is known), or None."""
        if shot == self.shot:
            return None
        start, self.shot = self.shot, shot
        return lambda share: Reframe(self.frame, start, shot, share)


class StoryboardScene(Scene):
    """A Manim scene whose content is a ScenePlan (data), not code; with `beats`, only those
    beats are drawn (the ones before are advanced to their end without drawing)."""

    def __init__(self, plan: ScenePlan, beats: range | None = None, pieces: Pieces | None = None, **kwargs: Any) -> None:
        from manim.renderer.cairo_renderer import CairoRenderer

        from vidgen.render.encoding import HoldFriendlyWriter

        self.plan = plan
        self.beats = beats if beats is not None else range(len(plan.beats))
        self.pieces = pieces if len(self.beats) == 1 else None
        self.framing = framing_of(plan)
        camera = FramingCamera if self.framing.moves else None  # a still camera costs nothing
        kwargs.setdefault("renderer", CairoRenderer(file_writer_class=HoldFriendlyWriter, camera_class=camera))
        super().__init__(**kwargs)

    def get_moving_mobjects(self, *animations: Any) -> list[Any]:
        """Everything moves on screen while the camera does (as Manim's MovingCameraScene)."""
        moving = super().get_moving_mobjects(*animations)
        if self.framing.moves and any(isinstance(animation, Reframe) for animation in animations):
            return list_update(self.mobjects, moving)
        return moving

    def construct(self) -> None:
        fps = self.plan.quality.fps
        timeline = Timeline(self.plan, framing=self.framing if self.framing.moves else None)
        if self.framing.moves:
            self.camera.frame = timeline.frame
            self.camera.fixed_in_frame = timeline.fixed
        self.camera.background_color = timeline.stage.theme.background
        if len(self.beats) == 1:  # a segment: its key frames are kept as drawn (see render_segment)
            self.renderer.file_writer.keep = frozenset(self.plan.key_frames_in(self.beats.start))
        for mobject in timeline.stage.on_screen().values():
            self.add(mobject)

        writer, pieces = self.renderer.file_writer, self.pieces

        def step(kind: str, animations: list[Any] | tuple[()] = (), frames: int | None = None) -> Path | None:
            """The kept piece this step makes (None: pieces are not kept)."""
            if pieces is None:
                return None
            slot = timeline.current if timeline.current is not None and timeline.current.beat == self.beats.start else None
            return pieces.next(kind, slot.index if slot else None, timeline.asked, frames, [type(a).__name__ for a in animations])

        def play(animations: list[Any], frames: int) -> None:
            piece = step("play", animations, frames)
            if piece is not None and Pieces.found(piece):
                self.advance(animations)
                self._reuse(piece, frames, lambda index: frame_of(piece, index))
                return
            self.play(*animations, run_time=(frames - 0.5) / fps)
            self._keep(piece)

        def hold(frames: int) -> None:
            piece = step("hold")
            if piece is not None and Pieces.found(piece):
                movie = Path(writer.partial_movie_directory) / f"held_{self.renderer.num_plays:05}.mp4"
                movie.parent.mkdir(parents=True, exist_ok=True)
                try:
                    retime_hold(piece, movie, frames, fps)
                except Unsupported:
                    pass  # drawn again below
                else:
                    self._reuse(movie, frames, lambda index: self._picture())
                    return
            self.wait((frames + 0.5) / fps, frozen_frame=True)
            self._keep(piece)

        def jump(animations: list[Any]) -> None:
            step("jump", animations)
            self.advance(animations)

        for beat in self.plan.beats[: self.beats.stop]:
            if beat.index in self.beats:
                timeline.run_beat(beat, play, hold, remove=self.remove, jump=jump)
            else:
                timeline.run_beat(beat, lambda animations, frames: self.advance(animations), lambda frames: None, remove=self.remove, jump=self.advance)
        if pieces is not None:  # what only drawing knew, for putting the beat together again without drawing
            pieces.note({slot.index: timeline.animated[slot.index] for slot in self.plan.slots if slot.beat == self.beats.start}, timeline.showing)

    def _reuse(self, movie: Path, frames: int, picture: Callable[[int], Any]) -> None:
        """A kept piece in place of the next play's partial movie."""
        self.renderer.file_writer.reuse(movie, frames, picture)
        self.renderer.num_plays += 1  # Manim finds each play's partial movie by its number
        if self.pieces is not None:
            self.pieces.reused += 1

    def _keep(self, piece: Path | None) -> None:
        """Keep the partial movie just drawn as `piece` (None: pieces are not kept)."""
        if piece is not None and self.pieces is not None:
            self.renderer.file_writer.to_keep.append((self.renderer.num_plays - 1, piece))
            self.pieces.drawn += 1

    def _picture(self) -> Any:
        """The picture on screen now, drawn whole (a held frame's, as `wait` draws it)."""
        self.renderer.static_image = None
        self.renderer.update_frame(self)
        return self.renderer.get_frame()

    def advance(self, animations: list[Any]) -> None:
        """Play `animations` to their end without drawing a frame: what Manim's own skipping
        (`-n`) does inside `play`, without the renderer's frame captures."""
        self.compile_animation_data(*animations)
        self.begin_animations()
        self.update_to_time(self.duration)
        for animation in self.animations:
            animation.finish()
            animation.clean_up_from_scene(self)
        self.animations = None
