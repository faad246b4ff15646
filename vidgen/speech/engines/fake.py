"""A stand-in voice for tests: a voiced tone per word, deterministic and instant, with
exact word timings. Never used unless a voice profile or a test asks for it."""

from __future__ import annotations

from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from vidgen.speech.audio import RATE, write_wav
from vidgen.speech.base import EngineOutput, VoiceSettings, WordTiming

WORD_GAP = 0.06


def word_seconds(word: str) -> float:
    return 0.28 + 0.05 * max(0, len(word) - 4)


class FakeEngine:
    name: ClassVar[str] = "fake"
    online: ClassVar[bool] = False
    word_timings: ClassVar[bool] = True
    calls: ClassVar[int] = 0  # tests count synthesis calls

    def unavailable_reason(self) -> str | None:
        return None

    def version(self) -> str:
        return "fake 1"

    def model_identity(self, settings: VoiceSettings) -> dict[str, Any]:
        return {"voice": settings.voice}

    def synthesize(self, text: str, settings: VoiceSettings, out: Path) -> EngineOutput:
        type(self).calls += 1
        speed = 1.0 + settings.rate / 100.0
        pieces, words, position = [], [], 0.0
        for word in text.split():
            seconds = word_seconds(word) / speed
            t = np.arange(int(seconds * RATE)) / RATE
            envelope = np.sin(np.pi * t / seconds) ** 2
            tone = 0.5 * np.sin(2 * np.pi * 180 * t) + 0.25 * np.sin(2 * np.pi * 360 * t) + 0.1 * np.sin(2 * np.pi * 540 * t)
            pieces += [(tone * envelope * 0.6).astype(np.float32), np.zeros(int(WORD_GAP * RATE), np.float32)]
            words.append(WordTiming(word, position, position + seconds))
            position += seconds + WORD_GAP
        write_wav(out, np.concatenate(pieces) if pieces else np.zeros(0, np.float32))
        return EngineOutput(out, tuple(words))
