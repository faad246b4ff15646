"""Composing a scene's frame: every placement gets a position and a size before anything
is drawn, so that what can fit, does fit, and nothing grows out of its room later.

  measure each element at its largest → group each element with what is placed next to it
  (a cluster) → for every moment (what is on screen together), give each cluster there a
  room (vidgen.layout.dock) → settle each cluster, one after another, at the largest scale
  that suits all its moments' rooms (diagrams up to a title-sized maximum, words never
  below a readable size) and at one spot that keeps it inside them and clear of the
  clusters settled before it.

Inside a cluster, an element placed `right of X` sits a gap away from X, its anchor part
(cells, layers, a box's frame) aligned with X's; what would land on a sibling is pushed
further out, so several labels below one network stack instead of colliding. A brace
reserves its depth and label on its side, so what is placed below a braced element comes
below the brace's label.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import partial
from typing import Any

from vidgen.layout.box import Box, reach_past, union_of
from vidgen.layout.dock import FRAME_PLACES, SAFE, Room, Tenant, allot, middle_grid
from vidgen.layout.lifetimes import Placement, Story, overlapping
from vidgen.layout.measure import Measure
from vidgen.storyboard.refs import Ref, parse_ref

GAP = 0.45  # the least visible distance between neighbours
ARROW_GAP = 1.1  # neighbours joined by an arrow leave room for it
# Side by side, a labelled arrow's neighbours are its label's width and this much apart: the
# arrow's two gaps (2 x 0.12), its head (0.35) and the label's clearance from the head (0.11),
# so the label fits over the shaft, clear of the head (vidgen.layout.routing.place_label):
# centred when there is more room, else starting at the tail.
ARROW_LABEL_ROOM = 0.72
COLUMN_LABEL_ROOM = 0.5
BRACE_DEPTH = 0.3  # a brace's own height, and the distances around it (see connectors)
BRACE_BUFF = 0.15
SEARCH_STEPS = 18
FIT = 1e-3  # units of slack left in every room: rooms that fit exactly differ by rounding from moment to moment


@dataclass
class Member:
    """One placement inside a cluster, or a brace's reserved strip (placement None)."""

    placement: Placement | None
    measure: Measure
    low: float  # the scale limits of this member
    high: float
    parent: Member | None = None
    side: str | None = None  # left of, right of, above, below, on
    target: Ref | None = None
    gap: float = GAP
    spans: list[tuple[int, int]] = field(default_factory=list)
    element: tuple[int, str] | None = None
    target_box: Box | None = None  # several parts spanned together (a brace), drawn size
    strip: tuple[float, float] | None = None  # a brace's depth and label length: they do not scale

    def factor(self, scale: float, width: float | None = None) -> float:
        """Its scale when its cluster is at `scale` in a room `width` wide. Words that are
        too wide shrink on their own, so they do not make a diagram beside them shrink."""
        if self.measure.wordy and width is not None:
            scale = min(scale, width / max(self.measure.envelope.width, 1e-6))
        return min(max(scale, self.low), self.high)


@dataclass
class Spot:
    """Where a placement goes: its mobject's centre and its scale, relative to its drawing."""

    center: tuple[float, float]
    factor: float
    box: Box  # the envelope, absolute


