"""The render stage: one clip per scene, from the cache when its content is unchanged,
otherwise checked (layout) and rendered on the build's workers (see vidgen.executors)."""

from __future__ import annotations

import json
from collections.abc import Callable
from concurrent.futures import FIRST_EXCEPTION, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from vidgen.cache import touch
from vidgen.errors import RenderError
from vidgen.executors import Workers
from vidgen.paths import write_atomic, write_json
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
    from vidgen.speech.engines.piper import release_speech_models

    release_speech_models()  # this worker may have spoken beats: renders want the memory back
    findings = scene_findings(scene, cache_dir)
    if not findings:
        render_scene(scene, clip_path(cache_dir, scene), cache_dir / "tmp")
    return findings


def _store_clip(scene: ScenePlan, cache_dir: Path, result: tuple[Findings, bytes | None]) -> Findings:
    """Keep what a worker without our cache sent back."""
    findings, clip = result
    if clip is not None:
        write_atomic(clip_path(cache_dir, scene), clip)
    return findings


def render_scenes(
    plan: Plan, cache_dir: Path, workers: Workers, on_done: Callable[[ScenePlan, bool], None] = lambda scene, cached: None
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
    if workers.executor is None:
        for scene in todo:
            findings[scene.id] = check_and_render(scene, cache_dir)
            on_done(scene, False)
        return clips, cached, findings
    if workers.shared_cache:
        futures = {workers.executor.submit(check_and_render, scene, cache_dir): scene for scene in todo}
    else:
        from vidgen.remote import render_remote

        futures = {workers.executor.submit(render_remote, scene): scene for scene in todo}
    pending = set(futures)
    while pending:
        done, pending = wait(pending, return_when=FIRST_EXCEPTION)
        for future in done:
            scene = futures[future]
            try:
                result = future.result()  # re-raises the worker's RenderError
            except BrokenProcessPool:
                raise RenderError(
                    f"a render worker died while rendering scene {scene.id!r} (killed, or out of memory); "
                    "the scenes already finished are kept: build again to continue"
                ) from None
            findings[scene.id] = result if workers.shared_cache else _store_clip(scene, cache_dir, result)
            on_done(scene, False)
    return clips, cached, findings
