"""Frame places as regions, the way a dock or pack geometry manager shares a window.

`top` and `bottom` (with their corners) are bands across the frame; what shares a band sits
side by side in it, corners against their edges. `left`, `center` and `right` share what the
bands leave, as columns. Two tenants of the same place that are on screen together are
stacked, one under the other, in the order they first appear.

The dock shares out one moment (the tenants on screen together); vidgen.layout.compose
runs it for every moment of a scene and keeps each tenant at one spot through them all.
So that one spot can suit them, the moments that use the same middle columns split the
middle the same way (middle_grid), by what each column holds at its own size.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from vidgen.layout.box import Box
from vidgen.render.frame import HALF_HEIGHT, HALF_WIDTH, INK_ROOM_ACROSS, INK_ROOM_UP

# What the layout fills: the safe area less the ink that reaches past a path's edge (see
# vidgen.render.frame), so a superscript at `top` does not colour the safe area's edge.
SAFE = Box(-HALF_WIDTH + INK_ROOM_ACROSS, HALF_WIDTH - INK_ROOM_ACROSS, -HALF_HEIGHT + INK_ROOM_UP, HALF_HEIGHT - INK_ROOM_UP)
COLUMNS = ("left", "center", "right")

FRAME_PLACES = {
    "top left": ("top", "left"),
    "top": ("top", "center"),
    "top right": ("top", "right"),
    "left": ("middle", "left"),
    "center": ("middle", "center"),
    "right": ("middle", "right"),
    "bottom left": ("bottom", "left"),
    "bottom": ("bottom", "center"),
    "bottom right": ("bottom", "right"),
}


@dataclass
class Tenant:
    """A group of elements that sits at one frame place (an element and what is placed
    next to it), as the dock sees it."""

    key: int
    band: str
    column: str
    order: int  # first appearance: earlier tenants get the upper lanes
    size_in: Callable[[float, float], tuple[float, float]]  # the size it takes in a room of w x h
    natural: Callable[[], tuple[float, float]] = lambda: (0.0, 0.0)  # its size at its own scale
    place_in: Callable[[Room], Box] | None = None  # where it goes in a room (obstacles kept clear)


@dataclass(frozen=True)
class Room:
    box: Box
    align_x: int  # -1 against the left side, 0 centred, 1 against the right side
    align_y: int
    column: str | None = None  # set when the room is a column of the middle's shared grid
    obstacles: tuple[Box, ...] = ()  # inside the box, but taken: what it holds must keep off them


Meets = Callable[[Tenant, Tenant], bool]
Gap = Callable[..., float]  # gap(a, b, across=False): across is side by side (an arrow's label needs its width then)


def _lanes(tenants: list[Tenant], meets: Meets) -> dict[int, int]:
    """Greedy lanes per column: tenants of one place that meet get different lanes."""
    lanes: dict[int, int] = {}
    for tenant in sorted(tenants, key=lambda t: t.order):
        taken = {lanes[o.key] for o in tenants if o.key in lanes and o.column == tenant.column and meets(tenant, o)}
        lanes[tenant.key] = next(lane for lane in range(len(tenants) + 1) if lane not in taken)
    return lanes


def _in_contact(tenants: list[Tenant], meets: Meets) -> set[int]:
    """Tenants that share the screen with a tenant of another column."""
    return {t.key for t in tenants for o in tenants if o.column != t.column and meets(t, o)}


def _split(left: float, right: float, demands: dict[str, float], gaps: dict[tuple[str, str], float]) -> dict[str, tuple[float, float]]:
    """Columns side by side between `left` and `right`: each as wide as it wants, shrunk in
    proportion when they do not fit, and the spare width shared out equally."""
    names = [c for c in COLUMNS if c in demands]
    between = sum(gaps.get((a, b), 0.0) for a, b in zip(names, names[1:]))
    available = right - left - between
    total = sum(demands.values()) or 1.0
    if total > available:
        widths = {c: available * demands[c] / total for c in names}
    else:
        widths = {c: demands[c] + (available - total) / len(names) for c in names}
    ranges, x = {}, left
    for index, name in enumerate(names):
        ranges[name] = (x, x + widths[name])
        x += widths[name] + (gaps.get((name, names[index + 1]), 0.0) if index + 1 < len(names) else 0.0)
    return ranges


SIDE_MARGIN = 0.45  # the most columns keep off the frame's sides when room is short


def _side_margin(gaps: dict[tuple[str, str], float]) -> float:
    """How far the columns keep off the frame's sides: as far as off each other, but no
    more than a plain gap; the room an arrow needs between two columns is not needed at the
    frame's edge (where spare room is shared out evenly anyway, see spread)."""
    return min(max(gaps.values(), default=0.0), SIDE_MARGIN)