@dataclass
class Cluster:
    key: int
    members: list[Member]  # parents before their children
    band: str
    column: str
    order: int
    _arranged: dict[tuple[float, float | None], dict[int, Spot]] = field(default_factory=dict, repr=False)

    @property
    def root(self) -> Member:
        return self.members[0]

    @property
    def low(self) -> float:
        return min(m.low for m in self.members)

    @property
    def high(self) -> float:
        """Bands (top, bottom) hold headings and side notes at their own size; only the
        middle of the frame grows what it holds."""
        highest = max(m.high for m in self.members)
        return max(self.low, min(highest, 1.0)) if self.band != "middle" else highest

    def arrange(self, scale: float, width: float | None = None) -> dict[int, Spot]:
        """Each member's spot at `scale` in a room `width` wide, the root's centre at the
        origin (keyed by id)."""
        key = (round(scale, 6), None if width is None else round(width, 6))
        if key in self._arranged:
            return self._arranged[key]
        spots: dict[int, Spot] = {}
        for member in self.members:
            factor = member.factor(scale, width)
            envelope = member.measure.envelope_at(factor)
            if member.strip is not None and member.parent is not None and member.target_box is not None:
                envelope = _strip_envelope(member, spots[id(member.parent)].factor)
            if member.parent is None:
                spots[id(member)] = Spot((0.0, 0.0), factor, envelope)
                continue
            spots[id(member)] = _beside(member, factor, envelope, spots, self.members)
        self._arranged[key] = spots
        return spots

    def extent(self, scale: float, width: float | None = None, visible: frozenset[int] | None = None) -> Box:
        """The box of its members (those in `visible`, by id, when given) at `scale`."""
        spots = self.arrange(scale, width)
        shown = [spots[id(m)].box for m in self.members if (id(m) in visible if visible is not None else m.spans)]
        return union_of(shown) or union_of(s.box for s in spots.values()) or Box(0, 0, 0, 0)

    def largest_scale(self, width: float, height: float, visible: frozenset[int] | None = None, words: float | None = None) -> float | None:
        """The largest scale at which the cluster fits `width` x `height`, or None. Words are
        fitted to `words` units of width (the room's, unless told)."""
        low, high = self.low, self.high
        words = width if words is None else words

        def fits(scale: float) -> bool:
            box = self.extent(scale, words, visible)
            return box.width <= width - FIT and box.height <= height - FIT

        if not fits(low):
            return None
        if fits(high):
            return high
        for _ in range(SEARCH_STEPS):
            middle = (low + high) / 2
            low, high = (middle, high) if fits(middle) else (low, middle)
        return low

    def natural(self, visible: frozenset[int] | None = None) -> tuple[float, float]:
        """Its size with every member at its own size (diagrams neither grown nor shrunk)."""
        box = self.extent(min(max(1.0, self.low), self.high), None, visible)
        return box.width, box.height

    def size_in(self, width: float, height: float, visible: frozenset[int] | None = None) -> tuple[float, float]:
        scale = self.largest_scale(width, height, visible)
        box = self.extent(self.low if scale is None else scale, width, visible)
        return box.width, box.height


def _strip_envelope(member: Member, parent_factor: float) -> Box:
    """A brace's strip: as long as what it spans (or its label), as deep as brace and label."""
    assert member.strip is not None and member.target_box is not None
    depth, label = member.strip
    span = member.target_box.scaled(parent_factor)
    if member.side in ("above", "below"):
        length = max(span.width, label)
        return Box(-length / 2, length / 2, -depth / 2, depth / 2)
    length = max(span.height, label)
    return Box(-depth / 2, depth / 2, -length / 2, length / 2)


def _part_box(member: Member, spot: Spot, ref: Ref | None) -> Box:
    """The absolute box of the part `ref` names on a placed member (whole: its envelope)."""
    if ref is None or ref.is_whole or str(ref) not in member.measure.parts:
        return spot.box
    return member.measure.parts[str(ref)].scaled(spot.factor).shifted(*spot.center)


def _anchor_box(member: Member, spot: Spot) -> Box:
    if member.measure.anchor is None:
        return spot.box
    return member.measure.anchor.scaled(spot.factor).shifted(*spot.center)


_SIDES = {"left of": (-1, 0), "right of": (1, 0), "above": (0, 1), "below": (0, -1)}


