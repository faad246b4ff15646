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

from vidgen.actions.highlight import MARKER_BUFF, MARKER_REACH, STROKE_UNIT
from vidgen.elements import ELEMENT_KINDS
from vidgen.layout.box import Box
from vidgen.storyboard.refs import Ref, Slice, parse_ref

MIN_FONT_SIZE = 20  # smaller text is unreadable at 854x480 (the layout check enforces it)
MAX_FONT_SIZE = 54  # a diagram grows until its largest words are nearly a title's size
MIN_SCALE_WITHOUT_WORDS = 0.45
MARKER_ROOM = MARKER_REACH  # a highlight marker's ink reaches this far past what it marks (at least)
STROKE_ROOM = MARKER_REACH - MARKER_BUFF  # the half of a marker's stroke outside its path
WORDY_GROWTH = 1.4  # kinds that grow less than this are words, not diagrams
MATH_TO_TEXT = 0.65  # LaTeX at font size n looks as large as text at 0.65 n (x-height, measured)


def bounds(mobject: Any) -> Box:
    """The box of everything drawn in `mobject`."""
    points = [m.points for m in mobject.family_members_with_points()]
    if not points:
        x, y, _ = mobject.get_center()
        return Box(x, x, y, y)
    stacked = np.concatenate(points)
    return Box(float(stacked[:, 0].min()), float(stacked[:, 0].max()), float(stacked[:, 1].min()), float(stacked[:, 1].max()))


def ink_bounds(mobject: Any) -> Box:
    """The box of the ink `mobject` puts on screen: its paths, and the half of each stroke that lies outside its path (a cell's frame, a
    marker's six-wide line). What the layout check measures against the safe area."""
    lows, highs = [], []
    for member in mobject.family_members_with_points():
        reach = _stroke_reach(member)
        lows.append(member.points[:, :2].min(axis=0) - reach)
        highs.append(member.points[:, :2].max(axis=0) + reach)
    if not lows:
        x, y, _ = mobject.get_center()
        return Box(x, x, y, y)
    low, high = np.min(lows, axis=0), np.max(highs, axis=0)
    return Box(float(low[0]), float(high[0]), float(low[1]), float(high[1]))


def _stroke_reach(member: Any) -> float:
    """How far a member's stroke reaches outside its path (0 without a visible stroke)."""
    try:
        width = float(member.get_stroke_width())
    except AttributeError:  # a picture (ImageMobject) has no stroke
        return 0.0
    if width <= 0 or not np.any(np.asarray(member.get_stroke_opacities()) > 0):
        return 0.0
    return width * STROKE_UNIT / 2


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


def font_sizes(mobject: Any, skip: set[int] = frozenset()) -> list[float]:  # type: ignore[assignment]
    """The sizes of the words in `mobject` (text, and LaTeX as the text it looks like), but
    for those in `skip` (ids)."""
    from manim import SingleStringMathTex, Text

    sizes = []
    for member in mobject.get_family():
        if id(member) in skip:
            continue
        if isinstance(member, Text) and member.text.strip():  # a blank cell's stand-in too: a value comes
            sizes.append(float(member.font_size))
        elif isinstance(member, SingleStringMathTex):
            sizes.append(float(member.font_size) * MATH_TO_TEXT)
    return sizes


@dataclass(frozen=True)
class Word:
    """A label of a diagram that keeps its size while the diagram grows: its box and the
    side of the diagram it hangs on (it stays attached there)."""

    box: Box
    side: str  # above, below, left, right

    def attach(self, box: Box) -> tuple[float, float]:
        """The point of `box` (this word's, wherever it is) that touches the diagram."""
        return {
            "above": (box.center[0], box.bottom),
            "below": (box.center[0], box.top),
            "left": (box.right, box.center[1]),
            "right": (box.left, box.center[1]),
        }[self.side]

    def at(self, factor: float) -> Box:
        """Where the word's box is when the diagram is at `factor` and words at min(factor, 1)."""
        ax, ay = self.attach(self.box)
        own = min(factor, 1.0)
        return Box(
            (self.box.left - ax) * own + ax * factor,
            (self.box.right - ax) * own + ax * factor,
            (self.box.bottom - ay) * own + ay * factor,
            (self.box.top - ay) * own + ay * factor,
        )


@dataclass(frozen=True)
class Measure:
    """An element as drawn (at its spec's scale), in boxes relative to its mobject's centre."""

    body: Box  # what it shows now
    core: Box  # what scales with it: the body without its fixed words, widest values included
    anchor: Box | None  # the part neighbours align with (cells, layers, a box's frame)
    smallest: float  # scale limits, relative to the drawn size
    largest: float
    parts: dict[str, Box] = field(default_factory=dict)
    words: tuple[Word, ...] = ()
    margin: float = 0.0  # room for highlight markers around it
    reserve: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # kept clear: left, right, bottom, top
    wordy: bool = False  # words, not a diagram: shrinks to fit a room's width on its own

    def envelope_at(self, factor: float) -> Box:
        """Everything it may show over the scene, at `factor`: markers, widest values, and
        its fixed words at their own size."""
        box = self.core.scaled(factor)
        for word in self.words:
            box = box.union(word.at(factor))
        box = box.grown(self.margin)
        left, right, bottom, top = self.reserve
        return Box(box.left - left, box.right + right, box.bottom - bottom, box.top + top)

    @property
    def envelope(self) -> Box:
        return self.envelope_at(1.0)

    @property
    def width(self) -> float:
        return self.envelope.width

    @property
    def height(self) -> float:
        return self.envelope.height


