"""transform: one element (or a copy of a part) morphs into another element.

A whole element is replaced (it leaves the screen); a part is copied first so its
element stays intact, as when the decoder's last layer becomes the output vector.
"""

from __future__ import annotations

from typing import Any, ClassVar

from vidgen.actions.base import ActionSpec, Effect, Timing
from vidgen.storyboard.common import Name, RefText
from vidgen.storyboard.refs import Ref, parse_ref


class TransformSpec(ActionSpec):
    """Morph `transform` (an element or a part) into the element `into`."""

    kind: ClassVar[str] = "transform"

    transform: RefText
    into: Name


class TransformKind:
    spec = TransformSpec
    summary = "Morph an element, or a copy of a part, into another element."
    joins = True  # it animates from one element to another (vidgen.render.camera)

    def timing(self, spec: TransformSpec, elements: Any) -> Timing:
        return Timing(natural=1.5, minimum=0.6, maximum=2.5)

    def refs(self, spec: TransformSpec) -> list[tuple[str, Ref]]:
        return [("transform", parse_ref(spec.transform)), ("into", Ref(spec.into))]

    def effect(self, spec: TransformSpec) -> Effect:
        source = parse_ref(spec.transform)
        return Effect(needs=(source.element,), shows=(spec.into,), hides=(source.element,) if source.is_whole else ())

    def animate(self, spec: TransformSpec, stage: Any, run_time: float) -> list[Any]:
        from manim import ReplacementTransform

        source_ref = parse_ref(spec.transform)
        source = stage.resolve(source_ref)
        if source_ref.is_whole:
            stage.visible.discard(source_ref.element)
        else:
            source = source.copy()
        return [ReplacementTransform(source, stage.enter(spec.into), run_time=run_time)]