def spread(widths: dict[str, float], gaps: dict[tuple[str, str], float]) -> dict[str, tuple[float, float]] | None:
    """Columns of these widths spread evenly across the frame (equal space at both sides and
    between them), or None when the gaps they need leave no room to spread."""
    names = [c for c in COLUMNS if c in widths]
    free = SAFE.width - sum(widths.values())
    even = free / (len(names) + 1)
    if any(even < gaps.get((a, b), 0.0) for a, b in zip(names, names[1:])):
        return None
    ranges, x = {}, SAFE.left + even
    for name in names:
        ranges[name] = (x, x + widths[name])
        x += widths[name] + even
    return ranges


def _column_gaps(tenants: list[Tenant], contact: set[int], gap: Gap) -> dict[tuple[str, str], float]:
    gaps: dict[tuple[str, str], float] = {}
    for a, b in (("left", "center"), ("center", "right"), ("left", "right")):
        pairs = [gap(t, o, across=True) for t in tenants for o in tenants if t.key in contact and o.key in contact and t.column == a and o.column == b]
        gaps[(a, b)] = max(pairs, default=0.0)
    if "center" in {t.column for t in tenants if t.key in contact}:
        gaps.pop(("left", "right"))
    return gaps


def middle_grid(moments: list[list[Tenant]], gap: Gap) -> dict[str, tuple[float, float]]:
    """The middle's columns, once for these moments (those that share what is in the
    middle): each of them splits the middle the same way, so that one spot suits them all."""
    contact: dict[int, Tenant] = {}
    gaps: dict[tuple[str, str], float] = {}
    for tenants in moments:
        middle = [t for t in tenants if t.band == "middle"]
        for a in middle:
            for b in middle:
                if a.column != b.column:
                    contact[a.key] = a
                    pair = tuple(c for c in COLUMNS if c in (a.column, b.column))
                    gaps[pair] = max(gaps.get(pair, 0.0), gap(a, b, across=True))  # type: ignore[index]
    if not contact:
        return {}
    if any(t.column == "center" for t in contact.values()):
        gaps.pop(("left", "right"), None)
    demands: dict[str, float] = {}  # each column as wide as its widest content at its own size
    for tenants in moments:
        for tenant in tenants:
            if tenant.key in contact:
                demands[tenant.column] = max(demands.get(tenant.column, 0.0), tenant.natural()[0])
    margin = _side_margin(gaps)
    grid = _split(SAFE.left + margin, SAFE.right - margin, demands, gaps)
    widths: dict[str, float] = {}
    for tenants in moments:
        for tenant in tenants:
            if tenant.key in contact:
                left, right = grid[tenant.column]
                widths[tenant.column] = max(widths.get(tenant.column, 0.0), tenant.size_in(right - left, SAFE.height)[0])
    return (spread(widths, gaps) if len(widths) > 1 else None) or grid


def allot(tenants: list[Tenant], meets: Meets, gap: Gap, grid: dict[str, tuple[float, float]] | None = None, joined: Meets = lambda a, b: False) -> dict[int, Room]:
    """The room of every tenant. Tenants that meet get rooms that do not overlap. `grid`
    gives the middle's columns (see middle_grid); without it they are split for these
    tenants alone. `joined` says which tenants an arrow joins."""
    rooms: dict[int, Room] = {}
    taken: dict[int, Box] = {}  # what band tenants really take, for the middle to avoid
    top = [t for t in tenants if t.band == "top"]
    rooms.update(_allot_band(top, 1, meets, gap, taken, []))
    rooms.update(_allot_band([t for t in tenants if t.band == "bottom"], -1, meets, gap, taken, top))
    middle = [t for t in tenants if t.band == "middle"]
    rooms.update(_allot_middle(middle, [t for t in tenants if t.band != "middle"], meets, gap, taken, grid, joined))
    return rooms