def _beside(member: Member, factor: float, envelope: Box, spots: dict[int, Spot], members: list[Member]) -> Spot:
    """Put `member` next to its target: a gap away, aligned, pushed past its siblings."""
    parent = member.parent
    assert parent is not None
    parent_spot = spots[id(parent)]
    if member.target_box is not None:  # a brace's strip: beside what it spans, past the labels there
        spanned = member.target_box.scaled(parent_spot.factor).shifted(*parent_spot.center)
        words = [word.at(parent_spot.factor).shifted(*parent_spot.center) for word in parent.measure.words]
        target = reach_past(spanned, (member.side or "below").removesuffix(" of"), words)
        anchor_target = spanned
    else:
        target = _part_box(parent, parent_spot, member.target)
        anchor_target = _anchor_box(parent, parent_spot) if member.target is None or member.target.is_whole else target
    own_anchor = member.measure.anchor.scaled(factor) if member.measure.anchor is not None else envelope
    if member.side == "on":
        tx, ty = target.center
        cx, cy = envelope.center
        return _spot(factor, envelope, tx - cx, ty - cy)
    dx, dy = _SIDES[member.side or "below"]
    if dx:
        x = target.right + member.gap - envelope.left if dx > 0 else target.left - member.gap - envelope.right
        y = anchor_target.center[1] - own_anchor.center[1]
    else:
        y = target.top + member.gap - envelope.bottom if dy > 0 else target.bottom - member.gap - envelope.top
        x = anchor_target.center[0] - own_anchor.center[0]
    spot = _spot(factor, envelope, x, y)
    # Siblings already placed on screen at the same time are obstacles: step past them.
    others = [spots[id(m)].box for m in members if id(m) in spots and m is not parent and m.element != member.element and overlapping(m.spans, member.spans)]
    for _ in range(len(others) + 1):
        blocking = [box for box in others if spot.box.overlaps(box, member.gap * 0.5)]
        if not blocking:
            break
        if dx > 0:
            x += max(b.right for b in blocking) + member.gap - spot.box.left
        elif dx < 0:
            x -= spot.box.right - (min(b.left for b in blocking) - member.gap)
        elif dy > 0:
            y += max(b.top for b in blocking) + member.gap - spot.box.bottom
        else:
            y -= spot.box.top - (min(b.bottom for b in blocking) - member.gap)
        spot = _spot(factor, envelope, x, y)
    return spot


def _spot(factor: float, envelope: Box, x: float, y: float) -> Spot:
    return Spot((x, y), factor, envelope.shifted(x, y))


@dataclass
class Layout:
    """Where every placement of a story goes, and what could not be made to fit."""

    spots: dict[int, Spot]  # by placement index
    rooms: dict[int, Room]  # by cluster key
    clusters: list[Cluster]
    # cluster, its extent at its smallest, its room, the step it does not fit at, and its
    # members on screen then (by id: what the finding names, not what came and went before)
    overflows: list[tuple[Cluster, Box, Box, int | None, frozenset[int]]]


