"""The render stage: one clip per scene, from the cache when its content is unchanged,
otherwise checked (layout) and rendered in parallel worker processes.

Workers are started before speech synthesis begins, so Manim's import (a second or two
per process) overlaps with speaking instead of delaying the first render.
"""

from __future__ import annotations

import json
import multiprocessing
from collections.abc import Callable
from concurrent.futures import FIRST_EXCEPTION, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from vidgen.cache import touch
from vidgen.errors import RenderError
from vidgen.paths import write_json
from vidgen.plan import Plan, ScenePlan
from vidgen.render.worker import render_scene

Findings = list[tuple[str, list[str]]]


def clip_path(cache_dir: Path, scene: ScenePlan) -> Path:
    return cache_dir / "clips" / f"{scene.id}-{scene.cache_key()[:20]}.mp4"


def scene_findings(scene: ScenePlan, cache_dir: Path) -> Findings:
    """The layout check's (message, elements) for a scene, cached by the scene's content."""
    entry = cache_dir / "layout" / f"{scene.id}-{scene.layout_key()[:20]}.json"
    if entry.exists():
        try:
            return [(message, list(elements)) for message, elements in json.loads(entry.read_text())]
        except (ValueError, TypeError):
            pass  # a damaged entry: check again
    from vidgen.render import configure_manim  # Manim only when a scene really needs checking
    from vidgen.render.check import check_scene

    configure_manim(cache_dir)
    findings = [(str(f), list(f.elements)) for f in check_scene(scene)]
    write_json(entry, findings)
    return findings


def check_and_render(scene: ScenePlan, cache_dir: Path) -> Findings:
    """Check a scene's layout and, when it is clean, render its clip."""
    findings = scene_findings(scene, cache_dir)
    if not findings:
        render_scene(scene, clip_path(cache_dir, scene), cache_dir / "tmp")
    return findings


def _warm() -> None:
    import manim  # noqa: F401 - the import is the point: it takes a second or two

    import vidgen.render.scene  # noqa: F401


@dataclass
class RenderPool:
    """Worker processes for scene renders (none when jobs is 1: render in this process)."""

    jobs: int
    executor: ProcessPoolExecutor | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        if self.jobs > 1:
            # Spawned, not forked: Manim keeps process-global state and we may hold threads.
            self.executor = ProcessPoolExecutor(self.jobs, mp_context=multiprocessing.get_context("spawn"))
            for _ in range(self.jobs):
                self.executor.submit(_warm)

    def close(self) -> None:
        if self.executor is not None:
            self.executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> RenderPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def render(
        self, plan: Plan, cache_dir: Path, on_done: Callable[[ScenePlan, bool], None] = lambda scene, cached: None
    ) -> tuple[dict[str, Path], set[str], dict[str, Findings]]:
        """Clip per scene id, the ids that came from the cache, and layout findings by scene id."""
        clips = {scene.id: clip_path(cache_dir, scene) for scene in plan.scenes}
        cached = {scene.id for scene in plan.scenes if clips[scene.id].exists()}
        for scene in plan.scenes:
            if scene.id in cached:
                touch(clips[scene.id])
                on_done(scene, True)
        todo = sorted((s for s in plan.scenes if s.id not in cached), key=lambda s: -s.frames)
        findings: dict[str, Findings] = {}
        if self.executor is None or len(todo) <= 1:
            for scene in todo:
                findings[scene.id] = check_and_render(scene, cache_dir)
                on_done(scene, False)
            return clips, cached, findings
        futures: dict[Future[Findings], ScenePlan] = {self.executor.submit(check_and_render, scene, cache_dir): scene for scene in todo}
        pending = set(futures)
        while pending:
            done, pending = wait(pending, return_when=FIRST_EXCEPTION)
            for future in done:
                try:
                    findings[futures[future].id] = future.result()  # re-raises the worker's RenderError
                except BrokenProcessPool:
                    raise RenderError(
                        f"a render worker died while rendering scene {futures[future].id!r} (killed, or out of memory); "
                        "the scenes already finished are kept: build again to continue"
                    ) from None
                on_done(futures[future], False)
        return clips, cached, findings
