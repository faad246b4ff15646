"""One scene's view of its composed layout: the spot of each of its elements, at each step."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from vidgen.elements import ELEMENT_KINDS
from vidgen.layout.box import Box
from vidgen.layout.compose import Layout, Spot, compose
from vidgen.layout.lifetimes import ElementKey, Story, read_story
from vidgen.layout.measure import Measure, bounds, measure
from vidgen.storyboard.model import Scene
from vidgen.storyboard.places import parse_place
from vidgen.storyboard.refs import Ref, parse_ref


@dataclass
class SceneLayout:
    """The composed layout of a chain of scenes, seen from one of them."""

    story: Story
    layout: Layout
    scene: int  # this scene's index in the chain
    measures: dict[ElementKey, Measure]
    local: dict[str, Measure]  # this scene's own drawings, by name
    layout_labels: dict[ElementKey, Measure]  # connectors' labels, measured

    def local_spot(self, name: str, spot: Spot) -> tuple[float, float, float]:
        """The scale and centre for this scene's own drawing of `name` at `spot`. A spot is
        relative to the drawing of the scene that introduced the element; a later scene's
        drawing of it (a continuing element) may differ in size: it matches what was shown."""
        shown, local = self.measures[self.key(name)].body, self.local[name].body
        ratio = shown.width / local.width if local.width >= local.height and local.width > 1e-6 else shown.height / max(local.height, 1e-6)
        factor = spot.factor * ratio
        x = spot.center[0] + spot.factor * shown.center[0] - factor * local.center[0]
        y = spot.center[1] + spot.factor * shown.center[1] - factor * local.center[1]
        return factor, x, y

    def step(self, beat: int | None, action: int | None) -> int:
        if beat is None or action is None:
            return self.story.first_step[self.scene]
        return self.story.steps[self.scene][beat][action]

    def key(self, name: str) -> ElementKey:
        return self.story.keys[self.scene][name]

    def spot(self, name: str, step: int) -> Spot | None:
        placement = self.story.current(self.key(name), step)
        return self.layout.spots.get(placement.index) if placement is not None else None

    def moved_spot(self, name: str, step: int) -> Spot | None:
        """The spot a move at `step` takes the element to."""
        key = self.key(name)
        placement = next((p for p in self.story.placements if p.element == key and p.begins == step and p.previous is not None), None)
        return self.layout.spots.get(placement.index) if placement is not None else None


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
def _measure_drawn_elsewhere(spec_json: str, kind: str, theme_name: str, actions_json: str, highlighted: bool, refs_text: str) -> Measure:
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


def plan_layout(scenes: tuple[Scene, ...], index: int, theme: Any, drawings: dict[str, Any]) -> SceneLayout:
    """Compose the chain `scenes`, seen from scene `index`, whose elements are `drawings`
    (drawn at their spec's scale, not yet moved)."""
    story = read_story(scenes)
    refs = _refs_by_element(story)
    measures: dict[ElementKey, Measure] = {}
    local: dict[str, Measure] = {}
    for s, scene in enumerate(scenes):
        for name, spec in scene.elements.items():
            key = story.keys[s][name]
            if hasattr(ELEMENT_KINDS[spec.kind], "attach"):
                continue  # a connector: drawn from its targets, it has no place of its own
            actions = story.actions.get(key, [])
            element_refs = refs.get(key, [])
            if s == index:
                local[name] = measure(drawings[name], spec, theme, actions, key in story.highlighted, element_refs)
            if key != (s, name):
                continue  # continued from an earlier scene: measured as it was introduced
            if s == index:
                measures[key] = local[name]
            else:
                measures[key] = _measure_drawn_elsewhere(spec.model_dump_json(by_alias=True), spec.kind, theme.name, _actions_json(actions), key in story.highlighted, json.dumps([str(r) for r in element_refs]))
    labels = {key: _connector_label(connector.spec, theme) for key, connector in story.connectors.items()}
    return SceneLayout(story, compose(story, measures, labels), index, measures, local, labels)


def _connector_label(spec: Any, theme: Any) -> Measure:
    drawing = ELEMENT_KINDS[spec.kind].draw(spec, theme)
    label = drawing.parts.get("label")
    box = bounds(label).centred_at(0, 0) if label is not None else Box(0, 0, 0, 0)
    return Measure(box, box, None, 1.0, 1.0, {})


def is_frame_place(text: str) -> bool:
    return parse_place(text).target is None
