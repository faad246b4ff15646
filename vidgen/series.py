"""A series: episodes (storyboards) in order, with a shared theme and voice and optional
intro and outro scenes added to each episode.

```yaml
series: Autoencoders for recommendations
language: en            # intro and outro are added to the episodes in this language
theme: dark             # overrides each episode's theme
intro: {id: series-intro, title: …, elements: …, beats: …}
episodes:
  - autoencoder.yaml    # relative to this file
  - ncf.yaml
```
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import Field, ValidationError, field_validator

from vidgen.errors import Diagnostic, StoryboardError
from vidgen.pronounce.lexicon import WORDS_DESCRIPTION, Words
from vidgen.storyboard.common import Name, StrictModel
from vidgen.storyboard.diagnostics import from_validation_error
from vidgen.storyboard.loader import LoadedStoryboard
from vidgen.storyboard.model import Scene
from vidgen.storyboard.semantics import check_scene
from vidgen.storyboard.assets import project_root
from vidgen.storyboard.source import read_yaml
from vidgen.theme import THEMES


class Series(StrictModel):
    series: str = Field(min_length=1, max_length=200, description="The series' title.")
    language: str = Field("en", pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$", description="Intro and outro go to episodes in this language.")
    theme: str | None = Field(None, description="A theme for every episode.")
    voice: Name | None = Field(None, description="A voice for every episode in the series' language.")
    lexicon: Words = Field(default_factory=dict, description=WORDS_DESCRIPTION + " For every episode in the series' language; an episode's own entries win.")
    intro: Scene | None = Field(None, description="A scene added before each episode.")
    outro: Scene | None = Field(None, description="A scene added after each episode.")
    episodes: list[str] = Field(min_length=1, max_length=500, description="Storyboard files, relative to this one.")

    @field_validator("theme")
    @classmethod
    def _known_theme(cls, value: str | None) -> str | None:
        if value is not None and value not in THEMES:
            raise ValueError(f"unknown theme {value!r}; expected one of {', '.join(THEMES)}")
        return value


@dataclass(frozen=True)
class Episode:
    """A storyboard to build, and how its series adjusts it (nothing, for a lone storyboard)."""

    path: Path
    series: Series | None = None

    def prepare(self, loaded: LoadedStoryboard) -> LoadedStoryboard:
        if self.series is None:
            return loaded
        series = self.series
        storyboard = loaded.storyboard
        update: dict = {}
        if series.theme:
            update["theme"] = series.theme
        if storyboard.language == series.language:
            if series.voice:
                update["voice"] = series.voice
            if series.lexicon:
                update["lexicon"] = {**series.lexicon, **storyboard.lexicon}
            update["scenes"] = [*([series.intro] if series.intro else []), *storyboard.scenes, *([series.outro] if series.outro else [])]
            ids = [scene.id for scene in update["scenes"]]
            clashes = sorted({i for i in ids if ids.count(i) > 1})
            if clashes:
                raise StoryboardError([Diagnostic(f"the series' intro or outro uses scene id(s) {', '.join(clashes)}, which {loaded.path.name} uses too", None, "ids such as series-intro")])
        return LoadedStoryboard(loaded.path, storyboard.model_copy(update=update), loaded.source, loaded.scene_ids)


def is_series(path: Path) -> bool:
    try:
        data, _ = read_yaml(path)
    except StoryboardError:
        return False
    return isinstance(data, dict) and "episodes" in data


def load_series(path: Path) -> list[Episode]:
    data, source = read_yaml(path)
    try:
        series = Series.model_validate(data)
    except ValidationError as error:
        raise StoryboardError(from_validation_error(error, data, source, Series)) from None
    problems = []
    for key in ("intro", "outro"):
        scene = getattr(series, key)
        if scene is not None:
            problems += [Diagnostic(p.message, source.locate((key, *p.path[2:])), p.expected, p.hint) for p in check_scene(scene, ("scenes", 0))]
    episodes = []
    root = project_root(path)
    for index, name in enumerate(series.episodes):
        episode = (path.parent / name).resolve()
        if not episode.is_relative_to(root):
            problems.append(Diagnostic(f"episode {name!r} is outside the project", source.locate(("episodes", index)), f"a storyboard inside the project folder {root.name!r}"))
        elif not episode.is_file():
            problems.append(Diagnostic(f"episode {name!r} does not exist", source.locate(("episodes", index)), "a storyboard file, relative to the series"))
        episodes.append(Episode(episode, series))
    if problems:
        raise StoryboardError(problems)
    return episodes


def episodes_of(paths: list[Path]) -> list[Episode]:
    """Storyboards and series files, as the episodes to build (each once, in order)."""
    seen: dict[Path, Episode] = {}
    for path in paths:
        for episode in load_series(path) if is_series(path) else [Episode(path)]:
            key = episode.path.resolve()
            if key not in seen or (seen[key].series is None and episode.series is not None):
                seen[key] = episode  # a storyboard named alone and in a series: the series wins
    return list(seen.values())
