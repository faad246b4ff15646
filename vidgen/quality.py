"""Render qualities: resolution and frame rate."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Quality:
    name: str
    width: int
    height: int
    fps: int

    @property
    def preview(self) -> bool:
        """The quality writers preview at: frames small enough that a build keeps its voice
        loaded for the next edit, and its workers skip making room for them."""
        return self.name == "low"


QUALITIES: dict[str, Quality] = {
    q.name: q
    for q in (
        Quality("low", 854, 480, 15),
        Quality("medium", 1280, 720, 30),
        Quality("high", 1920, 1080, 60),
    )
}
