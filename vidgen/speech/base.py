"""The speech interface: one Protocol every engine implements, and the values it returns.

Speech comes first in the pipeline: each beat's narration is synthesised, measured, and
its length drives the beat's timing. Engines only turn text into a WAV file (and, when
they can, word timings); splitting at sentences and marks, joining, trimming, measuring
and caching are shared code in `vidgen.speech.synthesize`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Protocol, runtime_checkable


@dataclass(frozen=True)
class WordTiming:
    """A spoken word and when it is heard, in seconds from the start of its audio."""

    text: str
    start: float
    end: float


@dataclass(frozen=True)
class VoiceSettings:
    """What an engine is asked to speak with; rate/pitch/volume are relative changes.

    `rate` is a percentage change of speed (+10 speaks 10 % faster), `pitch` a change in
    Hz, `volume` a percentage change; each engine maps them onto its own parameters.
    """

    voice: str
    language: str = "en"
    rate: float = 0.0
    pitch: float = 0.0
    volume: float = 0.0


@dataclass(frozen=True)
class EngineOutput:
    """What one engine call produced: a WAV (any rate/channels) and optional word timings."""

    wav: Path
    words: tuple[WordTiming, ...] = ()


@runtime_checkable
class SpeechEngine(Protocol):
    """A text-to-speech backend. Adding one means one class and one registry entry."""

    name: ClassVar[str]
    online: ClassVar[bool]
    word_timings: ClassVar[bool]

    def unavailable_reason(self) -> str | None:
        """Why this engine cannot run on this machine (missing binary, package), or None."""

    def version(self) -> str:
        """A version string that changes whenever the engine would produce different audio."""

    def model_identity(self, settings: VoiceSettings) -> dict[str, Any]:
        """What identifies the voice model `settings` names, beyond `version()`: its files
        (name, size, content hash) or its data; part of every speech cache entry's identity."""

    def synthesize(self, text: str, settings: VoiceSettings, out: Path) -> EngineOutput:
        """Speak `text` into the WAV file `out`. Raise SpeechError with a short reason."""


@dataclass(frozen=True)
class Cue:
    """A stretch of narration and when it is heard (seconds, relative to its owner)."""

    text: str
    start: float
    end: float


@dataclass(frozen=True)
class BeatSpeech:
    """A beat's finished narration: one mono 48 kHz WAV plus everything measured from it.

    `text` is the narration as shown, `spoken` what the voice said for it. `sentences` and
    `words` are the shown ones, relative to the start of the WAV; `marks` maps each
    `<mark name="x"/>` to the moment the word after it begins.
    """

    wav: Path
    duration: float
    engine: str
    voice: str
    text: str
    sentences: tuple[Cue, ...] = ()
    words: tuple[WordTiming, ...] = ()
    marks: dict[str, float] = field(default_factory=dict)
    cached: bool = False
    spoken: str = ""
