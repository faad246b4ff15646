"""The build: storyboard → validated model → speech → timed plan → layout check → clips → mux.

Each line of `build` is one stage; stages talk through values, never through globals.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import tempfile
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from vidgen import __version__
from vidgen.errors import Diagnostic, Interrupted, Location, StoryboardError
from vidgen.executors import Workers, open_workers, usable_cores
from vidgen.limits import Limits, how_to_raise
from vidgen.outputs import new_output_set
from vidgen.paths import output_folder, write_json
from vidgen.plan import Plan, ScenePlan, make_plan
from vidgen.quality import QUALITIES, Quality
from vidgen.report import Stopwatch, build_report
from vidgen.speech.engines.piper import release_speech_models
from vidgen.speech.voices import voice_problems
from vidgen.storyboard.budget import limit_problems
from vidgen.storyboard.loader import LoadedStoryboard, load_storyboard, problems_error
from vidgen.translate import language_cut


@dataclass(frozen=True)
class BuildOptions:
    quality: Quality = QUALITIES["high"]
    out_dir: Path = Path("output")
    offline: bool = False
    jobs: int = field(default_factory=usable_cores)
    cache_dir: Path | None = None
    engines: Mapping[str, type] | None = None  # tests inject fake speech engines here
    language: str | None = None  # build this language's cut (storyboards/translations/<name>.<language>.yaml)
    burn_captions: bool = False  # draw the subtitles into the picture too
    scheduler: str | None = None  # a Dask scheduler address: run speech and renders there
    limits: Limits = field(default_factory=Limits.from_environment)

    @property
    def cache(self) -> Path:
        return self.cache_dir or self.out_dir / ".cache"


@dataclass(frozen=True)
class BuildResult:
    video: Path
    plan: Plan
    report: dict[str, Any]
    # Where each beat's frame can be had without seeking in the video (see
    # vidgen.assemble.beat_sources), and where frames taken from them are kept.
    frames: tuple[tuple[Path, float], ...] = ()
    kept_frames: Path | None = None


@dataclass
class Hooks:
    """How the build tells the outside world what it is doing (the CLI draws bars)."""

    warn: Callable[[str], None] = lambda message: None
    stage: Callable[[str], None] = lambda name: None
    scene_done: Callable[[ScenePlan, bool], None] = lambda scene, cached: None  # all of a scene's segments are there
    segment_done: Callable[[ScenePlan, int, bool], None] = lambda scene, beat, cached: None  # one beat's segment is there
    warnings: list[str] = field(default_factory=list)
    cancelled: threading.Event | None = None  # set when the run is interrupted
    # Adds files to a new set of outputs before it is switched in (the preview's page);
    # the result's video is inside that set.
    complete: Callable[[BuildResult], object] = lambda result: None


def layout_error(loaded: LoadedStoryboard, plan: Plan, findings: dict[str, list[tuple[str, list[str]]]]) -> StoryboardError | None:
    """Every layout finding as a diagnostic pointing at the element it names, or None."""
    diagnostics = []
    for scene in plan.scenes:
        where = loaded.scene_path(scene.id)  # None for a scene a series added
        for message, elements in findings.get(scene.id, []):
            path = (*where, "elements", elements[0]) if where and elements else where
            diagnostics.append(Diagnostic(message, loaded.source.locate(path, prefer_key=True) if path else None))
    return StoryboardError(diagnostics) if diagnostics else None


def check_layout(loaded: LoadedStoryboard, plan: Plan, cache_dir: Path) -> None:
    """Run the layout check of every scene (cached) and fail with all findings."""
    from vidgen.render.clips import scene_findings

    error = layout_error(loaded, plan, {scene.id: scene_findings(scene, cache_dir) for scene in plan.scenes})
    if error:
        raise error


def fingerprint(plan: Plan, burn: bool = False) -> str:
    """Everything the finished outputs depend on: each segment's identity, each beat's speech
    and the words it shows (two beats that say the same may show different words, and the
    subtitles show them), and each scene's title (a chapter)."""
    parts = [plan.title, plan.language, plan.quality.name, __version__, str(burn)]
    if plan.music is not None:
        parts += [plan.music.model_dump_json(), hashlib.sha256(Path(plan.music.file).read_bytes()).hexdigest()]
    for scene in plan.scenes:
        parts += [scene.cache_key(), scene.scene.title]
        parts += [f"{beat.speech.wav.name}\t{beat.speech.text}" for beat in scene.beats]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def up_to_date(folder: Path, plan: Plan, print_: str) -> bool:
    """Whether `folder` already holds the outputs of exactly this plan."""
    try:
        previous = json.loads((folder / "build.json").read_text()).get("fingerprint")
    except (OSError, ValueError):
        return False
    outputs = [f"{plan.name}.mp4", f"{plan.name}.srt", f"{plan.name}.vtt", "chapters.txt", "contact_sheet.png"]
    return previous == print_ and all((folder / name).exists() for name in outputs)


