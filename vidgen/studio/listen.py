"""Hearing one beat, or any words, in the storyboard's voice: the studio's only door to
speech. It is `vidgen say` (vidgen.pronounce.say): the storyboard's voice, its lexicon and
the build's cache, so a beat heard here is the beat the video will have."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from vidgen.errors import UsageError
from vidgen.pronounce.say import SayOptions, hear_beat, hear_text

MAX_TRY_CHARACTERS = 500  # a pronunciation to try is a few words, not a script


def _options(cache_dir: Path, offline: bool, engines: Mapping[str, type] | None) -> SayOptions:
    return SayOptions(cache_dir=cache_dir, offline=offline, engines=engines, warn=lambda message: None)  # type: ignore[arg-type]


def say_beat(storyboard_path: Path, scene_id: str, beat_index: int, *, cache_dir: Path, offline: bool = False, engines: Mapping[str, type] | None = None) -> Path:
    """A WAV of that beat (0-based) alone, spoken as the build speaks it."""
    return hear_beat(storyboard_path, scene_id, beat_index, _options(cache_dir, offline, engines)).wav


def say_text(storyboard_path: Path, text: str, *, cache_dir: Path, scene_id: str | None = None, offline: bool = False, engines: Mapping[str, type] | None = None) -> Path:
    """A WAV of `text` (tags allowed) in the storyboard's voice, or in that scene's voice."""
    if not " ".join(text.split()):
        raise UsageError("there are no words to say")
    if len(text) > MAX_TRY_CHARACTERS:
        raise UsageError(f"try at most {MAX_TRY_CHARACTERS} characters at a time")
    return hear_text(storyboard_path, text, _options(cache_dir, offline, engines), scene_id=scene_id).wav
