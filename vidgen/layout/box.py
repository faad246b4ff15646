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
