"""The gallery of examples (docs/gallery.yaml): one tiny scene per element kind and action,
rendered by the tests and turned into the writers' guide's pictures."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from vidgen.plan import ScenePlan, make_plan
from vidgen.quality import QUALITIES
from vidgen.speech.estimate import estimate_speech
from vidgen.storyboard.assets import resolve_assets
from vidgen.storyboard.model import Storyboard


def load_gallery(path: Path) -> dict[str, dict[str, dict[str, Any]]]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def example_scene(path: Path, section: str, name: str, quality: str = "low") -> ScenePlan:
    """The timed plan of one gallery example, ready to check or photograph."""
    entry = load_gallery(path)[section][name]
    board = Storyboard.model_validate(
        {"title": name, "scenes": [{"id": "example", "title": name, "elements": entry["elements"], "beats": [{"say": "An example of this.", "do": entry["do"]}]}]}
    )
    board, problems = resolve_assets(board, path)
    if problems:
        raise ValueError(f"{name}: {problems}")
    speech = [[estimate_speech(beat.say) for beat in scene.beats] for scene in board.scenes]
    return make_plan(name, board, speech, QUALITIES[quality]).scenes[0]