def compose(story: Story, measures: dict[tuple[int, str], Measure], labels: dict[tuple[int, str], Measure]) -> Layout:
    """`labels` are the connectors' labels (arrows, braces), measured.

    Each moment (what is on screen at a step) is shared out by the dock, which gives every
    cluster a room to aim for. Clusters then settle one by one — the bands first, then the
    middle, each in the order it appears — at the largest scale that suits every moment it
    is in, and at one spot that keeps it, in every one of those moments, inside the frame
    and clear of the clusters already settled there."""
    clusters = build_clusters(story, measures, labels)
    by_key = {c.key: c for c in clusters}
    connected = _arrow_pairs(story, labels)

    def between(a: int, b: int, across: bool = False) -> float:
        """The gap two clusters keep; side by side (`across`), an arrow between them needs
        room for its label too (above or below each other, the label sits beside it)."""
        elements_a = {m.element for m in by_key[a].members}
        elements_b = {m.element for m in by_key[b].members}
        arrows = [connected[(x, y)] if across else ARROW_GAP for x in elements_a for y in elements_b if (x, y) in connected]
        return max(arrows) if arrows else max(by_key[a].root.gap, by_key[b].root.gap)

    seen: dict[int, list[Seen]] = {c.key: [] for c in clusters}
    pictures, first_steps = moments(clusters)
    tenants = [[_tenant(by_key[key], visible) for key, visible in moment.items()] for moment in pictures]
    gap = lambda a, b, across=False: between(a.key, b.key, across)  # noqa: E731

    def joined(a: Tenant, b: Tenant) -> bool:
        """Whether an arrow joins the two tenants' clusters."""
        return any((x.element, y.element) in connected for x in by_key[a.key].members for y in by_key[b.key].members)

    # Moments that have something in the middle in common share one split of the middle, so
    # that what stays on screen keeps its column while others come and go (a `center` box
    # does not start right of centre because a `right` one is yet to come).
    groups = _sharing(tenants)
    grids = [middle_grid([tenants[number] for number in group], gap) for group in groups]
    grid_of = {number: grids[index] for index, group in enumerate(groups) for number in group}
    for number, (moment, present) in enumerate(zip(pictures, tenants)):
        rooms = allot(present, lambda a, b: True, gap, grid_of[number], joined)
        for key, visible in moment.items():
            seen[key].append(Seen(number, visible, rooms[key]))
    spots: dict[int, Spot] = {}
    main_rooms: dict[int, Room] = {}
    overflows = []
    settled: dict[int, list[tuple[int, list[tuple[object, Box]]]]] = {}  # moment -> (cluster, its (element, box)s there)
    for cluster in sorted(clusters, key=lambda c: (c.band == "middle", c.order)):
        _keep_moved_sizes(cluster, story, spots)
        shown = seen[cluster.key] or [Seen(-1, frozenset(id(m) for m in cluster.members), Room(SAFE, 0, 0))]
        # Where it goes is decided by its most crowded moment (the smallest room it gets):
        # when fewer share the frame there is room to spare around that spot.
        main = min(shown, key=lambda item: (_area((item.room.box.width, item.room.box.height)), -_area(cluster.natural(item.visible))))
        main_rooms[cluster.key] = main.room
        mine = {m.element for m in cluster.members}  # a moving element does not block itself
        blockers = {item.moment: [box.grown(between(cluster.key, other)) for other, boxes in settled.get(item.moment, []) for element, box in boxes if element not in mine] for item in shown}
        scale, words, dx, dy, fits = _settle(cluster, shown, main, blockers)
        if not fits:
            # Told at the moment it does not fit in (the most crowded moment may well fit).
            short = next((item for item in shown if cluster.largest_scale(item.room.box.width, item.room.box.height, item.visible, words) is None), main)
            step = first_steps[short.moment] if short.moment >= 0 else None
            overflows.append((cluster, cluster.extent(scale, words, short.visible), short.room.box, step, short.visible))
        arranged = cluster.arrange(scale, words)
        for item in shown:
            settled.setdefault(item.moment, []).append((cluster.key, [(m.element, arranged[id(m)].box.shifted(dx, dy)) for m in cluster.members if id(m) in item.visible]))
        for member in cluster.members:
            if member.placement is not None:
                spot = arranged[id(member)]
                spots[member.placement.index] = Spot((spot.center[0] + dx, spot.center[1] + dy), spot.factor, spot.box.shifted(dx, dy))
    return Layout(spots, main_rooms, clusters, overflows)


def _keep_moved_sizes(cluster: Cluster, story: Story, spots: dict[int, Spot]) -> None:
    """A move changes an element's size on screen only by its `scale`: a member whose stay
    before or after a move is already settled is held to that size (times the scale), no
    larger (it may still shrink to fit). Without this a number moved from a crowded column
    to the centre grew 1.7 times with no `scale` asked for."""
    after = {p.previous: p for p in story.placements if p.previous is not None}
    changed = False
    for member in cluster.members:
        placement = member.placement
        if placement is None:
            continue
        if placement.previous is not None and placement.previous in spots:
            size = spots[placement.previous].factor * placement.scale
        elif placement.index in after and after[placement.index].index in spots:
            size = spots[after[placement.index].index].factor / after[placement.index].scale
        else:
            continue
        member.high, member.low = size, min(member.low, size)
        changed = True
    if changed:
        cluster._arranged.clear()


