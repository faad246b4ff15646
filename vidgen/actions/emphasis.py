"""indicate: a brief pulse (or a circle drawn around) to point at something, no trace left."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field

from vidgen.actions.base import ActionSpec, Effect, Timing, elements_of, refs_of
from vidgen.storyboard.common import Color, RefList
from vidgen.storyboard.refs import Ref, parse_ref


class IndicateSpec(ActionSpec):
    """Point at elements or parts for a moment."""

    kind: ClassVar[str] = "indicate"

    indicate: RefList
    color: Color = "yellow"
    style: Literal["pulse", "circle"] = Field("pulse", description="pulse: grow and glow; circle: a circle drawn around.")


class IndicateKind:
    spec = IndicateSpec
    summary = "Point at something for a moment (a pulse, or a circle drawn around it)."

    def timing(self, spec: IndicateSpec, elements: Any) -> Timing:
        return Timing(natural=1.0, minimum=0.4, maximum=1.6)

    def refs(self, spec: IndicateSpec) -> list[tuple[str, Ref]]:
        return refs_of("indicate", spec.indicate)

    def effect(self, spec: IndicateSpec) -> Effect:
        return Effect(needs=elements_of(spec.indicate))

    def animate(self, spec: IndicateSpec, stage: Any, run_time: float) -> list[Any]:
        from manim import AnimationGroup, Circumscribe, Indicate

        color = stage.theme.color(spec.color)
        targets = [stage.resolve(parse_ref(text)) for text in spec.indicate]
        if spec.style == "circle":
            animations = [Circumscribe(t, color=color, buff=0.12) for t in targets]
        else:
            # Big targets grow less: a whole table row at 1.12 would swell into its neighbours.
            animations = [Indicate(t, color=color, scale_factor=1 + min(0.12, 0.3 / max(t.width, t.height, 0.1))) for t in targets]
        return [AnimationGroup(*animations, run_time=run_time)]
