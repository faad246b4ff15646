"""A table: body cells under optional column headers, beside optional row headers.

Parts: `cells[r, c]` (also `name[r, c]`; `name[r]` is row r's cells), `values[r, c]` (the
text in a cell), `rows[r]` (a row's cells with its header), `columns[c]` (likewise),
`row_labels[r]`, `column_labels[c]`, `corner`. Rows and columns count from 0 in the body.
"""

from __future__ import annotations

from typing import Any, ClassVar

from pydantic import Field, model_validator
from pydantic.json_schema import SkipJsonSchema

from vidgen.elements.base import Drawing, ElementSpec
from vidgen.elements.typography import make_text
from vidgen.elements.vector import SET_VALUE_SHARE, CellValue, cell_text, seat
from vidgen.storyboard.refs import PartShape, Ref, parse_ref
from vidgen.theme import Theme

class TableSpec(ElementSpec):
    """A grid of values with headers, e.g. users x movies ratings with blanks and '?'."""

    kind: ClassVar[str] = "table"
    words: ClassVar[tuple[str, ...]] = ("columns", "rows", "corner")  # fields shown as text: translated in other cuts
    default_show: ClassVar[str] = "fade"

    table: list[list[CellValue]] = Field(min_length=1, description="Body rows; null or \"\" is a blank cell (size: see the table_cells limit).")
    columns: list[str] | None = Field(None, description="Column headers.")
    rows: list[str] | None = Field(None, description="Row headers.")
    corner: str | None = Field(None, max_length=40, description="Text in the top-left corner when both headers exist.")
    row_height: float = Field(0.5, ge=0.25, le=1.5)
    size: int | None = Field(None, ge=12, le=48, description="Font size of the cells (default: fits).")
    # The values the scene `set`s into each column later, by column (filled in by
    # TableKind.in_scene, not written by writers): a column is as wide as its widest value
    # over the scene, so a longer value set into a cell keeps the cells' font size.
    fits: SkipJsonSchema[dict[int, list[str]]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _rectangular(self) -> "TableSpec":
        width = len(self.table[0])
        if width < 1:
            raise ValueError("a table row needs at least one cell")
        for index, row in enumerate(self.table):
            if len(row) != width:
                raise ValueError(f"row {index} has {len(row)} cells but row 0 has {width}; every row needs the same number")
        if self.columns is not None and len(self.columns) != width:
            raise ValueError(f"columns has {len(self.columns)} headers for {width} columns")
        if self.rows is not None and len(self.rows) != len(self.table):
            raise ValueError(f"rows has {len(self.rows)} headers for {len(self.table)} rows")
        return self


class TableKind:
    spec = TableSpec
    grows = 2.5  # a diagram: scaled up to this many times its size to use its room (vidgen.layout.measure)
    summary = "A table with header row and column, blank and '?' cells, addressable cells, rows and columns."
    anchor = "cells"  # aligned with neighbours when placed next to them
    default_part = "cells"

    def in_scene(self, name: str, spec: TableSpec, actions: list[Any]) -> TableSpec:
        """The table with room, in each column, for the values this scene sets into it."""
        fits: dict[int, list[str]] = {}
        for action in actions:
            if action.kind != "set":
                continue
            for text in action.set:
                ref = parse_ref(text)
                if ref.element == name:
                    for column in _columns(ref, len(spec.table[0])):
                        fits.setdefault(column, []).append(cell_text(action.to))
        return spec.model_copy(update={"fits": fits}) if fits else spec

    def parts(self, spec: TableSpec) -> dict[str, PartShape]:
        shape = (len(spec.table), len(spec.table[0]))
        parts: dict[str, PartShape] = {"cells": shape, "values": shape, "rows": shape[0], "columns": shape[1]}
        if spec.rows:
            parts["row_labels"] = shape[0]
        if spec.columns:
            parts["column_labels"] = shape[1]
        if spec.corner and spec.rows and spec.columns:
            parts["corner"] = None
        return parts

    def draw(self, spec: TableSpec, theme: Theme) -> Drawing:
        from manim import Rectangle, VGroup

        size = spec.size or theme.label_size
        ink, muted = theme.color(spec.color), theme.muted
        body = [[make_text(cell_text(v), theme, size=size, color=ink) for v in row] for row in spec.table]
        column_labels = [make_text(t, theme, size=size, color=muted, bold=True) for t in spec.columns or []]
        row_labels = [make_text(t, theme, size=size, color=muted, bold=True) for t in spec.rows or []]
        pad = 0.3
        # a value set later may take SET_VALUE_SHARE of its cell (vidgen.actions.values.new_text)
        later = {c: [make_text(text, theme, size=size).width / SET_VALUE_SHARE - pad for text in texts] for c, texts in spec.fits.items()}
        widths = [max([body[r][c].width for r in range(len(body))] + ([column_labels[c].width] if column_labels else []) + later.get(c, [])) + pad for c in range(len(body[0]))]
        widths = [max(w, spec.row_height * 1.2) for w in widths]
        corner = make_text(spec.corner, theme, size=size, color=muted) if spec.corner and row_labels and column_labels else None
        header_width = max([t.width for t in row_labels] + ([corner.width] if corner else []), default=0) + pad
        height = spec.row_height
        top = height * (len(body) + bool(column_labels)) / 2
        left = -(sum(widths) + (header_width if row_labels else 0)) / 2
        x0 = left + (header_width if row_labels else 0)
        xs = [x0 + sum(widths[:c]) + widths[c] / 2 for c in range(len(widths))]
        ys = [top - height * (r + bool(column_labels)) - height / 2 for r in range(len(body))]

        def box(text: object, x: float, y: float, width: float, stroke: str, opacity: float) -> VGroup:
            frame = Rectangle(width=width, height=height, stroke_color=stroke, stroke_width=2, stroke_opacity=opacity).move_to([x, y, 0])
            return VGroup(frame, seat(text, [x, y]))

        cells = VGroup(*(VGroup(*(box(body[r][c], xs[c], ys[r], widths[c], ink, 0.55) for c in range(len(xs)))) for r in range(len(ys))))
        values = VGroup(*(VGroup(*(cell[1] for cell in row)) for row in cells))
        group = VGroup(cells)
        parts = {"cells": cells, "values": values}
        header_y = top - height / 2
        if column_labels:
            labels = VGroup(*(box(column_labels[c], xs[c], header_y, widths[c], muted, 0.0) for c in range(len(xs))))
            group.add(labels)
            parts["column_labels"] = labels
        if row_labels:
            labels = VGroup(*(box(row_labels[r], left + header_width / 2, ys[r], header_width, muted, 0.0) for r in range(len(ys))))
            group.add(labels)
            parts["row_labels"] = labels
        if corner is not None:
            group.add(seat(corner, [left + header_width / 2, header_y]))
            parts["corner"] = corner
        parts["rows"] = VGroup(*(VGroup(*cells[r], *([parts["row_labels"][r]] if row_labels else [])) for r in range(len(ys))))
        parts["columns"] = VGroup(*(VGroup(*(cells[r][c] for r in range(len(ys))), *([parts["column_labels"][c]] if column_labels else [])) for c in range(len(xs))))
        return Drawing(group, parts)


def _columns(ref: Ref, count: int) -> range | list[int]:
    """The body columns a `set` reference reaches: a cell's (`t[r, c]`), a column's
    (`t.columns[c]`), or all of them (a row, the whole table)."""
    if len(ref.indices) == 1 and isinstance(ref.indices[0], tuple):
        return [ref.indices[0][1]]
    return [ref.column] if ref.column is not None else range(count)