def _sharing(tenants: list[list[Tenant]]) -> list[list[int]]:
    """The moments, grouped: two are in one group when a middle tenant is in both and the
    columns one of them uses are among the other's (through others in between, too). A
    moment on its way to a different arrangement (the tables at left and right giving way
    to a vector in the centre) keeps a split of its own."""
    group_of = list(range(len(tenants)))

    def root(number: int) -> int:
        while group_of[number] != number:
            group_of[number] = group_of[group_of[number]]
            number = group_of[number]
        return number

    middle = [{t.key for t in present if t.band == "middle"} for present in tenants]
    columns = [{t.column for t in present if t.band == "middle"} for present in tenants]
    for one in range(len(tenants)):
        for other in range(one + 1, len(tenants)):
            if middle[one] & middle[other] and (columns[one] <= columns[other] or columns[other] <= columns[one]):
                group_of[root(one)] = root(other)
    groups: dict[int, list[int]] = {}
    for number in range(len(tenants)):
        groups.setdefault(root(number), []).append(number)
    return list(groups.values())


@dataclass(frozen=True)
class Seen:
    """A cluster in one moment: which of its members are on screen, and the room it was given."""

    moment: int
    visible: frozenset[int]
    room: Room


def moments(clusters: list[Cluster]) -> tuple[list[dict[int, frozenset[int]]], list[int]]:
    """The distinct pictures of the story: at each step, each cluster's members on screen;
    and the step each picture is first seen at."""
    last = max((end for c in clusters for m in c.members for _, end in m.spans), default=-1)
    found: list[dict[int, frozenset[int]]] = []
    first: list[int] = []
    for step in range(last + 1):
        shown = [(c, m) for c in clusters for m in c.members if any(a <= step <= b for a, b in m.spans)]
        # At a move's step an element is where it goes, not also where it was.
        newest = {m.element: m for _, m in sorted(shown, key=lambda cm: cm[1].placement.index if cm[1].placement else -1)}
        moment: dict[int, frozenset[int]] = {}
        for cluster in clusters:
            visible = frozenset(id(m) for c, m in shown if c is cluster and newest[m.element] is m)
            if visible:
                moment[cluster.key] = visible
        if moment and moment not in found:
            found.append(moment)
            first.append(step)
    return found, first


def _tenant(cluster: Cluster, visible: frozenset[int]) -> Tenant:
    return Tenant(cluster.key, cluster.band, cluster.column, cluster.order, partial(cluster.size_in, visible=visible), partial(cluster.natural, visible), partial(_place_alone, cluster, visible))


def _area(size: tuple[float, float]) -> float:
    return size[0] * size[1]


def _settle(cluster: Cluster, shown: list[Seen], main: Seen, blockers: dict[int, list[Box]]) -> tuple[float, float, float, float, bool]:
    """The cluster's scale (the largest that suits every moment's room), the width its words
    are fitted to, and one offset that keeps it, in every moment, inside the frame and off
    what is already settled there: as near as can be to where its largest moment's room
    would have it. The last value says whether it fits."""
    words = min(item.room.box.width for item in shown)
    scales = [cluster.largest_scale(item.room.box.width, item.room.box.height, item.visible, words) for item in shown]
    fits = all(scale is not None for scale in scales)
    scale = min((s for s in scales if s is not None), default=cluster.low) if fits else cluster.low
    while True:
        offset = _common_offset(cluster, scale, words, shown, main, blockers)
        if offset is not None:
            return scale, words, offset[0], offset[1], fits
        if scale <= cluster.low + 1e-9:
            break
        scale = max(cluster.low, scale * 0.95)  # moments that do not line up: shrink until they do
    dx, dy = _preferred(cluster.extent(scale, words, main.visible), main.room)
    return scale, words, dx, dy, False


def _preferred(extent: Box, room: Room) -> tuple[float, float]:
    """The offset that puts `extent` where its room would have it (centred, or against a side)."""
    box = room.box
    dx = {-1: box.left - extent.left, 0: box.center[0] - extent.center[0], 1: box.right - extent.right}[room.align_x]
    dy = {-1: box.bottom - extent.bottom, 0: box.center[1] - extent.center[1], 1: box.top - extent.top}[room.align_y]
    return dx, dy


def _boxes(cluster: Cluster, scale: float, words: float, visible: frozenset[int]) -> list[Box]:
    spots = cluster.arrange(scale, words)
    return [spots[id(m)].box for m in cluster.members if id(m) in visible]


