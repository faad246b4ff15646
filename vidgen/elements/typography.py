"""Text that fits: one place that makes Manim text in the theme's font, wrapped to a width.

Manim's `Text` never wraps, and its default font is a serif; every element draws words
through `make_text` so the whole video shares one font and one wrapping rule.
"""

from __future__ import annotations

import textwrap
from functools import lru_cache
from typing import Any

from vidgen.theme import Theme

LINE_SPACING = 0.18  # units between wrapped lines, at font size 32


def make_text(
    content: str,
    theme: Theme,
    *,
    size: int,
    color: str | None = None,
    bold: bool = False,
    max_width: float | None = None,
    align: str = "center",
) -> Any:
    """A Text (or a column of lines) no wider than `max_width` units, wrapped at spaces."""
    from manim import DOWN, LEFT, ORIGIN, RIGHT, VGroup

    def line(text: str) -> Any:
        return _shaped(text, theme.font, size, color or theme.foreground, bold).copy()

    if not content.strip():
        # Manim cannot shape blank text; an invisible glyph keeps the slot (a blank cell
        # can be written later) and its size.
        return line("0").set_opacity(0)
    whole = line(content)
    if max_width is None or whole.width <= max_width:
        return whole
    if " " not in content.strip():
        return whole.scale_to_fit_width(max_width)
    chars_per_line = max(8, int(len(content) * max_width / whole.width))
    while chars_per_line >= 8:
        lines = VGroup(*(line(part) for part in textwrap.wrap(content, chars_per_line)))
        if all(mob.width <= max_width for mob in lines):
            break
        chars_per_line -= 2
    edge = {"center": ORIGIN, "left": LEFT, "right": RIGHT}[align]
    lines.arrange(DOWN, buff=LINE_SPACING * size / 32, aligned_edge=edge)
    if lines.width > max_width:  # a single word longer than the width: shrink, don't overflow
        lines.scale_to_fit_width(max_width)
    return lines


@lru_cache(maxsize=2048)
def _shaped(text: str, font: str, size: int, color: str, bold: bool) -> Any:
    """Shaping text (Pango, then SVG parsing) costs ~20 ms; a copy of a shaped one ~8 ms.
    Tables and vectors repeat their texts a lot, so each is shaped once per process."""
    from manim import Text

    return share_svg_sources(Text(text, font=font, font_size=size, color=color, weight="BOLD" if bold else "NORMAL", disable_ligatures=True))


class _SharedSource:
    """An SVG path a glyph was drawn from. Manim reads it once, to make the glyph's points,
    and never changes it; yet every copy of the glyph deep-copied it, point object by point
    object, and those copies were most of the time a layout check took. Copies share it."""

    def __init__(self, path: Any) -> None:
        self.path = path

    def __iter__(self) -> Any:
        return iter(self.path)

    def __deepcopy__(self, memo: dict[int, Any]) -> _SharedSource:
        return self


def share_svg_sources(mobject: Any) -> Any:
    """`mobject` (text, LaTeX, a brace) with its SVG sources shared by all its future copies."""
    for part in mobject.get_family():
        source = getattr(part, "path_obj", None)
        if source is not None and not isinstance(source, _SharedSource):
            part.path_obj = _SharedSource(source)
    return mobject
