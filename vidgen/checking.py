"""`vidgen check`: validate, plan with estimated speech lengths, and check the layout —
without speaking or rendering anything."""

from __future__ import annotations

from pathlib import Path

from vidgen.plan import make_plan
from vidgen.quality import QUALITIES
from vidgen.speech.estimate import estimate_speech
from vidgen.storyboard.loader import load_storyboard


def check_storyboard_file(path: Path, cache_dir: Path = Path("output/.cache")) -> str:
    """Raise StoryboardError listing every problem, or describe the storyboard in one line."""
    from vidgen.build import check_layout

    loaded = load_storyboard(path)
    storyboard = loaded.storyboard
    speech = [[estimate_speech(beat.say) for beat in scene.beats] for scene in storyboard.scenes]
    plan = make_plan(loaded.name, storyboard, speech, QUALITIES["low"])
    check_layout(loaded, plan, cache_dir)
    beats = sum(len(scene.beats) for scene in storyboard.scenes)
    minutes, seconds = divmod(round(plan.seconds), 60)
    return f"{path}: ok · {len(storyboard.scenes)} scenes, {beats} beats, about {minutes}:{seconds:02d}"
