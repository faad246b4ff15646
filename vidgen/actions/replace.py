"""replace: one element (or several, merging) fades into another, which takes its place."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from vidgen.actions.base import ActionSpec, Effect, Timing
from vidgen.storyboard.common import Name, NameList
from vidgen.storyboard.refs import Ref


class ReplaceSpec(ActionSpec):
    """Swap `replace` (one element or several) for `with`, which appears where they were
    (or at its own place, when it names one)."""

    kind: ClassVar[str] = "replace"

    replace: NameList
    with_: Name = Field(alias="with")


class ReplaceKind:
    spec = ReplaceSpec
    summary = "Swap one element for another, in the same place."
    joins = True  # it animates from one element to another (vidgen.render.camera)

    def timing(self, spec: ReplaceSpec, elements: Any) -> Timing:
        return Timing(natural=1.0, minimum=0.4, maximum=2.0)

    def refs(self, spec: ReplaceSpec) -> list[tuple[str, Ref]]:
        return [("replace", Ref(name)) for name in spec.replace] + [("with", Ref(spec.with_))]

    def effect(self, spec: ReplaceSpec) -> Effect:
        return Effect(needs=tuple(spec.replace), shows=(spec.with_,), hides=tuple(spec.replace))

    def animate(self, spec: ReplaceSpec, stage: Any, run_time: float) -> list[Any]:
        from manim import AnimationGroup, FadeIn, FadeOut, FadeTransform, VGroup, VMobject

        olds = [stage.mobject(name) for name in spec.replace]
        new = stage.enter(spec.with_)  # without a place of its own, the layout puts it on the old
        stage.visible.difference_update(spec.replace)
        if all(isinstance(m, VMobject) for m in (*olds, new)):
            return [FadeTransform(VGroup(*olds), new, run_time=run_time)]
        # An image is a Group of pixels, not of curves: FadeTransform cannot stretch one onto
        # the other and fails restoring the old one (Mobject.interpolate_color), so crossfade.
        return [AnimationGroup(*(FadeOut(m) for m in olds), FadeIn(new), run_time=run_time)]
