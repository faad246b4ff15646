"""`vidgen check`'s findings, each placed on the scene and beat it is about.

The check reports every problem at a `file:line:col`; a problem written inside a beat (its
narration, one of its actions) belongs to that beat, one inside a scene's elements to the
scene. Layout findings point at the element they name and say which beat shows the problem
("scene 'a', beat 2: …", the layout check's own wording), so they go on that beat.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any

import yaml

from vidgen.errors import Diagnostic, StoryboardError, VidgenError
from vidgen.limits import Limits
from vidgen.studio.editing import beat_nodes, scene_nodes

# How the layout check words a finding (vidgen.render.check.Finding.__str__).
_LAYOUT = re.compile(r"^scene '(?P<scene>[a-z0-9][a-z0-9_-]*)', beat (?P<beat>\d+): (?P<message>.*)$", re.DOTALL)


@dataclass(frozen=True)
class BeatFinding:
    """One problem, and where the studio shows it: on a beat, on a scene, or above all."""

    message: str
    scene: str | None = None  # the scene's id
    beat: int | None = None  # 0-based, as the studio's API counts
    line: int = 0
    column: int = 0

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class _Region:
    scene: str | None
    beat: int | None
    start: tuple[int, int]
    end: tuple[int, int]


def _regions(text: str) -> list[_Region]:
    """Where each scene and beat is written, innermost last."""
    try:
        root = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return []
    if not isinstance(root, yaml.MappingNode):
        return []
    regions = []

    def at(mark: Any) -> tuple[int, int]:
        return (mark.line + 1, mark.column + 1)

    for scene_id, scene in scene_nodes(root):
        regions.append(_Region(scene_id, None, at(scene.start_mark), at(scene.end_mark)))
        for index, beat in enumerate(beat_nodes(scene)):
            regions.append(_Region(scene_id, index, at(beat.start_mark), at(beat.end_mark)))
    return regions


def place(diagnostic: Diagnostic, regions: list[_Region]) -> BeatFinding:
    """A diagnostic as a finding on the beat (or scene) written where it points."""
    text = str(replace(diagnostic, location=None))
    line, column = (diagnostic.location.line, diagnostic.location.column) if diagnostic.location else (0, 0)
    scene: str | None = None
    beat: int | None = None
    for region in regions:  # scenes come before their beats: the innermost match wins
        if region.start <= (line, column) < region.end:
            scene, beat = region.scene, region.beat
    layout = _LAYOUT.match(text)
    if layout:
        scene, beat, text = layout["scene"], int(layout["beat"]) - 1, layout["message"]
    return BeatFinding(text, scene, beat, line, column)


def findings_of(error: VidgenError, text: str) -> list[BeatFinding]:
    """An error from checking or building the storyboard (`text`), as placed findings."""
    if isinstance(error, StoryboardError):
        regions = _regions(text)
        return [place(diagnostic, regions) for diagnostic in error.diagnostics]
    return [BeatFinding(str(error))]


def check_findings(path: Path, cache_dir: Path, limits: Limits | None = None) -> list[BeatFinding]:
    """`vidgen check` of the storyboard at `path`: every problem, placed; [] when it is clean."""
    from vidgen.checking import check_storyboard_file

    text = path.read_text(encoding="utf-8", errors="replace")
    try:
        check_storyboard_file(path, cache_dir, limits)
    except VidgenError as error:
        return findings_of(error, text)
    return []
