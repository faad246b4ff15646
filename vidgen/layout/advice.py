"""What the layout could not make fit, said in storyboard words, with what would fix it.

A fix is found by trying it: the storyboard is changed in one way, the changed element
measured again if need be, and the scene composed again; a change is offered only when it
makes this cluster fit without making anything else overflow or blocking an arrow that had
a clear way. The changes tried, in order: shorter words (the widest words of the cluster,
cut until they fit), another `width:` for what has one (a box, wrapped text), another place
for an element of the cluster (beside what it is placed next to, or at a frame place), and
another frame place for a neighbour on screen with it. When no single change works, the
finding says which way it is short, by how much, and what takes that room.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from vidgen.layout.box import Box
from vidgen.layout.compose import GAP, Cluster, Layout, compose
from vidgen.layout.dock import SAFE
from vidgen.layout.lifetimes import Connector, ElementKey, Placement, Story, overlapping
from vidgen.layout.measure import Measure
from vidgen.layout.routing import route
from vidgen.layout.scene import SceneLayout
from vidgen.storyboard.places import FRAME_PLACES, Place
from vidgen.storyboard.refs import parse_ref

SHORTEST = 8  # words are not cut shorter than this many characters
WIDTH_STEP = 0.25  # `width:` values tried: multiples of this, up to WIDTH_REACH away
WIDTH_REACH = 2.0
MOST_FIXES = 2
DRAWN_TRIALS = 24  # scenes drawn again per safe-area finding (~0.1 s each): the likeliest fixes first


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
    for cluster, extent, room, step, visible in layout.overflows:
        # Named: what is on screen when it does not fit (an element placed beside it and
        # hidden beats before is not part of the problem).
        names = [m.placement.name for m in _placed(cluster, view) if id(m) in visible]
        if not names:
            continue
        culprit = _largest(cluster, view, visible)
        where = f"at {culprit.placement.place}" if culprit.placement else ""
        need = f"{extent.width:.1f} x {extent.height:.1f}"
        has = f"{room.width:.1f} x {room.height:.1f}"
        together = f" with {', '.join(repr(n) for n in names if n != culprit.placement.name)}" if len(names) > 1 else ""
        message = f"{culprit.placement.name!r}{together} does not fit {where}: at the smallest readable size it needs {need} units, and has {has}"
        fixes = _fixes(_Trials(view, cluster)) or [_shortfall(view, cluster, extent, room)]
        found.append(Advice(_beat_of(view, cluster, step), message + "; " + " or ".join(fixes), tuple(names)))
    return found


def _placed(cluster: Cluster, view: SceneLayout) -> list[Any]:
    """The cluster's members this scene's storyboard places."""
    return [m for m in cluster.members if m.placement is not None and m.placement.scene == view.scene]


def _largest(cluster: Cluster, view: SceneLayout, visible: frozenset[int]) -> Any:
    return max((m for m in _placed(cluster, view) if id(m) in visible), key=lambda m: m.measure.envelope.width * m.measure.envelope.height)


def _beat_of(view: SceneLayout, cluster: Cluster, step: int | None = None) -> int:
    """The beat of this scene at `step` (default: where the cluster first shows)."""
    first = min((s for m in cluster.members for s, _ in m.spans), default=0) if step is None else step
    for beat, steps in enumerate(view.story.steps[view.scene]):
        if steps and steps[-1] >= first:
            return beat
    return 0


class _Trials:
    """Changes to the storyboard tried on one overflowing cluster: does the scene, composed
    again with the change, fit it, and keep everything else as it was (no new overflow, no
    arrow that had a clear way losing it)?"""

    def __init__(self, view: SceneLayout, cluster: Cluster) -> None:
        composition = view.composition
        assert composition.layout is not None
        self.view, self.cluster = view, cluster
        self.measures = composition.measures or {}
        self.labels = composition.labels or {}
        self.elsewhere = [{m.element for m in c.members} for c, *_ in composition.layout.overflows if c is not cluster]
        arrows = [c for c in view.story.connectors.values() if c.spec.kind == "arrow" and c.spans and c.element[0] == view.scene]
        self.arrows = [c for c in arrows if _routed_clear(view.story, composition.layout, c)]

    def placed(self) -> list[Placement]:
        """The cluster's placements that this scene's storyboard says (the writer can change them)."""
        return [m.placement for m in self.cluster.members if m.placement is not None and m.placement.scene == self.view.scene]

    def works(self, story: Story | None = None, measures: dict[ElementKey, Measure] | None = None) -> bool:
        story = story or self.view.story
        layout = compose(story, {**self.measures, **(measures or {})}, self.labels)
        for cluster, *_ in layout.overflows:
            elements = {m.element for m in cluster.members}
            if not any(elements <= other for other in self.elsewhere):
                return False
        return all(_routed_clear(story, layout, arrow) for arrow in self.arrows)

    def _with(self, placement: Placement, **fields: Any) -> Story:
        """The story with one placement's fields changed (the rest shared, untouched)."""
        story = copy.copy(self.view.story)
        story.placements = [copy.copy(p) for p in self.view.story.placements]
        for name, value in fields.items():
            setattr(story.placements[placement.index], name, value)
        return story

    def works_at(self, placement: Placement, place: Place) -> bool:
        return self.works(self._with(placement, place=place))

    def works_with_gap(self, placement: Placement, gap: float) -> bool:
        return self.works(self._with(placement, spec=placement.spec.model_copy(update={"gap": gap})))

    def works_as(self, placement: Placement, **changes: Any) -> bool:
        """Whether it works with the element's storyboard fields changed (False: fields it
        cannot take)."""
        try:
            spec = type(placement.spec).model_validate({**placement.spec.model_dump(by_alias=True, exclude_unset=True), **changes})
            changed = self.view.measured_as(placement.element, spec)
        except ValidationError:
            return False
        return self.works(measures={placement.element: changed})


