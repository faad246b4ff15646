"""The `vidgen` command line."""

from __future__ import annotations

import atexit
import signal
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from vidgen.console import _interrupted, _styled, console, exit_guarded, run_guarded
from vidgen.errors import EXIT_BUG, Terminated, UsageError
from vidgen.executors import usable_cores
from vidgen.limits import Limits
from vidgen.quality import QUALITIES

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Turn YAML storyboards into narrated explainer videos.",
    pretty_exceptions_enable=False,
)
OfflineOption = Annotated[bool, typer.Option("--offline", help="Skip network speech engines.")]
PreviewOutOption = Annotated[Path, typer.Option("--out", help="Previews go to OUT/<name>/.")]
PreviewCacheOption = Annotated[Path, typer.Option("--cache", help="The cache (shared with full builds).")]
LimitOption = Annotated[list[str], typer.Option("--limit", help="Raise a limit for this run, e.g. scenes=500 (see docs/security.md).", show_default=False)]


def _limits(settings: list[str]) -> Limits:
    """This run's limits (defaults, VIDGEN_LIMITS, --limit), or exit 2 saying what is wrong."""
    try:
        return Limits.from_environment(settings)
    except UsageError as error:
        _styled("error:", "red", str(error))
        raise typer.Exit(error.exit_code) from None


def _quality(value: str) -> str:
    if value not in QUALITIES:
        raise typer.BadParameter(f"expected one of {', '.join(QUALITIES)}")
    return value


@app.command()
def build(
    storyboards: Annotated[list[Path], typer.Argument(help="Storyboard YAML files, or series files.", show_default=False)],
    quality: Annotated[str, typer.Option("--quality", "-q", callback=_quality, help="low (480p15), medium (720p30) or high (1080p60).")] = "high",
    offline: OfflineOption = False,
    out: Annotated[Path, typer.Option("--out", help="Results go to OUT/<name>/.")] = Path("output"),
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=1, help="Tasks run at once (default: the cores this process may use).")] = usable_cores(),
    cache: Annotated[Path | None, typer.Option("--cache", help="Cache folder (default: OUT/.cache); with --scheduler, a path every worker shares.")] = None,
    lang: Annotated[str | None, typer.Option("--lang", help="Build this language's cut (from storyboards/translations/).")] = None,
    burn_captions: Annotated[bool, typer.Option("--burn-captions", help="Also draw the subtitles into the picture.")] = False,
    scheduler: Annotated[str | None, typer.Option("--scheduler", help="Run speech and renders on a Dask cluster: tcp://HOST:PORT.")] = None,
    limit: LimitOption = [],
) -> None:
    """Build storyboards (or series) into OUT/<name>/<name>.mp4 with subtitles, chapters and build.json."""
    from vidgen.batch import build_many
    from vidgen.build import BuildOptions
    from vidgen.series import episodes_of

    def missing() -> None:
        for path in storyboards:
            if not path.is_file():
                raise UsageError(f"{path}: no such storyboard file")

    limits = _limits(limit)
    episodes: list[Any] = []
    exit_guarded(lambda: (missing(), episodes.extend(episodes_of(storyboards))))
    options = BuildOptions(
        quality=QUALITIES[quality], out_dir=out, offline=offline, jobs=jobs, cache_dir=cache,
        language=lang, burn_captions=burn_captions, scheduler=scheduler, limits=limits,
    )  # fmt: skip
    try:
        results = _build_with_progress(episodes, options, build_many)
    except KeyboardInterrupt as interrupt:
        raise typer.Exit(_interrupted(interrupt)) from None
    for result in results:
        if result.exit_code == EXIT_BUG:
            _styled(f"{result.episode.path.name}:", "red")
            console.print(result.error)
        elif result.error:
            for line in result.error.splitlines():
                _styled("error:", "red", line)
    if len(results) > 1:
        _series_summary(results)
    else:
        _episode_summary(results[0])
    worst = max(r.exit_code for r in results)
    if worst:
        raise typer.Exit(worst)


def _build_with_progress(episodes: list[Any], options: Any, build_many: Any) -> list[Any]:
    from vidgen.build import Hooks

    with Progress(SpinnerColumn(), TextColumn("{task.description}", markup=False), BarColumn(), TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(), console=console, transient=True) as progress:
        total = progress.add_task("all episodes", total=len(episodes), visible=len(episodes) > 1)
        stages = ("validate", "speech", "plan", "render", "mux", "contact sheet")

        def hooks_for(episode: Any) -> Hooks:
            task = progress.add_task(f"{episode.path.name}", total=len(stages))

            def on_stage(name: str) -> None:
                progress.update(task, description=f"{episode.path.name}: {name}", completed=stages.index(name) if name in stages else 0)

            def on_scene(scene: Any, cached: bool) -> None:
                progress.update(task, description=f"{episode.path.name}: scene {scene.id}" + (" (cached)" if cached else ""))

            return Hooks(warn=lambda m: _styled("warning:", "yellow", m), stage=on_stage, scene_done=on_scene)

        results = []
        for result in build_many(episodes, options, hooks_for):
            results.append(result)
            progress.advance(total)
        return results


