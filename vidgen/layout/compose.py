"""Composing a scene's frame: every placement gets a position and a size before anything
is drawn, so that what can fit, does fit, and nothing grows out of its room later.

  measure each element at its largest → group each element with what is placed next to it
  (a cluster) → give each cluster a room (vidgen.layout.dock) → scale the cluster to use
  its room (diagrams up to a title-sized maximum, words never below a readable size) →
  centre it there.

Inside a cluster, an element placed `right of X` sits a gap away from X, its anchor part
(cells, layers, a box's frame) aligned with X's; what would land on a sibling is pushed
further out, so several labels below one network stack instead of colliding. A brace
reserves its depth and label on its side, so what is placed below a braced element comes
below the brace's label.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from vidgen.layout.box import Box, union_of
from vidgen.layout.dock import FRAME_PLACES, Room, Tenant, allot, spread
from vidgen.layout.lifetimes import Placement, Story, overlapping
from vidgen.layout.measure import Measure
from vidgen.storyboard.refs import Ref, parse_ref

GAP = 0.45  # the least visible distance between neighbours
ARROW_GAP = 1.1  # neighbours joined by an arrow leave room for it
BRACE_DEPTH = 0.3  # a brace's own height, and the distances around it (see connectors)
BRACE_BUFF = 0.15
SEARCH_STEPS = 18


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
        return spots

    def extent(self, scale: float, width: float | None = None) -> Box:
        spots = self.arrange(scale, width)
        shown = [spots[id(m)].box for m in self.members if m.spans]
        return union_of(shown) or union_of(s.box for s in spots.values()) or Box(0, 0, 0, 0)

    def largest_scale(self, width: float, height: float) -> float | None:
        """The largest scale at which the cluster fits `width` x `height`, or None."""
        low, high = self.low, self.high

        def fits(scale: float) -> bool:
            box = self.extent(scale, width)
            return box.width <= width + 1e-6 and box.height <= height + 1e-6

        if not fits(low):
            return None
        if fits(high):
            return high
        for _ in range(SEARCH_STEPS):
            middle = (low + high) / 2
            low, high = (middle, high) if fits(middle) else (low, middle)
        return low

    def natural(self) -> tuple[float, float]:
        """Its size with every member at its own size (diagrams neither grown nor shrunk)."""
        box = self.extent(min(max(1.0, self.low), self.high))
        return box.width, box.height

    def size_in(self, width: float, height: float) -> tuple[float, float]:
        scale = self.largest_scale(width, height)
        box = self.extent(self.low if scale is None else scale, width)
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
    if member.target_box is not None:
        target = member.target_box.scaled(parent_spot.factor).shifted(*parent_spot.center)
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
    overflows: list[tuple[Cluster, Box, Box]]  # cluster, its extent at its smallest, its room


def compose(story: Story, measures: dict[tuple[int, str], Measure], labels: dict[tuple[int, str], Measure]) -> Layout:
    """`labels` are the connectors' labels (arrows, braces), measured."""
    clusters = build_clusters(story, measures, labels)
    by_key = {c.key: c for c in clusters}
    tenants = [Tenant(c.key, c.band, c.column, c.order, c.size_in, c.natural) for c in clusters]
    connected = _arrow_pairs(story)

    def meets(a: Tenant, b: Tenant) -> bool:
        return clusters_meet(by_key[a.key], by_key[b.key])

    def gap(a: Tenant, b: Tenant) -> float:
        elements_a = {m.element for m in by_key[a.key].members}
        elements_b = {m.element for m in by_key[b.key].members}
        joined = any((x, y) in connected or (y, x) in connected for x in elements_a for y in elements_b)
        return ARROW_GAP if joined else max(by_key[a.key].root.gap, by_key[b.key].root.gap)

    rooms = allot(tenants, meets, gap)
    scales, overflows = {}, []
    for cluster in clusters:
        room = rooms[cluster.key]
        scale = cluster.largest_scale(room.box.width, room.box.height)
        if scale is None:
            scale = cluster.low
            overflows.append((cluster, cluster.extent(scale, room.box.width), room.box))
        scales[cluster.key] = scale
    grid = [t for t in tenants if rooms[t.key].column is not None]
    gaps = {(a.column, b.column): max(gap(a, b), 0.0) for a in grid for b in grid if a.column != b.column and meets(a, b)}
    allotted = rooms
    rooms = _spread_columns(clusters, rooms, scales, gaps)
    spots: dict[int, Spot] = {}
    for cluster in clusters:
        room, scale = rooms[cluster.key], scales[cluster.key]
        width = allotted[cluster.key].box.width  # what the words were fitted to
        extent = cluster.extent(scale, width)
        dx = {-1: room.box.left - extent.left, 0: room.box.center[0] - extent.center[0], 1: room.box.right - extent.right}[room.align_x]
        dy = {-1: room.box.bottom - extent.bottom, 0: room.box.center[1] - extent.center[1], 1: room.box.top - extent.top}[room.align_y]
        arranged = cluster.arrange(scale, width)
        for member in cluster.members:
            if member.placement is not None:
                spot = arranged[id(member)]
                spots[member.placement.index] = Spot((spot.center[0] + dx, spot.center[1] + dy), spot.factor, spot.box.shifted(dx, dy))
    return Layout(spots, {c.key: rooms[c.key] for c in clusters}, clusters, overflows)


