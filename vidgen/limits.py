"""Limits on what one storyboard may ask for, so a file from anyone costs bounded time,
memory and disk.

Each has a default that every seed storyboard sits well inside. Those who need more raise
one for a run (`vidgen build --limit scenes=500`, or `VIDGEN_LIMITS="scenes=500,minutes=90"`
in the environment); a storyboard cannot raise its own.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass, fields, replace

from vidgen.errors import UsageError

ENVIRONMENT = "VIDGEN_LIMITS"


@dataclass(frozen=True)
class Limits:
    file_kb: int = 2048  # size of a storyboard file
    nodes: int = 100_000  # values in the YAML document, after aliases are expanded
    depth: int = 64  # nesting of YAML values
    scenes: int = 200
    elements: int = 60  # per scene
    beats: int = 200  # per scene
    table_cells: int = 800  # rows x columns of one table
    narration: int = 5000  # characters of one beat's narration
    minutes: float = 60.0  # length of the video

    @classmethod
    def from_settings(cls, settings: Iterable[str], base: Limits | None = None) -> Limits:
        """`base` with each `name=value` applied; a bad name or value is a UsageError."""
        known = {f.name: f.type for f in fields(cls)}
        limits = base or cls()
        for setting in settings:
            name, _, value = setting.partition("=")
            name = name.strip().replace("-", "_")
            if name not in known:
                raise UsageError(f"unknown limit {name!r} in {setting!r}; limits are: {', '.join(known)}")
            try:
                number = float(value) if known[name] == "float" else int(value)
            except ValueError:
                raise UsageError(f"limit {name} needs a number, not {value.strip()!r}") from None
            if number <= 0:
                raise UsageError(f"limit {name} must be positive, not {value.strip()}")
            limits = replace(limits, **{name: number})
        return limits

    @classmethod
    def from_environment(cls, settings: Iterable[str] = ()) -> Limits:
        """The defaults, then `VIDGEN_LIMITS` (comma-separated), then `settings` (the command line)."""
        written = [part for part in os.environ.get(ENVIRONMENT, "").split(",") if part.strip()]
        return cls.from_settings(settings, cls.from_settings(written))


def how_to_raise(name: str) -> str:
    return f"if this is intended, raise the limit: --limit {name}=N, or {ENVIRONMENT}"
