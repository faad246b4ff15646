"""Words on screen: a title card, a block of text, and a caption sentence."""

from __future__ import annotations

from typing import ClassVar, Literal

from pydantic import Field

from vidgen.elements.base import Drawing, ElementSpec
from vidgen.elements.typography import make_text
from vidgen.storyboard.places import parse_place
from vidgen.storyboard.refs import PartShape
from vidgen.theme import Theme

SAFE_WIDTH = 12.6  # the frame is 14.2 units wide; keep text clear of the safe margin

TextSize = Literal["small", "label", "body", "heading", "title"]


def text_size(theme: Theme, size: TextSize) -> int:
    return {
        "small": theme.small_size,
        "label": theme.label_size,
        "body": theme.body_size,
        "heading": theme.heading_size,
        "title": theme.title_size,
    }[size]


class TitleSpec(ElementSpec):
    """A title card: a large bold line and an optional subtitle under it."""

    kind: ClassVar[str] = "title"
    words: ClassVar[tuple[str, ...]] = ("title", "subtitle")  # fields shown as text: translated in other cuts
    default_show: ClassVar[str] = "write"

    title: str = Field(min_length=1, max_length=200)
    subtitle: str | None = Field(None, max_length=300)


class TitleKind:
    spec = TitleSpec
    summary = "A title card: large bold text with an optional subtitle."
    default_part = None

    def parts(self, spec: TitleSpec) -> dict[str, PartShape]:
        return {"heading": None, "subtitle": None} if spec.subtitle else {"heading": None}

    def draw(self, spec: TitleSpec, theme: Theme) -> Drawing:
        from manim import DOWN, VGroup

        heading = make_text(spec.title, theme, size=theme.title_size, bold=True, color=theme.color(spec.color), max_width=SAFE_WIDTH)
        parts = {"heading": heading}
        group = VGroup(heading)
        if spec.subtitle:
            subtitle = make_text(spec.subtitle, theme, size=theme.body_size, color=theme.muted, max_width=SAFE_WIDTH)
            subtitle.next_to(heading, DOWN, buff=0.45)
            group.add(subtitle)
            parts["subtitle"] = subtitle
        return Drawing(group, parts)


class TextSpec(ElementSpec):
    """A block of text, wrapped to `width` units."""

    kind: ClassVar[str] = "text"
    words: ClassVar[tuple[str, ...]] = ("text",)  # fields shown as text: translated in other cuts
    default_show: ClassVar[str] = "write"

    text: str = Field(min_length=1, max_length=600)
    size: TextSize = "body"
    width: float = Field(SAFE_WIDTH, gt=1, le=SAFE_WIDTH, description="Wrap lines to at most this many units.")
    bold: bool = False


class TextKind:
    spec = TextSpec
    grows = 1.25  # scaled up to this many times its size to use its room (vidgen.layout.measure): words in the middle may grow to a heading's size
    summary = "A block of text, wrapped to a width."
    default_part = None

    def parts(self, spec: TextSpec) -> dict[str, PartShape]:
        return {}

    def draw(self, spec: TextSpec, theme: Theme) -> Drawing:
        mob = make_text(spec.text, theme, size=text_size(theme, spec.size), bold=spec.bold, color=theme.color(spec.color), max_width=spec.width, align=_alignment(spec.resolved_place))
        return Drawing(mob)


FLUSH_LEFT = {"left", "top left", "bottom left", "right of"}


def _alignment(place: str) -> str:
    """Wrapped lines start at the edge the text is placed against: flush left in a left-hand
    place or to the right of something; centred otherwise (ragged-left lines read badly, so
    nothing is set flush right)."""
    return "left" if parse_place(place).anchor in FLUSH_LEFT else "center"


class CaptionSpec(ElementSpec):
    """An on-screen sentence, by default across the bottom of the frame."""

    kind: ClassVar[str] = "caption"
    words: ClassVar[tuple[str, ...]] = ("caption",)  # fields shown as text: translated in other cuts
    default_place: ClassVar[str] = "bottom"
    default_show: ClassVar[str] = "write"

    caption: str = Field(min_length=1, max_length=300)
    size: TextSize = "heading"


class CaptionKind:
    spec = CaptionSpec
    summary = "An on-screen sentence (a heading or a conclusion), at the bottom by default."
    default_part = None

    def parts(self, spec: CaptionSpec) -> dict[str, PartShape]:
        return {}

    def draw(self, spec: CaptionSpec, theme: Theme) -> Drawing:
        size, color = text_size(theme, spec.size), theme.color(spec.color)
        if parse_place(spec.resolved_place).anchor in ACROSS:
            line = make_text(spec.caption, theme, size=size, color=color)
            floor = min(1.0, max(ONE_LINE_SHRINK * size, theme.small_size) / size)  # never below the theme's smallest words
            if line.width * floor <= SAFE_WIDTH:
                return Drawing(line.scale(min(1.0, SAFE_WIDTH / line.width)))
        return Drawing(make_text(spec.caption, theme, size=size, color=color, max_width=SAFE_WIDTH))


# A caption across the frame (a band, or above or below something) reads best as one line:
# it may be set up to a quarter smaller to stay on one (a 55-character heading-size sentence,
# 16 units wide, at 31 points across the safe width) rather than break into two short lines
# that take twice the band's height. Longer, it wraps into balanced lines at its size. Beside
# something (left, right, a corner) its room is narrow: it wraps as any text does.
ACROSS = {"top", "bottom", "center", "above", "below"}
ONE_LINE_SHRINK = 0.75
