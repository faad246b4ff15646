"""Measuring drawn elements: the box an element needs at its largest over the scene, the
boxes of the parts others are placed against, and how far it may shrink or grow.

Words keep the theme's type sizes (they shrink only as far as they stay readable);
diagrams — vectors, tables, networks, pictures — grow to use the room they get, up to a
size where their own words are still smaller than a title.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from vidgen.elements import ELEMENT_KINDS
from vidgen.layout.box import Box
from vidgen.storyboard.refs import Ref, Slice

MIN_FONT_SIZE = 20  # smaller text is unreadable at 854x480 (the layout check enforces it)
MAX_FONT_SIZE = 54  # a diagram grows until its largest words are nearly a title's size
MIN_SCALE_WITHOUT_WORDS = 0.45
MARKER_ROOM = 0.12  # a highlight marker stands this far proud of what it marks
MATH_TO_TEXT = 0.65  # LaTeX at font size n looks as large as text at 0.65 n (x-height, measured)


def bounds(mobject: Any) -> Box:
    """The box of everything drawn in `mobject`."""
    points = [m.points for m in mobject.family_members_with_points()]
    if not points:
        x, y, _ = mobject.get_center()
        return Box(x, x, y, y)
    stacked = np.concatenate(points)
    return Box(float(stacked[:, 0].min()), float(stacked[:, 0].max()), float(stacked[:, 1].min()), float(stacked[:, 1].max()))


def resolve_part(drawing: Any, spec: Any, ref: Ref) -> Any:
    """The mobject a reference names inside one drawing; a slice becomes a group."""
    from manim import VGroup

    if ref.is_whole:
        return drawing.mobject
    part = ref.part or ELEMENT_KINDS[spec.kind].default_part
    target: Any = drawing.parts[part]
    for index in ref.indices:
        if isinstance(index, tuple):
            target = target[index[0]][index[1]]
        elif isinstance(index, Slice):
            target = VGroup(*(target[i] for i in index.indices(len(target))))
        else:
            target = target[index]
    return target


def font_sizes(mobject: Any) -> list[float]:
    """The sizes of the visible words in `mobject` (text, and LaTeX as the text it looks like)."""
    from manim import SingleStringMathTex, Text

    sizes = []
    for member in mobject.get_family():
        if isinstance(member, Text) and member.text.strip() and member.get_fill_opacity() > 0:
            sizes.append(float(member.font_size))
        elif isinstance(member, SingleStringMathTex):
            sizes.append(float(member.font_size) * MATH_TO_TEXT)
    return sizes


@dataclass(frozen=True)
class Measure:
    """An element as drawn (at its spec's scale), in boxes relative to its mobject's centre."""

    envelope: Box  # everything it may show over the scene: markers and widest values included
    body: Box  # what it shows now
    anchor: Box | None  # the part neighbours align with (cells, layers, a box's frame)
    smallest: float  # scale limits, relative to the drawn size
    largest: float
    parts: dict[str, Box] = field(default_factory=dict)

    @property
    def width(self) -> float:
        return self.envelope.width

    @property
    def height(self) -> float:
        return self.envelope.height


def measure(drawing: Any, spec: Any, theme: Any, actions: list[Any], highlighted: bool, refs: list[Ref]) -> Measure:
    kind = ELEMENT_KINDS[spec.kind]
    mobject = drawing.mobject
    cx, cy, _ = mobject.get_center()
    body = bounds(mobject).shifted(-cx, -cy)
    envelope = body
    grown = getattr(kind, "largest_bounds", None)
    if grown is not None:
        extra = grown(spec, drawing, theme, actions)
        if extra is not None:
            envelope = envelope.union(extra.shifted(-cx, -cy))
    if highlighted:
        envelope = envelope.grown(MARKER_ROOM)
    anchor_name = getattr(kind, "anchor", None)
    anchor = bounds(drawing.parts[anchor_name]).shifted(-cx, -cy) if anchor_name and anchor_name in drawing.parts else None
    parts = {}
    for ref in refs:
        try:
            parts[str(ref)] = bounds(resolve_part(drawing, spec, ref)).shifted(-cx, -cy)
        except (KeyError, IndexError, TypeError):
            continue  # a reference the loader reports; nothing to measure
    sizes = font_sizes(mobject)
    smallest = MIN_FONT_SIZE / min(sizes) if sizes else MIN_SCALE_WITHOUT_WORDS
    growth = float(getattr(kind, "grows", 1.0))  # how far a kind may grow (words: not at all)
    largest = min(growth, MAX_FONT_SIZE / max(sizes)) if sizes else growth
    # Words set below the readable size may grow to it, whatever their kind.
    return Measure(envelope, body, anchor, smallest, max(largest, smallest), parts)
