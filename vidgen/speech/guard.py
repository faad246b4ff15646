"""Every engine call goes through here: an engine may hang, crash, or hand back something
that is not a whole audio file, and none of that may stop the build or count as speech.
Each of those becomes a SpeechError, so the voice's chain falls through to its next engine."""

from __future__ import annotations

import threading
import wave
from pathlib import Path

from vidgen.errors import SpeechError
from vidgen.speech.base import EngineOutput, SpeechEngine, VoiceSettings

STREAMED = 0x7FFF0000  # headers written before the length was known carry a huge size


def answer_timeout(engine: SpeechEngine, text: str) -> float:
    """Seconds to wait for one call: an engine may say how long it needs, else generous."""
    return float(getattr(engine, "answer_timeout", 0) or 120 + len(text) / 10)


def call_engine(engine: SpeechEngine, text: str, settings: VoiceSettings, out: Path) -> EngineOutput:
    """`engine.synthesize`, but bounded in time, with any failure as a SpeechError."""
    outcome: dict[str, object] = {}

    def speak() -> None:
        try:
            outcome["output"] = engine.synthesize(text, settings, out)
        except BaseException as error:  # noqa: BLE001 - reported to the caller's thread below
            outcome["error"] = error

    # A daemon thread: an engine stuck in native code cannot be stopped, only abandoned.
    thread = threading.Thread(target=speak, name=f"speech-{engine.name}", daemon=True)
    thread.start()
    timeout = answer_timeout(engine, text)
    thread.join(timeout)
    if thread.is_alive():
        raise SpeechError(f"gave no answer within {timeout:g} s")
    error = outcome.get("error")
    if isinstance(error, SpeechError):
        raise error
    if isinstance(error, BaseException):
        raise SpeechError(f"crashed: {type(error).__name__}: {str(error)[:200] or 'no message'}") from None
    output = outcome.get("output")
    if not isinstance(output, EngineOutput):
        raise SpeechError(f"returned {type(output).__name__} instead of audio")
    _check_whole(output.wav)
    return output


def _check_whole(path: Path) -> None:
    """Refuse a missing file, and a WAV whose data ends before its header says it does
    (an engine that died mid-stream). Other formats are checked when decoded."""
    try:
        with open(path, "rb") as stream:
            riff = stream.read(4) == b"RIFF"
    except OSError:
        raise SpeechError("wrote no audio file") from None
    if not riff:
        return
    try:
        with wave.open(str(path), "rb") as wav:
            frames, size = wav.getnframes(), wav.getsampwidth() * wav.getnchannels()
            if frames * size >= STREAMED:
                return
            if len(wav.readframes(frames)) < frames * size:
                raise SpeechError("the audio stops before its end: the file is truncated")
    except (wave.Error, EOFError):
        return  # not plain PCM (e.g. float samples): left to the decoder, which refuses garbage
