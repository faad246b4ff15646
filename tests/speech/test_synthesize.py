"""Speaking beats: the engine chain, marks, sentences, loudness and the cache."""

from __future__ import annotations

import json
from concurrent.futures import Executor, Future
from pathlib import Path
from typing import ClassVar

import numpy as np
import pytest

from tests.speech.conftest import profile
from vidgen.errors import SpeechError
from vidgen.executors import Workers
from vidgen.media.loudness import integrated_loudness, true_peak
from vidgen.speech.audio import read_audio
from vidgen.speech.base import EngineOutput, VoiceSettings
from vidgen.speech.engines.fake import FakeEngine
from vidgen.speech.synthesize import LEAD, SENTENCE_GAP, speak_beats


class Unreachable(FakeEngine):
    name: ClassVar[str] = "edge-tts"
    online: ClassVar[bool] = True

    def synthesize(self, text: str, settings: VoiceSettings, out: Path) -> EngineOutput:
        type(self).calls += 1
        raise SpeechError("cannot reach the speech service (DNS lookup failed: no network?)")


class NoTimings(FakeEngine):
    """Like an engine without word boundaries (Piper, espeak-ng)."""

    word_timings: ClassVar[bool] = False


ENGINES = {"edge-tts": Unreachable, "fake": FakeEngine}


def test_offline_skips_network_engines_silently(tmp_path: Path) -> None:
    warnings: list[str] = []
    Unreachable.calls = 0
    [speech] = speak_beats(["Hello there."], profile("edge-tts", "fake"), cache_dir=tmp_path, offline=True, warn=warnings.append, engines=ENGINES)
    assert speech.engine == "fake" and Unreachable.calls == 0 and warnings == []


def test_a_failing_engine_falls_through_with_one_line(tmp_path: Path) -> None:
    warnings: list[str] = []
    beats = speak_beats(["One.", "Two."], profile("edge-tts", "fake"), cache_dir=tmp_path, warn=warnings.append, engines=ENGINES)
    assert [b.engine for b in beats] == ["fake", "fake"]
    assert warnings == ["edge-tts failed: cannot reach the speech service (DNS lookup failed: no network?); falling back to fake"]


def test_when_every_engine_fails_the_error_names_each(tmp_path: Path) -> None:
    class Broken(FakeEngine):
        def synthesize(self, text: str, settings: VoiceSettings, out: Path) -> EngineOutput:
            raise SpeechError("model file missing")

    with pytest.raises(SpeechError) as caught:
        speak_beats(["Hi."], profile("edge-tts", "fake"), cache_dir=tmp_path, warn=lambda m: None, engines={"edge-tts": Unreachable, "fake": Broken})
    assert "edge-tts: cannot reach" in str(caught.value) and "fake: model file missing" in str(caught.value)


def test_a_video_never_switches_voice_half_way(tmp_path: Path) -> None:
    class FailsOnThird(FakeEngine):
        name: ClassVar[str] = "edge-tts"

        def synthesize(self, text: str, settings: VoiceSettings, out: Path) -> EngineOutput:
            if text.startswith("Three"):
                raise SpeechError("403 Forbidden after 3 attempts")
            return super().synthesize(text, settings, out)

    beats = speak_beats(["One.", "Two.", "Three."], profile("edge-tts", "fake"), cache_dir=tmp_path, warn=lambda m: None, engines={"edge-tts": FailsOnThird, "fake": FakeEngine})
    assert {b.engine for b in beats} == {"fake"}


def test_marks_fall_on_their_word_with_word_timings(tmp_path: Path) -> None:
    [speech] = speak_beats(['One two <mark name="m"/>three four.'], profile("fake"), cache_dir=tmp_path, engines={"fake": FakeEngine})
    three = next(w for w in speech.words if w.text == "three")
    assert speech.marks["m"] == pytest.approx(three.start, abs=0.01)
    assert speech.words[0].start == pytest.approx(LEAD, abs=0.02)


def test_marks_are_measured_when_the_engine_has_no_word_timings(tmp_path: Path) -> None:
    [speech] = speak_beats(['First sentence here. Then we go <mark name="m"/>on and on.'], profile("fake"), cache_dir=tmp_path, engines={"fake": NoTimings})
    first, second = speech.sentences
    assert first.text == "First sentence here." and second.text.startswith("Then")
    assert second.start - first.end == pytest.approx(SENTENCE_GAP, abs=0.02)
    # The mark starts the piece spoken after it; the pieces were synthesised separately.
    assert NoTimings.calls == 3
    assert second.start < speech.marks["m"] < second.end


def test_beats_are_loudness_normalised(tmp_path: Path) -> None:
    [speech] = speak_beats(["A reasonably long sentence to measure its loudness properly."], profile("fake"), cache_dir=tmp_path, engines={"fake": FakeEngine})
    samples = read_audio(speech.wav)
    assert integrated_loudness(samples) == pytest.approx(-16.0, abs=0.5)
    assert true_peak(samples) <= -1.0


