"""edge-tts: Microsoft Edge's online neural voices, with word boundaries.

Recent edge-tts versions report sentence boundaries unless asked, so word boundaries are
requested explicitly. A 403 or an answer without audio is retried a few times with
backoff; no network fails at once (each beat would otherwise wait for nothing); the whole
exchange has a time limit; and audio that is empty, undecodable or shorter than its own
word timings is refused, never counted as speech.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import importlib.metadata
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

from vidgen.errors import SpeechError
from vidgen.speech.audio import read_audio, write_wav
from vidgen.speech.base import EngineOutput, VoiceSettings, WordTiming

TICKS_PER_SECOND = 10_000_000  # edge-tts offsets and durations are in 100 ns units


class _Retry(Exception):
    """A failure worth another attempt (403, no audio)."""


def _run(coroutine: Any) -> Any:
    """Run a coroutine whether or not this thread already has an event loop running."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def _communicate_class() -> Any:
    import edge_tts

    return edge_tts.Communicate


class EdgeEngine:
    name: ClassVar[str] = "edge-tts"
    online: ClassVar[bool] = True
    word_timings: ClassVar[bool] = True

    def __init__(
        self,
        communicate: Callable[..., Any] | None = None,
        *,
        retries: int = 2,
        backoff: float = 0.5,
        timeout: float = 30.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.communicate = communicate
        self.retries = retries
        self.backoff = backoff
        self.timeout = timeout
        self.sleep = sleep

    def unavailable_reason(self) -> str | None:
        try:
            import edge_tts  # noqa: F401
        except ImportError:
            return "the edge-tts package is not installed"
        return None

    def version(self) -> str:
        return f"edge-tts {importlib.metadata.version('edge-tts')}"

    def model_identity(self, settings: VoiceSettings) -> dict[str, Any]:
        return {"voice": settings.voice}  # the model lives on the service: its name is all we know

    def synthesize(self, text: str, settings: VoiceSettings, out: Path) -> EngineOutput:
        problem = "no attempt made"
        for attempt in range(self.retries + 1):
            if attempt:
                self.sleep(self.backoff * 2 ** (attempt - 1))
            try:
                return self._attempt(text, settings, out)
            except _Retry as error:
                problem = str(error)
        raise SpeechError(f"{problem} after {self.retries + 1} attempts")

    def _attempt(self, text: str, settings: VoiceSettings, out: Path) -> EngineOutput:
        try:
            audio, words = _run(asyncio.wait_for(self._stream(text, settings), self.timeout))
        except asyncio.TimeoutError:
            raise SpeechError(f"timed out after {self.timeout:g} s") from None
        if not audio:
            raise _Retry("no audio received")
        mp3 = out.with_suffix(".mp3")
        mp3.write_bytes(audio)
        samples = read_audio(mp3)
        seconds = len(samples) / 48_000
        if seconds < 0.1:
            raise _Retry("no audio received")
        if words and seconds < words[-1].end - 0.25:
            raise SpeechError(f"truncated audio ({seconds:.1f} s for words up to {words[-1].end:.1f} s)")
        write_wav(out, samples)
        return EngineOutput(out, tuple(words))

    async def _stream(self, text: str, settings: VoiceSettings) -> tuple[bytes, list[WordTiming]]:
        import aiohttp

        factory = self.communicate or _communicate_class()
        exceptions = _edge_exceptions()
        communicate = factory(
            text,
            settings.voice,
            rate=f"{settings.rate:+.0f}%",
            volume=f"{settings.volume:+.0f}%",
            pitch=f"{settings.pitch:+.0f}Hz",
            boundary="WordBoundary",
        )
        audio = bytearray()
        words: list[WordTiming] = []
        try:
            async for chunk in communicate.stream():
                if chunk["type"] == "audio":
                    audio += chunk.get("data", b"")
                elif chunk["type"] == "WordBoundary":
                    start = chunk["offset"] / TICKS_PER_SECOND
                    words.append(WordTiming(chunk["text"], start, start + chunk["duration"] / TICKS_PER_SECOND))
        except aiohttp.ClientResponseError as error:
            if error.status == 403:
                raise _Retry("403 Forbidden") from None
            raise SpeechError(f"the speech service answered {error.status} {error.message}") from None
        except exceptions.no_audio:
            raise _Retry("no audio received") from None
        except (aiohttp.ClientConnectorError, aiohttp.ClientOSError, OSError) as error:
            raise SpeechError(f"cannot reach the speech service ({_short(error)})") from None
        except (aiohttp.ClientError, *exceptions.other) as error:
            raise SpeechError(f"the speech service failed ({_short(error)})") from None
        return bytes(audio), words


class _EdgeExceptions:
    def __init__(self) -> None:
        try:
            from edge_tts import exceptions

            self.no_audio: type[BaseException] = exceptions.NoAudioReceived
            self.other: tuple[type[BaseException], ...] = (exceptions.UnexpectedResponse, exceptions.UnknownResponse, exceptions.WebSocketError)
        except ImportError:  # only the fake streams of tests can get here
            self.no_audio = type("NoAudioReceived", (Exception,), {})
            self.other = ()


def _edge_exceptions() -> _EdgeExceptions:
    return _EdgeExceptions()


def _short(error: BaseException) -> str:
    text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if "Temporary failure in name resolution" in text or "Name or service not known" in text:
        return "DNS lookup failed: no network?"
    return text[:120]
