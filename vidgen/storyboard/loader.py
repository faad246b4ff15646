"""Loading a storyboard: YAML with positions → pydantic model → whole-storyboard checks.

Every problem found is reported at once, each at its `file:line:col`; YAML that cannot be
parsed stops earlier, since nothing after it can be checked.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from vidgen.errors import Diagnostic, StoryboardError
from vidgen.limits import Limits
from vidgen.storyboard.assets import resolve_assets
from vidgen.storyboard.budget import limit_problems
from vidgen.storyboard.diagnostics import from_validation_error
from vidgen.storyboard.model import Storyboard
from vidgen.storyboard.semantics import Problem, check_storyboard, partial_problems
from vidgen.storyboard.source import SourceMap, read_yaml


@dataclass(frozen=True)
class LoadedStoryboard:
    path: Path
    storyboard: Storyboard
    source: SourceMap
    scene_ids: tuple[str, ...] = ()  # the file's scenes, in its order

    @property
    def name(self) -> str:
        return self.path.stem

    def scene_path(self, scene_id: str) -> tuple | None:
        """Where a scene is written in the file, or None for a scene added from elsewhere
        (a series' intro): scenes can be added or translated after loading."""
        return ("scenes", self.scene_ids.index(scene_id)) if scene_id in self.scene_ids else None


MAX_REPORTED = 100  # a generated file can be wrong in thousands of places: the first ones tell


def _reported(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    """The problems as shown: in file order, the first MAX_REPORTED and a count of the rest."""
    ordered = sorted(diagnostics, key=lambda d: (d.location.line, d.location.column) if d.location else (0, 0))
    if len(ordered) <= MAX_REPORTED:
        return ordered
    rest = len(ordered) - MAX_REPORTED
    return ordered[:MAX_REPORTED] + [Diagnostic(f"… and {rest:,} more problem(s) like these", ordered[MAX_REPORTED].location)]


def problems_error(problems: list[Problem], source: SourceMap) -> StoryboardError:
    """One error listing `problems`, each at its place in the file, in file order."""
    return StoryboardError(_reported([Diagnostic(p.message, source.locate(p.path, p.prefer_key), p.expected, p.hint) for p in problems]))


def load_storyboard(path: Path, limits: Limits | None = None) -> LoadedStoryboard:
    """Read and validate `path` within `limits` (default: the environment's), or raise
    StoryboardError listing every problem."""
    limits = limits or Limits.from_environment()
    data, source = read_yaml(path, limits)
    try:
        storyboard = Storyboard.model_validate(data)
    except ValidationError as error:
        diagnostics = from_validation_error(error, data, source, Storyboard)
        diagnostics += [Diagnostic(p.message, source.locate(p.path, p.prefer_key), p.expected, p.hint) for p in partial_problems(data)]
        raise StoryboardError(_reported(list(dict.fromkeys(diagnostics)))) from None
    problems = limit_problems(storyboard, limits)
    if problems:  # too big to check further at a bounded cost
        raise problems_error(problems, source)
    problems = check_storyboard(storyboard)
    storyboard, asset_problems = resolve_assets(storyboard, path)
    problems += [Problem(where, message, expected) for where, message, expected in asset_problems]
    if problems:
        raise problems_error(problems, source)
    return LoadedStoryboard(path, storyboard, source, tuple(scene.id for scene in storyboard.scenes))



