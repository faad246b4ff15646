"""Engines that misbehave — hang, crash, die mid-stream, return garbage or noise — never stop
a build and never count as speech: the chain falls through, or fails with the reason."""

from __future__ import annotations

import struct
import time
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest

from tests.speech.conftest import profile
from vidgen.errors import SpeechError
from vidgen.speech.audio import check_speech, write_wav
from vidgen.speech.base import EngineOutput, VoiceSettings
from vidgen.speech.engines.fake import FakeEngine
from vidgen.speech.guard import call_engine
from vidgen.speech.synthesize import speak_beats

SETTINGS = VoiceSettings("v")


class Hangs(FakeEngine):
    name: ClassVar[str] = "hangs"
    word_timings: ClassVar[bool] = False
    answer_timeout: ClassVar[float] = 0.5

    def synthesize(self, text: str, settings: VoiceSettings, out: Path) -> EngineOutput:
        time.sleep(60)
        raise AssertionError("never reached")


class Crashes(FakeEngine):
    name: ClassVar[str] = "crashes"

    def synthesize(self, text: str, settings: VoiceSettings, out: Path) -> EngineOutput:
        out.write_bytes(b"RIFF")
        raise RuntimeError("onnxruntime: session aborted")


class DiesMidStream(FakeEngine):
    """Writes a WAV whose header promises two seconds, then stops after a tenth of one."""

    name: ClassVar[str] = "dies"

    def synthesize(self, text: str, settings: VoiceSettings, out: Path) -> EngineOutput:
        full = out.with_suffix(".full.wav")
        t = np.arange(2 * 48_000) / 48_000
        write_wav(full, (0.3 * np.sin(2 * np.pi * 200 * t)).astype(np.float32))
        out.write_bytes(full.read_bytes()[: 44 + 9600])
        return EngineOutput(out)


class Garbage(FakeEngine):
    name: ClassVar[str] = "garbage"

    def synthesize(self, text: str, settings: VoiceSettings, out: Path) -> EngineOutput:
        out.write_bytes(np.random.default_rng(1).bytes(40_000))
        return EngineOutput(out)


class Noise(FakeEngine):
    """A well-formed WAV of noise: what PCM read in the wrong format sounds like."""

    name: ClassVar[str] = "noise"

    def synthesize(self, text: str, settings: VoiceSettings, out: Path) -> EngineOutput:
        write_wav(out, (np.random.default_rng(2).uniform(-0.5, 0.5, 48_000)).astype(np.float32))
        return EngineOutput(out)


class ReturnsNothing(FakeEngine):
    name: ClassVar[str] = "nothing"

    def synthesize(self, text: str, settings: VoiceSettings, out: Path) -> EngineOutput:
        return None  # type: ignore[return-value]


BAD = {engine.name: engine for engine in (Hangs, Crashes, DiesMidStream, Garbage, Noise, ReturnsNothing)}
REASONS = {
    "hangs": "gave no answer within 0.5 s",
    "crashes": "crashed: RuntimeError: onnxruntime: session aborted",
    "dies": "truncated",
    "garbage": "cannot decode",
    "noise": "noise, not speech",
    "nothing": "returned NoneType instead of audio",
}


@pytest.fixture(autouse=True)
def _registered(monkeypatch: pytest.MonkeyPatch) -> None:
    """Voice profiles name engines from the registry: these join it for the test."""
    from vidgen.speech.engines import ENGINES

    for name, engine in BAD.items():
        monkeypatch.setitem(ENGINES, name, engine)


def test_a_hanging_engine_is_abandoned_after_its_timeout(tmp_path: Path) -> None:
    started = time.perf_counter()
    with pytest.raises(SpeechError, match="gave no answer within 0.5 s"):
        call_engine(Hangs(), "Hello.", SETTINGS, tmp_path / "out.wav")
    assert time.perf_counter() - started < 5


def test_a_wav_cut_short_is_refused(tmp_path: Path) -> None:
    with pytest.raises(SpeechError, match="truncated"):
        call_engine(DiesMidStream(), "Hello.", SETTINGS, tmp_path / "out.wav")


def test_a_whole_wav_passes(tmp_path: Path) -> None:
    output = call_engine(FakeEngine(), "Hello there.", SETTINGS, tmp_path / "out.wav")
    header = output.wav.read_bytes()[:44]
    assert header[:4] == b"RIFF" and struct.unpack("<I", header[40:44])[0] > 0


def test_noise_is_not_speech_but_a_voice_is() -> None:
    rng = np.random.default_rng(3)
    with pytest.raises(SpeechError, match="noise"):
        check_speech(rng.standard_normal(48_000).astype(np.float32) * 0.2, "engine")
    t = np.arange(48_000) / 48_000
    vowel = sum(np.sin(2 * np.pi * f * t) / (k + 1) for k, f in enumerate((140, 280, 420, 560))) * np.sin(np.pi * t) ** 2
    check_speech((0.3 * vowel).astype(np.float32), "engine")  # harmonics: speech-like, accepted


@pytest.mark.parametrize("bad", sorted(BAD))
def test_each_fault_falls_through_to_the_next_engine_with_its_reason(tmp_path: Path, bad: str) -> None:
    warnings: list[str] = []
    [speech] = speak_beats(["Hello there, one sentence."], profile(bad, "fake"), cache_dir=tmp_path, warn=warnings.append, engines={**BAD, "fake": FakeEngine})
    assert speech.engine == "fake" and speech.duration > 0.5
    assert len(warnings) == 1 and warnings[0].startswith(f"{bad} failed: ") and REASONS[bad] in warnings[0], warnings
    assert warnings[0].endswith("; falling back to fake")


@pytest.mark.parametrize("bad", sorted(BAD))
def test_with_no_engine_left_the_error_names_each_reason(tmp_path: Path, bad: str) -> None:
    with pytest.raises(SpeechError) as caught:
        speak_beats(["Hello there."], profile(bad), cache_dir=tmp_path, warn=lambda message: None, engines=BAD)
    assert f"{bad}: " in str(caught.value) and REASONS[bad] in str(caught.value)
    assert not list((tmp_path / "speech").glob("*.json")), "a failed beat must leave no cache entry"