def _episode_summary(result: Any) -> None:
    if result.video is None:
        return
    import json

    report = json.loads((result.video.parent / "build.json").read_text())
    table = Table(title=f"{result.video}", show_edge=False)
    for column in ("scene", "length", "beats", "voice", "clip"):
        table.add_column(column)
    for scene in report["scenes"]:
        engines = sorted({beat["engine"] for beat in scene["beats"]})
        table.add_row(scene["id"], f"{scene['duration']:.1f} s", str(len(scene["beats"])), ", ".join(engines), "cached" if scene["clip_cached"] else "rendered")
    console.print(table)
    stages = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in report["stages"].items())
    state = "up to date" if report.get("up_to_date") else "built"
    _styled(state, "green", f"{result.video} ({report['duration']:.1f} s) · {stages}")


def _series_summary(results: list[Any]) -> None:
    table = Table(title="episodes", show_edge=False)
    for column in ("episode", "state", "length", "time", "video"):
        table.add_column(column)
    for result in results:
        colour = "red" if result.state == "failed" else "green"
        length = f"{result.length:.1f} s" if result.length is not None else "-"
        table.add_row(result.episode.path.name, Text(result.state, style=colour), length, f"{result.seconds:.1f} s", str(result.video or ""))
    console.print(table)


@app.command()
def check(storyboards: Annotated[list[Path], typer.Argument(help="Storyboard YAML files.", show_default=False)], limit: LimitOption = []) -> None:
    """Validate storyboards and check their layout, without speaking or rendering."""
    from vidgen.checking import check_storyboard

    def one(path: Path) -> None:
        result = check_storyboard(path, limits=limits)
        console.print(result.summary)
        for hint in result.hints:
            _styled("hint:", "cyan", str(hint))

    limits = _limits(limit)
    failures = 0
    for path in storyboards:
        code = run_guarded(lambda path=path: one(path))
        failures += code != 0
        last_code = code
    if failures:
        raise typer.Exit(last_code)


@app.command()
def voices() -> None:
    """List speech engines on this machine and the voice profiles they can use."""
    from vidgen.speech.catalogue import describe_engines

    exit_guarded(lambda: console.print(describe_engines(Path.cwd())))


@app.command()
def schema(out: Annotated[Path, typer.Option("--out", help="Where to write the JSON Schema.")] = Path("schema/storyboard.schema.json")) -> None:
    """Write the storyboard JSON Schema (for editor completion and checking)."""
    from vidgen.schema import write_schema

    exit_guarded(lambda: console.print(f"wrote {write_schema(out)}"))


@app.command()
def preview(
    storyboard: Annotated[Path, typer.Argument(help="A storyboard YAML file.")],
    out: PreviewOutOption = Path("output/preview"),
    cache: PreviewCacheOption = Path("output/.cache"),
    offline: OfflineOption = False,
) -> None:
    """A fast low-quality build and a review page: video, chapters, and every beat's frame."""
    from vidgen.preview import preview as make_preview

    def run() -> None:
        if not storyboard.is_file():
            raise UsageError(f"{storyboard}: no such storyboard file")
        page = make_preview(storyboard, out, cache, offline=offline)
        _styled("preview", "green", page.resolve().as_uri())

    exit_guarded(run)


@app.command()
def watch(
    storyboard: Annotated[Path, typer.Argument(help="A storyboard YAML file.")],
    out: PreviewOutOption = Path("output/preview"),
    cache: PreviewCacheOption = Path("output/.cache"),
    offline: OfflineOption = False,
    max_builds: Annotated[int | None, typer.Option("--max-builds", hidden=True)] = None,
) -> None:
    """Rebuild the preview every time the storyboard is saved (Ctrl-C to stop)."""
    import json

    from vidgen.errors import StoryboardError, VidgenError
    from vidgen.executors import WarmWorkers
    from vidgen.preview import preview as make_preview
    from vidgen.watch import watch as watch_loop

    # Kept open between builds: after an edit, starting workers (and Manim in each) would
    # take longer than speaking and rendering the edited beat.
    warm = WarmWorkers()

    def rebuild() -> dict:
        try:
            page = make_preview(storyboard, out, cache, offline=offline, workers=warm.get())
        except StoryboardError:
            raise
        except VidgenError:
            warm.close()  # a worker may have died with it: start afresh next time
            raise
        return json.loads((page.parent / "build.json").read_text())

    def run() -> None:
        try:
            watch_loop(storyboard, rebuild, lambda line: console.print(line), max_builds)
        finally:
            warm.close()

    exit_guarded(run)


