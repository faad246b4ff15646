"""Routing arrows: from the sides that face each other, around what is in the way.

An arrow may cross nothing but its own two ends. A straight line between facing sides
(level when the ends overlap, so it reads as a flow) when it is clear; otherwise the
shortest clear detour: an elbow (across, then down into the target, as a tree is drawn),
or a loop out along one side of both ends (a list's fourth item back to its second goes
out to the left margin, down and in), or round above or below. The label goes beside the
longest stretch, on whichever side is clear.
"""

from __future__ import annotations

from dataclasses import dataclass

from vidgen.layout.box import Box

Point = tuple[float, float]
BUFF = 0.12  # between an arrow's ends and what they touch
CLEARANCE = 0.12  # an arrow keeps this far from anything it passes
LOOP_OUT = 0.6  # how far a loop stands out from what it goes around
LABEL_GAP = 0.15


@dataclass(frozen=True)
class Route:
    points: tuple[Point, ...]
    clear: bool  # crosses nothing it should not

    @property
    def length(self) -> float:
        return sum(((b[0] - a[0]) ** 2 + (b[1] - a[1]) ** 2) ** 0.5 for a, b in zip(self.points, self.points[1:]))


def crosses(a: Point, b: Point, box: Box) -> bool:
    """Whether the segment a→b passes through `box`."""
    return _inside(a, b, box) is not None


def _inside(a: Point, b: Point, box: Box) -> tuple[float, float] | None:
    """The stretch of the segment a→b inside `box`, as fractions of the way from a to b
    (Liang–Barsky clipping); None when it misses the box."""
    t0, t1 = 0.0, 1.0
    dx, dy = b[0] - a[0], b[1] - a[1]
    for p, q in ((-dx, a[0] - box.left), (dx, box.right - a[0]), (-dy, a[1] - box.bottom), (dy, box.top - a[1])):
        if abs(p) < 1e-12:
            if q < 0:
                return None
            continue
        t = q / p
        if p < 0:
            t0 = max(t0, t)
        else:
            t1 = min(t1, t)
        if t0 > t1:
            return None
    return t0, t1


def _clear(points: tuple[Point, ...], obstacles: list[Box]) -> bool:
    grown = [box.grown(CLEARANCE) for box in obstacles]
    return not any(crosses(a, b, box) for a, b in zip(points, points[1:]) for box in grown)


def _facing(source: Box, target: Box, words: tuple[list[Box], list[Box]] = ((), ())) -> tuple[Point, Point]:  # type: ignore[assignment]
    """Ends on the sides of the two boxes that face each other; a straight arrow between
    sides that overlap runs through the middle of the overlap, or of its longest stretch
    clear of the ends' own `words` between them (a network's label above it, wider than a box's title)."""
    sx, sy = source.center
    tx, ty = target.center
    gap_x = max(target.left - source.right, source.left - target.right)
    gap_y = max(target.bottom - source.top, source.bottom - target.top)
    if gap_x > 0 and gap_y > 0:  # apart on both axes: a diagonal reads best
        return _boundary(source, tx - sx, ty - sy), _boundary(target, sx - tx, sy - ty)
    if gap_x >= gap_y and gap_x > 0:
        near, far = sorted((max(source.left, target.left), min(source.right, target.right)))
        between = [(w.bottom, w.top) for w in (*words[0], *words[1]) if w.right > near and w.left < far]  # in the gap
        low, high = _clear_stretch(max(source.bottom, target.bottom), min(source.top, target.top), between)
        y_s, y_t = ((low + high) / 2,) * 2 if high - low > 0.2 else (sy, ty)
        if tx > sx:
            return (source.right + BUFF, y_s), (target.left - BUFF, y_t)
        return (source.left - BUFF, y_s), (target.right + BUFF, y_t)
    if gap_y > 0:
        near, far = sorted((max(source.bottom, target.bottom), min(source.top, target.top)))
        between = [(w.left, w.right) for w in (*words[0], *words[1]) if w.top > near and w.bottom < far]  # in the gap
        low, high = _clear_stretch(max(source.left, target.left), min(source.right, target.right), between)
        x_s, x_t = ((low + high) / 2,) * 2 if high - low > 0.2 else (sx, tx)
        if ty > sy:
            return (x_s, source.top + BUFF), (x_t, target.bottom - BUFF)
        return (x_s, source.bottom - BUFF), (x_t, target.top + BUFF)
    return _boundary(source, tx - sx, ty - sy), _boundary(target, sx - tx, sy - ty)  # diagonal: centre to centre


