"""An image from a file inside the project (PNG, JPEG, WebP, GIF). Parts: `label`.

The storyboard names the file relative to itself; `vidgen.storyboard.assets` resolves it,
refusing anything outside the project, before anything is drawn.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import ClassVar

from pydantic import Field

from vidgen.elements.base import Drawing, ElementSpec
from vidgen.elements.typography import make_text
from vidgen.storyboard.refs import PartShape
from vidgen.theme import Theme

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".webp", ".gif")


class ImageSpec(ElementSpec):
    """A picture, scaled to `height` units (keeping its proportions)."""

    kind: ClassVar[str] = "image"
    words: ClassVar[tuple[str, ...]] = ("label",)  # fields shown as text: translated in other cuts
    default_show: ClassVar[str] = "fade"

    image: str = Field(min_length=1, max_length=300, description="Path relative to the storyboard, inside the project.")
    height: float = Field(3.0, gt=0.2, le=7.0)
    label: str | None = Field(None, max_length=120)


class ImageKind:
    spec = ImageSpec
    fixed_words = ("label",)  # keeps its size while the rest grows
    grows = 2.0  # a diagram: scaled up to this many times its size to use its room (vidgen.layout.measure)
    summary = "A picture from a file inside the project, with an optional label."
    anchor = "picture"  # aligned with neighbours when placed next to them
    arrows_meet = "picture"  # an arrow to the image ends on the picture, short of its label (connectors)
    default_part = None

    def parts(self, spec: ImageSpec) -> dict[str, PartShape]:
        return {"picture": None, "label": None} if spec.label else {"picture": None}

    def fingerprint(self, spec: ImageSpec) -> str:
        """The file's content, so a changed picture re-renders its scene."""
        return hashlib.sha256(Path(spec.image).read_bytes()).hexdigest()

    def draw(self, spec: ImageSpec, theme: Theme) -> Drawing:
        from manim import DOWN, Group, ImageMobject

        picture = ImageMobject(spec.image).scale_to_fit_height(spec.height)
        group = Group(picture)
        parts = {"picture": picture}
        if spec.label:
            label = make_text(spec.label, theme, size=theme.label_size, color=theme.muted)
            group.add(label.next_to(picture, DOWN, buff=0.25))
            parts["label"] = label
        return Drawing(group, parts)
