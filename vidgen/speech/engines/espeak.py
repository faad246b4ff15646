"""espeak-ng: robotic, but offline in every language (the fallback for Polish and others)."""

from __future__ import annotations

import shutil
import subprocess
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar

from vidgen.errors import SpeechError
from vidgen.speech.base import EngineOutput, VoiceSettings

TIMEOUT = 120


@lru_cache(maxsize=1)
def _version(binary: str) -> str:
    result = subprocess.run([binary, "--version"], capture_output=True, text=True, timeout=10)
    return result.stdout.strip().splitlines()[0] if result.stdout.strip() else "espeak-ng"


@lru_cache(maxsize=1)
def _data_dir(binary: str) -> Path:
    """espeak-ng's data folder, as its --version reports it ("Data at: …")."""
    text = _version(binary)
    return Path(text.split("Data at:", 1)[1].strip()) if "Data at:" in text else Path("/usr/share/espeak-ng-data")


class EspeakEngine:
    name: ClassVar[str] = "espeak-ng"
    online: ClassVar[bool] = False
    word_timings: ClassVar[bool] = False

    @property
    def binary(self) -> str | None:
        return shutil.which("espeak-ng")

    def unavailable_reason(self) -> str | None:
        return None if self.binary else "the espeak-ng program is not installed (apt-get install espeak-ng)"

    def version(self) -> str:
        return _version(self.binary or "espeak-ng")

    def model_identity(self, settings: VoiceSettings) -> dict[str, Any]:
        """The voice, and the size and time of its language's dictionary (a data update
        changes how words are said without changing the program's version)."""
        identity: dict[str, Any] = {"voice": settings.voice}
        dictionary = _data_dir(self.binary or "espeak-ng") / f"{settings.voice.split('-')[0].split('+')[0]}_dict"
        if dictionary.is_file():
            stat = dictionary.stat()
            identity["dictionary"] = {"file": dictionary.name, "size": stat.st_size, "mtime": int(stat.st_mtime)}
        return identity

    def synthesize(self, text: str, settings: VoiceSettings, out: Path) -> EngineOutput:
        if not self.binary:
            raise SpeechError(self.unavailable_reason() or "espeak-ng is missing")
        command = [
            self.binary,
            "-v", settings.voice,
            "-s", str(round(165 * (1 + settings.rate / 100))),
            "-p", str(round(min(99, max(0, 50 + settings.pitch / 2)))),
            "-a", str(round(min(200, max(0, 100 * (1 + settings.volume / 100))))),
            "-w", str(out),
            "--", text,
        ]  # fmt: skip
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT)
        except subprocess.TimeoutExpired:
            raise SpeechError(f"espeak-ng did not finish within {TIMEOUT} s") from None
        if result.returncode != 0 or not out.exists():
            raise SpeechError(f"espeak-ng failed: {result.stderr.strip() or f'exit code {result.returncode}'}")
        return EngineOutput(out)
