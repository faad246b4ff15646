"""move: re-place an element (to a named place) and/or scale it, in one smooth motion."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field, model_validator

from vidgen.actions.base import ActionSpec, Effect, Timing
from vidgen.storyboard.common import Name, PlaceText
from vidgen.storyboard.places import parse_place
from vidgen.storyboard.refs import Ref


class MoveSpec(ActionSpec):
    """Move an element to a place, scale it, or both."""

    kind: ClassVar[str] = "move"

    move: Name
    to: PlaceText | None = Field(None, description="The new place (default: stay where it is).")
    scale: float | None = Field(None, gt=0.1, le=4, description="Multiply the element's size by this.")

    @model_validator(mode="after")
    def _does_something(self) -> "MoveSpec":
        if self.to is None and self.scale is None:
            raise ValueError("move needs 'to' (a place), 'scale', or both")
        return self


class MoveKind:
    spec = MoveSpec
    summary = "Move an element to another place and/or scale it."
    joins = True  # it animates from one element to another (vidgen.render.camera)

    def timing(self, spec: MoveSpec, elements: Any) -> Timing:
        return Timing(natural=1.2, minimum=0.5, maximum=2.0)

    def refs(self, spec: MoveSpec) -> list[tuple[str, Ref]]:
        refs = [("move", Ref(spec.move))]
        if spec.to and parse_place(spec.to).target:
            refs.append(("to", parse_place(spec.to).target))
        return refs

    def effect(self, spec: MoveSpec) -> Effect:
        return Effect(needs=(spec.move,))

    def animate(self, spec: MoveSpec, stage: Any, run_time: float) -> list[Any]:
        from manim import AnimationGroup, FadeIn, FadeOut, MoveToTarget

        mobject = stage.mobject(spec.move)
        mobject.generate_target()
        arc = stage.move(spec.move, mobject.target)  # the layout knows where (and how large) it lands
        if arc is not None:
            return [MoveToTarget(mobject, path_arc=arc, run_time=run_time)]
        # Every way there passes over something: fade out here and in there instead.
        ghost = mobject.copy()
        mobject.become(mobject.target)
        stage.leftovers.append(ghost)
        return [AnimationGroup(FadeOut(ghost), FadeIn(mobject), run_time=run_time)]
