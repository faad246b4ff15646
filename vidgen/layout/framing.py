"""The camera's framing of each beat: how close it stands to what the beat shows.

The layout keeps every element where it will be once a build-up is complete, so a scene's
first beats can be sparse: one small vector in the middle of a frame that later holds
three. The camera then frames what is there, and pulls back as the rest arrives, the way a
presenter's camera does; what is placed in the top and bottom bands (headings, captions,
corner notes) stays where it is on screen, so only the picture between them is framed
(vidgen.render.camera.fixed_elements says what stays put).

Pure geometry (no Manim): a `Shot` maps scene points to screen points; `frame_beats`
chooses one per beat from what the beat shows (vidgen.render.camera records it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from vidgen.layout.box import Box
from vidgen.layout.dock import SAFE
from vidgen.render.frame import GAP

SPARSE = 0.5  # a beat whose picture spans less of the safe area than this is framed closer
AIM = 0.6  # ...so that it spans this much
MOST = 1.75  # never closer than this: words would grow past any size the layout chose
LEAST = 1.15  # a closer framing than this is not worth a camera move


@dataclass(frozen=True)
class Shot:
    """What the camera shows: the scene point at the middle of the screen, and how much
    larger than the layout's frame everything between the bands looks."""

    zoom: float = 1.0
    x: float = 0.0
    y: float = 0.0

    def to_screen(self, box: Box) -> Box:
        return Box((box.left - self.x) * self.zoom, (box.right - self.x) * self.zoom, (box.bottom - self.y) * self.zoom, (box.top - self.y) * self.zoom)

    def toward(self, other: Shot, t: float) -> Shot:
        """The shot `t` of the way to `other` (the frame's size and centre move evenly)."""
        width = (1 - t) / self.zoom + t / other.zoom
        return Shot(1 / width, self.x + t * (other.x - self.x), self.y + t * (other.y - self.y))


WHOLE = Shot()


@dataclass
class BeatView:
    """What the camera must show during one beat: the union of the picture (scene units),
    and the band words that stay put on screen around it (screen units)."""

    picture: Box | None = None
    words: list[Box] = field(default_factory=list)

    def add(self, box: Box) -> None:
        self.picture = box if self.picture is None else self.picture.union(box)

    def word(self, box: Box) -> None:
        self.words.append(box)

    def room(self) -> Box:
        """The safe area between the band words above the middle and those below it."""
        top = min((w.bottom - GAP for w in self.words if w.center[1] > 0), default=SAFE.top)
        bottom = max((w.top + GAP for w in self.words if w.center[1] <= 0), default=SAFE.bottom)
        return Box(SAFE.left, SAFE.right, bottom, top)


@dataclass(frozen=True)
class Framing:
    """A scene's camera: the shot it opens on, one per beat, and the elements that stay
    put on screen (those in the top and bottom bands)."""

    opening: Shot = WHOLE
    beats: tuple[Shot, ...] = ()
    fixed: frozenset[str] = field(default_factory=frozenset)

    @property
    def moves(self) -> bool:
        return any(shot != WHOLE for shot in (self.opening, *self.beats))

    def to_json(self) -> dict[str, Any]:
        return {"opening": _shot_json(self.opening), "beats": [_shot_json(s) for s in self.beats], "fixed": sorted(self.fixed)}

    @staticmethod
    def from_json(data: dict[str, Any]) -> Framing:
        return Framing(Shot(*data["opening"]), tuple(Shot(*s) for s in data["beats"]), frozenset(data["fixed"]))


def _shot_json(shot: Shot) -> list[float]:
    return [shot.zoom, shot.x, shot.y]


def span_of(view: BeatView) -> float:
    """The share of the safe area the beat's picture spans (its width or its height)."""
    picture = view.picture
    if picture is None:
        return 0.0
    return max(picture.width / SAFE.width, picture.height / SAFE.height)


def shot_for(view: BeatView, fullest: float) -> Shot:
    """The closest framing that brings a sparse beat's picture to `AIM` of the safe area,
    no closer than `MOST`, inside the safe area and a gap clear of the band words. Only a
    build-up is framed closer: no beat looks fuller than the scene's `fullest` beat does, so
    what the layout drew at its largest sensible size (a lone vector) is not blown up."""
    picture, span = view.picture, span_of(view)
    if picture is None or span <= 1e-6 or span >= SPARSE:
        return WHOLE
    zoom = math.floor(min(MOST, AIM / span, fullest / span) * 1e4) / 1e4
    if zoom < LEAST or _placed(view, LEAST) is None:
        return WHOLE
    if _placed(view, zoom) is None:  # the closest that fits lies between LEAST and it
        fits, short = LEAST, zoom
        for _ in range(12):
            middle = (fits + short) / 2
            fits, short = (middle, short) if _placed(view, middle) is not None else (fits, middle)
        zoom = math.floor(fits * 1e4) / 1e4
    return _shot(picture, zoom, _placed(view, zoom))


def _placed(view: BeatView, zoom: float) -> tuple[float, float] | None:
    """Where on screen the picture's centre can go at `zoom`, clear of the band words:
    centred in the room they leave, or where it is, or a mix of the two; None if nowhere."""
    assert view.picture is not None
    picture, room = view.picture, view.room()
    width, height = picture.width * zoom, picture.height * zoom
    if width > SAFE.width or height > SAFE.height:
        return None
    words = [w.grown(GAP - 1e-6) for w in view.words]
    (px, py), (rx, ry) = picture.center, room.center
    for x, y in ((rx, ry), (px * zoom, py * zoom), (px * zoom, ry), (rx, py * zoom)):
        x = min(max(x, SAFE.left + width / 2), SAFE.right - width / 2)  # kept in the safe area
        y = min(max(y, SAFE.bottom + height / 2), SAFE.top - height / 2)
        screen = Box(x - width / 2, x + width / 2, y - height / 2, y + height / 2)
        if not any(screen.overlaps(w) for w in words):
            return x, y
    return None


def _shot(picture: Box, zoom: float, at: tuple[float, float] | None) -> Shot:
    assert at is not None
    (px, py), (x, y) = picture.center, at
    return Shot(zoom, round(px - x / zoom, 4), round(py - y / zoom, 4))


def frame_beats(views: list[BeatView], fixed: frozenset[str], continues: bool = False, continued: bool = False) -> Framing:
    """One shot per beat. A scene that continues the one before opens on the whole frame
    (the picture it takes over), and one the next scene continues ends on it."""
    shots: list[Shot] = []
    fullest = max((span_of(view) for view in views), default=0.0)
    for view in views:
        shot = shot_for(view, fullest)
        if shots and _alike(shots[-1], shot):
            shot = shots[-1]  # no camera move for a change the eye would not see
        shots.append(shot)
    if continued and shots:
        shots[-1] = WHOLE
    opening = WHOLE if continues or not shots else shots[0]
    return Framing(opening, tuple(shots), fixed)


def _alike(a: Shot, b: Shot) -> bool:
    return abs(a.zoom / b.zoom - 1) < 0.05 and abs(a.x - b.x) < 0.15 and abs(a.y - b.y) < 0.15
