"""One scene's view of its composed layout: the spot of each of its elements, at each step."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from vidgen.elements import ELEMENT_KINDS
from vidgen.layout.box import Box
from vidgen.layout.compose import Layout, Spot, compose
from vidgen.layout.lifetimes import ElementKey, Story, read_story
from vidgen.layout.measure import Measure, bounds, measure
from vidgen.storyboard.model import Scene
from vidgen.storyboard.refs import Ref, parse_ref


@dataclass(frozen=True)
class Composition:
    """What the renderer needs of a chain's composed layout: a spot per placement, the band
    of each, and each element's drawn core (to fit a later scene's drawing of it). Kept in
    the cache, keyed by what the chain draws, so a worker rendering one scene does not draw
    the others of its chain to measure them."""

    spots: dict[int, Spot]
    bands: dict[int, str]
    cores: dict[ElementKey, Box]  # the drawing without its fixed words, at its largest (measure.Measure.core)
    layout: Layout | None = None  # the full result, when composed in this process (advice needs it)
    measures: dict[ElementKey, Measure] | None = None
    labels: dict[ElementKey, Measure] | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "spots": {str(i): [*s.center, s.factor, s.box.left, s.box.right, s.box.bottom, s.box.top] for i, s in self.spots.items()},
            "bands": {str(i): band for i, band in self.bands.items()},
            "cores": [[k[0], k[1], b.left, b.right, b.bottom, b.top] for k, b in self.cores.items()],
        }

    @staticmethod
    def from_json(data: dict[str, Any]) -> Composition:
        spots = {int(i): Spot((v[0], v[1]), v[2], Box(*v[3:7])) for i, v in data["spots"].items()}
        cores = {(int(v[0]), str(v[1])): Box(*v[2:6]) for v in data["cores"]}
        return Composition(spots, {int(i): band for i, band in data["bands"].items()}, cores)


@dataclass
class SceneLayout:
    """The composed layout of a chain of scenes, seen from one of them."""

    story: Story
    composition: Composition
    scene: int  # this scene's index in the chain
    local: dict[str, Measure]  # this scene's own drawings, by name
    theme: Any = None  # what it is drawn with (advice measures changed elements with it)

    def local_spot(self, name: str, spot: Spot) -> tuple[float, float, float, float]:
        """The scale, centre and scale of its fixed words for this scene's own drawing of
        `name` at `spot`. A spot is relative to the drawing of the scene that introduced the
        element; a later scene's drawing of it (a continuing element) may be drawn at another
        size: it is made to match what was shown, its labels too. They are matched by their
        cores, at their largest: a number the earlier scene counted from 0 to 1 and the later
        one declares as 1 is one readout across the cut (matched by what each drew, 'Steps: 1'
        was stretched to the width of 'Steps: 0' and shifted right, past the frame's edge)."""
        shown, local = self.composition.cores[self.key(name)], self.local[name].core
        ratio = shown.width / local.width if local.width >= local.height and local.width > 1e-6 else shown.height / max(local.height, 1e-6)
        factor = spot.factor * ratio
        x = spot.center[0] + spot.factor * shown.center[0] - factor * local.center[0]
        y = spot.center[1] + spot.factor * shown.center[1] - factor * local.center[1]
        return factor, x, y, min(spot.factor, 1.0) * ratio

    def measured_as(self, key: ElementKey, spec: Any) -> Measure:
        """The measure of element `key` had the storyboard said `spec` instead (advice tries
        a change this way before offering it). Raises pydantic's ValidationError for a spec
        the storyboard could not say."""
        assert self.theme is not None, "measuring needs the layout's theme (plan_layout sets it)"
        refs = json.dumps([str(r) for r in _refs_by_element(self.story).get(key, [])])
        actions = _actions_json(self.story.actions.get(key, []))
        return _measure_drawn_elsewhere(spec.model_dump_json(by_alias=True), spec.kind, self.theme.name, actions, self.story.highlighted.get(key, ()), refs)

    def step(self, beat: int | None, action: int | None) -> int:
        if beat is None or action is None:
            return self.story.first_step[self.scene]
        return self.story.steps[self.scene][beat][action]

    def key(self, name: str) -> ElementKey:
        return self.story.keys[self.scene][name]

    def spot(self, name: str, step: int) -> Spot | None:
        placement = self.story.current(self.key(name), step)
        return self.composition.spots.get(placement.index) if placement is not None else None

    def moved_spot(self, name: str, step: int) -> Spot | None:
        """The spot a move at `step` takes the element to."""
        key = self.key(name)
        placement = next((p for p in self.story.placements if p.element == key and p.begins == step and p.previous is not None), None)
        return self.composition.spots.get(placement.index) if placement is not None else None

    def band(self, name: str, step: int) -> str | None:
        placement = self.story.current(self.key(name), step)
        return self.composition.bands.get(placement.index) if placement is not None else None


def _refs_by_element(story: Story) -> dict[ElementKey, list[Ref]]:
    """The parts of each element that others are placed against or braced."""
    refs: dict[ElementKey, list[Ref]] = {}
    for placement in story.placements:
        target = placement.place.target
        if target is not None and target.element in story.keys[placement.scene]:
            refs.setdefault(story.keys[placement.scene][target.element], []).append(target)
    for key, connector in story.connectors.items():
        for text in connector.spec.brace if connector.spec.kind == "brace" else connector.spec.arrow:
            ref = parse_ref(text)
            if ref.element in story.keys[key[0]]:
                refs.setdefault(story.keys[key[0]][ref.element], []).append(ref)
    return refs


@lru_cache(maxsize=512)
def _measure_drawn_elsewhere(spec_json: str, kind: str, theme_name: str, actions_json: str, highlighted: tuple[str, ...], refs_text: str) -> Measure:
    """An element of another scene of the chain, drawn only to be measured."""
    from vidgen.actions import ACTION_KINDS
    from vidgen.theme import THEMES

    element = ELEMENT_KINDS[kind]
    spec = element.spec.model_validate_json(spec_json)
    actions = [ACTION_KINDS[a["kind"]].spec.model_validate(a["data"]) for a in json.loads(actions_json)]
    drawing = element.draw(spec, THEMES[theme_name])
    drawing.mobject.scale(spec.scale)
    return measure(drawing, spec, THEMES[theme_name], actions, highlighted, [parse_ref(t) for t in json.loads(refs_text)])


def _actions_json(actions: list[Any]) -> str:
    return json.dumps([{"kind": a.kind, "data": a.model_dump(mode="json", by_alias=True)} for a in actions], sort_keys=True)


_kept: Path | None = None  # where compositions are kept (the cache's layout folder), if anywhere
_composed: dict[str, Composition] = {}


def keep_compositions(folder: Path | None) -> None:
    """Keep composed layouts in `folder` (set with the rest of a process's cache, see
    vidgen.render.configure_manim)."""
    global _kept
    _kept = folder


def chain_key(scenes: tuple[Scene, ...], theme: Any) -> str:
    """Identity of a chain's composition: what its scenes draw and do (not what they say),
    the files they draw, and what measures them (vidgen.identity: Manim, fonts, LaTeX, the
    layout's own source)."""
    from vidgen.identity import digest, environment, uses_latex
    from vidgen.plan import picture_of

    files = [{name: ELEMENT_KINDS[spec.kind].fingerprint(spec) for name, spec in scene.elements.items() if hasattr(ELEMENT_KINDS[spec.kind], "fingerprint")} for scene in scenes]
    return digest({"scenes": [picture_of(scene) for scene in scenes], "files": files, "theme": theme.name, "environment": environment("layout", theme.font, uses_latex(scenes))})


def plan_layout(scenes: tuple[Scene, ...], index: int, theme: Any, drawings: dict[str, Any], fresh: bool = False) -> SceneLayout:
    """The layout of the chain `scenes`, seen from scene `index`, whose elements are
    `drawings` (drawn at their spec's scale, not yet moved). From the process's memory or
    the cache when the chain was composed before, unless `fresh` (the full result is needed)."""
    story = read_story(scenes)
    refs = _refs_by_element(story)
    local = {}
    for name, spec in scenes[index].elements.items():
        if not hasattr(ELEMENT_KINDS[spec.kind], "attach"):
            key = story.keys[index][name]
            local[name] = measure(drawings[name], spec, theme, story.actions.get(key, []), story.highlighted.get(key, ()), refs.get(key, []))
    key = chain_key(scenes, theme)
    composition = None if fresh else _composed.get(key) or _read(key)
    if composition is None:
        composition = _compose(scenes, story, refs, theme, index, local)
        _composed[key] = composition
        _write(key, composition)
    return SceneLayout(story, composition, index, local, theme)


def _compose(scenes: tuple[Scene, ...], story: Story, refs: dict[ElementKey, list[Ref]], theme: Any, index: int, local: dict[str, Measure]) -> Composition:
    measures: dict[ElementKey, Measure] = {}
    for s, scene in enumerate(scenes):
        for name, spec in scene.elements.items():
            key = story.keys[s][name]
            if key != (s, name) or hasattr(ELEMENT_KINDS[spec.kind], "attach"):
                continue  # continued from an earlier scene (measured as introduced), or a connector
            if s == index:
                measures[key] = local[name]
            else:
                actions = _actions_json(story.actions.get(key, []))
                measures[key] = _measure_drawn_elsewhere(spec.model_dump_json(by_alias=True), spec.kind, theme.name, actions, story.highlighted.get(key, ()), json.dumps([str(r) for r in refs.get(key, [])]))
    labels = {key: _connector_label(connector.spec, theme) for key, connector in story.connectors.items()}
    layout = compose(story, measures, labels)
    bands = {m.placement.index: cluster.band for cluster in layout.clusters for m in cluster.members if m.placement is not None}
    return Composition(layout.spots, bands, {key: m.core for key, m in measures.items()}, layout, measures, labels)


def _entry(key: str) -> Path | None:
    return _kept / f"composition-{key[:24]}.json" if _kept is not None else None


def _read(key: str) -> Composition | None:
    entry = _entry(key)
    if entry is None or not entry.is_file():
        return None
    try:
        composition = Composition.from_json(json.loads(entry.read_text()))
    except (OSError, ValueError, KeyError, TypeError, IndexError):
        return None  # a damaged entry: composed again
    _composed[key] = composition
    return composition


def _write(key: str, composition: Composition) -> None:
    entry = _entry(key)
    if entry is not None:
        from vidgen.paths import write_json

        write_json(entry, composition.to_json())


def _connector_label(spec: Any, theme: Any) -> Measure:
    drawing = ELEMENT_KINDS[spec.kind].draw(spec, theme)
    label = drawing.parts.get("label")
    box = bounds(label).centred_at(0, 0) if label is not None else Box(0, 0, 0, 0)
    return Measure(box, box, None, 1.0, 1.0, {})

