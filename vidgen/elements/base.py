"""The element-kind contract. An element kind is one module: its spec (a pydantic model
whose key field names the kind), the shape of its addressable parts, and its drawing.

Drawing imports Manim lazily so that validating a storyboard never pays for Manim.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from pydantic import Field

from vidgen.storyboard.common import Color, PlaceText, StrictModel
from vidgen.storyboard.refs import PartShape

if TYPE_CHECKING:
    from vidgen.theme import Theme


class ElementSpec(StrictModel):
    """Fields every element has, whatever its kind."""

    kind: ClassVar[str]
    default_place: ClassVar[str] = "center"
    words: ClassVar[tuple[str, ...]] = ()  # fields holding text a viewer reads (for translations)

    place: PlaceText | None = Field(None, description="Where the element sits (a named place); kinds have a sensible default.")
    visible: bool = Field(False, description="Already on screen when the scene starts (continuity from the previous scene).")
    scale: float = Field(1.0, gt=0.1, le=4, description="Size relative to the kind's natural size.")
    color: Color | None = Field(None, description="Main colour; the theme picks the exact shade.")
    gap: float | None = Field(None, ge=0.05, le=4, description="Distance from the element it is placed next to, in units.")

    @property
    def resolved_place(self) -> str:
        return self.place or self.default_place


@dataclass
class Drawing:
    """A drawn element: its Manim mobject and its addressable parts (nested lists allowed)."""

    mobject: Any
    parts: dict[str, Any] = field(default_factory=dict)
    state: dict[str, Any] = field(default_factory=dict)  # what actions change: a number's value


class ElementKind(Protocol):
    """One element kind: registered in `vidgen.elements.ELEMENT_KINDS` under `spec.kind`."""

    spec: type[ElementSpec]
    summary: str
    default_part: str | None

    def parts(self, spec: Any) -> dict[str, PartShape]:
        """The kind's named parts and their shapes, for checking references early."""

    def draw(self, spec: Any, theme: Theme) -> Drawing:
        """Build the Manim mobject for `spec` at the origin, at its natural size."""

    # Optional, for connectors (arrows, braces) that have no place of their own:
    # def attach(self, spec, drawing, stage) -> None — shape the drawing from its targets;
    # def refs(self, spec) -> list[tuple[str, Ref]] — the targets, checked like actions' refs.
    # Optional: arrows_meet: str — the part an arrow to the whole element ends on (a box's
    #   frame, a network's layers, an equation's formula); its fixed_words (the title, the
    #   labels) stay clear of the arrow. Tables and numbers have none: their headers and
    #   "Loss:" are part of what the arrow points at.
    # Optional, for kinds that draw files: def fingerprint(self, spec) -> str.
    # Optional: def in_scene(self, name, spec, actions) -> spec — the spec as this scene
    #   shows it, given the scene's actions (a number never counted shows its value);
    # def in_company(self, name, spec, elements) -> spec — the spec given the scene's other
    #   elements (a box widens for the words of other boxes of its width).
    # Optional, for the layout (vidgen.layout.measure):
    # grows: float — how many times its drawn size it may grow to use its room (default 1);
    # anchor: str — the part neighbours align with (cells, layers, a box's frame);
    # fixed_words: tuple[str, ...] — parts (labels) that keep their size while it grows
    #   ("layer_labels[]": each item of the part on its own);
    # def largest_bounds(self, spec, drawing, theme, actions) -> Box — its box at its
    #   largest over the scene, when actions make it grow (a number counting up).