def _fixes(trials: _Trials, own: tuple[Callable[[Any], str | None], ...] = ()) -> list[str]:
    """Up to MOST_FIXES changes that work, in the order writers would rather make them (an
    element's `own` changes, such as a brace's side, first)."""
    fixes: list[str] = []
    for attempt in (*own, _smaller_gap, _shorter_words, _other_width, _member_elsewhere, _neighbour_elsewhere):
        fix = attempt(trials)
        if fix:
            fixes.append(fix)
            if len(fixes) == MOST_FIXES:
                break
    return fixes


def _smaller_gap(trials: _Trials) -> str | None:
    """A `gap:` the writer widened, narrowed back: the largest that works (a writer who
    asked for room between two things wants as much of it as fits)."""
    for placement in trials.placed():
        asked = placement.spec.gap
        if asked is None or asked <= GAP:
            continue
        steps = [round(asked - WIDTH_STEP * k, 2) for k in range(1, int((asked - GAP) / WIDTH_STEP) + 1)] + [GAP]
        for gap in steps:
            if gap >= GAP and trials.works_with_gap(placement, gap):
                return f"give {placement.name!r} `gap: {gap:g}` (it asks for {asked:g})"
    return None


def _shorter_words(trials: _Trials) -> str | None:
    """The widest words of the cluster, cut to the most characters that fit (with a little
    to spare: other words of that length may be wider)."""
    words = _words(trials)
    if words is None:
        return None
    placement, field, text = words
    keep = _longest_that_fits(text, lambda cut: trials.works_as(placement, **{field: cut}))
    if keep is None:
        return None
    shown = [f for f in type(placement.spec).words if isinstance(getattr(placement.spec, f, None), str)]
    what = f"the `{field}` of {placement.name!r}" if len(shown) > 1 else repr(placement.name)
    return f"shorten {what} to about {keep} characters"


def _longest_that_fits(text: str, fits: Callable[[str], bool]) -> int | None:
    """How many characters of `text` to keep (a little less than the most that fit, as other
    words of that length may be wider), or None when even SHORTEST do not fit."""
    low, high = SHORTEST, len(text) - 1
    if not fits(text[:low].rstrip()):
        return None
    while low < high:  # the longest that fits: low fits, high + 1 does not
        middle = (low + high + 1) // 2
        low, high = (middle, high) if fits(text[:middle].rstrip()) else (low, middle - 1)
    return max(SHORTEST, int(low * 0.95))


