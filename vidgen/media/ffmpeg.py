"""Running ffmpeg: moviepy's configured binary (imageio-ffmpeg's static build), with
failures rewritten into one readable reason."""

from __future__ import annotations

import subprocess
from functools import lru_cache

from vidgen.errors import MediaError

_ADVICE = {
    "No space left on device": "the disk is full: free some space and build again",
    "Permission denied": "a file could not be written: check the output folder's permissions",
    "Invalid data found when processing input": "an input file is damaged: clear the cache (vidgen cache clear) and build again",
    "No such file or directory": "an input file is missing",
}


@lru_cache(maxsize=1)
def ffmpeg_binary() -> str:
    from moviepy.config import FFMPEG_BINARY

    return FFMPEG_BINARY


def run_ffmpeg(args: list[str], *, what: str, timeout: float | None = 600) -> str:
    """Run ffmpeg with `args`; return its log (stderr) or raise MediaError naming `what`."""
    command = [ffmpeg_binary(), "-hide_banner", "-nostdin", "-y", *args]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise MediaError(f"{what} took longer than {timeout:g} s and was stopped") from None
    if result.returncode < 0:
        raise MediaError(f"{what} failed: ffmpeg was killed (signal {-result.returncode})")
    if result.returncode != 0:
        lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
        reason = next((advice for needle, advice in _ADVICE.items() if needle in result.stderr), None)
        detail = " | ".join(lines[-3:]) if lines else f"exit code {result.returncode}"
        raise MediaError(f"{what} failed: {reason or detail}" + (f" ({detail})" if reason else ""))
    return result.stderr
