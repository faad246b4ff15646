"""The render stage: one clip per scene, from the cache when its content is unchanged,
otherwise rendered in parallel worker processes."""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable
from concurrent.futures import FIRST_EXCEPTION, ProcessPoolExecutor, wait
from pathlib import Path

from vidgen.plan import Plan, ScenePlan
from vidgen.render.worker import render_scene


def clip_path(cache_dir: Path, scene: ScenePlan) -> Path:
    return cache_dir / "clips" / f"{scene.id}-{scene.cache_key()[:20]}.mp4"


def render_clips(
    plan: Plan,
    cache_dir: Path,
    jobs: int,
    on_done: Callable[[ScenePlan, bool], None] = lambda scene, cached: None,
) -> tuple[dict[str, Path], set[str]]:
    """Clip per scene id, and the ids that came from the cache."""
    clips = {scene.id: clip_path(cache_dir, scene) for scene in plan.scenes}
    cached = {scene.id for scene in plan.scenes if clips[scene.id].exists()}
    for scene in plan.scenes:
        if scene.id in cached:
            on_done(scene, True)
    todo = sorted((s for s in plan.scenes if s.id not in cached), key=lambda s: -s.frames)
    work_dir = cache_dir / "tmp"
    if jobs <= 1 or len(todo) <= 1:
        for scene in todo:
            render_scene(scene, clips[scene.id], work_dir)
            on_done(scene, False)
        return clips, cached
    # Spawned (not forked) workers: Manim keeps process-global state and we may hold threads.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(jobs, len(todo)), mp_context=context) as pool:
        futures = {pool.submit(render_scene, scene, clips[scene.id], work_dir): scene for scene in todo}
        pending = set(futures)
        while pending:
            done, pending = wait(pending, return_when=FIRST_EXCEPTION)
            for future in done:
                future.result()  # re-raises the worker's RenderError
                on_done(futures[future], False)
    return clips, cached