def _allot_band(tenants: list[Tenant], sign: int, meets: Meets, gap: Gap, taken: dict[int, Box], others: list[Tenant]) -> dict[int, Room]:
    """A band's tenants, against their edge. A band holds its own things at their own size
    (see Cluster.high), so it is as deep as they are, and what is placed below a heading
    reaches into the middle with it; the bottom band stops above the top band's tenants."""
    if not tenants:
        return {}
    contact = _in_contact(tenants, meets)
    cap = SAFE.height
    demands: dict[str, float] = {}
    for tenant in tenants:
        if tenant.key in contact:
            demands[tenant.column] = max(demands.get(tenant.column, 0.0), tenant.size_in(SAFE.width, cap)[0])
    gaps = _column_gaps(tenants, contact, gap)
    ranges = _band_columns(demands, gaps)
    lanes = _lanes(tenants, meets)
    rooms = {}
    edge = SAFE.top if sign > 0 else SAFE.bottom
    for tenant in sorted(tenants, key=lambda t: (lanes[t.key], t.order)):
        left, right = ranges[tenant.column] if tenant.key in contact else (SAFE.left, SAFE.right)
        # Below (or above) the tenants of the same column that are on screen with it.
        depth = max((abs(edge - (taken[o.key].bottom if sign > 0 else taken[o.key].top)) + gap(tenant, o)
                     for o in tenants if o.key in taken and o.column == tenant.column and meets(tenant, o)), default=0.0)
        near = edge - sign * depth
        align_x = {"left": -1, "center": 0, "right": 1}[tenant.column]
        box = Box(left, right, near - cap, near) if sign > 0 else Box(left, right, near, near + cap)
        # Tenants of the other band on screen with it (a list hanging from a heading) are
        # obstacles in its room: what it holds keeps off them, below or beside them.
        blocking = tuple(taken[o.key].grown(gap(tenant, o)) for o in others if o.key in taken and meets(tenant, o))
        if align_x == 0:
            box = _centred_on_frame(box, tenant)
        room = Room(box, align_x, sign, None, blocking)
        rooms[tenant.key] = room
        taken[tenant.key] = tenant.place_in(room) if tenant.place_in is not None else _aligned(tenant, room)
    return rooms


def _aligned(tenant: Tenant, room: Room) -> Box:
    """The box a tenant takes in a room with no obstacles: its size, against the room's sides."""
    box = room.box
    width, height = tenant.size_in(box.width, box.height)
    x0 = {-1: box.left, 0: box.center[0] - width / 2, 1: box.right - width}[room.align_x]
    y0 = {1: box.top - height, 0: box.center[1] - height / 2, -1: box.bottom}[room.align_y]
    return Box(x0, x0 + width, y0, y0 + height)


def _band_columns(demands: dict[str, float], gaps: dict[tuple[str, str], float]) -> dict[str, tuple[float, float]]:
    """Corners keep to their edges; the middle of a band takes what they leave."""
    if not demands:
        return {}
    names = [c for c in COLUMNS if c in demands]
    between = sum(gaps.get((a, b), 0.0) for a, b in zip(names, names[1:]))
    available = SAFE.width - between
    total = sum(demands.values())
    widths = {c: demands[c] * min(1.0, available / total) if total else 0.0 for c in names}
    ranges = {}
    if "left" in widths:
        ranges["left"] = (SAFE.left, SAFE.left + widths["left"])
    if "right" in widths:
        ranges["right"] = (SAFE.right - widths["right"], SAFE.right)
    if "center" in widths:
        left = ranges["left"][1] + gaps.get(("left", "center"), 0.0) if "left" in ranges else SAFE.left
        right = ranges["right"][0] - gaps.get(("center", "right"), 0.0) if "right" in ranges else SAFE.right
        ranges["center"] = (left, right)
    if "left" in ranges and "right" in ranges and "center" not in ranges:
        middle = (ranges["left"][1] + ranges["right"][0]) / 2  # corners alone share the band
        ranges["left"] = (SAFE.left, max(ranges["left"][1], middle - gaps.get(("left", "right"), 0.0) / 2))
        ranges["right"] = (min(ranges["right"][0], middle + gaps.get(("left", "right"), 0.0) / 2), SAFE.right)
    return ranges


def _centred_on_frame(box: Box, tenant: Tenant) -> Box:
    """The widest room centred on the frame inside `box`, when the tenant is no smaller in it."""
    half = min(-box.left, box.right)
    if half <= 0:
        return box
    symmetric = Box(-half, half, box.bottom, box.top)
    if tenant.size_in(symmetric.width, symmetric.height) == tenant.size_in(box.width, box.height):
        return symmetric
    return box


