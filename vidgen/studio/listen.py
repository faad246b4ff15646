"""Hearing one beat, or any words, in the storyboard's voice: the studio's only door to speech.

`vidgen say` (vidgen.pronounce) will do the same for the command line; until it is merged
these two functions speak through the build's own speech path (the scene's voice profile,
its engine chain and the cache), so a beat heard here is the beat the video will have.
When merging, make them call vidgen.pronounce.say_beat / say_text and nothing else changes.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from vidgen.errors import UsageError
from vidgen.narrate import speak_storyboard
from vidgen.speech import load_voice, speak_beats
from vidgen.speech.voices import voice_dirs
from vidgen.storyboard.loader import load_storyboard

MAX_TRY_CHARACTERS = 500  # a pronunciation to try is a few words, not a script


def say_beat(storyboard_path: Path, scene_id: str, beat_index: int, *, cache_dir: Path, offline: bool = False, engines: Mapping[str, type] | None = None) -> Path:
    """A WAV of that beat (0-based) alone, spoken as the build speaks it."""
    loaded = load_storyboard(storyboard_path)
    ids = [scene.id for scene in loaded.storyboard.scenes]
    if scene_id not in ids:
        raise UsageError(f"{storyboard_path.name} has no scene {scene_id!r}")
    scene = loaded.storyboard.scenes[ids.index(scene_id)]
    if not 0 <= beat_index < len(scene.beats):
        raise UsageError(f"scene {scene_id!r} has no beat {beat_index + 1}")
    one = scene.model_copy(update={"beats": [scene.beats[beat_index]]})
    alone = loaded.storyboard.model_copy(update={"scenes": [one]})
    speech = speak_storyboard(type(loaded)(loaded.path, alone, loaded.source), cache_dir=cache_dir, offline=offline, warn=lambda message: None, engines=engines)
    return speech[0][0].wav


def say_text(storyboard_path: Path, text: str, *, cache_dir: Path, scene_id: str | None = None, offline: bool = False, engines: Mapping[str, type] | None = None) -> Path:
    """A WAV of `text` (marks allowed) in the storyboard's voice, or in that scene's voice."""
    if not " ".join(text.split()):
        raise UsageError("there are no words to say")
    if len(text) > MAX_TRY_CHARACTERS:
        raise UsageError(f"try at most {MAX_TRY_CHARACTERS} characters at a time")
    storyboard = load_storyboard(storyboard_path).storyboard
    voice = next((scene.voice for scene in storyboard.scenes if scene.id == scene_id and scene.voice), storyboard.voice)
    profile = load_voice(voice, voice_dirs(storyboard_path))
    return speak_beats([text], profile, cache_dir=cache_dir, offline=offline, warn=lambda message: None, engines=engines)[0].wav
