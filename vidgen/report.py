"""Stage timings and the build report (`build.json`)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from vidgen import __version__
from vidgen.plan import Plan


@dataclass
class Stopwatch:
    """Wall-clock seconds per named stage, in the order the stages ran."""

    stages: dict[str, float] = field(default_factory=dict)

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        start = time.perf_counter()
        try:
            yield
        finally:
            self.stages[name] = round(self.stages.get(name, 0.0) + time.perf_counter() - start, 3)


def build_report(plan: Plan, video: str, cached_scenes: set[str], stopwatch: Stopwatch, warnings: list[str], cached_segments: set[tuple[str, int]] | None = None) -> dict[str, Any]:
    """The build as data; `cached_segments` (scene id, beat index) say which beats' pictures
    came from the cache (default: those of `cached_scenes`)."""
    if cached_segments is None:
        cached_segments = {(scene.id, beat.index) for scene in plan.scenes if scene.id in cached_scenes for beat in scene.beats}
    fps = plan.quality.fps
    return {
        "vidgen": __version__,
        "title": plan.title,
        "language": plan.language,
        "video": video,
        "quality": {"name": plan.quality.name, "width": plan.quality.width, "height": plan.quality.height, "fps": fps},
        "duration": round(plan.seconds, 3),
        "scenes": [
            {
                "id": scene.id,
                "title": scene.scene.title,
                "start": round(scene.start / fps, 3),
                "duration": round(scene.seconds, 3),
                "clip_cached": scene.id in cached_scenes,
                "beats": [
                    {
                        "start": round((scene.start + beat.start) / fps, 3),
                        "duration": round(beat.frames / fps, 3),
                        "speech": round(beat.speech.duration, 3),
                        "engine": beat.speech.engine,
                        "voice": beat.speech.voice,
                        "speech_cached": beat.speech.cached,
                        "segment_cached": (scene.id, beat.index) in cached_segments,
                        "say": beat.speech.text,
                    }
                    for beat in scene.beats
                ],
            }
            for scene in plan.scenes
        ],
        "stages": stopwatch.stages,
        "warnings": warnings,
    }
