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
from vidgen.storyboard.model import Scene, Storyboard
from vidgen.storyboard.narration import unknown_tags
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


def check_ref(scene: Scene, ref: Ref, where: Path_, what: str) -> list[Problem]:
    """Problems with one reference: a missing element, an unknown part, an index too far."""
    spec = scene.elements.get(ref.element)
    if spec is None:
        return [Problem(where, f"{what} {ref.element!r}, which is not an element of this scene", "one of " + (", ".join(scene.elements) or "(none declared)"), suggest(ref.element, scene.elements))]
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


def _element_problems(scene: Scene, base: Path_) -> list[Problem]:
    problems: list[Problem] = []
    targets: dict[str, str] = {}
    for name, spec in scene.elements.items():
        at = base + ("elements", name)
        place = parse_place(spec.resolved_place)
        if place.target is not None:
            if place.target.element == name:
                problems.append(Problem(at + ("place",), f"{name!r} is placed relative to itself", "another element's name"))
            else:
                problems += check_ref(scene, place.target, at + ("place",), "place refers to")
                targets[name] = place.target.element
        kind = ELEMENT_KINDS[spec.kind]
        if hasattr(kind, "refs"):  # connectors name their targets
            for field, ref in kind.refs(spec):
                problems += check_ref(scene, ref, at + (field,), f"{spec.kind} refers to")
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


def _beat_problems(scene: Scene, base: Path_) -> list[Problem]:
    problems: list[Problem] = []
    on_screen = {name for name, spec in scene.elements.items() if spec.visible}
    for b, beat in enumerate(scene.beats):
        at_beat = base + ("beats", b)
        for tag in unknown_tags(beat.say):
            problems.append(Problem(at_beat + ("say",), f"{tag!r} is not a mark", '<mark name="x"/>'))
        narration = beat.narration
        names = [name for name, _ in narration.marks]
        for name in {n for n in names if names.count(n) > 1}:
            problems.append(Problem(at_beat + ("say",), f"mark {name!r} appears twice in this beat", "each mark once"))
        for name, offset in narration.marks:
            if offset >= len(narration.text):
                problems.append(Problem(at_beat + ("say",), f"mark {name!r} is not followed by a word", "a mark just before the word it times"))
        for a, action in enumerate(beat.do):
            at = at_beat + ("do", a, action.kind)
            kind = ACTION_KINDS[action.kind]
            for field, ref in kind.refs(action):
                problems += check_ref(scene, ref, at_beat + ("do", a, field), f"{action.kind} uses")
            if action.at is not None and action.at not in names:
                problems.append(Problem(at_beat + ("do", a, "at"), f"mark {action.at!r} is not in this beat's narration", "a name from <mark name=\"…\"/> in say" if not names else "one of " + ", ".join(names), suggest(action.at, names)))
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


def check_storyboard(storyboard: Storyboard) -> list[Problem]:
    problems: list[Problem] = []
    first_seen: dict[str, int] = {}
    for s, scene in enumerate(storyboard.scenes):
        base: Path_ = ("scenes", s)
        if scene.id in first_seen:
            problems.append(Problem(base + ("id",), f"scene id {scene.id!r} is already used by scene {first_seen[scene.id] + 1}", "a unique id per scene"))
        first_seen.setdefault(scene.id, s)
        problems += _element_problems(scene, base)
        problems += _beat_problems(scene, base)
        for p, pair in enumerate(scene.allow_overlap):
            for i, text in enumerate(pair):
                problems += check_ref(scene, parse_ref(text), base + ("allow_overlap", p, i), "allow_overlap names")
    return problems
