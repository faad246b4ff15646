"""highlight / unhighlight: mark cells, neurons or layers with a box that stays.

A marker becomes part of its element, so it moves, scales and hides with it. A slice
(`ratings[1:4]`) or a list marks each item separately; anything else gets one marker.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from vidgen.actions.base import ActionSpec, Effect, Timing, elements_of, refs_of
from vidgen.storyboard.common import Color, RefList
from vidgen.storyboard.refs import Ref, Slice, parse_ref


class HighlightSpec(ActionSpec):
    """Draw a marker around each referenced part; it stays until unhighlighted."""

    kind: ClassVar[str] = "highlight"

    highlight: RefList
    color: Color = Field("yellow", description="Marker colour.")


STROKE_UNIT = 0.01  # Manim draws a stroke of width w as w / 100 units wide, centred on its path
MARKER_STROKE = 6  # a marker's stroke width
# How far a marker's ink reaches past what it marks: its distance plus the half of its stroke
# outside its path. The layout keeps this much room round a highlighted element
# (vidgen.layout.measure), so a marker drawn at the safe area's edge stays inside it. (A box
# 0.1 away reached 0.13, past the 0.12 kept, and poked out of the safe area.)
MARKER_REACH = 0.12
MARKER_BUFF = MARKER_REACH - MARKER_STROKE * STROKE_UNIT / 2  # a box marker's distance from what it marks
RING_GAP = MARKER_BUFF  # a ring's from its neuron
WORDS_PAD = (0.16, MARKER_BUFF)  # across, and up and down: a marker around words (a list item, a whole box)


def marker_for(mobject: Any, color: str) -> Any:
    """A ring around a neuron, a tinted border on a cell, a rounded box around anything else.

    Cells sit a few hundredths of a unit apart, so their markers hug the cell's own square
    (no buffer) to keep neighbouring markers from overlapping. Words get more room across
    than up and down: a line of letters ends in a full-height glyph, where a box the same
    distance away looks as if it touched (an item's bullet, on the other side, is small).
    """
    from manim import Circle, SurroundingRectangle, VGroup

    if isinstance(mobject, Circle):
        return Circle(radius=mobject.width / 2 + RING_GAP, color=color, stroke_width=MARKER_STROKE).move_to(mobject)
    if _is_cell(mobject):  # a cell: its own frame, tinted
        return mobject[0].copy().set_stroke(color, width=MARKER_STROKE + 1, opacity=1).set_fill(color, opacity=0.22)
    if isinstance(mobject, VGroup) and len(mobject) and _is_cell(mobject[0]):
        # A row or column of cells gets a snug box that stays off the neighbouring rows.
        return SurroundingRectangle(mobject, color=color, buff=0.03, corner_radius=0.06, stroke_width=MARKER_STROKE)
    # Anything else, a whole box (frame, title and text) included, is marked around: a
    # box's frame is not a cell's, and tinting it would recolour the box, not mark it.
    return SurroundingRectangle(mobject, color=color, buff=WORDS_PAD if marks_words(mobject) else MARKER_BUFF, corner_radius=0.06, stroke_width=MARKER_STROKE)


def marks_words(mobject: Any) -> bool:
    """Whether a marker for `mobject` goes round words, padded WORDS_PAD (the layout
    reserves its reach: vidgen.layout.measure.WORDS_MARKER_ROOM)."""
    from manim import Circle, Text, VGroup

    if isinstance(mobject, Circle) or _is_cell(mobject) or (isinstance(mobject, VGroup) and len(mobject) > 0 and _is_cell(mobject[0])):
        return False
    return any(isinstance(member, Text) for member in mobject.get_family())


def _is_cell(mobject: Any) -> bool:
    """A table's, vector's or matrix's cell: a square frame with its value."""
    from manim import Rectangle, RoundedRectangle, VGroup

    return isinstance(mobject, VGroup) and len(mobject) > 0 and isinstance(mobject[0], Rectangle) and not isinstance(mobject[0], RoundedRectangle)


def targets(stage: Any, ref: Ref) -> list[Any]:
    """The mobjects a reference marks: each item of a slice, or the one thing named."""
    resolved = stage.resolve(ref)
    if ref.indices and isinstance(ref.indices[-1], Slice):
        return list(resolved)
    return [resolved]


class HighlightKind:
    spec = HighlightSpec
    summary = "Mark cells, neurons or layers with a box that stays."

    def timing(self, spec: HighlightSpec, elements: Any) -> Timing:
        return Timing(natural=0.9, minimum=0.4, maximum=1.5)

    def refs(self, spec: HighlightSpec) -> list[tuple[str, Ref]]:
        return refs_of("highlight", spec.highlight)

    def effect(self, spec: HighlightSpec) -> Effect:
        return Effect(needs=elements_of(spec.highlight))

    def animate(self, spec: HighlightSpec, stage: Any, run_time: float) -> list[Any]:
        from manim import Create, LaggedStart

        color = stage.theme.color(spec.color)
        animations = []
        for text in spec.highlight:
            ref = parse_ref(text)
            for target in targets(stage, ref):
                marker = marker_for(target, color)
                stage.add_marker(ref.element, text, marker)
                animations.append(Create(marker))
        return [LaggedStart(*animations, lag_ratio=0.2, run_time=run_time)]


class UnhighlightSpec(ActionSpec):
    """Remove the markers drawn by `highlight` for these references (or all of an element's)."""

    kind: ClassVar[str] = "unhighlight"

    unhighlight: RefList


class UnhighlightKind:
    spec = UnhighlightSpec
    summary = "Remove highlight markers."

    def timing(self, spec: UnhighlightSpec, elements: Any) -> Timing:
        return Timing(natural=0.6, minimum=0.3, maximum=1.0)

    def refs(self, spec: UnhighlightSpec) -> list[tuple[str, Ref]]:
        return refs_of("unhighlight", spec.unhighlight)

    def effect(self, spec: UnhighlightSpec) -> Effect:
        return Effect(needs=elements_of(spec.unhighlight))

    def animate(self, spec: UnhighlightSpec, stage: Any, run_time: float) -> list[Any]:
        from manim import AnimationGroup

        # Fading the stroke (rather than FadeOut) keeps Manim from restructuring the
        # element's family; the markers are detached once the step is over.
        markers = [m for text in spec.unhighlight for m in stage.take_markers(parse_ref(text))]
        return [AnimationGroup(*(m.animate.set_stroke(opacity=0).set_fill(opacity=0) for m in markers), run_time=run_time)] if markers else []
