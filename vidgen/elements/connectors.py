"""Connectors: elements drawn between or around others, so they have no place of their own.

An arrow runs from one element (or part) to another; a brace spans one side of an
element, with a label at its tip. They take their shape when they appear (`attach`),
from where their targets are at that moment.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field

from vidgen.elements.base import Drawing, ElementSpec
from vidgen.elements.typography import make_text, share_svg_sources
from vidgen.storyboard.common import RefList, RefText
from vidgen.storyboard.refs import PartShape, Ref, parse_ref
from vidgen.theme import Theme

Side = Literal["left", "right", "above", "below"]


class ArrowSpec(ElementSpec):
    """An arrow from one element (or part) to another, with an optional label."""

    kind: ClassVar[str] = "arrow"
    words: ClassVar[tuple[str, ...]] = ("label",)  # fields shown as text: translated in other cuts
    default_show: ClassVar[str] = "grow"

    arrow: list[RefText] = Field(min_length=2, max_length=2, description="[from, to]")
    label: str | None = Field(None, max_length=80)


def _direction(side: str) -> Any:
    from manim import DOWN, LEFT, RIGHT, UP

    return {"left": LEFT, "right": RIGHT, "above": UP, "below": DOWN}[side]


class ArrowKind:
    spec = ArrowSpec
    summary = "An arrow from one element or part to another (grows when shown)."
    default_part = None

    def refs(self, spec: ArrowSpec) -> list[tuple[str, Ref]]:
        return [("arrow", parse_ref(text)) for text in spec.arrow]

    def parts(self, spec: ArrowSpec) -> dict[str, PartShape]:
        return {"line": None, "label": None} if spec.label else {"line": None}

    def draw(self, spec: ArrowSpec, theme: Theme) -> Drawing:
        from manim import LEFT, RIGHT, Arrow, VGroup

        line = Arrow(LEFT, RIGHT, buff=0, color=theme.color(spec.color), stroke_width=5)
        parts: dict[str, Any] = {"line": line}
        group = VGroup(line)
        if spec.label:
            parts["label"] = make_text(spec.label, theme, size=theme.small_size, color=theme.muted)
            group.add(parts["label"])
        return Drawing(group, parts)

    def attach(self, spec: ArrowSpec, drawing: Drawing, stage: Any) -> None:
        import numpy as np
        from manim import Arrow

        source, target = (stage.resolve(parse_ref(text)) for text in spec.arrow)
        start, end = source.get_center(), target.get_center()
        direction = (end - start) / max(np.linalg.norm(end - start), 1e-6)
        start = _boundary(source, direction)
        end = _boundary(target, -direction)
        arrow = Arrow(start, end, buff=0.12, color=drawing.parts["line"].get_color(), stroke_width=5, max_tip_length_to_length_ratio=0.3, max_stroke_width_to_length_ratio=40)
        drawing.parts["line"].become(arrow)
        if "label" in drawing.parts:
            normal = np.array([-direction[1], direction[0], 0])
            if normal[1] < 0 or (abs(normal[1]) < 1e-6 and normal[0] < 0):
                normal = -normal  # labels sit above (or right of) the arrow
            label = drawing.parts["label"]
            label.move_to((start + end) / 2 + normal * (0.2 + max(label.height, label.width * abs(normal[0])) / 2))


def _boundary(mobject: Any, direction: Any) -> Any:
    """Where a ray from the centre of `mobject` in `direction` leaves its bounding box."""
    import numpy as np

    center = mobject.get_center()
    half = np.array([mobject.width / 2, mobject.height / 2, 0])
    scale = min((half[i] / abs(direction[i]) for i in (0, 1) if abs(direction[i]) > 1e-6), default=0.0)
    return center + direction * scale


class BraceSpec(ElementSpec):
    """A curly brace along one side of an element or part (or several together), labelled."""

    kind: ClassVar[str] = "brace"
    words: ClassVar[tuple[str, ...]] = ("label",)  # fields shown as text: translated in other cuts
    default_show: ClassVar[str] = "grow"

    brace: RefList
    side: Side = "below"
    label: str | None = Field(None, max_length=80)


class BraceKind:
    spec = BraceSpec
    summary = "A brace along one side of an element or part, with a label."
    default_part = None

    def refs(self, spec: BraceSpec) -> list[tuple[str, Ref]]:
        return [("brace", parse_ref(text)) for text in spec.brace]

    def parts(self, spec: BraceSpec) -> dict[str, PartShape]:
        return {"shape": None, "label": None} if spec.label else {"shape": None}

    def draw(self, spec: BraceSpec, theme: Theme) -> Drawing:
        from manim import VGroup

        group = VGroup()
        parts: dict[str, Any] = {"shape": VGroup()}
        if spec.label:
            parts["label"] = make_text(spec.label, theme, size=theme.label_size, color=theme.color(spec.color))
        group.add(parts["shape"], *([parts["label"]] if spec.label else []))
        return Drawing(group, parts)

    def attach(self, spec: BraceSpec, drawing: Drawing, stage: Any) -> None:
        from manim import Brace

        from vidgen.render.stage import group_of

        target = group_of([stage.resolve(parse_ref(text)) for text in spec.brace])
        direction = _direction(spec.side)
        shape = share_svg_sources(Brace(target, direction=direction, buff=0.15, color=stage.theme.color(spec.color)))
        drawing.parts["shape"].become(shape)
        if "label" in drawing.parts:
            drawing.parts["label"].next_to(shape, direction, buff=0.15)
