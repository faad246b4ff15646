"""A number that can count to its value, with an optional label before it and unit after.

Parts: `value`, `label`, `unit`. The `count` action animates it.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field, model_validator
from pydantic.json_schema import SkipJsonSchema

from vidgen.elements.base import Drawing, ElementSpec
from vidgen.elements.text import TextSize, text_size
from vidgen.elements.typography import make_text, typeset_number
from vidgen.layout.box import Box
from vidgen.storyboard.refs import PartShape
from vidgen.theme import Theme


class NumberSpec(ElementSpec):
    """A number such as a predicted rating; `start` is what it shows before `count`."""

    kind: ClassVar[str] = "number"
    words: ClassVar[tuple[str, ...]] = ("label", "unit")  # fields shown as text: translated in other cuts
    default_show: ClassVar[str] = "fade"

    number: float
    start: float | None = Field(
        None, description="Shown until counted (default: the number itself); a scene that never counts the number shows the number."
    )
    decimals: int = Field(2, ge=0, le=6, description="Digits after the point (default: as many as `number` and `start` are written with).")
    label: str | None = Field(None, max_length=80, description="Text before the number, e.g. 'Predicted rating:'.")
    unit: str | None = Field(None, max_length=20, description="Text after the number, e.g. '/ 5'.")
    size: TextSize = Field("body", description="Type size of the label, value and unit (a readout: body by default).")
    # Not written by writers: the values the scene shows it at, which its room is measured
    # at (for a number continued across a cut, those of every scene of the chain).
    fits: SkipJsonSchema[list[float]] = Field(default_factory=list)

    @model_validator(mode="before")
    @classmethod
    def _decimals_as_written(cls, data: Any) -> Any:
        # 0.036 shown as "0.04" contradicts the narration that reads it out, and 1000 steps
        # as "1000.00" is noise: by default a number keeps the precision it was written with.
        if isinstance(data, dict) and "decimals" not in data:
            written = [written_decimals(data[key]) for key in ("number", "start") if key in data]
            if written and None not in written:
                return {**data, "decimals": min(max(written), 6)}
        return data


def written_decimals(value: Any) -> int | None:
    """Digits after the point as the YAML wrote the value (None when it is not a number)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return 0
    if value is None:
        return 0
    text = repr(value) if isinstance(value, float) else str(value).strip()
    try:
        float(text)
    except ValueError:
        return None
    if "e" in text.lower():
        return None  # 1e-05 and the like: leave it to the default
    return len(text.split(".", 1)[1]) if "." in text else 0


def format_number(value: float, decimals: int) -> str:
    """The value as drawn: with `decimals` digits, a minus sign for a negative value, and
    no sign on a value that rounds to zero (counting up from -0.004 shows 0.00, not -0.00)."""
    text = f"{value:.{decimals}f}"
    if text.startswith("-") and float(text) == 0:
        text = text[1:]
    return typeset_number(text)


def number_text(spec: NumberSpec, theme: Theme, value: float) -> object:
    return make_text(format_number(value, spec.decimals), theme, size=text_size(theme, spec.size), color=theme.color(spec.color, theme.accent), bold=True)


class NumberKind:
    spec = NumberSpec
    # A readout, not a title: it never grows past the size the writer asked (vidgen.layout.measure),
    # so "Loss:" in a corner and "Prediction:" beside a network read at one size, the body's by
    # default. It still shrinks, to the smallest readable size, where room is short; a writer
    # who wants a number large says so (`size: heading`, `scale`).
    grows = 1.0
    summary = "A number (with label and unit) that can count up or down to its value."
    default_part = None

    def parts(self, spec: NumberSpec) -> dict[str, PartShape]:
        parts: dict[str, PartShape] = {"value": None}
        if spec.label:
            parts["label"] = None
        if spec.unit:
            parts["unit"] = None
        return parts

    def in_scene(self, name: str, spec: NumberSpec, actions: list[Any]) -> NumberSpec:
        """The number with room for every value this scene shows it at: its own, where it
        counts from and to. `start` is where counting starts: a scene that never counts the
        number (one that continues it from the scene before, say) shows the number itself."""
        counts = [action for action in actions if action.kind == "count" and action.count == name]
        shown = [spec.number] + ([spec.start] if counts and spec.start is not None else [])
        shown += [value for action in counts for value in (action.to, action.from_) if value is not None]
        update: dict[str, Any] = {"fits": list(dict.fromkeys([*spec.fits, *shown]))}  # what a chain merged stays
        if not counts and spec.start is not None:
            update["start"] = None
        return spec.model_copy(update=update)

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

    def largest_bounds(self, spec: NumberSpec, drawing: Drawing, theme: Theme, actions: list[Any]) -> Box:
        """The number at its widest over the scene (or the scenes it continues into): counting
        keeps the value's left edge where it is, so a wider value (20 after 1, -0.35 after 0)
        grows to the right."""
        from vidgen.layout.measure import bounds

        values = {spec.number, spec.start if spec.start is not None else spec.number, *spec.fits}
        widest = max(number_text(spec, theme, value).width for value in values)
        shown = drawing.parts["value"].width
        box = bounds(drawing.mobject)
        return Box(box.left, box.right + max(0.0, widest * spec.scale - shown), box.bottom, box.top)
