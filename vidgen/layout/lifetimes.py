"""When each element is on screen, and where it is asked to be: the placements of a scene.

A placement is one stay of an element at one place: from its first appearance until a
`move` sends it elsewhere. Scenes that continue each other (`outro: keep`, then elements
with `visible: true`) are one picture for the viewer, so they are read as one story: an
element that continues keeps its placement, and what comes later in the chain is already
given room earlier, so nothing has to jump at a cut.

Steps count actions in storyboard order over the whole chain; each scene also has a step
of its own before its first action (what is on screen when it starts).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from vidgen.actions import ACTION_KINDS
from vidgen.elements import ELEMENT_KINDS
from vidgen.storyboard.model import Scene
from vidgen.storyboard.places import Place, parse_place
from vidgen.storyboard.refs import Ref, parse_ref

ElementKey = tuple[int, str]  # (index of the scene that introduces it, its name there)
Span = tuple[int, int]  # first and last step on screen, inclusive


@dataclass
class Placement:
    index: int
    element: ElementKey
    scene: int  # the scene it begins in: its place names that scene's elements
    spec: Any  # the spec of the scene that introduces the element: what is measured
    place: Place
    scale: float = 1.0  # a move's `scale`: relative to the placement before
    previous: int | None = None
    begins: int = 0
    spans: list[Span] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.element[1]

    @property
    def shown(self) -> bool:
        return bool(self.spans)


@dataclass
class Connector:
    """An arrow or a brace: drawn from its targets, on screen for its spans."""

    element: ElementKey
    spec: Any
    spans: list[Span] = field(default_factory=list)


@dataclass
class Story:
    """Every placement and connector of a chain of scenes, and how scenes map onto it."""

    scenes: tuple[Scene, ...]
    placements: list[Placement] = field(default_factory=list)
    connectors: dict[ElementKey, Connector] = field(default_factory=dict)
    keys: list[dict[str, ElementKey]] = field(default_factory=list)  # per scene: name -> element
    first_step: list[int] = field(default_factory=list)  # per scene: its opening step
    steps: list[list[list[int]]] = field(default_factory=list)  # per scene, beat, action: its step
    highlighted: dict[ElementKey, tuple[str, ...]] = field(default_factory=dict)  # what is marked of each element
    actions: dict[ElementKey, list[Any]] = field(default_factory=dict)  # actions that name an element

    def current(self, key: ElementKey, step: int) -> Placement | None:
        """The placement of an element at a step (the latest one begun by then)."""
        found = None
        for placement in self.placements:
            if placement.element == key and placement.begins <= step:
                found = placement
        return found or next((p for p in self.placements if p.element == key), None)

    def spec(self, key: ElementKey) -> Any:
        return self.scenes[key[0]].elements[key[1]]


def overlapping(a: list[Span], b: list[Span]) -> bool:
    return any(x0 <= y1 and y0 <= x1 for x0, x1 in a for y0, y1 in b)


class _Reader:
    """Walks the chain's actions once, opening and closing spans."""

    def __init__(self, story: Story) -> None:
        self.story = story
        self.open: dict[ElementKey, int] = {}  # element -> step it appeared at
        self.scene = 0

    def placement(self, key: ElementKey) -> Placement | None:
        return next((p for p in reversed(self.story.placements) if p.element == key), None)

    def add_placement(self, key: ElementKey, place: Place, step: int, scale: float = 1.0) -> Placement:
        previous = self.placement(key)
        placement = Placement(len(self.story.placements), key, self.scene, self.story.spec(key), place, scale, previous.index if previous else None, step)
        self.story.placements.append(placement)
        return placement

    def show(self, key: ElementKey, step: int) -> None:
        if key in self.open:
            return
        self.open[key] = step
        if key in self.story.connectors:
            return
        if self.placement(key) is None:
            self.add_placement(key, parse_place(self.story.spec(key).resolved_place), step)

    def close(self, key: ElementKey, step: int) -> None:
        begun = self.open.pop(key, None)
        if begun is None:
            return
        if key in self.story.connectors:
            self.story.connectors[key].spans.append((begun, step))
            return
        current = self.placement(key)
        if current is not None:  # a move already closed the spans of the placements before
            current.spans.append((max(begun, current.begins), step))

    def move(self, key: ElementKey, place: Place | None, scale: float | None, step: int) -> None:
        current = self.placement(key)
        if current is None:
            self.add_placement(key, place or parse_place(self.story.spec(key).resolved_place), step, scale or 1.0)
            return
        begun = self.open.pop(key, None)
        if begun is not None:  # the old stay ends as the move starts; the new one begins there
            current.spans.append((max(begun, current.begins), step))
        self.add_placement(key, place or current.place, step, scale or 1.0)
        if begun is not None:
            self.open[key] = step


def read_story(scenes: tuple[Scene, ...]) -> Story:
    """The placements and connectors of a chain of scenes (one scene is a chain of one)."""
    story = Story(scenes)
    reader = _Reader(story)
    step = 0
    for s, scene in enumerate(scenes):
        reader.scene = s
        previous = story.keys[-1] if story.keys else {}
        keys: dict[str, ElementKey] = {}
        for name, spec in scene.elements.items():
            continued = spec.visible and name in previous and previous[name] in reader.open
            keys[name] = previous[name] if continued else (s, name)
        for key in [k for k in reader.open if k not in keys.values()]:
            reader.close(key, step - 1)  # what the next scene does not continue ends at the cut
        story.keys.append(keys)
        for name, spec in scene.elements.items():
            if hasattr(ELEMENT_KINDS[spec.kind], "attach") and keys[name] == (s, name):
                story.connectors[keys[name]] = Connector(keys[name], spec)
        story.first_step.append(step)
        for name, spec in scene.elements.items():
            if spec.visible:
                reader.show(keys[name], step)
        step += 1
        beats = []
        for beat in scene.beats:
            beat_steps = []
            for action in beat.do:
                _read_action(story, reader, keys, scene, action, step)
                beat_steps.append(step)
                step += 1
            beats.append(beat_steps)
        story.steps.append(beats)
    for key in list(reader.open):
        reader.close(key, step - 1)
    return story


def _read_action(story: Story, reader: _Reader, keys: dict[str, ElementKey], scene: Scene, action: Any, step: int) -> None:
    kind = ACTION_KINDS[action.kind]
    for _, ref in kind.refs(action):
        if ref.element in keys:
            story.actions.setdefault(keys[ref.element], []).append(action)
    if action.kind == "highlight":
        for text in action.highlight:
            if parse_ref(text).element in keys:
                key = keys[parse_ref(text).element]
                story.highlighted[key] = (*story.highlighted.get(key, ()), text)
    if action.kind == "move":
        reader.move(keys[action.move], parse_place(action.to) if action.to else None, action.scale, step)
        return
    effect = kind.effect(action)
    if action.kind == "replace" and scene.elements[action.with_].place is None:
        # Without a place of its own, the new element takes the place of what it replaces.
        key = keys[action.with_]
        if reader.placement(key) is None:
            reader.add_placement(key, Place("on", Ref(action.replace[0])), step)
    for name in effect.hides:
        if name in keys:
            # What is replaced turns into its replacement: the two share no moment (a title
            # card replaced by a list takes the middle, and so does the list, one after the
            # other), whatever a hide beside it does.
            reader.close(keys[name], step - 1 if action.kind == "replace" else step)
    for name in effect.shows:
        if name in keys:
            reader.show(keys[name], step)
