"""The compiler: a ScenePlan becomes a Manim Scene that plays it frame-exactly.

Manim writes ceil(run_time·fps) frames for a play and int(duration·fps) for a frozen
wait; asking for n∓½ frames' worth of time makes both exact, so every clip has exactly
the frames the plan gave it and the narration laid under it cannot drift.
"""

from __future__ import annotations

from typing import Any

from manim import FadeOut, Scene

from vidgen.actions import ACTION_KINDS
from vidgen.plan import ActionSlot, ScenePlan
from vidgen.render.stage import Stage
from vidgen.theme import THEMES


class Timeline:
    """Drives a Stage through a ScenePlan; `play`/`hold` are supplied by the runner."""

    def __init__(self, plan: ScenePlan, fresh_layout: bool = False) -> None:
        self.plan = plan
        self.stage = Stage(plan.scene, THEMES[plan.theme], plan.chain, plan.chain_index, fresh_layout)
        self.current: ActionSlot | None = None  # the slot being played, for observers

    def run(self, play: Any, hold: Any, on_step: Any = None, remove: Any = lambda mobject: None) -> None:
        frame = 0
        for slot in sorted(self.plan.slots, key=lambda s: (s.start, s.beat, s.index)):
            start = max(slot.start, frame)
            if start > frame:
                hold(start - frame)
            frames = max(1, slot.end - start)
            self.current = slot
            self.stage.at(slot.beat, slot.index)
            animations = ACTION_KINDS[slot.action.kind].animate(slot.action, self.stage, frames / self.plan.quality.fps)
            if animations:
                play(animations, frames)
            else:
                hold(frames)
            self.stage.finish_step(remove)
            frame = start + frames
            if on_step:
                on_step(slot, self.stage)
        outro_start = self.plan.frames - self.plan.outro_frames
        on_screen = list(self.stage.on_screen().values())
        if self.plan.outro_frames and on_screen and frame <= outro_start:
            if outro_start > frame:
                hold(outro_start - frame)
            play([FadeOut(*on_screen)], self.plan.outro_frames)
            self.stage.visible.clear()
            frame = self.plan.frames
        if self.plan.frames > frame:
            hold(self.plan.frames - frame)


class StoryboardScene(Scene):
    """A Manim scene whose content is a ScenePlan (data), not code."""

    def __init__(self, plan: ScenePlan, **kwargs: Any) -> None:
        from manim.renderer.cairo_renderer import CairoRenderer

        from vidgen.render.encoding import HoldFriendlyWriter

        self.plan = plan
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

        timeline.run(play, hold, remove=self.remove)