@app.command()
def studio(
    storyboard: Annotated[Path, typer.Argument(help="A storyboard YAML file.")],
    out: PreviewOutOption = Path("output/preview"),
    cache: PreviewCacheOption = Path("output/.cache"),
    offline: OfflineOption = False,
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Listen on this port of 127.0.0.1 (default: any free one).")] = 0,
) -> None:
    """Edit the narration in a browser beside the preview: each save is checked and rebuilt."""
    from vidgen.studio.server import serve

    def announce(url: str) -> None:
        _styled("studio", "green", "open this address in your browser (Ctrl-C stops the studio):")
        print(url, flush=True)  # on stdout alone, for scripts that start the studio

    def run() -> None:
        if not storyboard.is_file():
            raise UsageError(f"{storyboard}: no such storyboard file")
        try:
            serve(storyboard, out, cache, offline=offline, port=port, announce=announce)
        except OSError as error:
            raise UsageError(f"cannot listen on 127.0.0.1:{port}: {error.strerror or error}") from None
        except KeyboardInterrupt:
            pass  # Ctrl-C is how a studio is closed
        _styled("studio", "green", "stopped")

    exit_guarded(run)


@app.command()
def translate(
    storyboard: Annotated[Path, typer.Argument(help="A storyboard YAML file.")],
    lang: Annotated[str, typer.Option("--lang", help="The language to translate into, e.g. pl.")],
    voice: Annotated[str, typer.Option("--voice", help="The voice profile for that language.")] = "narrator",
) -> None:
    """Start a translation: storyboards/translations/<name>.<lang>.yaml with every text to translate."""
    from vidgen.paths import write_atomic
    from vidgen.storyboard.loader import load_storyboard
    from vidgen.translate import skeleton, translation_path

    def run() -> None:
        path = translation_path(storyboard, lang)
        if path.exists():
            raise UsageError(f"{path} already exists")
        write_atomic(path, skeleton(load_storyboard(storyboard).storyboard, lang, voice))
        console.print(f"wrote {path}")

    exit_guarded(run)


@app.command()
def new(name: Annotated[str, typer.Argument(help="The storyboard's name (lowercase, - and _).")]) -> None:
    """Start a storyboard: storyboards/NAME.yaml, which checks and builds as it is."""
    from vidgen.writers import new_storyboard

    exit_guarded(lambda: console.print(f"wrote {new_storyboard(name, Path.cwd())}"))


@app.command()
def script(storyboard: Annotated[Path, typer.Argument(help="A storyboard YAML file.")]) -> None:
    """Print the narration as a script to review: scenes, beats, estimated lengths."""
    from vidgen.writers import script as make_script

    exit_guarded(lambda: print(make_script(storyboard)))


@app.command()
def say(
    storyboard: Annotated[Path, typer.Argument(help="A storyboard YAML file.")],
    where: Annotated[str | None, typer.Argument(help="SCENE, or SCENE.BEAT with beats counted from 1 (default: every scene).", show_default=False)] = None,
    text: Annotated[str | None, typer.Option("--text", help="Say this sentence with the storyboard's voice and lexicon instead.")] = None,
    play: Annotated[bool, typer.Option("--play", help="Play the WAV (with paplay, aplay or ffplay).")] = False,
    lang: Annotated[str | None, typer.Option("--lang", help="Say this language's cut (from storyboards/translations/).")] = None,
    cache: PreviewCacheOption = Path("output/.cache"),
    offline: OfflineOption = False,
) -> None:
    """Hear narration without a build: one beat, a scene, or --text, spoken into the cache; prints the WAV's path."""
    from vidgen.pronounce.say import SayOptions, hear_beat, hear_scenes, hear_text
    from vidgen.pronounce.say import play as play_wav

    def run() -> None:
        options = SayOptions(cache_dir=cache, offline=offline, language=lang, warn=lambda m: _styled("warning:", "yellow", m))
        scene, _, beat = (where or "").partition(".")
        if text is not None:
            heard = hear_text(storyboard, text, options, scene or None)
        elif beat:
            if not beat.isdigit() or int(beat) < 1:
                raise UsageError(f"{where!r}: expected SCENE.BEAT with the beat's number from 1, e.g. {scene}.1")
            heard = hear_beat(storyboard, scene, int(beat) - 1, options)
        else:
            heard = hear_scenes(storyboard, scene or None, options)
        for speech in heard.beats:
            state = "cached" if speech.cached else "spoken"
            _styled(f"{speech.engine} ({state}):", "green", speech.spoken if speech.spoken == speech.text else f"{speech.spoken}   [shown: {speech.text}]")
        print(heard.wav)
        if play:
            play_wav(heard.wav)

    exit_guarded(run)


from vidgen.cache_commands import cache_app  # noqa: E402 - the `vidgen cache` commands, kept apart

app.add_typer(cache_app, name="cache")


def _terminate(signum: int, frame: object) -> None:
    raise Terminated()


def main() -> None:
    """The `vidgen` program: the process's entry point, not a function to call from Python
    (it ends the process when the process ends, without the interpreter's teardown)."""
    from vidgen.executors import leave_now

    outcome = {"status": 1}  # an uncaught exception: Python prints it, the status is 1
    atexit.register(lambda: leave_now(outcome["status"]))  # registered first: runs last
    # SIGTERM (a supervisor, `kill`) cleans up exactly as Ctrl-C does.
    signal.signal(signal.SIGTERM, _terminate)
    try:
        # Standalone mode: usage errors exit 2 with click's message, typer.Exit carries our codes.
        app()
        outcome["status"] = 0
    except SystemExit as stop:
        outcome["status"] = stop.code if isinstance(stop.code, int) else int(stop.code is not None)
        raise
