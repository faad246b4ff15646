"""The speech stage for a whole storyboard: each beat spoken by its scene's voice."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from vidgen.executors import Workers
from vidgen.speech import load_voice, speak_beats
from vidgen.speech.base import BeatSpeech
from vidgen.speech.voices import voice_dirs
from vidgen.storyboard.loader import LoadedStoryboard


def speak_storyboard(
    loaded: LoadedStoryboard,
    *,
    cache_dir: Path,
    offline: bool,
    warn: Callable[[str], None],
    engines: Mapping[str, type] | None = None,
    workers: Workers | None = None,
) -> list[list[BeatSpeech]]:
    """Speech for every beat, as `[scene][beat]`; beats sharing a voice are spoken together."""
    storyboard = loaded.storyboard
    by_voice: dict[str, list[tuple[int, int, str]]] = {}
    for s, scene in enumerate(storyboard.scenes):
        for b, beat in enumerate(scene.beats):
            by_voice.setdefault(scene.voice or storyboard.voice, []).append((s, b, beat.say))
    result: list[list[BeatSpeech | None]] = [[None] * len(scene.beats) for scene in storyboard.scenes]
    for voice, beats in by_voice.items():
        profile = load_voice(voice, voice_dirs(loaded.path))
        spoken = speak_beats([text for _, _, text in beats], profile, cache_dir=cache_dir, offline=offline, warn=warn, engines=engines, workers=workers)
        for (s, b, _), speech in zip(beats, spoken):
            result[s][b] = speech
    return [[speech for speech in scene if speech is not None] for scene in result]