def _valid(boxes: list[Box], frame: Box, obstacles: list[Box], dx: float, dy: float) -> bool:
    moved = [box.shifted(dx, dy) for box in boxes]
    return all(frame.contains(box, 1e-9) for box in moved) and not any(box.overlaps(obstacle) for box in moved for obstacle in obstacles)


def _common_offset(cluster: Cluster, scale: float, words: float, shown: list[Seen], main: Seen, blockers: dict[int, list[Box]]) -> tuple[float, float] | None:
    """An offset valid in every moment (None: none of the candidates is): where the main
    moment's room wants it, or pushed into every room, or below, beside or above something
    already settled. Inside every moment's room if it can be, else inside the frame."""
    checks = [(_boxes(cluster, scale, words, item.visible), item.room.box, [*blockers.get(item.moment, []), *item.room.obstacles]) for item in shown]
    want = _preferred(cluster.extent(scale, words, main.visible), main.room)
    candidates = [want]
    window = _window(cluster, scale, words, shown)
    if window is not None:
        (x0, x1), (y0, y1) = window
        candidates.append((min(max(want[0], x0), x1), min(max(want[1], y0), y1)))
    for item, (_, _, obstacles) in zip(shown, checks):
        extent = cluster.extent(scale, words, item.visible)
        px, py = _preferred(extent, item.room)
        candidates.append((px, py))
        for obstacle in obstacles:
            below, above = obstacle.bottom - extent.top, obstacle.top - extent.bottom
            left, right = obstacle.left - extent.right, obstacle.right - extent.left
            candidates += [(px, below), (px, above), (left, py), (right, py), (want[0], below), (want[0], above), (left, want[1]), (right, want[1])]
    candidates.sort(key=lambda c: (c[0] - want[0]) ** 2 + (c[1] - want[1]) ** 2)
    in_rooms = next((c for c in candidates if all(_valid(boxes, room, obstacles, *c) for boxes, room, obstacles in checks)), None)
    return in_rooms or next((c for c in candidates if all(_valid(boxes, SAFE, obstacles, *c) for boxes, _, obstacles in checks)), None)


def _window(cluster: Cluster, scale: float, words: float, shown: list[Seen]) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """The offsets (dx, dy ranges) that put every moment's members inside its room's box."""
    x0 = y0 = -float("inf")
    x1 = y1 = float("inf")
    for item in shown:
        extent = cluster.extent(scale, words, item.visible)
        x0, x1 = max(x0, item.room.box.left - extent.left), min(x1, item.room.box.right - extent.right)
        y0, y1 = max(y0, item.room.box.bottom - extent.bottom), min(y1, item.room.box.top - extent.top)
    if x0 > x1 or y0 > y1:
        return None
    return (x0, max(x0, x1)), (y0, max(y0, y1))


def _place_alone(cluster: Cluster, visible: frozenset[int], room: Room) -> Box:
    """Where the cluster goes in one room, alone (the dock's record of what is taken)."""
    alone = Seen(0, visible, room)
    scale, words, dx, dy, _ = _settle(cluster, [alone], alone, {})
    return cluster.extent(scale, words, visible).shifted(dx, dy)


def _arrow_pairs(story: Story, labels: dict[tuple[int, str], Measure]) -> dict[tuple[tuple[int, str], tuple[int, str]], float]:
    """The elements joined by arrows, both ways round, and the room their arrows need between
    them: enough for an arrow, and for its label beside it (in its middle) with some arrow
    showing either side."""
    pairs: dict[tuple[tuple[int, str], tuple[int, str]], float] = {}
    for key, connector in story.connectors.items():
        if connector.spec.kind == "arrow" and connector.spans:
            keys = story.keys[connector.element[0]]
            ends = [keys.get(parse_ref(text).element) for text in connector.spec.arrow]
            if all(ends):
                label = labels.get(key)
                # Columns share the frame's width with everything else: they keep less, and a label
                # longer than the shaft stands higher, past the head (vidgen.layout.routing).
                needed = max(ARROW_GAP, label.width + COLUMN_LABEL_ROOM if label is not None else 0.0)
                for pair in ((ends[0], ends[1]), (ends[1], ends[0])):
                    pairs[pair] = max(pairs.get(pair, 0.0), needed)  # type: ignore[index]
    return pairs