def _clear_stretch(low: float, high: float, taken: list[tuple[float, float]]) -> tuple[float, float]:
    """The longest stretch of [low, high] that none of `taken` (grown by BUFF) covers, when
    it is long enough to hold an arrow's end (0.2); else [low, high] itself."""
    stretches = [(low, high)]
    for start, stop in taken:
        start, stop = start - BUFF, stop + BUFF
        stretches = [piece for a, b in stretches for piece in ((a, min(b, start)), (max(a, stop), b)) if piece[1] > piece[0]]
    best = max(stretches, key=lambda s: s[1] - s[0], default=(low, low))
    return best if best[1] - best[0] > 0.2 else (low, high)


def _boundary(box: Box, dx: float, dy: float) -> Point:
    """Where a ray from the centre of `box` towards (dx, dy) leaves it, plus BUFF."""
    cx, cy = box.center
    length = max((dx * dx + dy * dy) ** 0.5, 1e-9)
    ux, uy = dx / length, dy / length
    reach = min((box.width / 2 / abs(ux)) if abs(ux) > 1e-9 else float("inf"), (box.height / 2 / abs(uy)) if abs(uy) > 1e-9 else float("inf"))
    reach = 0.0 if reach == float("inf") else reach
    return cx + ux * (reach + BUFF), cy + uy * (reach + BUFF)


def _loops(source: Box, target: Box, obstacles: list[Box]) -> list[tuple[Point, ...]]:
    """Paths that leave one side of both ends and come back in on the same side, standing
    out from everything between them (the ends' own elements, markers included, among it)."""
    sx, sy = source.center
    tx, ty = target.center
    low, high = min(sy, ty), max(sy, ty)
    left_of = min([source.left, target.left] + [b.left for b in obstacles if b.top > low and b.bottom < high])
    right_of = max([source.right, target.right] + [b.right for b in obstacles if b.top > low and b.bottom < high])
    low_x, high_x = min(sx, tx), max(sx, tx)
    below = min([source.bottom, target.bottom] + [b.bottom for b in obstacles if b.right > low_x and b.left < high_x])
    above = max([source.top, target.top] + [b.top for b in obstacles if b.right > low_x and b.left < high_x])
    x_left, x_right = left_of - LOOP_OUT, right_of + LOOP_OUT
    y_below, y_above = below - LOOP_OUT, above + LOOP_OUT
    return [
        ((source.left - BUFF, sy), (x_left, sy), (x_left, ty), (target.left - BUFF, ty)),
        ((source.right + BUFF, sy), (x_right, sy), (x_right, ty), (target.right + BUFF, ty)),
        ((sx, source.top + BUFF), (sx, y_above), (tx, y_above), (tx, target.top + BUFF)),
        ((sx, source.bottom - BUFF), (sx, y_below), (tx, y_below), (tx, target.bottom - BUFF)),
    ]


def _elbows(source: Box, target: Box) -> list[tuple[Point, ...]]:
    """Paths with one bend, as an organisation chart draws them: across, then down into the
    target's near edge; or down, then across into its near side."""
    sx, sy = source.center
    tx, ty = target.center
    paths = []
    if abs(tx - sx) > (source.width + target.width) / 4 and (ty > target.height / 2 + source.top or ty < source.bottom - target.height / 2):
        start = (source.right + BUFF, sy) if tx > sx else (source.left - BUFF, sy)
        end = (tx, target.bottom - BUFF) if ty > sy else (tx, target.top + BUFF)
        paths.append((start, (tx, sy), end))
    if abs(ty - sy) > (source.height + target.height) / 4 and (tx > target.width / 2 + source.right or tx < source.left - target.width / 2):
        start = (sx, source.top + BUFF) if ty > sy else (sx, source.bottom - BUFF)
        end = (target.left - BUFF, ty) if tx > sx else (target.right + BUFF, ty)
        paths.append((start, (sx, ty), end))
    return paths


def route(
    source: Box, target: Box, obstacles: list[Box], frame: Box, around: list[Box] = (), words: tuple[list[Box], list[Box]] = ((), ())  # type: ignore[assignment]
) -> Route:
    """The best route from `source` to `target` avoiding `obstacles`, inside `frame`;
    loops also stand clear of `around` (the elements the ends belong to). `words` are each
    end's own words outside it (a box's title above its frame): an end on that side stops
    short of them rather than running through them."""
    straight = _short_of(_facing(source, target, words), words)
    candidates = [Route(straight, _clear(straight, obstacles))]
    for path in [_short_of(p, words) for p in (*_elbows(source, target), *_loops(source, target, [*obstacles, *around]))]:
        inside = all(frame.left <= x <= frame.right and frame.bottom <= y <= frame.top for x, y in path)
        candidates.append(Route(path, inside and _clear(path, obstacles)))
    clear = [c for c in candidates if c.clear]
    if candidates[0].clear:
        return candidates[0]
    return min(clear, key=lambda c: c.length) if clear else candidates[0]


