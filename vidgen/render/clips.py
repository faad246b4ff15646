"""The render stage: every scene as a sequence of beat segments, each from the cache when
what it draws is unchanged, otherwise rendered on the build's workers once its scene's
layout check (cached too) has passed.

A segment is one beat's frames (see vidgen.identity for what names it). Segments of every
video of a build share the workers and are dispatched longest first (vidgen.executors),
so no worker is left alone with a long scene at the end; the mux joins them by stream copy.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vidgen.cache import touch
from vidgen.errors import RenderError
from vidgen.executors import Workers, give_back_memory
from vidgen.identity import environment, layout_identity, segment_identity, sidecar
from vidgen.paths import write_atomic, write_json
from vidgen.layout.framing import Framing
from vidgen.plan import Plan, ScenePlan
from vidgen.render.worker import put_segment_together

Findings = list[tuple[str, list[str]]]
Checked = tuple[Findings, Framing]  # a layout check's findings, and the camera it recorded
CHECK_FIRST = 10**12  # a layout check gates its scene's segments: it goes before any of them
PUT_TOGETHER_HERE = 4  # segments missing at most, for the build to try putting them together itself


def segment_path(cache_dir: Path, scene: ScenePlan, beat: int) -> Path:
    return cache_dir / "clips" / f"{scene.id}-{beat + 1:02d}-{scene.segment_key(beat)[:20]}.mp4"


def layout_path(cache_dir: Path, scene: ScenePlan) -> Path:
    return cache_dir / "layout" / f"{scene.id}-{scene.layout_key()[:20]}.json"


def cached_check(scene: ScenePlan, cache_dir: Path) -> Checked | None:
    """The scene's layout findings and camera framing from the cache, or None when it has
    not been checked."""
    try:
        data = json.loads(layout_path(cache_dir, scene).read_text())
        return [(message, list(elements)) for message, elements in data["findings"]], Framing.from_json(data["framing"])
    except (OSError, ValueError, TypeError, KeyError, IndexError):
        return None  # not checked yet, or a damaged entry: check again


def check_scene_layout(scene: ScenePlan, cache_dir: Path) -> tuple[Findings, dict[str, Any], Framing]:
    """Run the layout check of a scene here; its findings, identity and framing."""
    from vidgen.render import configure_manim  # Manim only when a scene really needs checking
    from vidgen.render.check import check_and_frame

    configure_manim(cache_dir)
    identity = layout_identity(scene)
    findings, framing = check_and_frame(scene)
    return [(str(f), list(f.elements)) for f in findings], identity, framing


def store_check(scene: ScenePlan, cache_dir: Path, findings: Findings, identity: dict[str, Any], framing: Framing) -> Checked:
    entry = {"identity": identity, "findings": findings, "framing": framing.to_json(), "made": time.strftime("%Y-%m-%dT%H:%M:%S")}
    write_json(layout_path(cache_dir, scene), entry)
    return findings, framing


def scene_check(scene: ScenePlan, cache_dir: Path) -> Checked:
    """The layout check's (message, elements) for a scene and its camera framing, cached
    by what it measures."""
    return cached_check(scene, cache_dir) or store_check(scene, cache_dir, *check_scene_layout(scene, cache_dir))


def scene_findings(scene: ScenePlan, cache_dir: Path) -> Findings:
    return scene_check(scene, cache_dir)[0]


def _same_environment(identity: dict[str, Any], scene: ScenePlan) -> None:
    """Refuse to render a segment here if this worker would not make what its name says
    (another Manim, encoder, font or vidgen than the build's)."""
    expected = identity["environment"]
    here = environment("segment", *_font_and_latex(expected))
    if here != expected:
        differs = sorted(key for key in set(here) | set(expected) if here.get(key) != expected.get(key))
        raise RenderError(
            f"scene {scene.id!r}: this worker draws with other {', '.join(differs)} than the build "
            f"({', '.join(f'{k}: {here.get(k)!r} here, {expected.get(k)!r} wanted' for k in differs[:2])}); install the same versions everywhere"
        )


def _font_and_latex(environment_: dict[str, Any]) -> tuple[str, bool]:
    return next(iter(environment_["fonts"])), environment_["latex"] is not None


def _full_size(scene: ScenePlan) -> bool:
    """Whether the scene's frames are large enough for a worker to make room for them.
    Preview frames are small, and an edit waits on its preview's tasks."""
    return not scene.quality.preview


def _room_to_draw(scene: ScenePlan) -> None:
    """A worker that spoke beats drops the voice model (a few hundred MB) before drawing
    full-size frames. For a preview the model stays loaded, and the next edit's speech (in
    the studio's warm workers) skips its half-second load."""
    from vidgen.speech.engines.piper import release_speech_models

    if _full_size(scene):
        release_speech_models()


def check_task(scene: ScenePlan, cache_dir: Path) -> Checked:
    """A worker's layout check, into the shared cache."""
    _room_to_draw(scene)
    return scene_check(scene, cache_dir)


def render_task(scene: ScenePlan, beat: int, cache_dir: Path, identity: dict[str, Any]) -> None:
    """A worker's render of one segment, into the shared cache."""
    from vidgen.render.worker import render_segment

    _room_to_draw(scene)
    _same_environment(identity, scene)
    try:
        render_segment(scene, beat, segment_path(cache_dir, scene, beat), cache_dir / "tmp", identity, cache_dir / "thumbs")
    finally:
        if _full_size(scene):  # a preview's small frames are not worth the ~80 ms
            give_back_memory()


@dataclass
class Rendered:
    """What the render stage left: segment files per scene id (in beat order), the
    segments taken from the cache, and each checked scene's layout findings."""

    segments: dict[str, list[Path]]
    cached: set[tuple[str, int]] = field(default_factory=set)
    findings: dict[str, Findings] = field(default_factory=dict)

    def scene_cached(self, scene: ScenePlan) -> bool:
        return all((scene.id, beat.index) in self.cached for beat in scene.beats)


def render_scenes(
    plan: Plan,
    cache_dir: Path,
    workers: Workers,
    on_done: Callable[[ScenePlan, bool], None] = lambda scene, cached: None,
    on_segment: Callable[[ScenePlan, int, bool], None] = lambda scene, beat, cached: None,
) -> Rendered:
    """Every segment of every scene: cached ones found, the rest checked and rendered."""
    paths = {scene.id: [segment_path(cache_dir, scene, beat.index) for beat in scene.beats] for scene in plan.scenes}
    result = Rendered(paths)
    missing: dict[str, list[int]] = {}
    for scene in plan.scenes:
        for beat, path in zip(scene.beats, paths[scene.id]):
            if path.exists():
                touch(path)
                result.cached.add((scene.id, beat.index))
                on_segment(scene, beat.index, True)
            else:
                missing.setdefault(scene.id, []).append(beat.index)
        if scene.id not in missing:
            on_done(scene, True)
    scenes = {scene.id: scene for scene in plan.scenes}
    left = {scene_id: len(beats) for scene_id, beats in missing.items()}
    remote = not workers.shared_cache
    # An edit's few segments are put together from kept pieces here when they can be (no
    # Manim needed), rather than wait for a worker to start; many go to the workers, which
    # try the same first, side by side.
    here = not remote and sum(map(len, missing.values())) <= PUT_TOGETHER_HERE
    futures: dict[Future, tuple[str, ScenePlan, int]] = {}

    def release(scene: ScenePlan, findings: Findings, framing: Framing) -> None:
        """The scene's check is known: render its missing segments, if it passed, with the
        camera framing the check recorded."""
        result.findings[scene.id] = findings
        if findings:
            return
        scene = dataclasses.replace(scene, framing=framing)
        for beat in missing[scene.id]:
            identity = segment_identity(scene, beat)
            if here and put_segment_together(scene, beat, segment_path(cache_dir, scene, beat), cache_dir / "tmp", identity, cache_dir / "thumbs"):
                finished(scene, beat)
                continue
            task = (render_remote, scene, beat, identity) if remote else (render_task, scene, beat, cache_dir, identity)
            futures[workers.submit(scene.beats[beat].frames, *task)] = ("render", scene, beat)

    def finished(scene: ScenePlan, beat: int) -> None:
        on_segment(scene, beat, False)
        left[scene.id] -= 1
        if not left[scene.id]:
            on_done(scene, False)

    for scene_id in sorted(missing, key=lambda s: -sum(scenes[s].beats[b].frames for b in missing[s])):
        scene = scenes[scene_id]
        known = cached_check(scene, cache_dir)
        if known is not None:
            release(scene, *known)
        else:
            task = (check_remote, scene) if remote else (check_task, scene, cache_dir)
            futures[workers.submit(CHECK_FIRST + scene.frames, *task)] = ("check", scene, -1)
    while futures:
        done, _ = wait(list(futures), return_when=FIRST_COMPLETED)
        for future in [f for f in futures if f in done]:  # in the order submitted: repeatable
            what, scene, beat = futures.pop(future)
            try:
                value = future.result()  # re-raises the worker's RenderError
            except BrokenProcessPool:
                raise RenderError(
                    f"a render worker died while {'checking' if what == 'check' else 'rendering'} scene {scene.id!r} "
                    "(killed, or out of memory); the segments already finished are kept: build again to continue"
                ) from None
            if what == "check":
                release(scene, *(store_check(scene, cache_dir, *value) if remote else value))
                continue
            if remote:
                _store_segment(cache_dir, scene, beat, value)
            finished(scene, beat)
    return result


# -- workers without the driver's cache folder (a Dask cluster without a shared --cache) --


def check_remote(scene: ScenePlan) -> tuple[Findings, dict[str, Any], Framing]:
    from vidgen.remote import worker_cache
    from vidgen.speech.engines.piper import release_speech_models

    release_speech_models()
    return check_scene_layout(scene, worker_cache())


def render_remote(scene: ScenePlan, beat: int, identity: dict[str, Any]) -> tuple[bytes, bytes]:
    """Render into the worker's own cache; the segment and its identity come back as bytes."""
    from vidgen.remote import worker_cache

    render_task(scene, beat, worker_cache(), identity)
    path = segment_path(worker_cache(), scene, beat)
    return path.read_bytes(), sidecar(path).read_bytes()


def _store_segment(cache_dir: Path, scene: ScenePlan, beat: int, value: tuple[bytes, bytes]) -> None:
    video, identity = value
    path = segment_path(cache_dir, scene, beat)
    write_atomic(path, video)
    write_atomic(sidecar(path), identity)
