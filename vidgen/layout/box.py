"""Axis-aligned boxes in Manim units: what the layout engine reasons with.

The composer never moves a mobject while it searches; it works on boxes (an element's
envelope, its parts) and only the final answer is applied to the drawing.
"""

from __future__ import annotations

from dataclasses import dataclass
from collections.abc import Iterable


@dataclass(frozen=True)
class Box:
    left: float
    right: float
    bottom: float
    top: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.top - self.bottom

    @property
    def center(self) -> tuple[float, float]:
        return (self.left + self.right) / 2, (self.bottom + self.top) / 2

    def shifted(self, dx: float, dy: float) -> Box:
        return Box(self.left + dx, self.right + dx, self.bottom + dy, self.top + dy)

    def scaled(self, factor: float) -> Box:
        """Scaled about the origin (boxes of parts are kept relative to their element's centre)."""
        return Box(self.left * factor, self.right * factor, self.bottom * factor, self.top * factor)

    def centred_at(self, x: float, y: float) -> Box:
        cx, cy = self.center
        return self.shifted(x - cx, y - cy)

    def grown(self, margin: float) -> Box:
        return Box(self.left - margin, self.right + margin, self.bottom - margin, self.top + margin)

    def union(self, other: Box) -> Box:
        return Box(min(self.left, other.left), max(self.right, other.right), min(self.bottom, other.bottom), max(self.top, other.top))

    def intersection(self, other: Box) -> Box:
        return Box(max(self.left, other.left), min(self.right, other.right), max(self.bottom, other.bottom), min(self.top, other.top))

    def overlaps(self, other: Box, clearance: float = 0.0) -> bool:
        """Whether the boxes come closer than `clearance` (touching edges do not overlap)."""
        return (
            self.left < other.right + clearance - 1e-9
            and other.left < self.right + clearance - 1e-9
            and self.bottom < other.top + clearance - 1e-9
            and other.bottom < self.top + clearance - 1e-9
        )

    def contains(self, other: Box, tolerance: float = 1e-6) -> bool:
        return (
            other.left >= self.left - tolerance
            and other.right <= self.right + tolerance
            and other.bottom >= self.bottom - tolerance
            and other.top <= self.top + tolerance
        )

    def excess(self, room: Box) -> float:
        """How far this box sticks out of `room` at the worst side (0 when inside)."""
        return max(0.0, room.left - self.left, self.right - room.right, room.bottom - self.bottom, self.top - room.top)


def union_of(boxes: Iterable[Box]) -> Box | None:
    result: Box | None = None
    for box in boxes:
        result = box if result is None else result.union(box)
    return result


def reach_past(box: Box, side: str, others: Iterable[Box], clearance: float = 0.05) -> Box:
    """`box` grown on `side` (above, below, left, right) over every one of `others` that
    stands on that side across from it, one after another: a brace along a network's hidden
    layer goes past the layer's own label, not over it."""
    others = list(others)
    grown = True
    while grown:
        grown = False
        for other in others:
            if side in ("above", "below"):
                across = other.left < box.right - clearance and other.right > box.left + clearance
                beyond = other.top <= box.bottom + clearance and other.bottom < box.bottom if side == "below" else other.bottom >= box.top - clearance and other.top > box.top
            else:
                across = other.bottom < box.top - clearance and other.top > box.bottom + clearance
                beyond = other.right <= box.left + clearance and other.left < box.left if side == "left" else other.left >= box.right - clearance and other.right > box.right
            if across and beyond:
                box = Box(
                    min(box.left, other.left) if side == "left" else box.left,
                    max(box.right, other.right) if side == "right" else box.right,
                    min(box.bottom, other.bottom) if side == "below" else box.bottom,
                    max(box.top, other.top) if side == "above" else box.top,
                )
                grown = True
    return box