def _short_of(points: tuple[Point, ...], words: tuple[list[Box], list[Box]]) -> tuple[Point, ...]:
    """`points` with each end moved back along its stretch to clear its own words."""
    start, *middle, end = points
    start = _clear_of(start, points[1], words[0])
    end = _clear_of(end, points[-2], words[1])
    return (start, *middle, end)


def _clear_of(end: Point, towards: Point, words: list[Box]) -> Point:
    """Where the stretch from `end` towards `towards` leaves the last of `words` it passes
    through (a BUFF away), or `end` itself. A stretch that would be left too short keeps its end."""
    along = 0.0
    for box in words:
        inside = _inside(end, towards, box.grown(BUFF))
        if inside is not None:
            along = max(along, inside[1])
    length = ((towards[0] - end[0]) ** 2 + (towards[1] - end[1]) ** 2) ** 0.5
    if along <= 0.0 or (1.0 - along) * length < 0.3:
        return end
    return end[0] + (towards[0] - end[0]) * along, end[1] + (towards[1] - end[1]) * along


def place_label(route: Route, width: float, height: float, avoid: list[Box], frame: Box, tip: Box | None = None) -> Box | None:
    """A box for the label beside the route's longest stretch, clear of `avoid` and of
    the route itself (None: no clear place). Tries the middle of each stretch, longest
    first, on both sides: above or below a level stretch, right or left of an upright one,
    and out along its normal beside a slanting one (an arrow between boxes that are apart
    both ways), just far enough for the label's corner to clear the line.

    The label keeps clear of the arrowhead (`tip`, its box): along the last stretch it is
    set beside the shaft, the part before the head; only when the shaft is too short for
    it does it stand further out, past the head's width."""
    stretches = list(zip(route.points, route.points[1:]))
    blocked = avoid + ([tip.grown(TIP_CLEARANCE)] if tip is not None else [])
    last = stretches[-1] if stretches else None
    for a, b in sorted(stretches, key=lambda s: -((s[1][0] - s[0][0]) ** 2 + (s[1][1] - s[0][1]) ** 2)):
        dx, dy = b[0] - a[0], b[1] - a[1]
        length = max((dx * dx + dy * dy) ** 0.5, 1e-9)
        nx, ny = -dy / length, dx / length
        if ny < 0 or (ny == 0 and nx < 0):  # above (or right) first
            nx, ny = -nx, -ny
        if (a, b) == last and tip is not None:  # beside the shaft, not the head
            head = min(_extent_along(tip, dx / length, dy / length), length * 0.5)
            dx, dy = dx * (1 - head / length), dy * (1 - head / length)
        reach = abs(nx) * width / 2 + abs(ny) * height / 2 + LABEL_GAP
        # Past the head's width, for a shaft too short to hold the label.
        outer = abs(nx) * width / 2 + abs(ny) * height / 2 + _extent_along(tip, nx, ny) / 2 + TIP_CLEARANCE + 0.05 if tip is not None else reach
        for distance in (reach, outer) if outer > reach else (reach,):
            shaft = max((dx * dx + dy * dy) ** 0.5, 1e-9)
            along = (abs(dx) * width + abs(dy) * height) / shaft  # the label's length along the stretch (level or upright)
            snug = 0.5 * along / shaft  # its centre when it starts at the tail
            for fraction in (0.5, 0.3, 0.7, snug):
                mx, my = a[0] + dx * fraction, a[1] + dy * fraction
                for side in (1, -1):
                    cx, cy = mx + side * nx * distance, my + side * ny * distance
                    box = Box(cx - width / 2, cx + width / 2, cy - height / 2, cy + height / 2)
                    if frame.contains(box) and not any(box.overlaps(o, 0.05) for o in blocked) and not any(crosses(p, q, box.grown(0.09)) for p, q in stretches):
                        return box
    return None


TIP_CLEARANCE = 0.06  # a label keeps this far (and the usual 0.05) from the arrowhead


def _extent_along(box: Box | None, ux: float, uy: float) -> float:
    """How long `box` is along the direction (ux, uy)."""
    if box is None:
        return 0.0
    return abs(ux) * box.width + abs(uy) * box.height
