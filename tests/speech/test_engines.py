"""Each engine behind the one interface; edge-tts without a network, through fake streams."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import aiohttp
import pytest
from edge_tts.exceptions import NoAudioReceived

from vidgen.errors import SpeechError
from vidgen.speech.audio import read_audio, rms_db
from vidgen.speech.base import SpeechEngine, VoiceSettings
from vidgen.speech.engines import ENGINES
from vidgen.speech.engines.edge import EdgeEngine
from vidgen.speech.engines.fake import FakeEngine

SETTINGS = VoiceSettings("en-US-AriaNeural")


@pytest.mark.parametrize("name", sorted(ENGINES))
def test_every_engine_satisfies_the_interface(name: str) -> None:
    engine = ENGINES[name]()
    assert isinstance(engine, SpeechEngine)
    assert engine.name == name and engine.version()


def test_the_fake_engine_speaks_with_word_timings(tmp_path: Path) -> None:
    out = FakeEngine().synthesize("one two three", VoiceSettings("x"), tmp_path / "f.wav")
    samples = read_audio(out.wav)
    assert [w.text for w in out.words] == ["one", "two", "three"]
    assert all(a.end <= b.start for a, b in zip(out.words, out.words[1:]))
    assert abs(len(samples) / 48_000 - out.words[-1].end) < 0.1 and rms_db(samples) > -30


def test_piper_speaks_english_offline(tmp_path: Path) -> None:
    out = ENGINES["piper"]().synthesize("The encoder compresses the ratings.", VoiceSettings("en_US-joe-medium"), tmp_path / "p.wav")
    samples = read_audio(out.wav)
    assert 1.0 < len(samples) / 48_000 < 6.0
    assert rms_db(samples) > -35


def test_the_voice_models_optimised_graph_is_kept_and_a_damaged_copy_made_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from vidgen.speech.engines import piper

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    model = str(piper.model_path("en_US-joe-medium"))
    try:
        piper._load.cache_clear()
        piper._load(model)
        kept = list((tmp_path / "vidgen" / "onnx").glob("*.onnx"))
        assert len(kept) == 1 and kept[0].stat().st_size > 10_000_000  # the whole graph, weights and all
        made = kept[0].stat().st_mtime_ns
        piper._load.cache_clear()
        piper._load(model)  # loaded from the copy: not written again
        assert kept[0].stat().st_mtime_ns == made
        kept[0].write_bytes(b"not a model")
        piper._load.cache_clear()
        voice = piper._load(model)
        assert kept[0].stat().st_size > 10_000_000
        samples = b"".join(chunk.audio_int16_bytes for chunk in voice.synthesize("The graph was kept."))
        assert len(samples) > 22_050  # more than half a second of speech
    finally:
        piper._load.cache_clear()


HELD_TO_ONE_CORE = """
import os, sys
from pathlib import Path
os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
from vidgen.build import BuildOptions
from vidgen.speech.base import VoiceSettings
from vidgen.speech.engines import ENGINES
ENGINES["piper"]().synthesize("Held to one core.", VoiceSettings("en_US-joe-medium"), Path(sys.argv[1]))
allowed = {open(f"/proc/self/task/{tid}/status").read().split("Cpus_allowed_list:")[1].split()[0] for tid in os.listdir("/proc/self/task")}
print(BuildOptions().jobs, len(os.listdir("/proc/self/task")), *sorted(allowed))
"""


@pytest.mark.skipif(not hasattr(os, "sched_setaffinity") or len(os.sched_getaffinity(0)) < 2, reason="needs Linux and two cores to hold a build to one")
def test_a_build_held_to_one_core_plans_one_job_and_speaks_there(tmp_path: Path) -> None:
    """Under `taskset` (or a container's cpuset) vidgen counts the cores it was given, and
    the voice model's threads stay on them: onnxruntime's default pins a thread to every
    core of the machine."""
    done = subprocess.run([sys.executable, "-c", HELD_TO_ONE_CORE, str(tmp_path / "p.wav")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    jobs, threads, *allowed = done.stdout.split()
    core = str(min(os.sched_getaffinity(0)))
    assert jobs == "1" and allowed == [core], done.stdout  # every thread, the voice's included, on the one core
    assert read_audio(tmp_path / "p.wav").size > 0


def test_espeak_speaks_polish(tmp_path: Path) -> None:
    out = ENGINES["espeak-ng"]().synthesize("Zażółć gęślą jaźń.", VoiceSettings("pl", "pl"), tmp_path / "e.wav")
    samples = read_audio(out.wav)
    assert len(samples) / 48_000 > 0.8 and rms_db(samples) > -35


def communicator(*attempts: Any) -> tuple[type, list[Any]]:
    """A stand-in for edge_tts.Communicate: attempt n plays attempts[n] (an exception to
    raise, a list of chunks to yield, or a number of seconds to hang)."""
    made: list[Any] = []

    class Communicate:
        def __init__(self, text: str, voice: str, **options: Any) -> None:
            self.text, self.voice, self.options = text, voice, options
            self.script = attempts[min(len(made), len(attempts) - 1)]
            made.append(self)

        async def stream(self) -> Any:
            if isinstance(self.script, BaseException):
                raise self.script
            if isinstance(self.script, (int, float)):
                await asyncio.sleep(self.script)
            for chunk in self.script:
                yield chunk

    return Communicate, made


def chunks(mp3: bytes, words: int = 3, seconds: float = 1.8) -> list[dict[str, Any]]:
    step = seconds / words
    boundaries = [{"type": "WordBoundary", "offset": int(i * step * 1e7), "duration": int(step * 0.8 * 1e7), "text": f"w{i}"} for i in range(words)]
    return [*boundaries, {"type": "audio", "data": mp3[: len(mp3) // 2]}, {"type": "audio", "data": mp3[len(mp3) // 2 :]}]


def edge(communicate: type, **options: Any) -> tuple[EdgeEngine, list[float]]:
    sleeps: list[float] = []
    return EdgeEngine(communicate, sleep=sleeps.append, **options), sleeps


def test_edge_speaks_and_reports_word_boundaries(tmp_path: Path, mp3_bytes: bytes) -> None:
    communicate, made = communicator(chunks(mp3_bytes))
    engine, _ = edge(communicate)
    out = engine.synthesize("one two three", SETTINGS, tmp_path / "e.wav")
    assert made[0].options["boundary"] == "WordBoundary"  # asked for explicitly
    assert [round(w.start, 2) for w in out.words] == [0.0, 0.6, 1.2]
    assert len(read_audio(out.wav)) / 48_000 == pytest.approx(2.0, abs=0.1)


def test_no_network_fails_at_once_without_retrying(tmp_path: Path) -> None:
    communicate, made = communicator(OSError("Cannot connect to host speech.platform.bing.com: Temporary failure in name resolution"))
    engine, sleeps = edge(communicate)
    started = time.perf_counter()
    with pytest.raises(SpeechError, match="cannot reach the speech service.*DNS"):
        engine.synthesize("hello", SETTINGS, tmp_path / "e.wav")
    assert len(made) == 1 and sleeps == [] and time.perf_counter() - started < 1


def test_403_is_retried_with_backoff_then_succeeds(tmp_path: Path, mp3_bytes: bytes) -> None:
    forbidden = aiohttp.ClientResponseError(None, (), status=403, message="Forbidden")  # type: ignore[arg-type]
    communicate, made = communicator(forbidden, forbidden, chunks(mp3_bytes))
    engine, sleeps = edge(communicate)
    engine.synthesize("one two three", SETTINGS, tmp_path / "e.wav")
    assert len(made) == 3 and sleeps == [0.5, 1.0]


def test_403_forever_gives_up(tmp_path: Path) -> None:
    communicate, made = communicator(aiohttp.ClientResponseError(None, (), status=403, message="Forbidden"))  # type: ignore[arg-type]
    engine, _ = edge(communicate, retries=2)
    with pytest.raises(SpeechError, match="403 Forbidden after 3 attempts"):
        engine.synthesize("hello", SETTINGS, tmp_path / "e.wav")
    assert len(made) == 3


@pytest.mark.parametrize(
    ("script", "reason"),
    [
        (NoAudioReceived("No audio was received."), "no audio received after 3 attempts"),
        ([{"type": "WordBoundary", "offset": 0, "duration": 10_000_000, "text": "hi"}], "no audio received after 3 attempts"),
        ([{"type": "audio", "data": b"\x00\x01 this is not an mp3 \xff"}], "cannot decode"),
    ],
    ids=["no-audio-error", "empty-stream", "garbage"],
)
def test_edge_never_counts_missing_or_broken_audio_as_speech(tmp_path: Path, script: Any, reason: str) -> None:
    communicate, _ = communicator(script)
    engine, _ = edge(communicate)
    with pytest.raises(SpeechError, match=reason):
        engine.synthesize("hi", SETTINGS, tmp_path / "e.wav")


def test_truncated_audio_is_refused(tmp_path: Path, mp3_bytes: bytes) -> None:
    communicate, _ = communicator(chunks(mp3_bytes, words=5, seconds=6.0))  # words claim 6 s, audio has 2
    engine, _ = edge(communicate)
    with pytest.raises(SpeechError, match="truncated"):
        engine.synthesize("a b c d e", SETTINGS, tmp_path / "e.wav")


def test_a_hanging_service_times_out(tmp_path: Path) -> None:
    communicate, _ = communicator(30)
    engine, _ = edge(communicate, timeout=0.2)
    started = time.perf_counter()
    with pytest.raises(SpeechError, match="timed out"):
        engine.synthesize("hi", SETTINGS, tmp_path / "e.wav")
    assert time.perf_counter() - started < 2