def build(path: Path, options: BuildOptions, hooks: Hooks | None = None) -> BuildResult:
    """Build one storyboard on workers of its own (see vidgen.batch for many at once)."""
    with open_workers(options.jobs, options.scheduler, options.cache_dir is not None) as workers:
        return build_on(path, options, hooks or Hooks(), workers)


def build_on(path: Path, options: BuildOptions, hooks: Hooks, workers: Workers, prepare: Callable[[LoadedStoryboard], LoadedStoryboard] = lambda loaded: loaded) -> BuildResult:
    """Build one storyboard with its heavy tasks on `workers` (shared with other builds);
    `prepare` adjusts the loaded storyboard (a series applies its theme, intro, outro)."""
    from concurrent.futures import ThreadPoolExecutor

    from vidgen.assemble import assemble, beat_sources, narration_audio, write_contact_sheet
    from vidgen.narrate import speak_storyboard
    from vidgen.render.clips import render_scenes

    clock = Stopwatch()

    def warn(message: str) -> None:
        hooks.warnings.append(message)
        hooks.warn(message)

    def stage(name: str) -> Any:
        if hooks.cancelled is not None and hooks.cancelled.is_set():
            raise Interrupted(f"interrupted before {name}")
        hooks.stage(name)
        return clock.stage(name)

    with stage("validate"):
        loaded = prepare(load_storyboard(path, options.limits))
        if options.language:
            loaded = language_cut(loaded, options.language)
        # Checked again as built: a series' intro or voice, a translation, may change them.
        problems = limit_problems(loaded.storyboard, options.limits) + voice_problems(loaded.storyboard, path)
        if problems:
            raise problems_error(problems, loaded.source)
        folder = output_folder(options.out_dir, loaded.name)
    with stage("speech"):
        speech = speak_storyboard(loaded, cache_dir=options.cache, offline=options.offline, warn=warn, engines=options.engines, workers=workers)
    with stage("plan"):
        plan = make_plan(loaded.name, loaded.storyboard, speech, options.quality)
        if plan.seconds > options.limits.minutes * 60:
            raise StoryboardError.single(f"the narration makes the video {plan.seconds / 60:.1f} minutes long; the limit is {options.limits.minutes:g}", Location(path, 1, 1), hint=how_to_raise("minutes"))
        print_ = fingerprint(plan, options.burn_captions)
    if up_to_date(folder, plan, print_):
        report = build_report(plan, f"{plan.name}.mp4", {s.id for s in plan.scenes}, clock, hooks.warnings)
        report = {**report, "fingerprint": print_, "up_to_date": True}
        write_json(folder / "build.json", report)
        return BuildResult(folder / f"{plan.name}.mp4", plan, report)
    if not options.quality.preview:
        # The voices are done; full-size renders may want the memory. A preview's small frames
        # do not, and a writer's next edit (`vidgen watch`, the studio) speaks without loading them.
        release_speech_models()
    (options.cache / "tmp").mkdir(parents=True, exist_ok=True)  # `cache prune` sweeps what a killed build leaves
    work = Path(tempfile.mkdtemp(prefix=f"{loaded.name}-mux-", dir=options.cache / "tmp"))
    try:
        # The narration is mixed and encoded on a thread of its own while the workers render
        # (after a one-beat edit the encode is the longest step left; ffmpeg takes a core).
        with ThreadPoolExecutor(1, thread_name_prefix="narration") as narrating:
            audio = narrating.submit(narration_audio, plan, work, options.cache / "narration")
            with stage("render"):  # each scene's layout is checked (on a worker) before its segments render
                rendered = render_scenes(plan, options.cache, workers, hooks.scene_done, hooks.segment_done)
                error = layout_error(loaded, plan, rendered.findings)
                if error:
                    raise error
                clips = rendered.segments
            # Each beat's frame, for the contact sheet and the preview page, from its segment;
            # burned captions change the picture: then the frames come from the video itself.
            frames = () if options.burn_captions else tuple(beat_sources(plan, clips))
            # Every output goes into a new set, switched in at once when complete (vidgen.outputs).
            with new_output_set(folder) as new, ThreadPoolExecutor(1, thread_name_prefix="sheet") as sheets:
                with stage("mux"):
                    # From the segments' frames, the sheet is made beside the mux (which waits
                    # for the narration): after a one-beat edit both are on the writer's wait.
                    sheet = sheets.submit(write_contact_sheet, plan, new.folder / f"{plan.name}.mp4", frames, options.cache / "thumbs") if frames else None
                    outputs = assemble(plan, clips, new.folder, work, options.burn_captions, audio)
                with stage("contact sheet"):
                    if sheet is not None:
                        sheet.result()
                    else:
                        write_contact_sheet(plan, outputs.video, frames, options.cache / "thumbs")
                cached = {scene.id for scene in plan.scenes if rendered.scene_cached(scene)}
                report = build_report(plan, outputs.video.name, cached, clock, hooks.warnings, rendered.cached)
                write_json(new.folder / "build.json", {**report, "fingerprint": print_})
                hooks.complete(BuildResult(outputs.video, plan, report, frames, options.cache / "thumbs"))
                new.publish()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return BuildResult(folder / outputs.video.name, plan, report)
