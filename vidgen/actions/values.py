"""Changing what cells and numbers say: `set` a cell, `write` a value into a cell (it
flies there from another element), `count` a number to its value.

Cells live in the `values` part of tables, vectors and matrices, indexed like the cells.
A cell's text is transformed in place, so the element keeps every part it had.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field

from vidgen.actions.base import ActionSpec, Effect, Timing, elements_of, refs_of
from vidgen.elements.vector import SET_VALUE_SHARE, CellValue, cell_text, middle, seat
from vidgen.storyboard.common import Color, Name, RefList, RefText
from vidgen.storyboard.refs import Ref, parse_ref


def value_ref(ref: Ref) -> Ref:
    """The `values` part at the same indices as a cell reference. A table's column
    (`t.columns[c]`) is checked as its first cell: the values part is indexed by row."""
    if ref.column is not None:
        return Ref(ref.element, "values", ((0, ref.column),))
    return Ref(ref.element, "values", ref.indices)


def is_blank(text: Any) -> bool:
    """A blank cell holds an invisible placeholder glyph (see make_text)."""
    return text.get_fill_opacity() == 0


def take_words(old: Any, new: Any) -> None:
    """`old` (which takes, or has taken, `new`'s shape) also says what `new` says, at its size.

    Manim's Text keeps the string it was made with and measures its font size against the
    height it was made at: a '-' morphed into a cell that held '0' read as font size 5 (the
    check called it too small to read, and the next value set there was drawn that small),
    and writing from that cell carried the old string."""
    for attribute in ("text", "original_text", "initial_height", "_font_size"):
        if hasattr(new, attribute):
            setattr(old, attribute, getattr(new, attribute))


def change_text(old: Any, new: Any) -> Any:
    """The animation turning `old` into `new` in place: a morph, or a fade for a blank cell
    (morphing the invisible placeholder's shape would show a ghost of it)."""
    from manim import Transform

    take_words(old, new)  # now: the check reads sizes only once the change has settled
    if is_blank(old):
        old.become(new).set_opacity(0)
        return old.animate.set_opacity(1)
    return Transform(old, new)


def new_text(stage: Any, old: Any, text: str, color: str | None, frame: Any = None) -> Any:
    """Text for a cell: same size and colour as what it replaces, centred where it was, and
    no wider than the cell's frame (a longer value than the one it replaces shrinks)."""
    from vidgen.elements.typography import make_text

    size = getattr(old, "font_size", None) if getattr(old, "text", "0").strip() else None
    mob = make_text(text, stage.theme, size=round(size or stage.theme.label_size), color=stage.theme.color(color) if color else old.get_color())
    if frame is not None and mob.width > SET_VALUE_SHARE * frame.width:
        mob.scale_to_fit_width(SET_VALUE_SHARE * frame.width)
    return seat(mob, middle(old), size=getattr(old, "font_size", None))


def cell_values(stage: Any, cell: Ref) -> list[tuple[Any, Any]]:
    """Each text a cell reference holds, with the frame of its cell (None for a matrix entry,
    which has none). A reference may name more than one cell: a row (`m[0]` in a matrix or
    table), a slice; and a one-column matrix's `m[0]` is the row holding its one entry.
    The texts themselves are what change, never the group holding them: a group has no font
    size or colour of its own (a set into `m[0]` was drawn small and white)."""
    from manim import Rectangle, Text

    if cell.column is not None:  # each body cell of the column, its header aside
        rows = len(stage.drawings[cell.element].parts["values"])
        return [pair for row in range(rows) for pair in cell_values(stage, Ref(cell.element, None, ((row, cell.column),)))]
    value = stage.resolve(value_ref(cell))
    texts = [value] if isinstance(value, Text) else [m for m in value.get_family() if isinstance(m, Text)]
    frames: dict[int, Any] = {}
    for group in stage.resolve(Ref(cell.element, None, cell.indices)).get_family():
        frame = next((m for m in group.submobjects if isinstance(m, Rectangle)), None)
        if frame is not None:
            frames.update({id(m): frame for m in group.submobjects if isinstance(m, Text)})
    return [(text, frames.get(id(text))) for text in texts]


class SetSpec(ActionSpec):
    """Change the value shown in cells of a table, vector or matrix (all to the same value)."""

    kind: ClassVar[str] = "set"

    set: RefList = Field(description="The cell(s), e.g. 'ratings[0, 3]'.")
    to: CellValue
    color: Color | None = None


class SetKind:
    spec = SetSpec
    summary = "Change the value in a cell."

    def timing(self, spec: SetSpec, elements: Any) -> Timing:
        return Timing(natural=0.8, minimum=0.3, maximum=1.5)

    def refs(self, spec: SetSpec) -> list[tuple[str, Ref]]:
        return [("set", value_ref(parse_ref(text))) for text in spec.set]

    def effect(self, spec: SetSpec) -> Effect:
        return Effect(needs=elements_of(spec.set))

    def animate(self, spec: SetSpec, stage: Any, run_time: float) -> list[Any]:
        from manim import AnimationGroup

        olds = [pair for text in spec.set for pair in cell_values(stage, parse_ref(text))]
        return [AnimationGroup(*(change_text(old, new_text(stage, old, cell_text(spec.to), spec.color, frame)) for old, frame in olds), run_time=run_time)]


class WriteSpec(ActionSpec):
    """Carry a value from one element (a number, a cell) into a cell, where it stays."""

    kind: ClassVar[str] = "write"

    write: RefText = Field(description="Where the value comes from: a number element or a cell.")
    into: RefText = Field(description="The cell it is written into, e.g. 'ratings[0, 3]'.")
    color: Color | None = Field("yellow", description="Colour of the written value.")


def source_text(stage: Any, ref: Ref) -> tuple[Any, str]:
    """The mobject showing a value and the value as text."""
    drawing = stage.drawings[ref.element]
    if ref.is_whole and "value" in drawing.parts:
        from vidgen.elements.number import format_number

        return drawing.parts["value"], format_number(drawing.state["value"], stage.spec(ref.element).decimals)
    mob = stage.resolve(value_ref(ref) if "values" in drawing.parts and ref.part in (None, "cells", "entries") else ref)
    return mob, getattr(mob, "text", "")


class WriteKind:
    spec = WriteSpec
    summary = "Carry a value from a number or cell into a table cell."

    def timing(self, spec: WriteSpec, elements: Any) -> Timing:
        return Timing(natural=1.5, minimum=0.6, maximum=2.5)

    def refs(self, spec: WriteSpec) -> list[tuple[str, Ref]]:
        return refs_of("write", spec.write) + [("into", value_ref(parse_ref(spec.into)))]

    def effect(self, spec: WriteSpec) -> Effect:
        return Effect(needs=(parse_ref(spec.write).element, parse_ref(spec.into).element))

    def animate(self, spec: WriteSpec, stage: Any, run_time: float) -> list[Any]:
        from manim import AnimationGroup, Transform

        source, text = source_text(stage, parse_ref(spec.write))
        old, frame = cell_values(stage, parse_ref(spec.into))[0]  # the first, should `into` name a row
        landing = new_text(stage, old, text, spec.color, frame)
        flying = source.copy()
        stage.leftovers.append(flying)
        stage.after(lambda: take_words(old.become(landing), landing))
        return [AnimationGroup(Transform(flying, landing.copy()), old.animate.set_opacity(0), run_time=run_time)]


class CountSpec(ActionSpec):
    """Count a number element from where it is to a value (default: its own number)."""

    kind: ClassVar[str] = "count"

    count: Name
    to: float | None = None
    from_: float | None = Field(None, alias="from")


class CountKind:
    spec = CountSpec
    summary = "Count a number up or down to a value."

    def timing(self, spec: CountSpec, elements: Any) -> Timing:
        return Timing(natural=1.8, minimum=0.6, maximum=3.0)

    def refs(self, spec: CountSpec) -> list[tuple[str, Ref]]:
        return [("count", Ref(spec.count))]

    def effect(self, spec: CountSpec) -> Effect:
        return Effect(needs=(spec.count,))

    def animate(self, spec: CountSpec, stage: Any, run_time: float) -> list[Any]:
        from manim import UpdateFromAlphaFunc, smooth

        from vidgen.elements.number import number_text

        drawing = stage.drawings[spec.count]
        element = stage.spec(spec.count)
        value = drawing.parts["value"]
        start = drawing.state["value"] if spec.from_ is None else spec.from_
        end = element.number if spec.to is None else spec.to
        left = value.get_left()
        scale = value.height / max(number_text(element, stage.theme, start).height, 1e-6)
        # The unit follows the value as it widens or narrows (99 after 0), at the gap it has.
        unit = drawing.parts.get("unit")
        gap = unit.get_left()[0] - value.get_right()[0] if unit is not None else 0.0

        def update(mobject: Any, alpha: float) -> None:
            current = start + (end - start) * smooth(alpha)
            mobject.become(number_text(element, stage.theme, current).scale(scale).move_to(left, aligned_edge=[-1, 0, 0]))
            if unit is not None:
                unit.shift([mobject.get_right()[0] + gap - unit.get_left()[0], 0.0, 0.0])

        drawing.state["value"] = end
        return [UpdateFromAlphaFunc(value, update, run_time=run_time)]