def build_clusters(story: Story, measures: dict[tuple[int, str], Measure], labels: dict[tuple[int, str], Measure]) -> list[Cluster]:
    """Group each placement with those placed next to it; roots sit at frame places."""
    members: dict[int, Member] = {}
    for placement in story.placements:
        measure = measures[placement.element]
        low, high = measure.smallest, measure.largest
        if placement.previous is not None:  # a moved element keeps its size (times the move's scale)
            before = members[placement.previous]
            high = before.high * placement.scale
            low = min(before.low, high)
        spec = placement.spec
        members[placement.index] = Member(placement, measure, low, high, gap=spec.gap or GAP, spans=list(placement.spans), element=placement.element)
    for key, connector in story.connectors.items():
        if connector.spec.kind == "arrow" and connector.spans:
            _reserve_loop(story, key, labels.get(key), members)
    roots: list[Member] = []
    for placement in story.placements:
        member = members[placement.index]
        target = placement.place.target
        keys = story.keys[placement.scene]
        anchor_key = keys.get(target.element) if target is not None else None
        anchor = story.current(anchor_key, placement.begins) if anchor_key is not None else None
        if anchor is None or anchor.index == placement.index or _is_descendant(members[anchor.index], member):
            roots.append(member)
            continue
        member.parent, member.side, member.target = members[anchor.index], placement.place.anchor, target
        member.gap = max(member.gap, _arrow_room(story, labels, member))
    strips = [strip for key, label in labels.items() if story.connectors[key].spec.kind == "brace" and (strip := _brace_strip(story, key, label, members)) is not None]
    for key, connector in story.connectors.items():
        if connector.spec.kind == "brace" and connector.spans:
            _reserve_brace_across(story, key, labels.get(key), members)
    clusters = []
    for root in roots:
        family = _family(root, list(members.values()) + strips)
        place = root.placement.place.anchor if root.placement and root.placement.place.target is None else "center"
        band, column = FRAME_PLACES.get(place, ("middle", "center"))
        order = min((s for m in family for s, _ in m.spans), default=10**9)
        clusters.append(Cluster(len(clusters), family, band, column, order))
    return clusters


def _reserve_loop(story: Story, key: tuple[int, str], label: Measure | None, members: dict[int, Member]) -> None:
    """An arrow between two items of one element loops out beside it (a list's fourth item
    back to its second): the element keeps that margin, and the label's, clear."""
    from vidgen.layout.routing import LABEL_GAP, LOOP_OUT

    keys = story.keys[key[0]]
    ends = [parse_ref(text) for text in story.connectors[key].spec.arrow]
    owners = {keys.get(ref.element) for ref in ends}
    if len(owners) != 1 or None in owners or any(ref.is_whole for ref in ends):
        return
    owner = story.current(owners.pop(), story.connectors[key].spans[0][0])  # type: ignore[arg-type]
    if owner is None:
        return
    member = members[owner.index]
    boxes = [member.measure.parts.get(str(ref)) for ref in ends]
    if None in boxes:
        return
    a, b = boxes
    stacked = abs(a.center[1] - b.center[1]) >= abs(a.center[0] - b.center[0])  # type: ignore[union-attr]
    label_width = label.width if label is not None else 0.0
    label_height = label.height if label is not None else 0.0
    left, right, bottom, top = member.measure.reserve
    if stacked:  # out to the left, down (or up) and back in
        left = max(left, LOOP_OUT + LABEL_GAP + label_width + 0.1)
    else:  # over the top
        top = max(top, LOOP_OUT + LABEL_GAP + label_height + 0.1)
    member.measure = replace(member.measure, reserve=(left, right, bottom, top))


