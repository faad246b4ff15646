"""The build: storyboard → validated model → speech → timed plan → layout check → clips → mux.

Each line of `build` is one stage; stages talk through values, never through globals.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vidgen.errors import Diagnostic, StoryboardError
from vidgen.paths import output_folder, write_json
from vidgen.plan import Plan, ScenePlan, make_plan
from vidgen.render import configure_manim
from vidgen.quality import QUALITIES, Quality
from vidgen.report import Stopwatch, build_report
from vidgen.storyboard.loader import LoadedStoryboard, load_storyboard


@dataclass(frozen=True)
class BuildOptions:
    quality: Quality = QUALITIES["high"]
    out_dir: Path = Path("output")
    offline: bool = False
    jobs: int = os.cpu_count() or 1
    cache_dir: Path | None = None
    engines: Mapping[str, type] | None = None  # tests inject fake speech engines here

    @property
    def cache(self) -> Path:
        return self.cache_dir or self.out_dir / ".cache"


@dataclass(frozen=True)
class BuildResult:
    video: Path
    plan: Plan
    report: dict[str, Any]


@dataclass
class Hooks:
    """How the build tells the outside world what it is doing (the CLI draws bars)."""

    warn: Callable[[str], None] = lambda message: None
    stage: Callable[[str], None] = lambda name: None
    scene_done: Callable[[ScenePlan, bool], None] = lambda scene, cached: None
    warnings: list[str] = field(default_factory=list)


def check_layout(loaded: LoadedStoryboard, plan: Plan) -> None:
    """Fail with every layout finding, each pointing at the element it names."""
    from vidgen.render.check import check_scene

    diagnostics = []
    for scene in plan.scenes:
        for finding in check_scene(scene):
            element = finding.elements[0] if finding.elements else None
            path = ("scenes", scene.index, "elements", element) if element else ("scenes", scene.index)
            diagnostics.append(Diagnostic(str(finding), loaded.source.locate(path, prefer_key=True)))
    if diagnostics:
        raise StoryboardError(diagnostics)


def build(path: Path, options: BuildOptions, hooks: Hooks | None = None) -> BuildResult:
    from vidgen.assemble import assemble, write_contact_sheet
    from vidgen.narrate import speak_storyboard
    from vidgen.render.clips import render_clips

    hooks = hooks or Hooks()
    clock = Stopwatch()

    def warn(message: str) -> None:
        hooks.warnings.append(message)
        hooks.warn(message)

    def stage(name: str) -> Any:
        hooks.stage(name)
        return clock.stage(name)

    with stage("validate"):
        loaded = load_storyboard(path)
        folder = output_folder(options.out_dir, loaded.name)
    with stage("speech"):
        speech = speak_storyboard(loaded, cache_dir=options.cache, offline=options.offline, warn=warn, engines=options.engines)
    with stage("plan"):
        plan = make_plan(loaded.name, loaded.storyboard, speech, options.quality)
    with stage("layout"):
        configure_manim(options.cache)
        check_layout(loaded, plan)
    with stage("render"):
        clips, cached = render_clips(plan, options.cache, options.jobs, hooks.scene_done)
    with stage("mux"):
        options.cache.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix=f"{loaded.name}-mux-", dir=options.cache))
        try:
            outputs = assemble(plan, clips, folder, work)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    with stage("contact sheet"):
        write_contact_sheet(plan, outputs.video)
    report = build_report(plan, outputs.video.name, cached, clock, hooks.warnings)
    write_json(folder / "build.json", report)
    return BuildResult(outputs.video, plan, report)
