"""`vidgen watch`: rebuild the preview whenever the storyboard (or a voice) is saved.

Polling, not file-system events: editors save by renaming, swapping or truncating files,
and a check of a few modification times five times a second sees all of them the same way.
Changes are debounced (an editor's save is often several writes), and every rebuild
reuses the cache, so only what changed is spoken and rendered again.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from vidgen.errors import VidgenError

POLL = 0.2  # seconds between looks (a few stat calls)
SETTLE = 0.3  # seconds without further change before rebuilding (an editor's save takes milliseconds)


def _snapshot(paths: list[Path]) -> dict[Path, float]:
    files = [p for path in paths for p in ([path] if path.is_file() else sorted(path.glob("*.yaml")))]
    return {f: f.stat().st_mtime_ns for f in files if f.exists()}


def summary(report: dict, seconds: float) -> str:
    spoken = sum(1 for s in report["scenes"] for b in s["beats"] if not b["speech_cached"])
    rendered = [s["id"] for s in report["scenes"] if not s["clip_cached"]]
    if report.get("up_to_date"):
        return f"up to date ({seconds:.1f} s)"
    parts = [f"{spoken} beat(s) spoken" if spoken else "no speech", f"rendered {', '.join(rendered)}" if rendered else "no scene rendered"]
    return f"rebuilt in {seconds:.1f} s: " + ", ".join(parts)


def watch(storyboard: Path, rebuild: Callable[[], dict], report: Callable[[str], None], max_builds: int | None = None) -> int:
    """Rebuild on every change; return the number of builds made (when max_builds stops it)."""
    watched = [storyboard, storyboard.resolve().parent / "voices", storyboard.resolve().parent.parent / "voices"]
    builds = 0
    seen: dict[Path, float] | None = None
    while max_builds is None or builds < max_builds:
        current = _snapshot(watched)
        if current != seen:
            while True:  # let a burst of writes settle
                time.sleep(SETTLE)
                settled = _snapshot(watched)
                if settled == current:
                    break
                current = settled
            changed = sorted(str(p.name) for p in set(current) | set(seen or {}) if (seen or {}).get(p) != current.get(p))
            report(f"{', '.join(changed)} changed: building…" if seen is not None else "building…")
            started = time.perf_counter()
            try:
                report(summary(rebuild(), time.perf_counter() - started))
            except VidgenError as error:
                report(f"not built:\n{error}")
            builds += 1
            seen = current
        time.sleep(POLL)
    return builds
