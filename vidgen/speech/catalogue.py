"""`vidgen voices`: the speech engines this machine has, their voices, and the profiles."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

from vidgen.speech.engines import ENGINES
from vidgen.speech.engines.piper import PACKAGED_VOICES
from vidgen.speech.voices import available_profiles, load_voice


def _voices(name: str, project: Path) -> str:
    if name == "piper":
        models = sorted({*PACKAGED_VOICES, *(p.stem for p in (project / "voices").glob("*.onnx"))})
        return ", ".join(models)
    if name == "espeak-ng":
        try:
            listing = subprocess.run(["espeak-ng", "--voices"], capture_output=True, text=True, timeout=10).stdout.splitlines()[1:]
        except (OSError, subprocess.TimeoutExpired):
            return ""
        languages = sorted({line.split()[1] for line in listing if len(line.split()) > 1})
        return f"{len(languages)} languages: " + ", ".join(languages[:12]) + ("…" if len(languages) > 12 else "")
    if name == "edge-tts":
        return "Microsoft neural voices, e.g. en-US-AriaNeural, pl-PL-MarekNeural (listing them needs the network)"
    return "a test tone"


def describe_engines(project: Path) -> Any:
    from rich.console import Group
    from rich.table import Table

    engines = Table(title="Speech engines", show_edge=False)
    for column in ("engine", "offline", "available", "voices"):
        engines.add_column(column, overflow="fold")
    for name, factory in ENGINES.items():
        engine = factory()
        reason = engine.unavailable_reason()
        engines.add_row(name, "no" if engine.online else "yes", "yes" if reason is None else f"no: {reason}", _voices(name, project))
    profiles = Table(title="Voice profiles", show_edge=False)
    for column in ("profile", "language", "engines, in order", "file"):
        profiles.add_column(column, overflow="fold")
    for name, file in available_profiles([project / "voices"]).items():
        try:
            profile = load_voice(name, [project / "voices"])
            chain = " → ".join(f"{c.engine} ({c.voice.rsplit('/', 1)[-1]})" for c in profile.engines)
            profiles.add_row(name, profile.language, chain, str(file))
        except Exception as error:  # a broken profile is listed, not fatal, here
            profiles.add_row(name, "?", f"invalid: {str(error).splitlines()[0]}", str(file))
    return Group(engines, "", profiles)
