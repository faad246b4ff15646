"""A validated storyboard measured against the run's limits (`vidgen.limits`)."""

from __future__ import annotations

from vidgen.limits import Limits, how_to_raise
from vidgen.speech.estimate import estimate_speech
from vidgen.storyboard.model import Storyboard
from vidgen.storyboard.semantics import Problem


def _over(path: tuple, count: int, noun: str, limit: float, name: str, prefer_key: bool = True) -> Problem:
    return Problem(path, f"{count:,} {noun}; the limit is {limit:,.0f}", None, how_to_raise(name), prefer_key)


def estimated_minutes(storyboard: Storyboard) -> float:
    seconds = sum(
        estimate_speech(beat.say).duration + (storyboard.pause if beat.pause is None else beat.pause)
        for scene in storyboard.scenes
        for beat in scene.beats
    )
    return seconds / 60


def limit_problems(storyboard: Storyboard, limits: Limits) -> list[Problem]:
    problems = []
    if len(storyboard.scenes) > limits.scenes:
        problems.append(_over(("scenes",), len(storyboard.scenes), "scenes", limits.scenes, "scenes"))
    for index, scene in enumerate(storyboard.scenes):
        where = ("scenes", index)
        if len(scene.elements) > limits.elements:
            problems.append(_over(where + ("elements",), len(scene.elements), f"elements in scene {scene.id!r}", limits.elements, "elements"))
        if len(scene.beats) > limits.beats:
            problems.append(_over(where + ("beats",), len(scene.beats), f"beats in scene {scene.id!r}", limits.beats, "beats"))
        for name, spec in scene.elements.items():
            rows = getattr(spec, "table", None) if spec.kind == "table" else None
            if rows and len(rows) * len(rows[0]) > limits.table_cells:
                size = f"{len(rows)} x {len(rows[0])}"
                problems.append(Problem(where + ("elements", name, "table"), f"table {name!r} is {size} = {len(rows) * len(rows[0]):,} cells; the limit is {limits.table_cells:,}", None, how_to_raise("table_cells")))
        for number, beat in enumerate(scene.beats):
            if len(beat.say) > limits.narration:
                problems.append(_over(where + ("beats", number, "say"), len(beat.say), "characters of narration in one beat", limits.narration, "narration", prefer_key=False))
    if not problems:
        minutes = estimated_minutes(storyboard)
        if minutes > limits.minutes:
            problems.append(Problem(("scenes",), f"the video would last about {minutes:.0f} minutes; the limit is {limits.minutes:g}", None, how_to_raise("minutes"), True))
    return problems
