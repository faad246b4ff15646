"""replace: one element fades into another, which takes its place."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from vidgen.actions.base import ActionSpec, Effect, Timing
from vidgen.storyboard.common import Name
from vidgen.storyboard.refs import Ref


class ReplaceSpec(ActionSpec):
    """Swap `replace` for `with`, which appears where `replace` was."""

    kind: ClassVar[str] = "replace"

    replace: Name
    with_: Name = Field(alias="with")


class ReplaceKind:
    spec = ReplaceSpec
    summary = "Swap one element for another, in the same place."

    def timing(self, spec: ReplaceSpec, elements: Any) -> Timing:
        return Timing(natural=1.0, minimum=0.4, maximum=2.0)

    def refs(self, spec: ReplaceSpec) -> list[tuple[str, Ref]]:
        return [("replace", Ref(spec.replace)), ("with", Ref(spec.with_))]

    def effect(self, spec: ReplaceSpec) -> Effect:
        return Effect(needs=(spec.replace,), shows=(spec.with_,), hides=(spec.replace,))

    def animate(self, spec: ReplaceSpec, stage: Any, run_time: float) -> list[Any]:
        from manim import FadeTransform

        old = stage.mobject(spec.replace)
        new = stage.mobject(spec.with_)
        stage.visible.discard(spec.replace)
        stage.visible.add(spec.with_)
        new.move_to(old.get_center())
        return [FadeTransform(old, new, run_time=run_time)]
