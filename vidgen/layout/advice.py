"""What the layout could not make fit, said in storyboard words, with what would fix it.

A fix is found by trying it: the scene is composed again with one element at another
place (every frame place, every side of what it is placed next to); the first that makes
everything fit is offered. Words that do not fit are also measured against the room, to
say how short they would have to be.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass

from vidgen.layout.compose import Cluster, Layout, compose
from vidgen.layout.dock import SAFE
from vidgen.layout.lifetimes import Connector, Story, overlapping
from vidgen.layout.routing import route
from vidgen.layout.scene import SceneLayout
from vidgen.storyboard.places import FRAME_PLACES, Place
from vidgen.storyboard.refs import parse_ref

WORD_FIELDS = ("text", "caption", "title", "label", "box")


@dataclass(frozen=True)
class Advice:
    beat: int  # 0-based, in the scene asking
    message: str
    elements: tuple[str, ...]


def overflow_advice(view: SceneLayout) -> list[Advice]:
    """One finding per cluster of this scene that does not fit even at its smallest."""
    found = []
    layout = view.composition.layout
    assert layout is not None, "advice needs a layout composed in this process (plan_layout(fresh=True))"
    for cluster, extent, room in layout.overflows:
        names = [m.placement.name for m in cluster.members if m.placement is not None and m.placement.scene == view.scene]
        if not names:
            continue
        culprit = _largest(cluster, view)
        where = f"at {culprit.placement.place}" if culprit.placement else ""
        need = f"{extent.width:.1f} x {extent.height:.1f}"
        has = f"{room.width:.1f} x {room.height:.1f}"
        together = f" with {', '.join(repr(n) for n in names if n != culprit.placement.name)}" if len(names) > 1 else ""
        message = f"{culprit.placement.name!r}{together} does not fit {where}: at the smallest readable size it needs {need} units, and has {has}"
        fixes = _fixes(view, cluster, extent, room)
        if fixes:
            message += "; " + " or ".join(fixes)
        found.append(Advice(_beat_of(view, cluster), message, tuple(names)))
    return found


def _largest(cluster: Cluster, view: SceneLayout) -> object:
    placed = [m for m in cluster.members if m.placement is not None and m.placement.scene == view.scene]
    return max(placed, key=lambda m: m.measure.envelope.width * m.measure.envelope.height)


def _beat_of(view: SceneLayout, cluster: Cluster) -> int:
    first = min((s for m in cluster.members for s, _ in m.spans), default=0)
    for beat, steps in enumerate(view.story.steps[view.scene]):
        if steps and steps[-1] >= first:
            return beat
    return 0


def _fixes(view: SceneLayout, cluster: Cluster, extent: object, room: object) -> list[str]:
    fixes = []
    for member in cluster.members:
        placement = member.placement
        if placement is None or placement.scene != view.scene:
            continue
        for place in _alternatives(placement.place):
            if _fits_with(view, placement.index, place):
                fixes.append(f"place {placement.name!r} at `{place}`")
                break
        if fixes:
            break
    words = _words(cluster, view)
    excess = extent.width - room.width  # type: ignore[attr-defined]
    if words and excess > 0:
        name, text, width = words
        keep = int(len(text) * (width - excess) / width * 0.95)
        if 8 <= keep < len(text):
            fixes.append(f"shorten {name!r} to about {keep} characters")
    return fixes[:2]


def clear_way(view: SceneLayout, arrow: str, blocking: str) -> str | None:
    """A frame place for `blocking` from which it no longer stands in the way of `arrow`,
    nor of any other arrow on screen with it (composed and routed again to be sure), or None."""
    composition = view.composition
    moving = [p for p in view.story.placements if p.element == view.key(blocking)]
    if composition.layout is None or composition.measures is None or not moving:
        return None
    mine = view.story.connectors[view.key(arrow)]
    arrows = [c for c in view.story.connectors.values() if c.spec.kind == "arrow" and c.spans and (c is mine or overlapping(c.spans, moving[0].spans))]
    for place in FRAME_PLACES:
        if place == moving[0].place.anchor:
            continue
        story = copy.copy(view.story)
        story.placements = [copy.copy(p) for p in view.story.placements]
        story.placements[moving[0].index].place = Place(place)
        layout = compose(story, composition.measures, composition.labels or {})
        if not layout.overflows and all(_routed_clear(story, layout, connector) for connector in arrows):
            return place
    return None


def _routed_clear(story: Story, layout: Layout, connector: Connector) -> bool:
    """Whether the arrow finds a clear route between where this layout puts its ends."""
    keys = story.keys[connector.element[0]]
    ends = [keys.get(parse_ref(text).element) for text in connector.spec.arrow]
    step = connector.spans[0][0]
    boxes = [layout.spots[p.index].box for key in ends if key is not None and (p := story.current(key, step)) is not None and p.index in layout.spots]
    others = [layout.spots[p.index].box for p in story.placements if p.element not in ends and p.index in layout.spots and overlapping(p.spans, connector.spans)]
    return len(boxes) == 2 and route(boxes[0], boxes[1], others, SAFE).clear


def _alternatives(place: Place) -> list[Place]:
    frame = [Place(p) for p in FRAME_PLACES if p != place.anchor or place.target is not None]
    if place.target is None:
        return frame
    sides = [Place(side, place.target) for side in ("below", "above", "right of", "left of") if side != place.anchor]
    return sides + frame


def _fits_with(view: SceneLayout, index: int, place: Place) -> bool:
    story = copy.copy(view.story)
    story.placements = [copy.copy(p) for p in view.story.placements]
    story.placements[index].place = place
    return not compose(story, view.composition.measures or {}, view.composition.labels or {}).overflows


def _words(cluster: Cluster, view: SceneLayout) -> tuple[str, str, float] | None:
    """The widest words of the cluster: its name, its text and its width (at its smallest)."""
    found = []
    for member in cluster.members:
        placement = member.placement
        if placement is None or placement.scene != view.scene or not member.measure.wordy:
            continue
        for field in WORD_FIELDS:
            value = getattr(placement.spec, field, None)
            if isinstance(value, str) and len(value) > 12:
                found.append((placement.name, value, member.measure.envelope_at(member.low).width))
    return max(found, key=lambda f: f[2]) if found else None