def _arrow_room(story: Story, labels: dict[tuple[int, str], Measure], member: Member) -> float:
    """The distance to its anchor that an arrow between the two needs (0: no arrow), its
    label beside it included."""
    assert member.parent is not None
    ends = {member.element, member.parent.element}
    needed = 0.0
    for key, connector in story.connectors.items():
        if connector.spec.kind != "arrow" or not connector.spans:
            continue
        keys = story.keys[key[0]]
        if {keys.get(parse_ref(text).element) for text in connector.spec.arrow} != ends:
            continue
        label = labels.get(key)
        across = member.side in ("left of", "right of")
        needed = max(needed, ARROW_GAP, (label.width + ARROW_LABEL_ROOM) if label is not None and across else 0.0)
    return needed


def _brace_strip(story: Story, key: tuple[int, str], label: Measure, members: dict[int, Member]) -> Member | None:
    """A brace's strip (depth and label) on its side of the part it spans."""
    connector = story.connectors[key]
    spec = connector.spec
    keys = story.keys[key[0]]
    refs = [parse_ref(text) for text in spec.brace]
    elements = {keys.get(ref.element) for ref in refs}
    if len(elements) != 1 or None in elements or not connector.spans:
        return None  # a brace over several elements: _reserve_brace_across
    start = connector.spans[0][0]
    owner = story.current(elements.pop(), start)  # type: ignore[arg-type]
    if owner is None:
        return None
    parent = members[owner.index]
    side, depth, length = _brace_reach(spec, label)
    boxes = [parent.measure.body if ref.is_whole else parent.measure.parts.get(str(ref)) for ref in refs]
    span = union_of(b for b in boxes if b is not None) or parent.measure.body
    placeholder = Measure(Box(0, 0, 0, 0), Box(0, 0, 0, 0), None, 1.0, 1.0, {})
    return Member(None, placeholder, 1.0, 1.0, parent, side, None, gap=0.0, spans=list(connector.spans), element=key, target_box=span, strip=(depth, length))


def _brace_reach(spec: Any, label: Measure | None) -> tuple[str, float, float]:
    """Where a brace stands from what it spans (a relative place's words), how deep it and
    its label reach that way, and how long the label is across."""
    side = {"left": "left of", "right": "right of", "above": "above", "below": "below"}[spec.side]
    width, height = (label.width, label.height) if label is not None else (0.0, 0.0)
    vertical = side in ("above", "below")
    return side, BRACE_DEPTH + 2 * BRACE_BUFF + (height if vertical else width), width if vertical else height


def _reserve_brace_across(story: Story, key: tuple[int, str], label: Measure | None, members: dict[int, Member]) -> None:
    """A brace over several elements (`[small, large]`, two boxes stacked) may span clusters,
    so it has no strip of its own: each element it spans keeps the brace's depth and label
    clear on its side instead, unless another of them is placed there (the brace goes past
    that one). Without this the label ran out of the frame with room to spare on the other side."""
    spec = story.connectors[key].spec
    keys = story.keys[key[0]]
    elements = {keys.get(parse_ref(text).element) for text in spec.brace}
    if len(elements) < 2 or None in elements:
        return  # one element: its strip is reserved in its cluster (_brace_strip)
    start = story.connectors[key].spans[0][0]
    spanned = [members[p.index] for element in elements if (p := story.current(element, start)) is not None]  # type: ignore[arg-type]
    side, depth, _ = _brace_reach(spec, label)
    for member in spanned:
        if any(other.parent is member and other.side == side for other in spanned):
            continue
        left, right, bottom, top = member.measure.reserve
        grown = {"left of": (max(left, depth), right, bottom, top), "right of": (left, max(right, depth), bottom, top), "below": (left, right, max(bottom, depth), top), "above": (left, right, bottom, max(top, depth))}[side]
        member.measure = replace(member.measure, reserve=grown)


def _is_descendant(candidate: Member, of: Member) -> bool:
    node: Member | None = candidate
    while node is not None:
        if node is of:
            return True
        node = node.parent
    return False


def _family(root: Member, everyone: list[Member]) -> list[Member]:
    """The root and everything placed next to it, parents first; braces before the rest
    of their side (they hug what they span)."""
    ordered = [root]
    for member in ordered:
        children = [m for m in everyone if m.parent is member]
        children.sort(key=lambda m: m.placement is not None)
        ordered.extend(children)
    return ordered
