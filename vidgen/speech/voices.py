"""Voice profiles: `voices/<name>.yaml`, an ordered chain of engines, each with a voice.

The first engine that can speak the whole video wins; `--offline` skips network engines.
Profiles are looked up in the project's voices folders, then among vidgen's built-in ones.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from pydantic import Field, ValidationError, field_validator

from vidgen.errors import Diagnostic, Location, StoryboardError
from vidgen.speech.base import VoiceSettings
from vidgen.storyboard.common import StrictModel
from vidgen.storyboard.diagnostics import from_validation_error, suggest
from vidgen.storyboard.model import Storyboard
from vidgen.storyboard.semantics import Problem
from vidgen.storyboard.source import read_yaml

BUILTIN_DIR = Path(__file__).resolve().parent.parent / "voices"


class EngineChoice(StrictModel):
    """One engine in a profile's chain, and how it should speak."""

    engine: str = Field(description="edge-tts, piper, espeak-ng (or fake, for tests)")
    voice: str = Field(min_length=1, description="The engine's voice: en-US-AriaNeural, en_US-joe-medium, pl…")
    rate: float = Field(0.0, ge=-50, le=100, description="Speed change in percent.")
    pitch: float = Field(0.0, ge=-50, le=50, description="Pitch change in Hz.")
    volume: float = Field(0.0, ge=-50, le=50, description="Volume change in percent.")

    @field_validator("engine")
    @classmethod
    def _known(cls, value: str) -> str:
        from vidgen.speech.engines import ENGINES

        if value not in ENGINES:
            hint = suggest(value, ENGINES)
            raise ValueError(f"unknown engine {value!r}; expected one of {', '.join(ENGINES)}" + (f" ({hint})" if hint else ""))
        return value

    def settings(self, language: str) -> VoiceSettings:
        return VoiceSettings(self.voice, language, self.rate, self.pitch, self.volume)


class VoiceProfile(StrictModel):
    name: str
    language: str = Field("en", pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$")
    engines: list[EngineChoice] = Field(min_length=1)


def voice_dirs(storyboard_path: Path) -> list[Path]:
    """Where a storyboard's voice profiles are looked up: beside it, its project, the
    current folder (then the built-ins)."""
    here = storyboard_path.resolve().parent
    candidates = [here / "voices", here.parent / "voices", Path.cwd() / "voices"]
    return [d for d in dict.fromkeys(candidates) if d.is_dir()]


def _primary(language: str) -> str:
    return language.split("-")[0].lower()


def voice_problems(storyboard: Storyboard, storyboard_path: Path) -> list[Problem]:
    """Voices the storyboard names that do not exist, cannot load, or speak another language."""
    dirs = voice_dirs(storyboard_path)
    profiles = available_profiles(dirs)
    wanted = [(("voice",), storyboard.voice)] + [(("scenes", i, "voice"), scene.voice) for i, scene in enumerate(storyboard.scenes) if scene.voice]
    problems = []
    for where, name in wanted:
        if name not in profiles:
            problems.append(Problem(where, f"no voice profile named {name!r}", "one of " + ", ".join(profiles) + " (voices/<name>.yaml)", suggest(name, profiles)))
            continue
        try:
            profile = load_voice(name, dirs)
        except StoryboardError as error:
            problems.append(Problem(where, f"voice {name!r} cannot be used: {error}"))
            continue
        if _primary(profile.language) != _primary(storyboard.language):
            at = ("language",) if where == ("voice",) else where
            problems.append(Problem(at, f"voice {name!r} speaks {profile.language!r}, but the narration is in {storyboard.language!r}", f"voice: naming a profile whose language is {storyboard.language!r} (voices/<name>.yaml)"))
    return problems


def available_profiles(search_dirs: Sequence[Path]) -> dict[str, Path]:
    """Profile name → file, earlier folders winning over later ones and the built-ins."""
    found: dict[str, Path] = {}
    for folder in [*search_dirs, BUILTIN_DIR]:
        if folder.is_dir():
            for file in sorted(folder.glob("*.yaml")):
                if "." not in file.stem:  # lexicon.<lang>.yaml lives here too; profile names have no dot
                    found.setdefault(file.stem, file)
    return found


def load_voice(name: str, search_dirs: Sequence[Path]) -> VoiceProfile:
    profiles = available_profiles(search_dirs)
    if name not in profiles:
        hint = suggest(name, profiles)
        raise StoryboardError([Diagnostic(f"no voice profile named {name!r}", None, "one of " + ", ".join(profiles), hint)])
    file = profiles[name]
    data, source = read_yaml(file)
    try:
        profile = VoiceProfile.model_validate(data)
    except ValidationError as error:
        raise StoryboardError(from_validation_error(error, data, source, VoiceProfile)) from None
    # A Piper model given as a relative path is relative to the profile that names it.
    engines = [
        choice.model_copy(update={"voice": str((file.parent / choice.voice).resolve())}) if choice.voice.endswith(".onnx") else choice
        for choice in profile.engines
    ]
    if profile.name != name:
        raise StoryboardError([Diagnostic(f"the profile in {file.name} is named {profile.name!r}", Location(file, 1, 1), f"name: {name}")])
    return profile.model_copy(update={"engines": engines})
