"""A number that can count to its value, with an optional label before it and unit after.

Parts: `value`, `label`, `unit`. The `count` action animates it.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from vidgen.elements.base import Drawing, ElementSpec
from vidgen.elements.text import TextSize, text_size
from vidgen.elements.typography import make_text
from vidgen.storyboard.refs import PartShape
from vidgen.theme import Theme


class NumberSpec(ElementSpec):
    """A number such as a predicted rating; `start` is what it shows before `count`."""

    kind: ClassVar[str] = "number"
    words: ClassVar[tuple[str, ...]] = ("label", "unit")  # fields shown as text: translated in other cuts
    default_show: ClassVar[str] = "fade"

    number: float
    start: float | None = Field(None, description="Shown until counted (default: the number itself).")
    decimals: int = Field(2, ge=0, le=6)
    label: str | None = Field(None, max_length=80, description="Text before the number, e.g. 'Predicted rating:'.")
    unit: str | None = Field(None, max_length=20, description="Text after the number, e.g. '/ 5'.")
    size: TextSize = "heading"


def format_number(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}"


def number_text(spec: NumberSpec, theme: Theme, value: float) -> object:
    return make_text(format_number(value, spec.decimals), theme, size=text_size(theme, spec.size), color=theme.color(spec.color, theme.accent), bold=True)


class NumberKind:
    spec = NumberSpec
    summary = "A number (with label and unit) that can count up or down to its value."
    default_part = None

    def parts(self, spec: NumberSpec) -> dict[str, PartShape]:
        parts: dict[str, PartShape] = {"value": None}
        if spec.label:
            parts["label"] = None
        if spec.unit:
            parts["unit"] = None
        return parts

    def draw(self, spec: NumberSpec, theme: Theme) -> Drawing:
        from manim import RIGHT, VGroup

        value = number_text(spec, theme, spec.number if spec.start is None else spec.start)
        parts = {"value": value}
        pieces = []
        if spec.label:
            parts["label"] = make_text(spec.label, theme, size=text_size(theme, spec.size))
            pieces.append(parts["label"])
        pieces.append(value)
        if spec.unit:
            parts["unit"] = make_text(spec.unit, theme, size=text_size(theme, spec.size), color=theme.muted)
            pieces.append(parts["unit"])
        group = VGroup(*pieces).arrange(RIGHT, buff=0.25)
        return Drawing(group, parts, state={"value": spec.number if spec.start is None else spec.start})
