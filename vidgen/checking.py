"""`vidgen check`: validate, plan with estimated speech lengths, and check the layout —
without speaking or rendering anything."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from vidgen.limits import Limits
from vidgen.narrate import storyboard_lexicon
from vidgen.plan import make_plan
from vidgen.pronounce.hints import Hint, pronunciation_hints
from vidgen.quality import QUALITIES
from vidgen.speech.estimate import estimate_speech
from vidgen.speech.voices import voice_problems
from vidgen.storyboard.loader import LoadedStoryboard, load_storyboard, problems_error


def validate(path: Path, limits: Limits | None = None) -> LoadedStoryboard:
    """The storyboard at `path`, checked as a build checks it before speaking: the file, its
    model and references, the limits, and the voices it names."""
    loaded = load_storyboard(path, limits)
    problems = voice_problems(loaded.storyboard, path)
    if problems:
        raise problems_error(problems, loaded.source)
    storyboard_lexicon(loaded)  # a broken voices/lexicon.<lang>.yaml is an error here too
    return loaded


@dataclass(frozen=True)
class CheckResult:
    summary: str  # the storyboard in one line
    hints: list[Hint] = field(default_factory=list)  # worth a look, never errors


def check_storyboard_file(path: Path, cache_dir: Path = Path("output/.cache"), limits: Limits | None = None) -> str:
    """Raise StoryboardError listing every problem, or describe the storyboard in one line."""
    return check_storyboard(path, cache_dir, limits).summary


def check_storyboard(path: Path, cache_dir: Path = Path("output/.cache"), limits: Limits | None = None) -> CheckResult:
    """Raise StoryboardError listing every problem, or describe the storyboard and give hints."""
    from vidgen.build import check_layout

    loaded = validate(path, limits)
    storyboard = loaded.storyboard
    speech = [[estimate_speech(beat.say) for beat in scene.beats] for scene in storyboard.scenes]
    plan = make_plan(loaded.name, storyboard, speech, QUALITIES["low"])
    check_layout(loaded, plan, cache_dir)
    beats = sum(len(scene.beats) for scene in storyboard.scenes)
    minutes, seconds = divmod(round(plan.seconds), 60)
    summary = f"{path}: ok · {len(storyboard.scenes)} scenes, {beats} beats, about {minutes}:{seconds:02d}"
    return CheckResult(summary, pronunciation_hints(loaded, cache_dir))
