"""The stage: one scene's drawn elements, where they sit, and what is on screen.

Both the renderer and the layout check drive the same Stage, so what the check sees is
what the video shows. Elements are drawn at scene start; where each goes, at each of its
placements, is composed before anything plays (vidgen.layout), and an element takes its
spot when it first appears, or when a `move` sends it on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
from manim import Line, Mobject, VGroup

from vidgen.elements import ELEMENT_KINDS
from vidgen.elements.base import Drawing
from vidgen.storyboard.model import Scene
from vidgen.storyboard.refs import Ref
from vidgen.theme import Theme


def bounds(mobject: Mobject) -> tuple[float, float, float, float]:
    """(left, right, bottom, top) of everything drawn in `mobject`."""
    points = [m.points for m in mobject.family_members_with_points()]
    if not points:
        x, y, _ = mobject.get_center()
        return x, x, y, y
    stacked = np.concatenate(points)
    return stacked[:, 0].min(), stacked[:, 0].max(), stacked[:, 1].min(), stacked[:, 1].max()


def _placed_on(spec: Any, name: str) -> bool:
    from vidgen.storyboard.places import parse_place

    place = parse_place(spec.resolved_place)
    return place.anchor == "on" and place.target is not None and place.target.element == name


ARCS = (0.0, 1.0, -1.0, 2.0, -2.0, 3.0, -3.0)  # radians, tried in this order


def clear_arc(start: Any, end: Any, obstacles: list[Any]) -> float | None:
    """The first arc along which a box going from `start` to `end` passes over nothing
    (straight when it can), or None."""
    from manim.utils.paths import path_along_arc

    begin, finish = np.array([[*start.center, 0.0]]), np.array([[*end.center, 0.0]])
    for arc in ARCS:
        path = path_along_arc(arc)
        clear = True
        for alpha in np.linspace(0.1, 0.9, 9):
            x, y, _ = path(begin, finish, alpha)[0]
            width = start.width + (end.width - start.width) * alpha
            height = start.height + (end.height - start.height) * alpha
            moving = type(start)(x - width / 2, x + width / 2, y - height / 2, y + height / 2)
            if any(moving.overlaps(box, 0.05) for box in obstacles):
                clear = False
                break
        if clear:
            return arc
    return None


def group_of(mobjects: list[Mobject]) -> Mobject:
    """A VGroup when it can be (most animations need one), a Group when images are in it."""
    from manim import Group, VMobject

    return VGroup(*mobjects) if all(isinstance(m, VMobject) for m in mobjects) else Group(*mobjects)


class Stage:
    """One scene's drawings and what is on screen, placed by the composed layout.

    `chain` is the run of scenes this one continues or is continued by (`outro: keep`):
    they are composed together, so an element that carries over keeps its spot. `fresh`
    composes the layout here and now (the layout check wants all of it, not the kept spots)."""

    def __init__(self, scene: Scene, theme: Theme, chain: tuple[Scene, ...] = (), index: int = 0, fresh: bool = False) -> None:
        from vidgen.layout.scene import plan_layout

        self.scene = scene
        self.theme = theme
        self.drawings: dict[str, Drawing] = {}
        self.visible: set[str] = set()
        self.markers: dict[str, list[tuple[str, Mobject]]] = {}
        self._after_step: list[Callable[[], None]] = []
        self.leftovers: list[Mobject] = []  # mobjects an action added that must leave the scene after it
        self.problems: list[tuple[str, tuple[str, ...]]] = []  # found while playing, for the layout check
        for name, spec in scene.elements.items():
            drawing = ELEMENT_KINDS[spec.kind].draw(spec, theme)
            drawing.mobject.scale(spec.scale)
            self.drawings[name] = drawing
        chain = chain or (scene,)
        self.layout = plan_layout(chain, index, theme, self.drawings, fresh)
        # Where each placed element's drawing is now: its drawn centre, its scale and its
        # fixed words' scale, relative to the drawing. Markers and counted values change the
        # mobject's box, so later moves start from these, not from the box.
        self.placed: dict[str, tuple[np.ndarray, float, float]] = {}
        self.step = self.layout.step(None, None)
        for name, spec in scene.elements.items():
            if spec.visible:
                self.enter(name)
        if index > 0:  # a continued element starts as the scene before left it
            from vidgen.render.carry import carry_state

            carry_state(self)

    def at(self, beat: int, action: int) -> None:
        """The action about to run: elements that appear or move now take its spots."""
        self.step = self.layout.step(beat, action)

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
        is pointed at is where it will be."""
        from vidgen.layout.measure import resolve_part

        self._place_once(ref.element)
        return resolve_part(self.drawings[ref.element], self.spec(ref.element), ref)

    # -- placement ------------------------------------------------------------------------

    def _place_once(self, name: str) -> None:
        if name in self.placed or hasattr(ELEMENT_KINDS[self.spec(name).kind], "attach"):
            return
        mobject = self.mobject(name)
        self.placed[name] = (mobject.get_center().copy(), 1.0, 1.0)
        spot = self.layout.spot(name, self.step)
        if spot is not None:
            self._apply(name, mobject, spot)

    def _apply(self, name: str, mobject: Mobject, spot: Any) -> None:
        """Scale and move `mobject` (the element, or the target of its move) to `spot`."""
        center, factor, words = self.placed[name]
        wanted, x, y, wanted_words = self.layout.local_spot(name, spot)
        new_center = np.array([x, y, 0.0])
        mobject.scale(wanted / factor, about_point=center)
        mobject.shift(new_center - center)
        self.placed[name] = (new_center, wanted, wanted_words)
        self._keep_word_sizes(name, mobject, wanted / factor, words, wanted_words)

    def _keep_word_sizes(self, name: str, mobject: Mobject, change: float, before: float, after: float) -> None:
        """A diagram's labels keep their size as it grows (shrinking with it below its
        drawn size): each is scaled back about the point where it meets the diagram."""
        from vidgen.layout.measure import bounds, fixed_words

        own = self.mobject(name).get_family()
        family = mobject.get_family()
        for word, measured in zip(fixed_words(self.drawings[name], self.spec(name)), self.layout.local[name].words):
            item = family[own.index(word)] if mobject is not self.mobject(name) else word
            ax, ay = measured.attach(bounds(item))
            item.scale(after / (before * change), about_point=np.array([ax, ay, 0.0]))

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

    def obstacles(self, connector: str, ends: list[Ref]) -> list[tuple[str, Any]]:
        """What connector `connector` must keep clear of, named: every element on screen
        with it at some moment (where the layout puts it), and the other items of an
        element one of whose items is an end (a list's third item, between its fourth and
        its second)."""
        from vidgen.layout.lifetimes import overlapping
        from vidgen.layout.measure import bounds

        story = self.layout.story
        spans = story.connectors[self.layout.key(connector)].spans
        end_elements = {self.layout.key(ref.element) for ref in ends if ref.element in self.scene.elements}
        found = []
        for placement in story.placements:
            spot = self.layout.composition.spots.get(placement.index)
            if spot is not None and placement.element not in end_elements and overlapping(placement.spans, spans):
                found.append((placement.name, spot.box))
        parted = [ref for ref in ends if not ref.is_whole and ref.element in self.scene.elements]
        end_boxes = [bounds(self.resolve(ref)) for ref in parted]
        for element in dict.fromkeys(ref.element for ref in parted):
            for item in self._items(element):
                box = bounds(item)
                if not any(box.overlaps(end, -0.02) for end in end_boxes):
                    found.append((element, box))
        return found

    def _items(self, name: str) -> list[Mobject]:
        """The addressable items of an element (cells, list items, layers), flattened."""
        kind = ELEMENT_KINDS[self.spec(name).kind]
        part = kind.default_part
        if part is None or part not in self.drawings[name].parts:
            return []
        shape = kind.parts(self.spec(name)).get(part)
        count = shape[0] if isinstance(shape, tuple) else len(shape) if isinstance(shape, list) else shape
        # Markers join their element's group, which for a list is its items: keep the items.
        items = list(self.drawings[name].parts[part])[: count if isinstance(count, int) else None]
        return [cell for row in items for cell in row] if isinstance(shape, tuple) else items

    def note(self, message: str, elements: tuple[str, ...]) -> None:
        """A layout problem found while playing (an arrow that cannot avoid something)."""
        if (message, elements) not in self.problems:
            self.problems.append((message, elements))

    def move(self, name: str, target: Mobject) -> float | None:
        """Put `target` (a copy of the element) where the move starting now takes it; the
        arc (radians) to travel along so as not to pass over what is on screen, or None
        when every way passes over something (the move then fades across)."""
        from vidgen.layout.measure import bounds

        self._place_once(name)
        start = bounds(self.mobject(name))
        spot = self.layout.moved_spot(name, self.step)
        if spot is not None:
            self._apply(name, target, spot)
        end = bounds(target)
        overlays = {name} | {n for n, s in self.scene.elements.items() if _placed_on(s, name) or _placed_on(self.spec(name), n)}
        obstacles = [bounds(self.mobject(n)) for n in self.visible if n not in overlays and not hasattr(ELEMENT_KINDS[self.spec(n).kind], "attach")]
        return clear_arc(start, end, obstacles)

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

