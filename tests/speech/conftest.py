from __future__ import annotations


import numpy as np
import pytest

from vidgen.media.ffmpeg import run_ffmpeg
from vidgen.speech.audio import write_wav
from vidgen.speech.engines.fake import FakeEngine
from vidgen.speech.voices import EngineChoice, VoiceProfile


@pytest.fixture(scope="session")
def mp3_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """Two seconds of a real MP3 (a voiced tone), as a speech service would send."""
    folder = tmp_path_factory.mktemp("mp3")
    t = np.arange(2 * 48_000) / 48_000
    write_wav(folder / "tone.wav", (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32))
    run_ffmpeg(["-i", str(folder / "tone.wav"), "-c:a", "libmp3lame", "-b:a", "64k", str(folder / "tone.mp3")], what="making a test mp3")
    return (folder / "tone.mp3").read_bytes()


@pytest.fixture(autouse=True)
def _reset_fake_calls() -> None:
    FakeEngine.calls = 0


def profile(*engines: str) -> VoiceProfile:
    return VoiceProfile(name="test", language="en", engines=[EngineChoice(engine=e, voice="v") for e in engines])
