"""The stage: one scene's drawn elements, where they sit, and what is on screen.

Both the renderer and the layout check drive the same Stage, so what the check sees is
what the video shows. Elements are drawn at scene start but placed when they first
appear, relative to where their neighbours are *then* (a label placed `below dna` follows
`dna` to wherever an earlier `move` took it).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Line, Mobject, VGroup

from vidgen.elements import ELEMENT_KINDS
from vidgen.elements.base import Drawing
from vidgen.render.frame import GAP, HALF_HEIGHT, HALF_WIDTH
from vidgen.storyboard.model import Scene
from vidgen.storyboard.places import Place, parse_place
from vidgen.storyboard.refs import Ref, Slice
from vidgen.theme import Theme

_FRAME_ANCHORS = {
    "center": (0, 0),
    "left": (-1, 0),
    "right": (1, 0),
    "top": (0, 1),
    "bottom": (0, -1),
    "top left": (-1, 1),
    "top right": (1, 1),
    "bottom left": (-1, -1),
    "bottom right": (1, -1),
}
_RELATIVE = {"left of": LEFT, "right of": RIGHT, "above": UP, "below": DOWN}
MARKER_ROOM = 0.12
MIN_FIT_SCALE = 0.6  # shrinking further would make text unreadable; the layout check reports it instead


def bounds(mobject: Mobject) -> tuple[float, float, float, float]:
    """(left, right, bottom, top) of everything drawn in `mobject`."""
    points = [m.points for m in mobject.family_members_with_points()]
    if not points:
        x, y, _ = mobject.get_center()
        return x, x, y, y
    stacked = np.concatenate(points)
    return stacked[:, 0].min(), stacked[:, 0].max(), stacked[:, 1].min(), stacked[:, 1].max()


def group_of(mobjects: list[Mobject]) -> Mobject:
    """A VGroup when it can be (most animations need one), a Group when images are in it."""
    from manim import Group, VMobject

    return VGroup(*mobjects) if all(isinstance(m, VMobject) for m in mobjects) else Group(*mobjects)


class Stage:
    def __init__(self, scene: Scene, theme: Theme) -> None:
        self.scene = scene
        self.theme = theme
        self.drawings: dict[str, Drawing] = {}
        self.visible: set[str] = set()
        self.placed: set[str] = set()
        self.markers: dict[str, list[tuple[str, Mobject]]] = {}
        self._after_step: list[Callable[[], None]] = []
        self.leftovers: list[Mobject] = []  # mobjects an action added that must leave the scene after it
        for name, spec in scene.elements.items():
            drawing = ELEMENT_KINDS[spec.kind].draw(spec, theme)
            drawing.mobject.scale(spec.scale)
            self.drawings[name] = drawing
        for name in self._placement_order([n for n, s in scene.elements.items() if s.visible]):
            self.enter(name)

    # -- elements and parts -------------------------------------------------------------

    def mobject(self, name: str) -> Mobject:
        return self.drawings[name].mobject

    def spec(self, name: str) -> Any:
        return self.scene.elements[name]

    def default_show(self, name: str) -> str:
        return getattr(self.spec(name), "default_show", "fade")

    def resolve(self, ref: Ref) -> Mobject:
        """The mobject a reference names; a slice becomes a group of the items it selects.

        An element referred to before it has appeared is put in its place first, so what
        is placed next to it (or pointed at) lands where it will be."""
        self._place_once(ref.element)
        drawing = self.drawings[ref.element]
        if ref.is_whole:
            return drawing.mobject
        part = ref.part or ELEMENT_KINDS[self.spec(ref.element).kind].default_part
        target: Any = drawing.parts[part]
        for index in ref.indices:
            if isinstance(index, tuple):
                target = target[index[0]][index[1]]
            elif isinstance(index, Slice):
                target = VGroup(*(target[i] for i in index.indices(len(target))))
            else:
                target = target[index]
        return target

    # -- placement ------------------------------------------------------------------------

    def _placement_order(self, names: list[str]) -> list[str]:
        """Names ordered so that an element comes after the one it is placed next to."""
        ordered: list[str] = []

        def visit(name: str, path: tuple[str, ...]) -> None:
            if name in ordered or name in path:
                return
            target = parse_place(self.spec(name).resolved_place).target
            if target and target.element in names:
                visit(target.element, path + (name,))
            ordered.append(name)

        for name in names:
            visit(name, ())
        return ordered

    def _place_once(self, name: str) -> None:
        if name in self.placed or hasattr(ELEMENT_KINDS[self.spec(name).kind], "attach"):
            return
        self.placed.add(name)
        self.place(self.mobject(name), parse_place(self.spec(name).resolved_place), moving=name)

    def enter(self, name: str) -> Mobject:
        """Place an element for its appearance and count it as on screen; connectors take
        their shape from where their targets are now."""
        mobject = self.mobject(name)
        if name not in self.visible:
            kind = ELEMENT_KINDS[self.spec(name).kind]
            if hasattr(kind, "attach"):
                kind.attach(self.spec(name), self.drawings[name], self)
            else:
                self._place_once(name)
            self.visible.add(name)
        return mobject

    def place(self, mobject: Mobject, place: Place | None, moving: str | None = None) -> None:
        """Move `mobject` to a named place, shrinking it (not below MIN_FIT_SCALE) to fit.

        `moving` names the element being placed, whose own `gap` applies."""
        if place is None:
            return
        if place.anchor in _FRAME_ANCHORS:
            self._fit(mobject, 2 * HALF_WIDTH, 2 * HALF_HEIGHT)
            ax, ay = _FRAME_ANCHORS[place.anchor]
            # Inset by the marker room, so a highlight on an edge element stays in the safe area.
            mobject.move_to(
                [ax * (HALF_WIDTH - MARKER_ROOM - mobject.width / 2), ay * (HALF_HEIGHT - MARKER_ROOM - mobject.height / 2), 0]
            )
            return
        target = self.resolve(place.target)
        # Distances count from the whole target (its label included); alignment meets its
        # anchor: frame to frame, cells to cells.
        target_anchor = target
        if place.target.is_whole:
            target_kind = ELEMENT_KINDS[self.spec(place.target.element).kind]
            if getattr(target_kind, "anchor", None):
                target_anchor = self.drawings[place.target.element].parts[target_kind.anchor]
        if place.anchor == "on":
            mobject.move_to(target.get_center())
            return
        direction = _RELATIVE[place.anchor]
        gap = (self.spec(moving).gap if moving else None) or GAP
        left, right, bottom, top = bounds(target)
        room_x = {"left of": left - gap + HALF_WIDTH, "right of": HALF_WIDTH - right - gap}.get(place.anchor, 2 * HALF_WIDTH)
        room_y = {"above": HALF_HEIGHT - top - gap, "below": bottom - gap + HALF_HEIGHT}.get(place.anchor, 2 * HALF_HEIGHT)
        self._fit(mobject, room_x, room_y)
        mobject.next_to(target, direction, buff=gap)
        self._align_anchor(mobject, target_anchor, moving, horizontal=place.anchor in ("above", "below"))
        self._keep_inside(mobject, horizontal=place.anchor in ("above", "below"))

    def _align_anchor(self, mobject: Mobject, target: Mobject, moving: str | None, horizontal: bool) -> None:
        """Centre the element's anchor part (a box's frame, not frame + title) on the target."""
        anchor_name = getattr(ELEMENT_KINDS[self.spec(moving).kind], "anchor", None) if moving else None
        if anchor_name is None:
            return
        anchor = self.drawings[moving].parts[anchor_name]
        if mobject is not self.mobject(moving):  # placing a move target: find the same part in it
            index = self.mobject(moving).get_family().index(anchor)
            anchor = mobject.get_family()[index]
        if horizontal:
            mobject.shift(RIGHT * (target.get_x() - anchor.get_x()))
        else:
            mobject.shift(UP * (target.get_y() - anchor.get_y()))

    @staticmethod
    def _fit(mobject: Mobject, width: float, height: float) -> None:
        # Keep a little room: a highlight marker stands 0.1 units proud of what it marks.
        width, height = width - 2 * MARKER_ROOM, height - 2 * MARKER_ROOM
        factor = min(1.0, width / max(mobject.width, 1e-6), height / max(mobject.height, 1e-6))
        if factor < 1.0:
            mobject.scale(max(factor, MIN_FIT_SCALE))

    @staticmethod
    def _keep_inside(mobject: Mobject, horizontal: bool) -> None:
        """Slide along the cross axis back into the safe area (a wide label over a narrow layer)."""
        left, right, bottom, top = bounds(mobject)
        if horizontal:
            shift = max(0.0, -HALF_WIDTH - left) - max(0.0, right - HALF_WIDTH)
            mobject.shift(RIGHT * shift)
        else:
            shift = max(0.0, -HALF_HEIGHT - bottom) - max(0.0, top - HALF_HEIGHT)
            mobject.shift(UP * shift)

    # -- flows ------------------------------------------------------------------------------

    def flow_groups(self, ref: Ref) -> list[Mobject]:
        """The node groups a flow passes through for one reference, in order."""
        kind = ELEMENT_KINDS[self.spec(ref.element).kind]
        drawing = self.drawings[ref.element]
        if not ref.is_whole:
            return [self.resolve(ref)]
        chain = getattr(kind, "chain", None)
        if chain:
            return list(drawing.parts[chain])
        return [drawing.parts[kind.default_part] if kind.default_part else drawing.mobject]

    def connections(self, source: Mobject, target: Mobject) -> list[Mobject]:
        """Lines carrying a pulse from `source` nodes to `target` nodes."""
        for drawing in self.drawings.values():
            layers, edges = drawing.parts.get("layers"), drawing.parts.get("edges")
            if layers is None or edges is None:
                continue
            for index in range(len(layers) - 1):
                if layers[index] is source and layers[index + 1] is target:
                    return list(edges[index])
        sources, targets = list(source) or [source], list(target) or [target]
        if len(sources) == len(targets):
            pairs = zip(sources, targets)
        else:
            pairs = ((a, b) for a in sources for b in targets)
        return [Line(a, b, buff=0.04, stroke_width=2, color=self.theme.muted) for a, b in pairs]

    # -- highlight markers --------------------------------------------------------------------

    def add_marker(self, element: str, key: str, marker: Mobject) -> None:
        """Attach a marker to its element so it moves and hides with it."""
        self.mobject(element).add(marker)
        self.markers.setdefault(element, []).append((key, marker))

    def take_markers(self, ref: Ref) -> list[Mobject]:
        """Detach the markers drawn for `ref` (all of an element's, for a whole element)."""
        key = str(ref)
        kept, taken = [], []
        for marker_key, marker in self.markers.get(ref.element, []):
            (taken if ref.is_whole or marker_key.replace(" ", "") == key.replace(" ", "") else kept).append((marker_key, marker))
        self.markers[ref.element] = kept
        element = self.mobject(ref.element)
        self._after_step.extend(lambda m=m: element.remove(m) for _, m in taken)  # type: ignore[misc]
        return [m for _, m in taken]

    def after(self, callback: Callable[[], None]) -> None:
        """Run `callback` once the current step's animations have finished."""
        self._after_step.append(callback)

    def finish_step(self, remove: Callable[[Mobject], None]) -> None:
        for callback in self._after_step:
            callback()
        self._after_step.clear()
        for mobject in self.leftovers:
            remove(mobject)
        self.leftovers.clear()

    def on_screen(self) -> dict[str, Mobject]:
        return {name: self.mobject(name) for name in self.drawings if name in self.visible}

