"""Named places: writers say where, never give coordinates.

Frame places: center, left, right, top, bottom, top left, top right, bottom left,
bottom right. Relative places: `left of X`, `right of X`, `above X`, `below X`, `on X`
(sits on X, overlap intended), where X is an element or a part (`below encoder.layers[2]`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from vidgen.storyboard.refs import Ref, RefSyntaxError, parse_ref

FRAME_PLACES = (
    "center",
    "left",
    "right",
    "top",
    "bottom",
    "top left",
    "top right",
    "bottom left",
    "bottom right",
)
RELATIVE_PLACES = ("left of", "right of", "above", "below", "on")
_RELATIVE_RE = re.compile(r"^(left of|right of|above|below|on)\s+(.+)$")


@dataclass(frozen=True)
class Place:
    anchor: str
    target: Ref | None = None

    def __str__(self) -> str:
        return f"{self.anchor} {self.target}" if self.target else self.anchor


class PlaceSyntaxError(ValueError):
    pass


def parse_place(text: str) -> Place:
    normalized = " ".join(str(text).strip().lower().replace("-", " ").split())
    if normalized in FRAME_PLACES:
        return Place(normalized)
    match = _RELATIVE_RE.match(" ".join(str(text).strip().split()))
    if match and match[1].lower() == match[1]:
        try:
            return Place(match[1], parse_ref(match[2]))
        except RefSyntaxError as error:
            raise PlaceSyntaxError(str(error)) from None
    raise PlaceSyntaxError(f"{text!r} is not a place")


PLACE_HELP = (
    "one of " + ", ".join(FRAME_PLACES) + ", or 'left of X', 'right of X', 'above X', 'below X', 'on X'"
)
