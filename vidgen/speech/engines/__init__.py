"""The speech-engine registry: name used in voices/*.yaml → engine class.

To add an engine: one module with a class satisfying `vidgen.speech.base.SpeechEngine`,
listed here, with its test in tests/speech/.
"""

from __future__ import annotations

from collections.abc import Callable

from vidgen.speech.base import SpeechEngine
from vidgen.speech.engines.edge import EdgeEngine
from vidgen.speech.engines.espeak import EspeakEngine
from vidgen.speech.engines.fake import FakeEngine
from vidgen.speech.engines.piper import PiperEngine

ENGINES: dict[str, Callable[[], SpeechEngine]] = {
    engine.name: engine for engine in (EdgeEngine, PiperEngine, EspeakEngine, FakeEngine)
}

__all__ = ["ENGINES"]
