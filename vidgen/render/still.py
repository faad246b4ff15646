"""Stills: a picture of a scene just after a given action, without encoding any video.

Used by tests (assert on pixels in milliseconds) and by the writers' guide (a picture of
every element and action)."""

from __future__ import annotations

from typing import Any

from vidgen.plan import ScenePlan
from vidgen.render.dry import dry_run


class _Photographed(Exception):
    """Stops the dry run once the picture is taken: the rest of the scene is not needed."""


def render_still(plan: ScenePlan, after: int | None = None) -> tuple[Any, Any]:
    """A PIL image of the scene after its `after`-th action (0-based; None: after the last),
    and the Stage at that moment (to find where things are)."""
    from PIL import Image

    from vidgen.render.camera import FramingCamera, framing_of
    from vidgen.render.scene import Timeline

    target = len(plan.slots) - 1 if after is None else after
    shots: list[Any] = []
    stages: list[Any] = []

    def photograph(timeline: Any, canvas: Any, slot: Any) -> None:
        if timeline.current is not None and plan.slots.index(timeline.current) == target and not shots:
            camera = FramingCamera(pixel_width=plan.quality.width, pixel_height=plan.quality.height, background_color=timeline.stage.theme.background)
            camera.frame, camera.fixed_in_frame = timeline.frame, timeline.fixed  # after __init__, which resets the frame's size
            camera.capture_mobjects(canvas.mobjects)
            shots.append(Image.fromarray(camera.pixel_array).convert("RGB"))
            stages.append(timeline.stage)
            raise _Photographed

    try:
        dry_run(plan, (1.0,), lambda timeline, canvas, alpha: None, photograph, Timeline(plan, framing=framing_of(plan)))
    except _Photographed:
        pass
    if not shots:
        raise ValueError(f"scene {plan.id!r} has no action {target}")
    return shots[0], stages[0]


def to_pixel(point: Any, size: tuple[int, int]) -> tuple[int, int]:
    """Where a point in Manim units lands in an image of `size` (width, height)."""
    from vidgen.render.frame import FRAME_HEIGHT, FRAME_WIDTH

    width, height = size
    return (round((point[0] / FRAME_WIDTH + 0.5) * (width - 1)), round((0.5 - point[1] / FRAME_HEIGHT) * (height - 1)))
