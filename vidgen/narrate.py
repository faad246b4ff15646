"""The speech stage for a whole storyboard: each beat spoken by its scene's voice."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path

from vidgen.executors import Workers
from vidgen.speech import load_voice, speak_beats
from vidgen.pronounce.lexicon import Lexicon, project_lexicon
from vidgen.pronounce.pieces import pronounce
from vidgen.speech.base import BeatSpeech
from vidgen.speech.utterance import Pronounced
from vidgen.speech.voices import voice_dirs
from vidgen.storyboard.loader import LoadedStoryboard


def storyboard_lexicon(loaded: LoadedStoryboard) -> Lexicon:
    """The lexicon the storyboard's narration is said with: its own entries (with its
    series'), then the project's `voices/lexicon.<lang>.yaml`."""
    storyboard = loaded.storyboard
    return project_lexicon(voice_dirs(loaded.path), storyboard.language, storyboard.lexicon)


def pronounced_beats(loaded: LoadedStoryboard, lexicon: Lexicon | None = None) -> list[list[Pronounced]]:
    """Every beat, as `[scene][beat]`, with what is said for each piece of its narration."""
    lexicon = lexicon if lexicon is not None else storyboard_lexicon(loaded)
    language = loaded.storyboard.language
    return [[Pronounced(beat.narration, pronounce(beat.narration, lexicon, language)) for beat in scene.beats] for scene in loaded.storyboard.scenes]


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
    lines = pronounced_beats(loaded)
    by_voice: dict[str, list[tuple[int, int, Pronounced]]] = {}
    for s, scene in enumerate(storyboard.scenes):
        for b, _ in enumerate(scene.beats):
            by_voice.setdefault(scene.voice or storyboard.voice, []).append((s, b, lines[s][b]))
    result: list[list[BeatSpeech | None]] = [[None] * len(scene.beats) for scene in storyboard.scenes]
    for voice, beats in by_voice.items():
        profile = load_voice(voice, voice_dirs(loaded.path))
        spoken = speak_beats([line for _, _, line in beats], profile, cache_dir=cache_dir, offline=offline, warn=warn, engines=engines, workers=workers)
        for (s, b, _), speech in zip(beats, spoken):
            result[s][b] = speech
    return [[speech for speech in scene if speech is not None] for scene in result]