def _allot_middle(tenants: list[Tenant], bands: list[Tenant], meets: Meets, gap: Gap, taken: dict[int, Box], shared: dict[str, tuple[float, float]] | None = None, joined: Meets = lambda a, b: False) -> dict[int, Room]:
    if not tenants:
        return {}

    def span(tenant: Tenant, left: float, right: float) -> tuple[float, float]:
        """What the bands leave it between `left` and `right`: only band tenants above or
        below that stretch of the frame count (a corner's note leaves the other side free)."""
        over = [b for b in bands if meets(tenant, b) and taken[b.key].left < right and taken[b.key].right > left]
        top = min([SAFE.top] + [taken[b.key].bottom - gap(tenant, b) for b in over if b.band == "top"])
        bottom = max([SAFE.bottom] + [taken[b.key].top + gap(tenant, b) for b in over if b.band == "bottom"])
        return bottom, max(top, bottom + 0.5)

    spans = {tenant.key: span(tenant, SAFE.left, SAFE.right) for tenant in tenants}
    contact = _in_contact(tenants, meets)
    demands: dict[str, float] = {}
    for tenant in tenants:
        if tenant.key in contact:
            bottom, top = spans[tenant.key]
            demands[tenant.column] = max(demands.get(tenant.column, 0.0), tenant.size_in(SAFE.width, top - bottom)[0])
    gaps = _column_gaps(tenants, contact, gap)
    margin = _side_margin(gaps)
    grid = shared if shared and all(t.column in shared for t in tenants if t.key in contact) else (_split(SAFE.left + margin, SAFE.right - margin, demands, gaps) if demands else {})
    lanes = _lanes(tenants, meets)
    rows = _lane_rows(tenants, lanes, spans, contact, grid, meets, gap)
    rooms = {}
    for tenant in tenants:
        if tenant.key in contact:
            left, right = grid[tenant.column]
        else:  # alone in the middle: `left` and `right` still mean a half of the frame, unless
            # what is placed beside it makes it too wide for a half
            half = max(gaps.values(), default=0.45) / 2 if gaps else 0.225
            left, right = {"left": (SAFE.left, -half), "center": (SAFE.left, SAFE.right), "right": (half, SAFE.right)}[tenant.column]
            if tenant.natural()[0] > right - left:
                left, right = SAFE.left, SAFE.right
        # An arrow to a neighbour in another column runs over the stretch between them: what
        # a band holds there (a box at `bottom` between `left` and `right`) is in its way.
        for other in tenants:
            if tenant.key in contact and other.key in contact and other.column != tenant.column and meets(tenant, other) and joined(tenant, other):
                left, right = min(left, grid[other.column][0]), max(right, grid[other.column][1])
        bottom, top = span(tenant, left, right)
        if tenant.key in contact:
            left, right = grid[tenant.column]
        if tenant.key in rows:
            row_bottom, row_top = rows[tenant.key]
            bottom, top = max(bottom, row_bottom), min(top, row_top)
        rooms[tenant.key] = Room(Box(left, right, bottom, top), 0, 0, tenant.column if tenant.key in contact else None)
    return rooms if grid is shared else _spread_columns(tenants, rooms, gaps)


def _spread_columns(tenants: list[Tenant], rooms: dict[int, Room], gaps: dict[tuple[str, str], float]) -> dict[int, Room]:
    """Once the columns' contents are sized, the columns are spread evenly across the frame:
    the room left over goes to the sides and the gaps alike, not to one corner."""
    widths: dict[str, float] = {}
    for tenant in tenants:
        room = rooms[tenant.key]
        if room.column is not None:
            widths[room.column] = max(widths.get(room.column, 0.0), tenant.size_in(room.box.width, room.box.height)[0])
    ranges = spread(widths, gaps) if len(widths) > 1 else None
    if ranges is None:
        return rooms
    return {key: Room(Box(*ranges[room.column], room.box.bottom, room.box.top), room.align_x, room.align_y, room.column) if room.column else room for key, room in rooms.items()}


def _lane_rows(tenants: list[Tenant], lanes: dict[int, int], spans: dict[int, tuple[float, float]], contact: set[int], grid: dict[str, tuple[float, float]], meets: Meets, gap: Gap) -> dict[int, tuple[float, float]]:
    """Tenants of one column on screen together are stacked: the column's height is split
    once, in proportion to what each lane wants."""
    rows: dict[int, tuple[float, float]] = {}
    for column in COLUMNS:
        stacked = [t for t in tenants if t.column == column and any(o.column == column and o is not t and meets(t, o) for o in tenants)]
        if not stacked:
            continue
        bottom = max(spans[t.key][0] for t in stacked)
        top = min(spans[t.key][1] for t in stacked)
        left, right = grid[column] if column in grid and all(t.key in contact for t in stacked) else (SAFE.left, SAFE.right)
        count = max(lanes[t.key] for t in stacked) + 1
        demands = [max((t.size_in(right - left, (top - bottom) / count)[1] for t in stacked if lanes[t.key] == lane), default=0.0) for lane in range(count)]
        between = max((gap(a, b) for a in stacked for b in stacked if a is not b), default=0.45) * (count - 1)
        available = top - bottom - between
        total = sum(demands) or 1.0
        heights = [available * d / total for d in demands] if total > available else [d + (available - total) / count for d in demands]
        y = top
        for lane, height in enumerate(heights):
            for tenant in stacked:
                if lanes[tenant.key] == lane:
                    rows[tenant.key] = (y - height, y)
            y -= height + between / max(count - 1, 1)
    return rows
