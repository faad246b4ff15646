"""A matrix or number column in square brackets, with optional row labels and a label.

Parts: `entries[r, c]` (also `name[r, c]`, `name[r]` is a row), `values[r, c]` (same
texts, so `set` works as on tables), `rows[r]`, `row_labels[r]`, `label`. A flat list is
a column: `matrix: [0.9, -0.8]`.
"""

from __future__ import annotations

from typing import ClassVar, Union

from pydantic import Field, field_validator, model_validator

from vidgen.elements.base import Drawing, ElementSpec
from vidgen.elements.typography import make_text
from vidgen.elements.vector import CellValue, cell_text, seat
from vidgen.storyboard.common import Color
from vidgen.storyboard.refs import PartShape
from vidgen.theme import Theme


class MatrixSpec(ElementSpec):
    """Numbers in brackets: a column vector like a 'DNA' vector, or a small matrix."""

    kind: ClassVar[str] = "matrix"
    words: ClassVar[tuple[str, ...]] = ("row_labels", "label")  # fields shown as text: translated in other cuts
    default_show: ClassVar[str] = "fade"

    matrix: list[Union[list[CellValue], CellValue]] = Field(min_length=1, max_length=24, description="Rows; a flat list is a column.")
    row_labels: list[str] | None = Field(None, description="A label left of each row (e.g. Sci-Fi, Family).")
    label: str | None = Field(None, max_length=120, description="A caption above the matrix.")
    size: int | None = Field(None, ge=12, le=60)
    colors: list[Color] | None = Field(None, description="One colour per row (default: the element's colour).")

    @field_validator("matrix")
    @classmethod
    def _rows(cls, value: list) -> list[list[CellValue]]:
        rows = [row if isinstance(row, list) else [row] for row in value]
        if len({len(row) for row in rows}) != 1 or not rows[0] or len(rows[0]) > 12:
            raise ValueError("every row needs the same number of entries (1 to 12)")
        return rows

    @model_validator(mode="after")
    def _labels(self) -> "MatrixSpec":
        for name in ("row_labels", "colors"):
            value = getattr(self, name)
            if value is not None and len(value) != len(self.matrix):
                raise ValueError(f"{name} has {len(value)} entries for {len(self.matrix)} rows")
        return self


class MatrixKind:
    spec = MatrixSpec
    fixed_words = ("label", "row_labels[]")  # keep their size while the entries grow
    grows = 2.5  # a diagram: scaled up to this many times its size to use its room (vidgen.layout.measure)
    summary = "A number column or matrix in brackets, with row labels."
    anchor = "entries"  # aligned with neighbours when placed next to them
    arrows_meet = "brackets"  # an arrow to the matrix ends on its brackets, short of its labels (connectors)
    default_part = "entries"

    def parts(self, spec: MatrixSpec) -> dict[str, PartShape]:
        shape = (len(spec.matrix), len(spec.matrix[0]))
        parts: dict[str, PartShape] = {"entries": shape, "values": shape, "rows": shape[0], "brackets": None}
        if spec.row_labels:
            parts["row_labels"] = shape[0]
        if spec.label:
            parts["label"] = None
        return parts

    def draw(self, spec: MatrixSpec, theme: Theme) -> Drawing:
        from manim import LEFT, RIGHT, UP, VGroup, VMobject

        size = spec.size or theme.body_size
        color = theme.color(spec.color)
        row_colors = [theme.color(c) for c in spec.colors] if spec.colors else [color] * len(spec.matrix)
        texts = [[make_text(cell_text(v), theme, size=size, color=row_colors[r]) for v in row] for r, row in enumerate(spec.matrix)]
        # 0.38 between columns: the minus sign (wider than the hyphen it replaced) took the room
        # a tight frame had (the backpropagation draft's three matrices and a box in a row).
        col_w = [max(texts[r][c].width for r in range(len(texts))) + 0.38 for c in range(len(texts[0]))]
        row_h = max(t.height for row in texts for t in row) + 0.3
        width, height = sum(col_w), row_h * len(texts)
        entries = VGroup()
        for r, row in enumerate(texts):
            y = height / 2 - row_h * (r + 0.5)
            entries.add(VGroup(*(seat(t, [-width / 2 + sum(col_w[:c]) + col_w[c] / 2, y]) for c, t in enumerate(row))))
        lip = 0.16

        def bracket(side: int) -> VMobject:
            x = side * (width / 2 + 0.05)
            points = [[x + side * -lip, height / 2, 0], [x, height / 2, 0], [x, -height / 2, 0], [x + side * -lip, -height / 2, 0]]
            return VMobject(stroke_color=color, stroke_width=3).set_points_as_corners(points)

        brackets = VGroup(bracket(-1), bracket(1))
        group = VGroup(entries, brackets)
        parts = {"entries": entries, "values": entries, "rows": entries, "brackets": brackets}
        if spec.row_labels:
            labels = VGroup(*(make_text(t, theme, size=theme.small_size, color=theme.muted) for t in spec.row_labels))
            for r, label in enumerate(labels):
                seat(label.next_to(brackets[0], LEFT, buff=0.2), [label.get_x(), height / 2 - row_h * (r + 0.5)])
            labels.align_to(brackets[0].get_left() + LEFT * 0.2, RIGHT)
            group.add(labels)
            parts["row_labels"] = labels
        if spec.label:
            label = make_text(spec.label, theme, size=theme.label_size, color=theme.color(spec.color, theme.muted))
            label.next_to(group, UP, buff=0.3)
            group.add(label)
            parts["label"] = label
        return Drawing(group, parts)