def fixed_words(drawing: Any, spec: Any) -> list[Any]:
    """The mobjects of a diagram's labels that keep their size: each part its kind names in
    `fixed_words`, whole (a wrapped label moves as one), or item by item when named with
    `[]` (a network's layer labels, each under its own layer)."""
    items = []
    for name in getattr(ELEMENT_KINDS[spec.kind], "fixed_words", ()):
        each = name.endswith("[]")
        part = drawing.parts.get(name.removesuffix("[]"))
        if part is not None:
            items.extend(part.submobjects if each else [part])
    return items


def _side(word: Box, core: Box) -> str:
    """Which side of the diagram a label hangs on."""
    gaps = {"above": word.bottom - core.top, "below": core.bottom - word.top, "left": core.left - word.right, "right": word.left - core.right}
    return max(gaps, key=lambda side: gaps[side])


def measure(drawing: Any, spec: Any, theme: Any, actions: list[Any], highlighted: tuple[str, ...], refs: list[Ref]) -> Measure:
    """`highlighted`: the references that mark parts of it (or all of it)."""
    kind = ELEMENT_KINDS[spec.kind]
    mobject = drawing.mobject
    cx, cy, _ = mobject.get_center()
    body = bounds(mobject).shifted(-cx, -cy)
    labels = fixed_words(drawing, spec)
    inside = {id(m) for label in labels for m in label.get_family()}
    kept = [m.points for m in mobject.family_members_with_points() if id(m) not in inside]
    core = _points_box(kept).shifted(-cx, -cy) if kept else body
    grown = getattr(kind, "largest_bounds", None)
    if grown is not None:
        extra = grown(spec, drawing, theme, actions)
        if extra is not None:
            core = core.union(extra.shifted(-cx, -cy))
    words = tuple(Word(box, _side(box, core)) for box in (bounds(label).shifted(-cx, -cy) for label in labels))
    anchor_name = getattr(kind, "anchor", None)
    anchor = bounds(drawing.parts[anchor_name]).shifted(-cx, -cy) if anchor_name and anchor_name in drawing.parts else None
    parts = {}
    for ref in refs:
        try:
            parts[str(ref)] = bounds(resolve_part(drawing, spec, ref)).shifted(-cx, -cy)
        except (KeyError, IndexError, TypeError):
            continue  # a reference the loader reports; nothing to measure
    sizes = font_sizes(mobject)
    scaled_sizes = font_sizes(mobject, skip=inside)
    # (text squeezed to nothing, in a frame narrower than its padding, can never be read)
    smallest = MIN_FONT_SIZE / max(min(sizes), 1e-6) if sizes else MIN_SCALE_WITHOUT_WORDS
    growth = float(getattr(kind, "grows", 1.0))  # how far a kind may grow (words: hardly)
    # Never smaller than drawn: the cap on growth is no reason to undo the writer's `scale`.
    largest = max(1.0, min(growth, MAX_FONT_SIZE / max(max(scaled_sizes), 1e-6))) if scaled_sizes else growth
    # Words set below the readable size may grow to it, whatever their kind.
    return Measure(body, core, anchor, smallest, max(largest, smallest), parts, words, _marker_room(drawing, spec, highlighted), wordy=growth < WORDY_GROWTH)


def _marker_room(drawing: Any, spec: Any, highlighted: tuple[str, ...]) -> float:
    """How far its highlight markers stand out of it: MARKER_ROOM, or further where a
    marker round words (padded wider across: the widest list item, a whole box) reaches
    past its edge. A marked matrix entry's marker stays inside its brackets."""
    from vidgen.actions.highlight import WORDS_PAD, marks_words

    if not highlighted:
        return 0.0
    body = bounds(drawing.mobject)
    room = MARKER_ROOM
    for text in highlighted:
        ref = parse_ref(text)
        try:
            marked = resolve_part(drawing, spec, ref)
        except (KeyError, IndexError, TypeError):
            continue  # a reference the loader reports
        for item in list(marked) if ref.indices and isinstance(ref.indices[-1], Slice) else [marked]:
            if marks_words(item):
                box, across, up = bounds(item), WORDS_PAD[0] + STROKE_ROOM, WORDS_PAD[1] + STROKE_ROOM
                room = max(room, body.left - (box.left - across), box.right + across - body.right, body.bottom - (box.bottom - up), box.top + up - body.top)
    return room


def _points_box(points: list[Any]) -> Box:
    stacked = np.concatenate(points)
    return Box(float(stacked[:, 0].min()), float(stacked[:, 0].max()), float(stacked[:, 1].min()), float(stacked[:, 1].max()))
