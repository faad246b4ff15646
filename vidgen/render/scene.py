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
from typing import Any

from manim import FadeOut, Scene

from vidgen.actions import ACTION_KINDS
from vidgen.plan import ActionSlot, BeatPlan, ScenePlan
from vidgen.render.stage import Stage
from vidgen.theme import THEMES

Play = Callable[[list[Any], int], None]
Hold = Callable[[int], None]


class Timeline:
    """Drives a Stage through a ScenePlan; `play`/`hold`/`jump` are supplied by the runner.

    `play(animations, frames)` draws them over `frames` frames, `hold(frames)` keeps the
    picture, `jump(animations)` brings them to their end without drawing (an action the
    plan left no frame for, or a beat before the segment being rendered)."""

    def __init__(self, plan: ScenePlan, fresh_layout: bool = False) -> None:
        self.plan = plan
        self.stage = Stage(plan.scene, THEMES[plan.theme], plan.chain, plan.chain_index, fresh_layout)
        self.current: ActionSlot | None = None  # the slot being played, for observers

    def run(self, play: Play, hold: Hold, on_step: Any = None, remove: Any = lambda mobject: None, jump: Any = None) -> None:
        for beat in self.plan.beats:
            self.run_beat(beat, play, hold, on_step, remove, jump)

    def run_beat(self, beat: BeatPlan, play: Play, hold: Hold, on_step: Any = None, remove: Any = lambda mobject: None, jump: Any = None) -> None:
        """Exactly `beat.frames` frames: the beat's actions in storyboard order, holds
        between them, and (last beat) the scene's closing fade."""
        jump = jump or (lambda animations: play(animations, 1))
        frame, end = beat.start, beat.start + beat.frames
        for slot in sorted((s for s in self.plan.slots if s.beat == beat.index), key=lambda s: (s.start, s.index)):
            start = max(slot.start, frame)
            if start > frame:
                hold(start - frame)
            self.current = slot
            self.stage.at(slot.beat, slot.index)
            animations = ACTION_KINDS[slot.action.kind].animate(slot.action, self.stage, max(1, slot.end - start) / self.plan.quality.fps)
            frames = min(max(1, slot.end - start), end - start)
            if animations and frames > 0:
                play(animations, frames)
            elif animations:
                jump(animations)  # no frame left in the beat: the state still changes
            elif frames > 0:
                hold(frames)
            self.stage.finish_step(remove)
            frame = start + max(frames, 0)
            if on_step:
                on_step(slot, self.stage)
        if beat.index == len(self.plan.beats) - 1:
            outro_start = self.plan.frames - self.plan.outro_frames
            on_screen = list(self.stage.on_screen().values())
            if self.plan.outro_frames and on_screen and frame <= outro_start:
                if outro_start > frame:
                    hold(outro_start - frame)
                play([FadeOut(*on_screen)], self.plan.outro_frames)
                self.stage.visible.clear()
                frame = end
        if end > frame:
            hold(end - frame)


class StoryboardScene(Scene):
    """A Manim scene whose content is a ScenePlan (data), not code; with `beats`, only those
    beats are drawn (the ones before are advanced to their end without drawing)."""

    def __init__(self, plan: ScenePlan, beats: range | None = None, **kwargs: Any) -> None:
        from manim.renderer.cairo_renderer import CairoRenderer

        from vidgen.render.encoding import HoldFriendlyWriter

        self.plan = plan
        self.beats = beats if beats is not None else range(len(plan.beats))
        kwargs.setdefault("renderer", CairoRenderer(file_writer_class=HoldFriendlyWriter))
        super().__init__(**kwargs)

    def construct(self) -> None:
        fps = self.plan.quality.fps
        timeline = Timeline(self.plan)
        self.camera.background_color = timeline.stage.theme.background
        for mobject in timeline.stage.on_screen().values():
            self.add(mobject)

        def play(animations: list[Any], frames: int) -> None:
            self.play(*animations, run_time=(frames - 0.5) / fps)

        def hold(frames: int) -> None:
            self.wait((frames + 0.5) / fps, frozen_frame=True)

        for beat in self.plan.beats[: self.beats.stop]:
            if beat.index in self.beats:
                timeline.run_beat(beat, play, hold, remove=self.remove, jump=self.advance)
            else:
                timeline.run_beat(beat, lambda animations, frames: self.advance(animations), lambda frames: None, remove=self.remove, jump=self.advance)

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
