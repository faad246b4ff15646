"""Run a scene's timeline without encoding video: animations are stepped to chosen
moments on a Scene that never renders. The layout check measures those moments; stills
photograph them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from manim import Scene

from vidgen.plan import ActionSlot, ScenePlan
from vidgen.render.scene import Timeline


def dry_run(
    plan: ScenePlan,
    alphas: Sequence[float],
    on_moment: Callable[[Timeline, Scene, float], None],
    on_step: Callable[[Timeline, Scene, ActionSlot], None] = lambda timeline, canvas, slot: None,
    timeline: Timeline | None = None,
) -> Timeline:
    """Step every animation through `alphas`, calling `on_moment` at each, and `on_step`
    once each action has finished."""
    timeline = timeline or Timeline(plan)
    canvas = Scene()
    canvas.add(*timeline.stage.on_screen().values())

    def play(animations: list[Any], frames: int) -> None:
        canvas.add_mobjects_from_animations(animations)
        for animation in animations:
            animation._setup_scene(canvas)
            animation.begin()
        for alpha in alphas:
            for animation in animations:
                animation.interpolate(alpha)
            on_moment(timeline, canvas, alpha)
        for animation in animations:
            animation.finish()
            animation.clean_up_from_scene(canvas)

    timeline.run(play, lambda frames: None, lambda slot, stage: on_step(timeline, canvas, slot), canvas.remove)
    return timeline
