"""Connectors: elements drawn between or around others, so they have no place of their own.

An arrow runs from one element (or part) to another; a brace spans one side of an
element, with a label at its tip. They take their shape when they appear (`attach`),
from where their targets are at that moment.
"""

from __future__ import annotations

from typing import Any, ClassVar, Literal

import numpy as np
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
        """Route the arrow around whatever shares the screen with it (vidgen.layout.routing)
        and set its label beside it, clear of everything."""
        from manim import Arrow, Line

        from vidgen.layout.dock import SAFE
        from vidgen.layout.measure import bounds, fixed_words
        from vidgen.layout.routing import place_label, route

        name = next(n for n, d in stage.drawings.items() if d is drawing)
        ends = [parse_ref(text) for text in spec.arrow]
        met = [_met_part(stage, ref) for ref in ends]
        source, target = (bounds(stage.resolve(ref)) for ref in met)
        named = stage.obstacles(name, ends)
        owners = [bounds(stage.mobject(ref.element)) for ref in met if not ref.is_whole]
        words = tuple([bounds(word) for word in fixed_words(stage.drawings[ref.element], stage.spec(ref.element))] if ref.part is not None and ref.part == _meets(stage, ref) else [] for ref in met)
        path = route(source, target, [box for _, box in named], SAFE, owners, words)  # type: ignore[arg-type]
        together = _alongside(stage, name, met)
        if len(together) > 1:
            path = _in_lane(path, source, target, together.index(name), len(together))
        if not path.clear:
            crossed = sorted({n for n, box in named if _touches(path.points, box)})
            stage.note(_in_the_way(stage, name, spec, crossed), (name, *crossed))
        color = drawing.parts["line"].get_color()
        points = [np.array([x, y, 0.0]) for x, y in path.points]
        if len(points) == 2:
            line = Arrow(points[0], points[1], buff=0, color=color, stroke_width=5, max_tip_length_to_length_ratio=0.3, max_stroke_width_to_length_ratio=40)
            tip = line.get_tip()
        else:  # a bent route: one path with a tip, drawn from its tail
            line = Line(points[0], points[1], color=color, stroke_width=5)
            line.set_points_as_corners(points)
            # The path ends where the tip begins. (Manim's add_tip would refit the whole
            # path between its start and the tip's base, tilting every stretch of a bend.)
            tip = line.create_tip(tip_length=0.22, tip_width=0.22)
            line.set_points_as_corners([*points[:-1], tip.base])
            line.assign_tip_attr(tip, at_start=False)
            line.add(tip)
        group = drawing.mobject
        group.submobjects[group.submobjects.index(drawing.parts["line"])] = line
        drawing.parts["line"] = line
        if "label" in drawing.parts:
            label = drawing.parts["label"]
            beside = [bounds(stage.drawings[other].parts["line"]) for other in together if other in stage.visible]
            spot = place_label(path, label.width, label.height, [box for _, box in named] + [source, target] + owners + beside, SAFE, tip=bounds(tip))
            if spot is None:
                stage.note(f"arrow {name!r} has no clear place for its label {spec.label!r}; shorten it, or give the two ends more room", (name,))
                a, b = path.points[len(path.points) // 2 - 1], path.points[len(path.points) // 2]
                label.move_to([(a[0] + b[0]) / 2, (a[1] + b[1]) / 2 + label.height / 2 + 0.15, 0])
            else:
                label.move_to([*spot.center, 0])


def _alongside(stage: Any, name: str, met: list[Ref]) -> list[str]:
    """The scene's arrows joining the same two things as arrow `name` (either way round),
    `name` included, in the order they are declared."""
    ends = {str(ref) for ref in met}
    return [
        other for other, spec in stage.scene.elements.items()
        if isinstance(spec, ArrowSpec) and {str(_met_part(stage, parse_ref(text))) for text in spec.arrow} == ends
    ]  # fmt: skip


def _in_lane(path: Any, source: Any, target: Any, lane: int, lanes: int) -> Any:
    """A straight route between facing sides moved into its lane: the stretch the two ends
    share, split evenly, the first arrow declared on top (or on the left), as a sequence
    diagram reads. Other routes are left as they are."""
    from vidgen.layout.routing import Route

    if len(path.points) != 2:
        return path
    (x0, y0), (x1, y1) = path.points
    if abs(y0 - y1) < 1e-6:  # side by side: lanes are heights
        low, high = max(source.bottom, target.bottom), min(source.top, target.top)
        y = high - (lane + 0.5) * (high - low) / lanes
        return Route(((x0, y), (x1, y)), path.clear)
    if abs(x0 - x1) < 1e-6:  # one above the other: lanes are columns
        low, high = max(source.left, target.left), min(source.right, target.right)
        x = low + (lane + 0.5) * (high - low) / lanes
        return Route(((x, y0), (x, y1)), path.clear)
    return path


def _meets(stage: Any, ref: Ref) -> str | None:
    """The part of `ref`'s element that arrows meet (a box's frame, not its title), if any."""
    from vidgen.elements import ELEMENT_KINDS

    return getattr(ELEMENT_KINDS[stage.spec(ref.element).kind], "arrows_meet", None)


def _met_part(stage: Any, ref: Ref) -> Ref:
    """What an arrow's end meets: a whole element's `arrows_meet` part when its kind has one
    (an arrow to a box ends on its frame), else what the reference names."""
    part = _meets(stage, ref) if ref.is_whole else None
    return Ref(ref.element, part) if part else ref


def _in_the_way(stage: Any, name: str, spec: ArrowSpec, crossed: list[str]) -> str:
    """The finding for an arrow that cannot get round, with a place that clears its way."""
    from vidgen.layout.advice import clear_way

    names = ", ".join(repr(n) for n in crossed)
    fixes = [f"place {n!r} at `{place}`" for n in crossed if n in stage.scene.elements and (place := clear_way(stage.layout, name, n))]
    fix = " or ".join(fixes[:2]) or f"place {names} elsewhere, or the two ends side by side"
    return f"arrow {name!r} from {spec.arrow[0]!r} to {spec.arrow[1]!r} crosses {names}, which stand{'s' if len(crossed) == 1 else ''} between them with no way round; {fix}"


def _touches(points: Any, box: Any) -> bool:
    from vidgen.layout.routing import CLEARANCE, crosses

    return any(crosses(a, b, box.grown(CLEARANCE)) for a, b in zip(points, points[1:]))


class BraceSpec(ElementSpec):
    """A curly brace along one side of an element or part (or several together), labelled."""

    kind: ClassVar[str] = "brace"
    words: ClassVar[tuple[str, ...]] = ("label",)  # fields shown as text: translated in other cuts
    default_show: ClassVar[str] = "grow"

    brace: RefList
    side: Side = "below"
    label: str | None = Field(None, max_length=80)


def _own_words(spec: BraceSpec, stage: Any) -> list[Any]:
    """The labels of the elements whose parts the brace spans (a layer's label under the
    layer): the brace goes past them, as the layout reserved (vidgen.layout.compose)."""
    from vidgen.layout.measure import bounds, fixed_words

    boxes = []
    for ref in (parse_ref(text) for text in spec.brace):
        if not ref.is_whole:
            boxes += [bounds(word) for word in fixed_words(stage.drawings[ref.element], stage.spec(ref.element))]
    return boxes


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

        from vidgen.layout.box import reach_past
        from vidgen.layout.measure import bounds
        from vidgen.render.stage import group_of

        target = group_of([stage.resolve(parse_ref(text)) for text in spec.brace])
        direction = _direction(spec.side)
        spanned = bounds(target)
        beyond = reach_past(spanned, spec.side, _own_words(spec, stage))
        past = max(spanned.left - beyond.left, beyond.right - spanned.right, spanned.bottom - beyond.bottom, beyond.top - spanned.top)
        shape = share_svg_sources(Brace(target, direction=direction, buff=0.15 + past, color=stage.theme.color(spec.color)))
        drawing.parts["shape"].become(shape)
        if "label" in drawing.parts:
            drawing.parts["label"].next_to(shape, direction, buff=0.15)
