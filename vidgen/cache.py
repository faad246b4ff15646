"""The build cache: content-addressed entries (speech, clips, scenes' sound, layout checks, LaTeX).

Every entry is named by a hash of everything that went into it and written atomically, so
a killed build leaves only complete entries (plus temporary files that `prune` removes).
Two builds wanting the same entry at once take turns through a lock file: the second
finds the first one's result instead of making its own.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from vidgen.errors import UsageError

KINDS = ("speech", "clips", "narration", "layout", "compositions", "thumbs", "tex", "manim", "tmp")
LEFTOVER_AGE = 3600  # seconds: younger scratch files may belong to a build still running


@contextmanager
def entry_lock(entry: Path) -> Iterator[None]:
    """Hold an exclusive lock for `entry` (a lock file beside it) while making it."""
    entry.parent.mkdir(parents=True, exist_ok=True)
    lock = entry.with_name(entry.name + ".lock")
    with open(lock, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def touch(entry: Path) -> None:
    """Mark an entry as used now, so `prune --older-than` keeps what builds still use."""
    try:
        os.utime(entry)
    except OSError:
        pass


@dataclass(frozen=True)
class KindUsage:
    kind: str
    entries: int
    bytes: int


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.is_dir() else []


def _is_description(path: Path) -> bool:
    """A file that describes an entry beside it (a segment's `.mp4.json`, a scene's sound's
    `.m4a.json`), not an entry."""
    return path.name.endswith((".mp4.json", ".m4a.json"))


def usage(cache_dir: Path) -> list[KindUsage]:
    rows = []
    for kind in KINDS:
        files = [f for f in _files(cache_dir / kind) if not f.name.endswith(".lock")]
        entries = [f for f in files if not _is_description(f)]
        rows.append(KindUsage(kind, len(entries), sum(f.stat().st_size for f in files)))
    return rows


@dataclass(frozen=True)
class Entry:
    kind: str
    path: Path
    bytes: int
    used: float  # when last made or used (mtime)


def recent_entries(cache_dir: Path, count: int) -> list[Entry]:
    """The `count` entries made or used last (clips, layout checks, speech, scenes' sound), newest first."""
    found = []
    for kind in ("clips", "layout", "speech", "narration"):
        for path in _files(cache_dir / kind):
            if path.name.endswith(".lock") or _is_description(path) or _is_temporary(path):
                continue
            if kind == "speech" and path.suffix == ".json":
                continue  # a speech entry's description: listed with its .wav
            if kind == "clips" and path.parent.name == "pieces":
                continue  # a segment's plays and holds: the segment is listed
            stat = path.stat()
            found.append(Entry(kind, path, stat.st_size, stat.st_mtime))
    return sorted(found, key=lambda entry: -entry.used)[:count]


def _is_temporary(path: Path) -> bool:
    """A file being written (`.name.123.tmp.mp4`), or inside a scratch folder (`….tmp/`)."""
    return path.name.startswith(".") and ".tmp" in path.name or any(part.endswith(".tmp") for part in path.parts)


def prune(cache_dir: Path, older_than_days: float | None = None) -> tuple[int, int]:
    """Remove temporary leftovers (of killed builds), and entries unused for the given
    number of days. Returns (files removed, bytes freed)."""
    removed = freed = 0
    now = time.time()
    cutoff = now - older_than_days * 86_400 if older_than_days is not None else None
    for path in _files(cache_dir / "tmp"):
        if now - path.stat().st_mtime > LEFTOVER_AGE:
            freed += path.stat().st_size
            removed += 1
            path.unlink(missing_ok=True)
    for kind in ("speech", "clips", "narration", "layout", "compositions", "thumbs"):
        for path in _files(cache_dir / kind):
            if not path.exists():
                continue  # a description removed with its entry, earlier in this loop
            age = now - path.stat().st_mtime
            stale = cutoff is not None and path.stat().st_mtime < cutoff and not path.name.endswith(".lock")
            if _is_description(path):
                orphan = not path.with_name(path.name.removesuffix(".json")).exists()
                if orphan and age > LEFTOVER_AGE:  # its segment was removed
                    freed += path.stat().st_size
                    removed += 1
                    path.unlink(missing_ok=True)
                continue
            if (_is_temporary(path) and age > LEFTOVER_AGE) or stale:
                freed += path.stat().st_size
                removed += 1
                path.unlink(missing_ok=True)
                description = path.with_name(path.name + ".json")
                if _is_description(description) and description.exists():
                    freed += description.stat().st_size
                    removed += 1
                    description.unlink(missing_ok=True)
        for folder in sorted((cache_dir / kind).glob("*.tmp"), reverse=True):
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
    return removed, freed


def clear(cache_dir: Path) -> int:
    """Remove the whole cache; returns bytes freed."""
    freed = sum(f.stat().st_size for f in _files(cache_dir))
    shutil.rmtree(cache_dir, ignore_errors=True)
    return freed


def made_with(path: Path) -> str:
    """One line: the main inputs of an entry's identity."""
    from vidgen.identity import read_identity

    described = read_identity(path)
    if described is None:
        return "(no identity recorded)"
    identity = described["identity"]
    environment = identity.get("environment", {})
    parts = [f"{key} {identity[key]}" for key in ("kind", "scene", "beat", "engine", "voice") if key in identity]
    parts += [f"manim {environment['manim']}"] if "manim" in environment else []
    if "vidgen" in environment:
        parts.append(f"vidgen source {environment['vidgen'].get('source', '')[:12]}")
    return ", ".join(parts) or ", ".join(sorted(identity))


def _flatten(value: Any, prefix: str = "") -> list[tuple[str, str]]:
    if isinstance(value, dict):
        return [line for key, item in value.items() for line in _flatten(item, f"{prefix}{key}.")] or [(prefix.rstrip("."), "{}")]
    return [(prefix.rstrip("."), str(value))]


def describe_entry(path: Path) -> list[str]:
    """Every input an entry was made with, one `name: value` line each, and what is known
    about its making (when, how long); a speech entry shows the `identity` its .json holds."""
    from vidgen.identity import read_identity

    if not path.exists():
        raise UsageError(f"{path}: no such cache entry")
    described = read_identity(path)
    if described is None:
        raise UsageError(f"{path}: no identity is recorded for this entry (made by an older vidgen, or not a cache entry)")
    lines = [f"{path}: made with"] + [f"  {key}: {value}" for key, value in _flatten(described["identity"])]
    return lines + [f"  {key}: {value}" for key, value in described.items() if key != "identity" and isinstance(value, (str, int, float))]
