"""A bullet list. Parts: `items[i]`."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from vidgen.elements.base import Drawing, ElementSpec
from vidgen.elements.text import SAFE_WIDTH, TextSize, text_size
from vidgen.elements.typography import make_text
from vidgen.storyboard.refs import PartShape
from vidgen.theme import Theme


class BulletsSpec(ElementSpec):
    """Items one under another, each after a bullet; long items wrap."""

    kind: ClassVar[str] = "bullets"
    words: ClassVar[tuple[str, ...]] = ("bullets",)  # fields shown as text: translated in other cuts
    default_show: ClassVar[str] = "fade"

    bullets: list[str] = Field(min_length=1, max_length=12)
    size: TextSize = "body"
    width: float = Field(11.0, gt=2, le=SAFE_WIDTH)


class BulletsKind:
    spec = BulletsSpec
    grows = 1.25  # scaled up to this many times its size to use its room (vidgen.layout.measure): words in the middle may grow to a heading's size
    summary = "A bullet list; items are addressable (items[2])."
    default_part = "items"

    def parts(self, spec: BulletsSpec) -> dict[str, PartShape]:
        return {"items": len(spec.bullets)}

    def draw(self, spec: BulletsSpec, theme: Theme) -> Drawing:
        from manim import DOWN, LEFT, UP, Dot, Text, VGroup

        size = text_size(theme, spec.size)
        items = VGroup()
        for text in spec.bullets:
            words = make_text(text, theme, size=size, color=theme.color(spec.color), max_width=spec.width - 0.5, align="left")
            dot = Dot(radius=0.06 * size / 32, color=theme.accent)
            first_line = words if isinstance(words, Text) else words[0]  # a wrapped item is a column of lines
            dot.next_to(first_line, LEFT, buff=0.25).align_to(first_line, UP).shift(DOWN * (first_line.height / 2 - 0.06 * size / 32))
            items.add(VGroup(dot, words))
        items.arrange(DOWN, buff=0.3 * size / 32, aligned_edge=LEFT)
        return Drawing(items, {"items": items})