def test_the_cache_speaks_each_beat_once(tmp_path: Path) -> None:
    texts = ["One beat.", "Another beat."]
    first = speak_beats(texts, profile("fake"), cache_dir=tmp_path, engines={"fake": FakeEngine})
    assert FakeEngine.calls == 2 and not any(b.cached for b in first)
    again = speak_beats(texts, profile("fake"), cache_dir=tmp_path, engines={"fake": FakeEngine})
    assert FakeEngine.calls == 2 and all(b.cached for b in again)
    assert [b.duration for b in again] == [b.duration for b in first]
    edited = speak_beats(["One beat.", "A changed beat."], profile("fake"), cache_dir=tmp_path, engines={"fake": FakeEngine})
    assert FakeEngine.calls == 3 and [b.cached for b in edited] == [True, False]


def test_a_sentence_added_to_a_beat_is_the_only_one_spoken(tmp_path: Path) -> None:
    """Engines without word timings speak a beat sentence by sentence, and keep each."""
    NoTimings.calls = 0
    [first] = speak_beats(["The first sentence. The second one."], profile("fake"), cache_dir=tmp_path, engines={"fake": NoTimings})
    assert NoTimings.calls == 2
    [edited] = speak_beats(["The first sentence. The second one. And a third."], profile("fake"), cache_dir=tmp_path, engines={"fake": NoTimings})
    assert NoTimings.calls == 3 and not edited.cached
    assert [s.text for s in edited.sentences] == ["The first sentence.", "The second one.", "And a third."]
    # The kept sentences sound as they did: the edited beat begins with the first beat's audio.
    before, after = read_audio(first.wav), read_audio(edited.wav)
    assert edited.sentences[1].start == pytest.approx(first.sentences[1].start, abs=1e-6)
    opening = int(first.sentences[1].end * 48_000)
    assert abs(integrated_loudness(after) - integrated_loudness(before)) < 0.5
    correlation = float(np.corrcoef(before[:opening], after[:opening])[0, 1])
    assert correlation > 0.99


def test_a_damaged_kept_sentence_is_spoken_again(tmp_path: Path) -> None:
    NoTimings.calls = 0
    speak_beats(["The first sentence. The second one."], profile("fake"), cache_dir=tmp_path, engines={"fake": NoTimings})
    kept = sorted((tmp_path / "speech" / "pieces").glob("*.wav"))
    assert NoTimings.calls == 2 and len(kept) == 2
    kept[0].write_bytes(b"RIFF, but nothing after it")
    kept[1].write_bytes(b"")
    [again] = speak_beats(["The first sentence. The second one. A third."], profile("fake"), cache_dir=tmp_path, engines={"fake": NoTimings})
    assert NoTimings.calls == 5 and len(again.sentences) == 3
    assert all(len(read_audio(piece)) for piece in kept)  # spoken again into their places


def test_a_damaged_cache_entry_is_spoken_again(tmp_path: Path) -> None:
    [speech] = speak_beats(["Hello."], profile("fake"), cache_dir=tmp_path, engines={"fake": FakeEngine})
    speech.wav.with_suffix(".json").write_text("{not json")
    [again] = speak_beats(["Hello."], profile("fake"), cache_dir=tmp_path, engines={"fake": FakeEngine})
    assert not again.cached and FakeEngine.calls == 2
    assert json.loads(speech.wav.with_suffix(".json").read_text())["engine"] == "fake"


class HereExecutor(Executor):
    """Runs each task at once, in this process, and counts them."""

    def __init__(self) -> None:
        self.tasks = 0

    def submit(self, fn, /, *args, **kwargs):  # type: ignore[no-untyped-def]
        self.tasks += 1
        future: Future = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def test_an_edit_speaks_its_beat_here_while_a_worker_starts(tmp_path: Path) -> None:
    executor, starts = HereExecutor(), []

    def start_early() -> bool:  # the first call starts the workers
        starts.append(len(starts) == 0)
        return starts[-1]

    workers = Workers(executor, start_early=start_early)
    texts = ["One.", "Two.", "Three.", "Four."]
    speak_beats(texts, profile("fake"), cache_dir=tmp_path, engines={"fake": FakeEngine}, workers=workers)
    assert executor.tasks == 4 and starts == []  # a cold build's beats go to the workers
    speak_beats(["One, edited.", *texts[1:]], profile("fake"), cache_dir=tmp_path, engines={"fake": FakeEngine}, workers=workers)
    assert executor.tasks == 4 and starts == [True]  # an edit's beat is spoken here, a worker started beside it
    calls = FakeEngine.calls
    edited = speak_beats(["One, edited again.", *texts[1:]], profile("fake"), cache_dir=tmp_path, engines={"fake": FakeEngine}, workers=workers)
    assert executor.tasks == 5 and starts == [True, False]  # once the workers run, they speak it
    assert FakeEngine.calls == calls + 1 and [b.cached for b in edited] == [False, True, True, True]
