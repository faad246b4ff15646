"""Checks that need the whole storyboard: names that must exist, parts that must fit,
marks that must be spoken, and what is on screen when an action needs it.

Each problem carries the data path of the value at fault, so the loader can point at it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from vidgen.actions import ACTION_KINDS
from vidgen.elements import ELEMENT_KINDS
from vidgen.storyboard.diagnostics import suggest
from vidgen.storyboard.narration import narration_problem
from vidgen.storyboard.model import Scene, Storyboard
from vidgen.storyboard.places import parse_place
from vidgen.storyboard.refs import Ref, check_indices, parse_ref

Path_ = tuple[Any, ...]


@dataclass(frozen=True)
class Problem:
    path: Path_
    message: str
    expected: str | None = None
    hint: str | None = None
    prefer_key: bool = False


def check_ref(scene: Scene, ref: Ref, where: Path_, what: str, broken: frozenset[str] = frozenset()) -> list[Problem]:
    """Problems with one reference: a missing element, an unknown part, an index too far.

    `broken` names elements that exist but failed validation: they are already reported."""
    if ref.element in broken:
        return []
    spec = scene.elements.get(ref.element)
    if spec is None:
        names = sorted({*scene.elements, *broken}, key=list({**scene.elements, **dict.fromkeys(broken)}).index)
        return [Problem(where, f"{what} {ref.element!r}, which is not an element of this scene", "one of " + (", ".join(names) or "(none declared)"), suggest(ref.element, names))]
    kind = ELEMENT_KINDS[spec.kind]
    parts = kind.parts(spec)
    if ref.is_whole:
        return []
    part = ref.part or kind.default_part
    if part is None:
        return [Problem(where, f"{ref.element!r} ({spec.kind}) has no items to index", f"a named part: {', '.join(parts) or 'none'}")]
    if part not in parts:
        return [Problem(where, f"{spec.kind} {ref.element!r} has no part {part!r}", "one of " + ", ".join(parts), suggest(part, parts))]
    reason = check_indices(parts[part], ref.indices, f"{ref.element}.{part}")
    return [Problem(where, reason)] if reason else []


def _item_path(owner: Any, field: str, ref: Ref, base: Path_) -> Path_:
    """The path of `ref` inside `owner.field`: the list item that names it, when a list."""
    value = getattr(owner, field.rstrip("_"), None) if not field.startswith("with") else getattr(owner, "with_", None)
    if isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            if isinstance(item, str) and parse_ref(item) == ref:
                return base + (field, index)
    return base + (field,)


def _element_problems(scene: Scene, base: Path_, broken: frozenset[str]) -> list[Problem]:
    problems: list[Problem] = []
    targets: dict[str, str] = {}
    for name, spec in scene.elements.items():
        at = base + ("elements", name)
        place = parse_place(spec.resolved_place)
        if place.target is not None:
            if place.target.element == name:
                problems.append(Problem(at + ("place",), f"{name!r} is placed relative to itself", "another element's name"))
            else:
                problems += check_ref(scene, place.target, at + ("place",), "place refers to", broken)
                targets[name] = place.target.element
        kind = ELEMENT_KINDS[spec.kind]
        if hasattr(kind, "refs"):  # connectors name their targets
            for field, ref in kind.refs(spec):
                problems += check_ref(scene, ref, _item_path(spec, field, ref, at), f"{spec.kind} refers to", broken)
    reported: set[frozenset[str]] = set()
    for name in targets:  # a cycle of relative places can never be laid out
        seen, current = [name], targets[name]
        while current in targets and current not in seen:
            seen.append(current)
            current = targets[current]
        if current == name and frozenset(seen) not in reported:
            reported.add(frozenset(seen))
            problems.append(Problem(base + ("elements", name, "place"), "places go round in a circle: " + " → ".join(seen + [name]), "one of them at a frame place (center, left, top…)"))
    return problems


def _beat_problems(scene: Scene, base: Path_, broken: frozenset[str], visibility: bool) -> list[Problem]:
    problems: list[Problem] = []
    on_screen = {name for name, spec in scene.elements.items() if spec.visible}
    for b, beat in enumerate(scene.beats):
        at_beat = base + ("beats", b)
        narration = beat.narration
        names = [name for name, _ in narration.marks]
        for name in {n for n in names if names.count(n) > 1}:
            problems.append(Problem(at_beat + ("say",), f"mark {name!r} appears twice in this beat", "each mark once"))
        for name, offset in narration.marks:
            if offset >= len(narration.text):
                problems.append(Problem(at_beat + ("say",), f"mark {name!r} is not followed by a word", "a mark just before the word it times"))
        for a, action in enumerate(beat.do):
            if action is None:  # failed validation: already reported
                continue
            at = at_beat + ("do", a, action.kind)
            kind = ACTION_KINDS[action.kind]
            for field, ref in kind.refs(action):
                problems += check_ref(scene, ref, _item_path(action, field, ref, at_beat + ("do", a)), f"{action.kind} uses", broken)
            if action.at is not None and action.at not in names:
                problems.append(Problem(at_beat + ("do", a, "at"), f"mark {action.at!r} is not in this beat's narration", "a name from <mark name=\"…\"/> in say" if not names else "one of " + ", ".join(names), suggest(action.at, names)))
            if not visibility:
                continue
            effect = kind.effect(action)
            for name in effect.needs:
                if name in scene.elements and name not in on_screen:
                    problems.append(Problem(at, f"{action.kind} uses {name!r}, which is not on screen at this point", f"show {name} first"))
            for name in effect.shows:
                if name in scene.elements and name in on_screen:
                    problems.append(Problem(at, f"{action.kind}: {name!r} is already on screen", "an element that is not shown yet"))
            on_screen.difference_update(effect.hides)
            on_screen.update(n for n in effect.shows if n in scene.elements)
    return problems


def check_scene(scene: Scene, base: Path_, broken: frozenset[str] = frozenset(), visibility: bool = True) -> list[Problem]:
    problems = _element_problems(scene, base, broken) + _beat_problems(scene, base, broken, visibility)
    for p, pair in enumerate(scene.allow_overlap):
        for i, text in enumerate(pair):
            problems += check_ref(scene, parse_ref(text), base + ("allow_overlap", p, i), "allow_overlap names", broken)
    return problems


def check_storyboard(storyboard: Storyboard) -> list[Problem]:
    problems: list[Problem] = []
    first_seen: dict[str, int] = {}
    for s, scene in enumerate(storyboard.scenes):
        base: Path_ = ("scenes", s)
        if scene.id in first_seen:
            problems.append(Problem(base + ("id",), f"scene id {scene.id!r} is already used by scene {first_seen[scene.id] + 1}", "a unique id per scene"))
        first_seen.setdefault(scene.id, s)
        problems += check_scene(scene, base)
    return problems


def partial_problems(data: Any) -> list[Problem]:
    """Whole-storyboard checks on whatever validated, when something else did not.

    Elements and actions are validated one by one; the ones that fail are left out (they
    are reported already), references to failed elements are not reported again, and
    what-is-on-screen checks are skipped where a failed action would distort them."""
    from pydantic import TypeAdapter, ValidationError

    from vidgen.storyboard.model import ActionSpecs, Beat, ElementSpecs

    element_adapter, action_adapter = TypeAdapter(ElementSpecs), TypeAdapter(ActionSpecs)
    scenes = data.get("scenes") if isinstance(data, dict) else None
    problems: list[Problem] = []
    for s, raw in enumerate(scenes if isinstance(scenes, list) else []):
        if not isinstance(raw, dict):
            continue
        elements, broken = {}, set()
        raw_elements = raw.get("elements") if isinstance(raw.get("elements"), dict) else {}
        for name, spec in raw_elements.items():
            if not isinstance(name, str):  # the model reports the key itself
                continue
            try:
                elements[name] = element_adapter.validate_python(spec)
            except ValidationError:
                broken.add(name)
        beats, clean = [], True
        for raw_beat in raw.get("beats") if isinstance(raw.get("beats"), list) else []:
            raw_beat = raw_beat if isinstance(raw_beat, dict) else {}
            actions = []
            for raw_action in raw_beat.get("do") if isinstance(raw_beat.get("do"), list) else []:
                try:
                    actions.append(action_adapter.validate_python(raw_action))
                except ValidationError:
                    actions.append(None)
                    clean = False
            say = raw_beat.get("say") if isinstance(raw_beat.get("say"), str) else "…"
            say = "…" if narration_problem(say) else say  # the model reports bad markup itself
            beats.append(Beat.model_construct(say=say, do=actions, pause=None))
        scene = Scene.model_construct(id=str(raw.get("id")), title="", voice=None, elements=elements, beats=beats, outro="fade", allow_overlap=[])
        problems += check_scene(scene, ("scenes", s), frozenset(broken), visibility=clean and not broken)
    return problems
