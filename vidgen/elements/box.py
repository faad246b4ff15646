"""A box: a rounded frame with a title and optional body text (an embedding table, a
component). Parts: `frame`, `title`, `body`."""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field
from pydantic.json_schema import SkipJsonSchema

from vidgen.elements.base import Drawing, ElementSpec
from vidgen.elements.typography import drawn_size, make_text
from vidgen.storyboard.refs import PartShape
from vidgen.theme import Theme


PADDING = 0.25  # between the frame and its text


class BoxSpec(ElementSpec):
    """A labelled box; `text` goes inside, the title above the frame."""

    kind: ClassVar[str] = "box"
    words: ClassVar[tuple[str, ...]] = ("box", "text")  # fields shown as text: translated in other cuts
    default_show: ClassVar[str] = "create"

    box: str = Field(max_length=80, description="The title, shown above the frame.")
    text: str | None = Field(None, max_length=300, description="Text inside the box.")
    width: float = Field(
        2.2, ge=0.5, le=12,
        description="The frame's width in units before the layout scales the picture: at least this wide; wider (by up to 1.5) when a word or short expression in its text would not fit, and then so are the scene's other boxes of the same `width`.",
    )
    height: float = Field(2.2, ge=0.5, le=7, description="At least this tall; taller when its text needs it.")
    # The texts of the scene's other boxes with the same `width` (filled in by
    # BoxKind.in_company, not written by writers): a box widens for their unbreakable words
    # too, so boxes given one width are drawn at one width.
    fits: SkipJsonSchema[list[str]] = Field(default_factory=list)


class BoxKind:
    spec = BoxSpec
    fixed_words = ("title",)  # keeps its size while the box grows
    grows = 1.4  # scaled up to this many times its size to use its room (vidgen.layout.measure): a component, sized mostly by the writer
    summary = "A rounded box with a title and text inside (e.g. an embedding table)."
    anchor = "frame"  # aligned with neighbours when placed next to them
    arrows_meet = "frame"  # an arrow to the box ends on its frame, short of its title (connectors)
    default_part = None

    def parts(self, spec: BoxSpec) -> dict[str, PartShape]:
        parts: dict[str, PartShape] = {"frame": None, "title": None}
        if spec.text:
            parts["body"] = None
        return parts

    def in_company(self, name: str, spec: BoxSpec, elements: dict[str, Any]) -> BoxSpec:
        """The box with the texts of the scene's other boxes of the same `width`, which it
        widens for as well (a key that 'Locks' beside one that 'Unlocks')."""
        fits = [other.text for other_name, other in elements.items() if other_name != name and isinstance(other, BoxSpec) and other.width == spec.width and other.text]
        return spec.model_copy(update={"fits": fits}) if fits else spec

    def draw(self, spec: BoxSpec, theme: Theme) -> Drawing:
        from manim import UP, RoundedRectangle, VGroup

        color = theme.color(spec.color)
        widest = max(spec.width + 1.5, 3)  # as wide as its title may be
        width = max((_frame_width(text, spec.width, widest, theme) for text in [spec.text, *spec.fits] if text), default=spec.width)
        body = make_text(spec.text, theme, size=theme.label_size, max_width=width - 2 * PADDING) if spec.text else None
        # The frame grows to hold its text with its padding: text never touches the border.
        height = max(spec.height, body.height + 2 * PADDING) if body is not None else spec.height
        frame = RoundedRectangle(width=width, height=height, corner_radius=0.15, color=color, stroke_width=4).set_fill(color, opacity=0.12)
        title = make_text(spec.box, theme, size=theme.label_size, color=color, max_width=widest)
        title.next_to(frame, UP, buff=0.2)
        group = VGroup(frame, title)
        parts = {"frame": frame, "title": title}
        if body is not None:
            group.add(body.move_to(frame))
            parts["body"] = body
        return Drawing(group, parts)


def _frame_width(text: str, width: float, widest: float, theme: Theme) -> float:
    """How wide a frame of `width` must be for `text`: a piece of text that cannot break (a
    long word, `w ← w − η · g`) wider than the frame widens it, up to `widest`, rather than
    being set smaller than every other label."""
    body = make_text(text, theme, size=theme.label_size, max_width=max(width - 2 * PADDING, 0.1))
    shrunk = drawn_size(body) / theme.label_size
    if shrunk <= 0:  # a frame narrower than its padding: as wide as it may be
        return widest
    if shrunk < 0.999:  # (font sizes read back from a drawn text are a hair off)
        # (a hair over its width: the redrawn text must not round to just too wide)
        return min((width - 2 * PADDING) / shrunk * 1.001 + 2 * PADDING, widest)
    return width