def _words(trials: _Trials) -> tuple[Placement, str, str] | None:
    """The widest words of the cluster: the element (widest at its smallest) and its field
    with the longest text."""
    found = []
    for member in trials.cluster.members:
        placement = member.placement
        if placement is None or placement.scene != trials.view.scene:
            continue
        texts = [(f, v) for f in getattr(placement.spec, "words", ()) if isinstance(v := getattr(placement.spec, f, None), str) and len(v) > SHORTEST + 4]
        if texts:
            field, text = max(texts, key=lambda t: len(t[1]))
            found.append((member.measure.envelope_at(member.low).width, placement, field, text))
    if not found:
        return None
    _, placement, field, text = max(found, key=lambda f: f[0])
    return placement, field, text


def _other_width(trials: _Trials) -> str | None:
    """Another `width:` for an element that has one (a box's frame, the wrap of words): the
    nearest that works (a box's text is larger, and so may shrink further, in a wider frame;
    words wrapped narrower stack instead of spreading)."""
    for placement in trials.placed():
        current = getattr(placement.spec, "width", None)
        if not isinstance(current, float) or "width" not in type(placement.spec).model_fields:
            continue
        steps = int(WIDTH_REACH / WIDTH_STEP)
        base = round(current / WIDTH_STEP)
        candidates = sorted({(base + k) * WIDTH_STEP for k in range(-steps, steps + 1)} - {current}, key=lambda w: (abs(w - current), -w))
        for width in candidates:
            if width > 0 and trials.works_as(placement, width=width):
                return f"give {placement.name!r} `width: {width:g}`"
    return None


def _member_elsewhere(trials: _Trials) -> str | None:
    """Another place for an element of the cluster: what is placed next to another first."""
    placed = sorted(trials.placed(), key=lambda p: p.place.target is None)
    for placement in placed:
        for place in _alternatives(placement.place):
            if trials.works_at(placement, place):
                return f"place {placement.name!r} at `{place}`"
    return None


def _neighbour_elsewhere(trials: _Trials) -> str | None:
    """Another frame place for what shares the frame with the cluster: those beside it
    (in the way it is short of room) first."""
    view, cluster = trials.view, trials.cluster
    for neighbour in _neighbours(view, cluster):
        placement = neighbour.root.placement
        if placement is None or placement.scene != view.scene or placement.place.target is not None:
            continue
        for place in FRAME_PLACES:
            if place != placement.place.anchor and trials.works_at(placement, Place(place)):
                return f"place {placement.name!r} at `{place}`"
    return None


def _neighbours(view: SceneLayout, cluster: Cluster) -> list[Cluster]:
    """The clusters on screen with this one, those sharing its row or column first."""
    layout = view.composition.layout
    assert layout is not None
    spans = [s for m in cluster.members for s in m.spans]
    others = [c for c in layout.clusters if c is not cluster and any(overlapping(m.spans, spans) for m in c.members)]
    wide, tall = _sharing(layout, cluster, others)
    return wide + [c for c in tall if c not in wide] + [c for c in others if c not in wide and c not in tall]


def _sharing(layout: Layout, cluster: Cluster, others: list[Cluster]) -> tuple[list[Cluster], list[Cluster]]:
    """Of `others`, those whose rooms are beside this cluster's (sharing the frame's width
    with it) and those above or below it (sharing its height)."""
    room = layout.rooms[cluster.key].box
    beside, stacked = [], []
    for other in others:
        box = layout.rooms[other.key].box
        rows = min(box.top, room.top) - max(box.bottom, room.bottom) > 1e-6
        columns = min(box.right, room.right) - max(box.left, room.left) > 1e-6
        if rows and not columns:
            beside.append(other)
        elif columns and not rows:
            stacked.append(other)
    return beside, stacked


def _shortfall(view: SceneLayout, cluster: Cluster, extent: Box, room: Box) -> str:
    """When no single change works: which way it is short, by how much, and what takes the rest."""
    layout = view.composition.layout
    assert layout is not None
    spans = [s for m in cluster.members for s in m.spans]
    others = [c for c in layout.clusters if c is not cluster and any(overlapping(m.spans, spans) for m in c.members)]
    beside, stacked = _sharing(layout, cluster, others)
    short = []
    for excess, way, sharing, dimension in ((extent.width - room.width, "wide", beside, "width"), (extent.height - room.height, "tall", stacked, "height")):
        if excess <= 0:
            continue
        names = [m.placement.name for c in sharing for m in c.members[:1] if m.placement is not None]
        takers = f", and {_listed(names)} take{'s' if len(names) == 1 else ''} the rest of the frame's {dimension}" if names else " for the frame, even alone"
        short.append(f"it is {excess:.1f} units too {way}{takers}")
    return "none of the changes tried (shorter words, another `width:`, another place) makes it fit: " + "; ".join(short or ["it cannot sit clear of what is on screen with it"])


