"""References to elements and their parts: `ratings`, `ratings[3]`, `ratings[1:4]`,
`encoder.layers[2]`, `encoder.layers[2][0]`, `table[2, 5]`, `encoder.label`.

Indices are 0-based like the seed scripts'. A reference is parsed once into a `Ref`;
element kinds describe the shape of their parts (`PartShape`) so a reference can be
checked against the storyboard without drawing anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Union

_NAME = r"[A-Za-z_][A-Za-z0-9_]*"
_REF_RE = re.compile(rf"^\s*(?P<element>{_NAME})(?:\.(?P<part>{_NAME}))?(?P<indices>(?:\s*\[[^\[\]]*\])*)\s*$")
_INDEX_RE = re.compile(r"\[([^\[\]]*)\]")


@dataclass(frozen=True)
class Slice:
    start: int | None
    stop: int | None

    def indices(self, length: int) -> range:
        return range(*slice(self.start, self.stop).indices(length))

    def __str__(self) -> str:
        return f"{'' if self.start is None else self.start}:{'' if self.stop is None else self.stop}"


Index = Union[int, Slice, tuple[int, int]]


@dataclass(frozen=True)
class Ref:
    element: str
    part: str | None = None
    indices: tuple[Index, ...] = ()

    @property
    def is_whole(self) -> bool:
        return self.part is None and not self.indices

    @property
    def column(self) -> int | None:
        """The table column a `t.columns[c]` reference names (None for any other reference)."""
        if self.part == "columns" and len(self.indices) == 1 and isinstance(self.indices[0], int):
            return self.indices[0]
        return None

    def __str__(self) -> str:
        text = self.element + (f".{self.part}" if self.part else "")
        for index in self.indices:
            text += f"[{index[0]}, {index[1]}]" if isinstance(index, tuple) else f"[{index}]"
        return text


class RefSyntaxError(ValueError):
    pass


def _parse_index(body: str) -> Index:
    body = body.strip()
    try:
        if ":" in body:
            start, _, stop = body.partition(":")
            return Slice(int(start) if start.strip() else None, int(stop) if stop.strip() else None)
        if "," in body:
            row, col = (int(x) for x in body.split(","))
            return (row, col)
        return int(body)
    except ValueError:
        raise RefSyntaxError(f"bad index [{body}]") from None


def parse_ref(text: str) -> Ref:
    if not isinstance(text, str):
        raise RefSyntaxError("a reference must be a string")
    match = _REF_RE.match(text)
    if not match:
        raise RefSyntaxError(f"{text!r} is not a reference")
    indices = tuple(_parse_index(body) for body in _INDEX_RE.findall(match["indices"]))
    return Ref(match["element"], match["part"], indices)


# What an element's named part looks like, so references can be checked before drawing:
#   None        a single mobject (e.g. a label)
#   int n       a list of n single mobjects (vector cells)
#   (r, c)      a grid of r rows x c columns (table cells); [i] is row i, [i, j] a cell
#   [s0, s1…]   a ragged list whose i-th item has shape s_i (MLP layers of given sizes)
PartShape = Union[None, int, tuple[int, int], list["PartShape"]]


def check_indices(shape: PartShape, indices: tuple[Index, ...], what: str) -> str | None:
    """Return why `indices` do not fit `shape`, or None when they do."""
    for index in indices:
        if shape is None:
            return f"{what} is a single item and cannot be indexed"
        if isinstance(shape, tuple):
            rows, cols = shape
            if isinstance(index, tuple):
                row, col = index
                if not (0 <= row < rows and 0 <= col < cols):
                    return f"cell [{row}, {col}] is outside {what} ({rows} rows x {cols} columns)"
                shape = None
            elif isinstance(index, Slice):
                shape = (len(index.indices(rows)), cols)
            else:
                if not 0 <= index < rows:
                    return f"row {index} is outside {what} ({rows} rows, numbered 0 to {rows - 1})"
                shape = cols
            what = f"{what}[{index}]"
            continue
        length = shape if isinstance(shape, int) else len(shape)
        if isinstance(index, tuple):
            return f"{what} is one-dimensional; use [i], not [i, j]"
        if isinstance(index, Slice):
            chosen = index.indices(length)
            if not chosen:
                return f"[{index}] selects nothing from {what} ({length} items)"
            if isinstance(shape, list):
                # A slice of a ragged list stays ragged; deeper indices apply to each item.
                shape = [shape[i] for i in chosen]
            else:
                shape = len(chosen)
            what = f"{what}[{index}]"
            continue
        if not -length <= index < length:
            return f"index {index} is outside {what} ({length} items, numbered 0 to {length - 1})"
        shape = None if isinstance(shape, int) else shape[index]
        what = f"{what}[{index}]"
    return None
