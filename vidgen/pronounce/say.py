"""Hearing narration without a build: one beat, one scene, or a sentence, spoken with the
storyboard's voice and lexicon into the same cache a build uses (`vidgen say`, the studio).

Nothing here imports Manim: a beat already in the cache answers at once, a new one takes
as long as its voice does.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from vidgen.errors import UsageError
from vidgen.narrate import pronounced_beats, storyboard_lexicon
from vidgen.pronounce.pieces import pronounced
from vidgen.speech.audio import join, read_audio, write_wav
from vidgen.speech.base import BeatSpeech, SpeechEngine
from vidgen.speech.synthesize import speak_beats
from vidgen.speech.utterance import Pronounced
from vidgen.speech.voices import load_voice, voice_dirs
from vidgen.storyboard.loader import LoadedStoryboard, load_storyboard
from vidgen.storyboard.model import Scene
from vidgen.storyboard.diagnostics import suggest

DEFAULT_CACHE = Path("output/.cache")
PLAYERS = (["paplay"], ["aplay", "-q"], ["ffplay", "-nodisp", "-autoexit", "-loglevel", "quiet"])


@dataclass(frozen=True)
class Heard:
    """What was spoken: the WAV, and for each beat its speech (shown and spoken text, engine)."""

    wav: Path
    beats: tuple[BeatSpeech, ...]


@dataclass(frozen=True)
class SayOptions:
    cache_dir: Path = DEFAULT_CACHE
    offline: bool = False
    language: str | None = None  # a translation's cut, as `vidgen build --lang`
    engines: Mapping[str, Callable[[], SpeechEngine]] | None = None  # tests inject fakes
    warn: Callable[[str], None] = lambda message: print(f"warning: {message}", file=sys.stderr)


def _load(storyboard_path: Path, options: SayOptions) -> LoadedStoryboard:
    if not storyboard_path.is_file():
        raise UsageError(f"{storyboard_path}: no such storyboard file")
    loaded = load_storyboard(storyboard_path)
    if options.language:
        from vidgen.translate import language_cut

        loaded = language_cut(loaded, options.language)
    return loaded


def _scene(loaded: LoadedStoryboard, scene_id: str) -> tuple[int, Scene]:
    ids = [scene.id for scene in loaded.storyboard.scenes]
    if scene_id not in ids:
        hint = suggest(scene_id, ids)
        raise UsageError(f"{loaded.path.name} has no scene {scene_id!r}; scenes: {', '.join(ids)}" + (f" ({hint})" if hint else ""))
    return ids.index(scene_id), loaded.storyboard.scenes[ids.index(scene_id)]


def _speak(loaded: LoadedStoryboard, voice: str, lines: list[Pronounced], options: SayOptions) -> list[BeatSpeech]:
    profile = load_voice(voice, voice_dirs(loaded.path))
    return speak_beats(lines, profile, cache_dir=options.cache_dir, offline=options.offline, warn=options.warn, engines=options.engines)


def hear_beat(storyboard_path: Path, scene_id: str, beat_index: int, options: SayOptions = SayOptions()) -> Heard:
    """One beat (`beat_index` counts from 0), spoken as the build speaks it; its WAV is the cache entry."""
    loaded = _load(storyboard_path, options)
    number, scene = _scene(loaded, scene_id)
    if not 0 <= beat_index < len(scene.beats):
        raise UsageError(f"scene {scene_id!r} has {len(scene.beats)} beat(s); there is no beat {beat_index + 1}")
    line = pronounced_beats(loaded)[number][beat_index]
    [speech] = _speak(loaded, scene.voice or loaded.storyboard.voice, [line], options)
    return Heard(speech.wav, (speech,))


def hear_scenes(storyboard_path: Path, scene_id: str | None = None, options: SayOptions = SayOptions()) -> Heard:
    """A scene's beats (or every scene's), one after another with their pauses, in one WAV."""
    loaded = _load(storyboard_path, options)
    storyboard = loaded.storyboard
    lines = pronounced_beats(loaded)
    chosen = [_scene(loaded, scene_id)] if scene_id else list(enumerate(storyboard.scenes))
    beats: list[BeatSpeech] = []
    pauses: list[float] = []
    for number, scene in chosen:
        beats += _speak(loaded, scene.voice or storyboard.voice, lines[number], options)
        pauses += [storyboard.pause if beat.pause is None else beat.pause for beat in scene.beats]
    joined, _ = join([read_audio(speech.wav) for speech in beats], pauses[:-1])
    name = f"{loaded.name}-{scene_id}" if scene_id else loaded.name
    wav = write_wav(_out_dir(options) / f"{name}.wav", joined)
    return Heard(wav, tuple(beats))


def hear_text(storyboard_path: Path, text: str, options: SayOptions = SayOptions(), scene_id: str | None = None) -> Heard:
    """A sentence (tags allowed) said by the storyboard's voice (or a scene's) with its lexicon."""
    loaded = _load(storyboard_path, options)
    voice = _scene(loaded, scene_id)[1].voice if scene_id else None
    line = pronounced(text, storyboard_lexicon(loaded), loaded.storyboard.language)
    [speech] = _speak(loaded, voice or loaded.storyboard.voice, [line], options)
    return Heard(speech.wav, (speech,))


def _out_dir(options: SayOptions) -> Path:
    folder = options.cache_dir / "tmp" / "say"  # `cache prune` clears what is older than an hour
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def say_beat(storyboard_path: Path, scene_id: str, beat_index: int, **options: object) -> Path:
    """The WAV of one beat (`beat_index` from 0), from the cache or spoken now."""
    return hear_beat(storyboard_path, scene_id, beat_index, SayOptions(**options)).wav  # type: ignore[arg-type]


def say_scene(storyboard_path: Path, scene_id: str | None = None, **options: object) -> Path:
    """The WAV of a scene (or of the whole storyboard, without a scene id)."""
    return hear_scenes(storyboard_path, scene_id, SayOptions(**options)).wav  # type: ignore[arg-type]


def say_text(storyboard_path: Path, text: str, **options: object) -> Path:
    """The WAV of `text` said with the storyboard's voice and lexicon."""
    return hear_text(storyboard_path, text, SayOptions(**options)).wav  # type: ignore[arg-type]


def player() -> list[str] | None:
    """A command that plays a WAV on this machine, or None."""
    return next((command for command in PLAYERS if shutil.which(command[0])), None)


def play(wav: Path) -> None:
    command = player()
    if command is None:
        raise UsageError("no audio player found (paplay, aplay or ffplay); the WAV is at " + str(wav))
    subprocess.run([*command, str(wav)], check=False)
