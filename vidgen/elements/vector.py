"""A vector: a row (or column) of cells holding values, with a label.

Parts: `cells[i]` (also `name[i]`), `values[i]` (the text in a cell), `label`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, ClassVar, Literal, Union

from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from vidgen.elements.base import Drawing, ElementSpec
from vidgen.elements.typography import (
    baseline,
    make_text,
    rests_on_baseline,
    typeset_number,
)
from vidgen.storyboard.refs import PartShape, parse_ref
from vidgen.theme import Theme

CellValue = Union[str, int, float, None]


def cell_text(value: CellValue) -> str:
    """How a cell shows its value: None and "" are blank, numbers as written, but for a
    negative number's hyphen, drawn as a minus sign (the storyboard keeps what was written).
    Drawings and the layout's measurements both use this text, so they agree."""
    if value is None:
        return ""
    return typeset_number(str(value))


@lru_cache(maxsize=8)
def _digit_height(font: str) -> float:
    """A digit's height per point of font size: what a cell centres (a number's ink)."""
    from manim import Text

    return float(Text("0", font=font, font_size=100).height) / 100


def seat(text: Any, point: Any, size: float | None = None) -> Any:
    """`text` in a cell whose middle is `point`: centred across, and standing on the line a
    digit centred there would stand on. Centring each word by its own ink lifted words with
    descenders (`dog`, `yak` above `cat`); numbers land where centring put them. A text with
    no letter on its baseline (`−`, `-`) is centred by its ink. `size`: the font size the
    cell's line is set for, when `text` was shrunk to fit (it still stands on that line)."""
    if not rests_on_baseline(text):
        return text.move_to([point[0], point[1], 0.0])
    line = point[1] - _digit_height(text.font) * float(size or text.font_size) / 2
    return text.shift([point[0] - text.get_center()[0], line - baseline(text), 0.0])


def middle(text: Any) -> Any:
    """The middle of the cell `seat` put `text` in (where a new value is seated)."""
    import numpy as np

    if not rests_on_baseline(text):
        return text.get_center()
    return np.array([text.get_center()[0], baseline(text) + _digit_height(text.font) * float(text.font_size) / 2, 0.0])


class VectorSpec(ElementSpec):
    """A row of cells with values (a rating vector, a latent vector…)."""

    kind: ClassVar[str] = "vector"
    words: ClassVar[tuple[str, ...]] = ("label",)  # fields shown as text: translated in other cuts
    default_show: ClassVar[str] = "fade"

    vector: list[CellValue] = Field(min_length=1, max_length=64, description="The values, one per cell; null or \"\" is blank.")
    label: str | None = Field(None, max_length=120)
    direction: Literal["row", "column"] = "row"
    cell: float = Field(0.8, ge=0.3, le=2.0, description="Cell size in units.")
    fill: str | None = Field(None, description="Cell background colour (a theme colour name).")
    # The values the scene `set`s into its cells later (filled in by VectorKind.in_scene, not
    # written by writers): the cells' one font size fits them too, so a value set into a
    # blank cell is as large as its neighbours, not shrunk to squeeze in.
    fits: SkipJsonSchema[list[str]] = Field(default_factory=list)


# The most of its cell's width a value set into a cell may take (a longer one is shrunk to it).
SET_VALUE_SHARE = 0.85


def value_size(spec: VectorSpec, theme: Theme) -> int:
    """One font size for every cell, small enough for the widest value to fit its cell."""
    from manim import Text

    size = theme.body_size * min(1.0, spec.cell / 0.8)
    widest = max([cell_text(v) for v in spec.vector] + spec.fits, key=len).strip() or "0"
    width = Text(widest, font=theme.font, font_size=size).width
    return max(12, int(size * min(1.0, 0.74 * spec.cell / max(width, 1e-6))))


class VectorKind:
    spec = VectorSpec
    fixed_words = ("label",)  # keeps its size while the rest grows
    grows = 2.5  # a diagram: scaled up to this many times its size to use its room (vidgen.layout.measure)
    summary = "A row or column of cells holding values, with a label."
    anchor = "cells"  # aligned with neighbours when placed next to them
    arrows_meet = "cells"  # an arrow to the vector ends on its cells, short of its label (connectors)
    default_part = "cells"

    def in_scene(self, name: str, spec: VectorSpec, actions: list[Any]) -> VectorSpec:
        """The vector with room for the values this scene sets into its cells."""
        later = [cell_text(action.to) for action in actions if action.kind == "set" and any(parse_ref(text).element == name for text in action.set)]
        return spec.model_copy(update={"fits": later}) if later else spec

    def parts(self, spec: VectorSpec) -> dict[str, PartShape]:
        parts: dict[str, PartShape] = {"cells": len(spec.vector), "values": len(spec.vector)}
        if spec.label:
            parts["label"] = None
        return parts

    def draw(self, spec: VectorSpec, theme: Theme) -> Drawing:
        from manim import DOWN, RIGHT, Square, VGroup

        color = theme.color(spec.color)
        text_size = value_size(spec, theme)
        cells, values = VGroup(), VGroup()
        for value in spec.vector:
            square = Square(side_length=spec.cell, color=color, stroke_width=3)
            if spec.fill:
                square.set_fill(theme.color(spec.fill), opacity=0.25)
            text = make_text(cell_text(value), theme, size=text_size, color=color)
            seat(text, square.get_center())
            values.add(text)
            cells.add(VGroup(square, text))
        cells.arrange(RIGHT if spec.direction == "row" else DOWN, buff=spec.cell * 0.12)
        group = VGroup(cells)
        parts = {"cells": cells, "values": values}
        if spec.label:
            label = make_text(spec.label, theme, size=theme.label_size, color=theme.muted, max_width=max(cells.width, 3.0))
            label.next_to(cells, DOWN, buff=0.3)
            group.add(label)
            parts["label"] = label
        return Drawing(group, parts)