def _listed(names: list[str]) -> str:
    quoted = [repr(n) for n in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


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


# -- safe-area findings: judged by drawing -------------------------------------------------
#
# The composer keeps what it places inside the frame, so what leaves the safe area is what it
# does not model: a brace over several elements, an arrow's label. The same changes are tried
# (another place, shorter words, another `width:`, a neighbour moved), and for a connector its
# own `side` and label; a change counts when the scene, drawn again with it, has no finding the
# scene did not already have (the check's own judgement, passed in as `clean`).

Elements = dict[str, Any]


class _DrawnTrials(_Trials):
    """Trials of storyboard changes judged by `clean`, given the scene's elements changed."""

    def __init__(self, view: SceneLayout, cluster: Cluster, elements: Elements, clean: Callable[[Elements], bool], around: list[str]) -> None:
        super().__init__(view, cluster)
        self.elements, self.clean, self.around = elements, clean, around
        self.left = DRAWN_TRIALS

    def placed(self) -> list[Placement]:
        """What the writer placed among the elements around the problem (what a brace spans, and
        what is placed next to them), those placed beside another first."""
        found = [p for p in self.view.story.placements if p.scene == self.view.scene and p.name in self.around and p.previous is None]
        return sorted(found, key=lambda p: p.place.target is None)

    def works_for(self, name: str, **changes: Any) -> bool:
        if self.left <= 0:
            return False
        self.left -= 1
        spec = self.elements[name]
        try:
            changed = type(spec).model_validate({**spec.model_dump(by_alias=True, exclude_unset=True), **changes})
        except ValidationError:
            return False
        return self.clean({**self.elements, name: changed})

    def works_at(self, placement: Placement, place: Place) -> bool:
        return self.works_for(placement.name, place=str(place))

    def works_with_gap(self, placement: Placement, gap: float) -> bool:
        return self.works_for(placement.name, gap=gap)

    def works_as(self, placement: Placement, **changes: Any) -> bool:
        return self.works_for(placement.name, **changes)


def edge_fixes(view: SceneLayout, name: str, elements: Elements, clean: Callable[[Elements], bool]) -> list[str]:
    """Up to MOST_FIXES changes, in storyboard words, after which element `name` no longer
    leaves the safe area (nor does anything else, nor does anything new collide)."""
    layout = view.composition.layout
    assert layout is not None
    spec = elements[name]
    around = [name] + [parse_ref(text).element for text in getattr(spec, "brace", None) or getattr(spec, "arrow", None) or []]
    keys = {view.story.keys[view.scene].get(n) for n in around} - {None}
    clusters = [c for c in layout.clusters if any(m.element in keys or (m.placement is not None and m.placement.element in keys) for m in c.members)]
    if not clusters:
        return []
    around += [m.placement.name for c in clusters for m in c.members if m.placement is not None and m.placement.scene == view.scene]
    trials = _DrawnTrials(view, clusters[0], elements, clean, list(dict.fromkeys(around)))
    return _fixes(trials, (lambda t: _connector_side(t, name), lambda t: _connector_label(t, name)))


def _connector_side(trials: _DrawnTrials, name: str) -> str | None:
    """Another side for a brace."""
    spec = trials.elements[name]
    if spec.kind != "brace":
        return None
    for side in ("below", "above", "left", "right"):
        if side != spec.side and trials.works_for(name, side=side):
            return f"give {name!r} `side: {side}`"
    return None


def _connector_label(trials: _DrawnTrials, name: str) -> str | None:
    """A shorter label for a brace or an arrow (its label is what reaches past the edge)."""
    label = getattr(trials.elements[name], "label", None)
    if not isinstance(label, str) or len(label) <= SHORTEST:
        return None
    keep = _longest_that_fits(label, lambda cut: trials.works_for(name, label=cut))
    return None if keep is None else f"shorten the `label` of {name!r} to about {keep} characters"
