"""show / hide: bring whole elements on screen (fade, write, create, grow) or take them off.

Parts are never shown or hidden on their own: Manim removes a submobject by breaking up
its parent's family, which would make later moves of the element miss pieces. A part
draws attention with `highlight` instead.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field

from vidgen.actions.base import ActionSpec, Effect, Timing
from vidgen.storyboard.common import NameList
from vidgen.storyboard.refs import Ref

ShowStyle = Literal["fade", "write", "create", "grow"]


class ShowSpec(ActionSpec):
    """Bring one or more elements on screen, together."""

    kind: ClassVar[str] = "show"

    show: NameList
    style: ShowStyle | None = Field(None, description="How it appears; default depends on the element kind.")


def appear(stage: Any, name: str, style: str) -> Any:
    """The animation that brings element `name` on screen in the given style."""
    from manim import UP, AnimationGroup, Arrow, Create, FadeIn, GrowArrow, GrowFromCenter, Write

    mobject = stage.enter(name)
    if style == "write":
        return Write(mobject)
    if style == "create":
        return Create(mobject)
    if style == "grow":
        line = stage.drawings[name].parts.get("line")
        if line is not None:  # an arrow grows from its tail (a bent one is drawn along its route); its label fades in
            grow = GrowArrow(line) if isinstance(line, Arrow) else Create(line)
            return AnimationGroup(grow, *(FadeIn(m) for m in mobject.submobjects if m is not line))
        return GrowFromCenter(mobject)
    return FadeIn(mobject, shift=UP * rise(mobject))


RISE = 0.25  # units an element rises as it fades in


def rise(mobject: Any) -> float:
    """How far an element rises as it fades in: RISE, but never from below the safe area.
    A readout at `bottom` rose from 0.25 units below it, and shown with others (each starts
    a little later) it was still more than the check's allowance below half-way in."""
    from vidgen.render.frame import HALF_HEIGHT
    from vidgen.render.stage import bounds

    return min(RISE, max(0.0, bounds(mobject)[2] + HALF_HEIGHT))


class ShowKind:
    spec = ShowSpec
    summary = "Bring elements on screen (fade, write, create or grow)."

    def timing(self, spec: ShowSpec, elements: Any) -> Timing:
        return Timing(natural=1.2, minimum=0.5, maximum=2.5)

    def refs(self, spec: ShowSpec) -> list[tuple[str, Ref]]:
        return [("show", Ref(name)) for name in spec.show]

    def effect(self, spec: ShowSpec) -> Effect:
        return Effect(shows=tuple(spec.show))

    def animate(self, spec: ShowSpec, stage: Any, run_time: float) -> list[Any]:
        from manim import LaggedStart

        animations = [appear(stage, name, spec.style or stage.default_show(name)) for name in spec.show]
        return [LaggedStart(*animations, lag_ratio=0.15, run_time=run_time)]


class HideSpec(ActionSpec):
    """Take elements off screen, together."""

    kind: ClassVar[str] = "hide"

    hide: NameList


class HideKind:
    spec = HideSpec
    summary = "Take elements off screen (fade out)."

    def timing(self, spec: HideSpec, elements: Any) -> Timing:
        return Timing(natural=0.8, minimum=0.4, maximum=1.5)

    def refs(self, spec: HideSpec) -> list[tuple[str, Ref]]:
        return [("hide", Ref(name)) for name in spec.hide]

    def effect(self, spec: HideSpec) -> Effect:
        return Effect(needs=tuple(spec.hide), hides=tuple(spec.hide))

    def animate(self, spec: HideSpec, stage: Any, run_time: float) -> list[Any]:
        from manim import AnimationGroup, FadeOut

        stage.visible.difference_update(spec.hide)
        return [AnimationGroup(*(FadeOut(stage.mobject(name)) for name in spec.hide), run_time=run_time)]


class GrowSpec(ActionSpec):
    """Bring elements on screen by growing them: an arrow from its tail, others from the centre."""

    kind: ClassVar[str] = "grow"

    grow: NameList


class GrowKind:
    spec = GrowSpec
    summary = "Grow an arrow (from its tail) or another element (from its centre) onto the screen."

    def timing(self, spec: GrowSpec, elements: Any) -> Timing:
        return Timing(natural=1.0, minimum=0.4, maximum=2.0)

    def refs(self, spec: GrowSpec) -> list[tuple[str, Ref]]:
        return [("grow", Ref(name)) for name in spec.grow]

    def effect(self, spec: GrowSpec) -> Effect:
        return Effect(shows=tuple(spec.grow))

    def animate(self, spec: GrowSpec, stage: Any, run_time: float) -> list[Any]:
        from manim import LaggedStart

        return [LaggedStart(*(appear(stage, name, "grow") for name in spec.grow), lag_ratio=0.15, run_time=run_time)]
