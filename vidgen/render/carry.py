"""What a continued element carries across a cut (`outro: keep`): the state the earlier
scenes of its chain left it in.

A scene draws each element from its spec, so a table continued from the scene before would
show its "?" again and lose its markers. Before the scene's first beat, the actions of the
earlier scenes that change an element's state (set, write, count, highlight, unhighlight)
are replayed, without drawing, on this scene's drawings of the elements it continues. The
layout already measured those elements with every action of the chain, so nothing carried
needs more room than it was given.

An action is replayed with the names of the scene that did it. A value written from an
element this scene does not continue (a number of the earlier scene only) comes from a
drawing of that element made just for the replay, brought to its state at that moment.
"""

from __future__ import annotations

from typing import Any

from vidgen.actions import ACTION_KINDS
from vidgen.elements import ELEMENT_KINDS
from vidgen.layout.lifetimes import ElementKey
from vidgen.storyboard.refs import Ref, parse_ref

# Actions that leave an element changed (what moves or shows is the layout's, not state).
STATEFUL = ("set", "write", "count", "highlight", "unhighlight")


def _named(action: Any) -> list[str]:
    """The elements whose state the action reads or changes."""
    if action.kind == "write":
        return [parse_ref(action.write).element, parse_ref(action.into).element]
    if action.kind == "count":
        return [action.count]
    listed = {"set": "set", "highlight": "highlight", "unhighlight": "unhighlight"}[action.kind]
    return [parse_ref(text).element for text in getattr(action, listed)]


def _only(action: Any, wanted: set[str]) -> Any | None:
    """The action narrowed to the references of elements in `wanted` (None: nothing left)."""
    if action.kind in ("set", "highlight", "unhighlight"):
        kept = [text for text in getattr(action, action.kind) if parse_ref(text).element in wanted]
        return action.model_copy(update={action.kind: kept}) if kept else None
    if action.kind == "write":
        return action if parse_ref(action.into).element in wanted else None
    return action if action.count in wanted else None


class _Earlier:
    """The Stage as an earlier scene of the chain saw it, for replaying that scene's actions:
    its names, the current scene's drawings for what continues, scratch drawings for the rest."""

    def __init__(self, stage: Any, keys: dict[str, ElementKey], specs: dict[str, Any], continued: dict[ElementKey, str], scratch: dict[ElementKey, Any]) -> None:
        self.stage = stage
        self.theme = stage.theme
        self.keys = keys
        self.specs = specs
        self.continued = continued
        self.scratch = scratch
        self.leftovers: list[Any] = []
        self.callbacks: list[Any] = []

    def _here(self, name: str) -> str | None:
        """The current scene's name for `name` of the earlier scene, if it continues."""
        return self.continued.get(self.keys[name])

    @property
    def drawings(self) -> _Drawings:
        return _Drawings(self)

    def _drawing(self, name: str) -> Any:
        here = self._here(name)
        if here is not None:
            return self.stage.drawings[here]
        key = self.keys[name]
        if key not in self.scratch:
            spec = self.specs[name]
            drawing = ELEMENT_KINDS[spec.kind].draw(spec, self.theme)
            drawing.mobject.scale(spec.scale)
            self.scratch[key] = drawing
        return self.scratch[key]

    def spec(self, name: str) -> Any:
        here = self._here(name)
        return self.stage.spec(here) if here is not None else self.specs[name]

    def resolve(self, ref: Ref) -> Any:
        from vidgen.layout.measure import resolve_part

        here = self._here(ref.element)
        if here is not None:
            return self.stage.resolve(Ref(here, ref.part, ref.indices))
        return resolve_part(self._drawing(ref.element), self.specs[ref.element], ref)

    def add_marker(self, element: str, key: str, marker: Any) -> None:
        here = self._here(element)
        if here is not None:
            self.stage.add_marker(here, key, marker)

    def take_markers(self, ref: Ref) -> list[Any]:
        here = self._here(ref.element)
        return self.stage.take_markers(Ref(here, ref.part, ref.indices)) if here is not None else []

    def after(self, callback: Any) -> None:
        self.callbacks.append(callback)


class _Drawings:
    """`stage.drawings` for a replay: drawn only when an action asks for one (an earlier
    scene's other elements are never drawn)."""

    def __init__(self, earlier: _Earlier) -> None:
        self.earlier = earlier

    def __getitem__(self, name: str) -> Any:
        return self.earlier._drawing(name)


def _finish(animations: list[Any]) -> None:
    """Bring animations to their end without a scene to draw them in."""
    for animation in animations:
        animation.begin()
        animation.finish()


def carry_state(stage: Any) -> None:
    """Give the elements `stage`'s scene continues the state the earlier scenes left them in."""
    story, index = stage.layout.story, stage.layout.scene
    here = story.keys[index]
    continued = {key: name for name, key in here.items() if key[0] < index and not hasattr(ELEMENT_KINDS[stage.spec(name).kind], "attach")}
    if not continued:
        return
    done = [(s, action) for s in range(index) for beat in story.scenes[s].beats for action in beat.do if action.kind in STATEFUL]
    # What the replay needs: the continued elements, and whatever wrote into them (back to front).
    needed = set(continued)
    for s, action in reversed(done):
        keys = story.keys[s]
        source = keys.get(parse_ref(action.write).element) if action.kind == "write" else None
        if source is not None and keys.get(parse_ref(action.into).element) in needed:
            needed.add(source)
    scratch: dict[ElementKey, Any] = {}
    for s, action in done:
        keys = story.keys[s]
        wanted = {name for name in _named(action) if keys.get(name) in needed}
        narrowed = _only(action, wanted) if wanted else None
        if narrowed is None:
            continue
        earlier = _Earlier(stage, keys, story.scenes[s].elements, continued, scratch)
        _finish(ACTION_KINDS[action.kind].animate(narrowed, earlier, 1.0))
        for callback in earlier.callbacks:
            callback()
        stage.finish_step(lambda mobject: None)  # detaches markers an unhighlight took