def _spread_columns(clusters: list[Cluster], rooms: dict[int, Room], scales: dict[int, float], gaps: dict[tuple[str, str], float]) -> dict[int, Room]:
    """Once sizes are known, the middle's columns are spread evenly across the frame, so the
    space left over is shared between the sides and the gaps, not left in one corner."""
    widths: dict[str, float] = {}
    for cluster in clusters:
        column = rooms[cluster.key].column
        if column is not None:
            widths[column] = max(widths.get(column, 0.0), cluster.extent(scales[cluster.key], rooms[cluster.key].box.width).width)
    if len(widths) < 2:
        return rooms
    ranges = spread(widths, gaps)
    if ranges is None:
        return rooms
    moved = dict(rooms)
    for key, room in rooms.items():
        if room.column is not None:
            left, right = ranges[room.column]
            moved[key] = Room(Box(left, right, room.box.bottom, room.box.top), 0, room.align_y, room.column)
    return moved


def clusters_meet(a: Cluster, b: Cluster) -> bool:
    return any(x.element != y.element and overlapping(x.spans, y.spans) for x in a.members for y in b.members)


def _arrow_pairs(story: Story) -> set[tuple[tuple[int, str], tuple[int, str]]]:
    pairs = set()
    for connector in story.connectors.values():
        if connector.spec.kind == "arrow" and connector.spans:
            keys = story.keys[connector.element[0]]
            ends = [keys.get(parse_ref(text).element) for text in connector.spec.arrow]
            if all(ends):
                pairs.add((ends[0], ends[1]))
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
        needed = max(needed, ARROW_GAP, (label.width + 0.5) if label is not None and across else 0.0)
    return needed


def _brace_strip(story: Story, key: tuple[int, str], label: Measure, members: dict[int, Member]) -> Member | None:
    """A brace's strip (depth and label) on its side of the part it spans."""
    connector = story.connectors[key]
    spec = connector.spec
    keys = story.keys[key[0]]
    refs = [parse_ref(text) for text in spec.brace]
    elements = {keys.get(ref.element) for ref in refs}
    if len(elements) != 1 or None in elements or not connector.spans:
        return None  # a brace over several elements reserves nothing: the check watches it
    start = connector.spans[0][0]
    owner = story.current(elements.pop(), start)  # type: ignore[arg-type]
    if owner is None:
        return None
    parent = members[owner.index]
    side = {"left": "left of", "right": "right of", "above": "above", "below": "below"}[spec.side]
    boxes = [parent.measure.body if ref.is_whole else parent.measure.parts.get(str(ref)) for ref in refs]
    span = union_of(b for b in boxes if b is not None) or parent.measure.body
    vertical = side in ("above", "below")
    depth = BRACE_DEPTH + 2 * BRACE_BUFF + (label.height if vertical else label.width)
    length = label.width if vertical else label.height
    placeholder = Measure(Box(0, 0, 0, 0), Box(0, 0, 0, 0), None, 1.0, 1.0, {})
    return Member(None, placeholder, 1.0, 1.0, parent, side, None, gap=0.0, spans=list(connector.spans), element=key, target_box=span, strip=(depth, length))


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
