"""A bullet list. Parts: `items[i]`."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from vidgen.elements.base import Drawing, ElementSpec
from vidgen.elements.text import SAFE_WIDTH, TextSize, text_size
from vidgen.elements.typography import baseline, line_pitch, make_text
from vidgen.storyboard.refs import PartShape
from vidgen.theme import Theme


ITEM_GAP = 0.18  # between items, on top of the pitch between the lines of one item (at size 32)


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
        """Items evenly spaced by their baselines (the gap after a wrapped item is the gap
        after a one-line one), each bullet centred on its first line's lowercase letters."""
        from manim import Dot, Text, VGroup

        size = text_size(theme, spec.size)
        pitch = line_pitch(theme.font, size)
        radius = 0.06 * size / 32
        x_height = float(Text("x", font=theme.font, font_size=size).height)
        items, y = VGroup(), 0.0
        for text in spec.bullets:
            words = make_text(text, theme, size=size, color=theme.color(spec.color), max_width=spec.width - 0.5, align="left")
            lines = [words] if isinstance(words, Text) else list(words)
            words.shift([-words.get_left()[0], y - baseline(lines[0]), 0.0])
            dot = Dot(radius=radius, color=theme.accent).move_to([-0.25 - radius, y + x_height / 2, 0.0])
            items.add(VGroup(dot, words))
            y = baseline(lines[-1]) - pitch - ITEM_GAP * size / 32
        return Drawing(items, {"items": items})
