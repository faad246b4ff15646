"""Benchmarks, run on demand (never in CI): `python bench/run.py` (add `--quick` to check
that it works: low quality, small storyboards, one round, results in bench/out/).

Both sides make the same narrated video: storyboards/autoencoder.yaml built by vidgen, and
the same storyboard as one manim-voiceover scene with a Piper speech service
(bench/baseline/), rendered with Manim's default encoder and again with vidgen's encoder
settings, so the report shows what comes from the encoder and what from the design. Every
figure is the median of alternating rounds (`--rounds`, at least 3), with the spread.

1. cold narrated build, seconds of video per wall second, vidgen / each baseline, 1080p60;
2. quality: SSIM of each side's video against a lossless render of its own frames, and its
   video bytes per second;
3. one-beat narration edit rebuild, for an edit in each scene (a sentence added to its first
   beat, new words every round; the run fails if a build did not speak and render that beat
   anew), mean and worst, / cold build, at low quality and at 1080p60;
4. the writer's loop: a one-sentence edit saved → a new preview page, low quality, with `vidgen watch`
   running (workers kept warm) and with a new `vidgen preview` run per edit;
5. rebuild with nothing changed, low quality and 1080p60;
6. the five seed videos, `--jobs 2` / `--jobs 1`, low quality, each from an empty cache;
7. the same five on a Dask cluster on loopback (scheduler and workers as their own
   processes, shared cache): two worker processes / one;
8. peak memory of the whole process tree of the cold 1080p60 build, two workers.

Writes bench/RESULTS.md (bench/out/RESULTS-quick.md with --quick). After a change that
touches only some measures, `--cold-only` (1, 2, 8), `--edits-only` (3, 4), `--unchanged-only`
(5), `--jobs-only` (6), `--dask-only` (7), `--memory-only` (8) or `--ssim-only` (2, on a full run's videos)
measures those again into their rows.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psutil
import yaml

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
BIN = Path(sys.executable).parent
BASELINE = ROOT / "bench" / "baseline" / "storyboard_voiceover.py"
SEEDS = ["autoencoder", "ncf", "autorec", "autoencoder_intuition", "autoencoder_training"]
LOSSLESS = json.dumps({"codec": "libx264rgb", "pixel_format": "rgb24", "options": {"crf": "0", "preset": "ultrafast"}})
MANIM_QUALITY = {"low": "-ql", "high": "-qh"}
# One sentence added per edit; lengths differ round to round, so an edit never lands on the
# very timing (hence the cached segment) of the round before. Every edit's sentence is new to
# the cache (a round's clause with a scene's ending): the offline voices keep each sentence
# they speak, and an edit that found its sentence kept would not measure speaking it.
EDITS = [
    "This matters",
    "Keep this idea in mind for what follows",
    "It is worth pausing here for a moment, because everything that follows builds on this one idea",
    "Notice it well",
    "We will come back to this point again a little later in the video",
]
ENDINGS = ["in this part", "at every step", "for each user", "in every layer", "in the middle", "on the way out", "for the ratings", "once more", "as we go"]


def edit_sentence(number: int, scene: int) -> str:
    """The sentence the edit of `scene` adds in round `number`."""
    return f"{EDITS[number % len(EDITS)]}, {ENDINGS[scene % len(ENDINGS)]}."
MANIM_FOLDER = {"low": "480p15", "high": "1080p60"}


def environment(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Python as it runs by default, keeping compiled bytecode: under PYTHONDONTWRITEBYTECODE
    (this machine's shell sets it) every process compiles vidgen's sources again, ~0.3 s."""
    return {**{name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}, **(extra or {})}


@dataclass
class Run:
    seconds: float
    peak_rss: int  # bytes, the whole process tree: its processes' resident sets, summed
    peak_pss: int  # the same with each shared page divided among the processes mapping it
    cpu: float = 0.0  # CPU seconds (user + system) of the process and the descendants it waited for

    @property
    def cores(self) -> float:
        """Cores kept busy on average: the CPU time over the wall time."""
        return self.cpu / self.seconds if self.seconds else 0.0


def children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def proportional_set(pid: int) -> int:
    """A process's PSS in bytes: its pages, each shared one divided among its sharers."""
    with open(f"/proc/{pid}/smaps_rollup", encoding="ascii") as rollup:
        for line in rollup:
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    return 0


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None, cpus: set[int] | None = None, memory: bool = True) -> Run:
    """Run a command to its end, sampling the memory of its whole process tree: the summed RSS
    every 50 ms (the row's figure: it counts a library every process maps once per process),
    and the summed PSS near the RSS peaks (reading it costs ~5 ms a process, too much to do
    every time without taking CPU from the build it measures). `cpus`: the cores it may use
    (as under `taskset`), all of them when None. `memory=False` where no memory is reported:
    the sampling takes ~9 % of a core, which a build on every core loses and one held to a
    single core does not, so it would tilt a comparison of the two."""
    started, cpu = time.perf_counter(), children_cpu()
    held = (lambda: os.sched_setaffinity(0, cpus)) if cpus else None
    process = psutil.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=environment(env), preexec_fn=held)
    peak = peak_pss = 0
    last_pss = 0.0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak, peak_pss, last_pss
        while not stop.is_set():
            try:
                tree = [p for p in [process, *process.children(recursive=True)] if p.is_running()]
                total = sum(p.memory_info().rss for p in tree)
                peak = max(peak, total)
                if total >= 0.97 * peak and time.perf_counter() - last_pss >= 0.2:
                    last_pss = time.perf_counter()
                    peak_pss = max(peak_pss, sum(proportional_set(p.pid) for p in tree))
            except (psutil.Error, OSError):
                pass
            time.sleep(0.05)

    sampler = threading.Thread(target=sample if memory else lambda: None, daemon=True)
    sampler.start()
    _, err = process.communicate()
    seconds = time.perf_counter() - started
    stop.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{err[-3000:]}")
    return Run(seconds, peak, peak_pss, children_cpu() - cpu)


@dataclass
class Figure:
    values: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    def __str__(self) -> str:
        spread = f" ({min(self.values):.3g}–{max(self.values):.3g})" if len(self.values) > 1 else ""
        return f"{self.median:.3g}{spread}"


def ratio(top: Figure, bottom: Figure) -> float:
    return top.median / bottom.median


# -- what is measured --------------------------------------------------------------------


def video_info(path: Path) -> tuple[float, int]:
    """(seconds, bytes of the video stream) of an MP4."""
    import av

    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        size = sum(packet.size for packet in container.demux(stream) if packet.size)
        seconds = float(stream.duration * stream.time_base) if stream.duration else container.duration / 1e6
    return seconds, size


def ssim(distorted: Path, reference: Path) -> float:
    """SSIM (all planes) of a video against a reference of the same frames, by ffmpeg."""
    from vidgen.media.ffmpeg import ffmpeg_binary

    result = subprocess.run([ffmpeg_binary(), "-hide_banner", "-nostdin", "-i", str(distorted), "-i", str(reference), "-lavfi", "[0:v][1:v]ssim", "-f", "null", "-"], capture_output=True, text=True)
    found = re.search(r"All:([0-9.]+)", result.stderr)
    if not found:
        raise SystemExit(f"SSIM failed for {distorted.name}: {result.stderr[-800:]}")
    return float(found.group(1))


class Project:
    """A scratch copy of the storyboards and voices, its own output and cache."""

    def __init__(self, name: str, boards: dict[str, str], fresh: bool = True) -> None:
        self.path = OUT / name
        if not fresh:  # the project a run left (--ssim-only)
            return
        shutil.rmtree(self.path, ignore_errors=True)
        (self.path / "storyboards").mkdir(parents=True)
        shutil.copytree(ROOT / "voices", self.path / "voices")
        for board, text in boards.items():
            (self.path / "storyboards" / f"{board}.yaml").write_text(text)

    def board(self, name: str) -> Path:
        return self.path / "storyboards" / f"{name}.yaml"

    def build(self, boards: list[str], quality: str, *extra: str, out: str = "out", cache: str = "cache", env: dict[str, str] | None = None, cpus: set[int] | None = None, memory: bool = True) -> Run:
        paths = [str(self.board(b)) for b in boards]
        command = [str(BIN / "vidgen"), "build", *paths, "--quality", quality, "--offline", "--out", str(self.path / out), "--cache", str(self.path / cache), *extra]
        return run(command, self.path, env, cpus, memory)

    def video(self, board: str, out: str = "out") -> Path:
        return self.path / out / board / f"{board}.mp4"

    def report(self, board: str, out: str = "out") -> dict:
        return json.loads((self.path / out / board / "build.json").read_text())

    def empty(self, *folders: str) -> None:
        for folder in folders:
            shutil.rmtree(self.path / folder, ignore_errors=True)


def baseline_python() -> Path:
    """A Python with manim-voiceover: a virtual environment of its own, layered over this one.

    Manim imports every installed Manim plugin at its own import, and manim-voiceover's import
    takes most of a second (and warns when SoX is missing): installed beside vidgen it would
    slow every vidgen render and check, the side being measured. So the `bench` extra
    (pyproject.toml) is installed here, where only the baseline sees it."""
    import sysconfig
    import tomllib

    venv = OUT.parent / ".baseline-venv"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], capture_output=True, text=True, check=True).stdout.strip())
        (site / "vidgen-main.pth").write_text(sysconfig.get_path("purelib") + "\n")
        extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["bench"]
        subprocess.run([str(python), "-m", "pip", "install", "-q", *extra], check=True)
    return python


def baseline(project: Project, board: str, quality: str, encoder: str, tag: str, voices: Path | None = None) -> tuple[Run, Path]:
    """The manim-voiceover scene from an empty media folder and voice cache (or the voice
    cache `voices`, whose speech, hence timing, it then repeats)."""
    media = project.path / f"baseline-{tag}"
    shutil.rmtree(media, ignore_errors=True)
    env = {"STORYBOARD": str(project.board(board)), "BASELINE_ENCODER": encoder, "VOICEOVER_CACHE": str(voices or media / "voiceovers"), "PYTHONPATH": str(ROOT)}
    measured = run([str(baseline_python()), "-m", "manim", MANIM_QUALITY[quality], "--media_dir", str(media), "-v", "WARNING", "--progress_bar", "none", str(BASELINE), "StoryboardVoiceover"], project.path, env)
    return measured, next(media.rglob(f"{MANIM_FOLDER[quality]}/StoryboardVoiceover.mp4"))


def cold_builds(project: Project, board: str, quality: str, rounds: int) -> dict[str, object]:
    """Measures 1, 2 and 8: vidgen and both baselines, alternating, each from empty caches."""
    sides: dict[str, list[float]] = {"vidgen": [], "manim-voiceover": [], "manim-voiceover + vidgen encoder": []}
    walls: list[float] = []
    peaks: list[float] = []
    proportional: list[float] = []
    stages: dict[str, float] = {}
    videos: dict[str, Path] = {}
    for number in range(rounds):
        print(f"  cold builds, round {number + 1}/{rounds}", flush=True)
        project.empty("out", "cache")
        built = project.build([board], quality, "--jobs", "2")
        seconds, _ = video_info(project.video(board))
        sides["vidgen"].append(seconds / built.seconds)
        walls.append(built.seconds)
        peaks.append(built.peak_rss / 1e9)
        proportional.append(built.peak_pss / 1e9)
        stages = project.report(board)["stages"]
        for side, encoder in (("manim-voiceover", "manim"), ("manim-voiceover + vidgen encoder", "vidgen")):
            measured, video = baseline(project, board, quality, encoder, encoder)
            sides[side].append(video_info(video)[0] / measured.seconds)
            videos[side] = video
    videos["vidgen"] = project.video(board)
    return {"throughput": {side: Figure(values) for side, values in sides.items()}, "seconds": Figure(walls), "peak": Figure(peaks), "pss": Figure(proportional), "stages": stages, "quality": against_lossless(project, board, quality, videos)}


def against_lossless(project: Project, board: str, quality: str, videos: dict[str, Path]) -> dict[str, tuple[float, float]]:
    """Measure 2 for the last round's videos: each side's SSIM against a lossless render of its
    own frames, and its video bytes per second. Piper's voice varies from one synthesis to the
    next, so each reference repeats its video's speech (vidgen's from the build's cache, where
    entries made with another encoder are named apart; each baseline's from its voice cache):
    with its own speech, a reference would time the animations differently."""
    print("  lossless references", flush=True)
    project.build([board], quality, "--jobs", "2", out="lossless", env={"VIDGEN_ENCODER": LOSSLESS})
    references = {"vidgen": project.video(board, "lossless")}
    for side, tag in (("manim-voiceover", "manim"), ("manim-voiceover + vidgen encoder", "vidgen")):
        references[side] = baseline(project, board, quality, "lossless", f"lossless-{tag}", voices=project.path / f"baseline-{tag}" / "voiceovers")[1]
    found = {}
    for side, video in videos.items():
        (seconds, size), reference_seconds = video_info(video), video_info(references[side])[0]
        if seconds != reference_seconds:
            raise SystemExit(f"{side}: the lossless reference lasts {reference_seconds:.3f} s, the video {seconds:.3f} s: not the same frames")
        found[side] = (ssim(video, references[side]), size / seconds)
    return found


def edit_text(board: Path, scene: int, words: str) -> str:
    """The storyboard with `words` added to the first beat of scene `scene`."""
    data = yaml.safe_load(board.read_text())
    beat = data["scenes"][scene]["beats"][0]
    beat["say"] = {k: f"{v.rstrip()} {words}" for k, v in beat["say"].items()} if isinstance(beat["say"], dict) else f"{beat['say'].rstrip()} {words}"
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def edited_beat_was_redone(report: dict, scene: int) -> bool:
    """The edited beat was spoken anew. (Its segment is re-rendered too unless an earlier
    edit happened to give it the very same frames: then the cached picture is the right one.)"""
    return not report["scenes"][scene]["beats"][0]["speech_cached"]


def edit_rebuilds(project: Project, board: str, quality: str, rounds: int, cold: Figure) -> dict[str, object]:
    """Measure 3: an edit in each scene, new words each round, the build timed; reverted after."""
    original = project.board(board).read_text()
    scenes = len(yaml.safe_load(original)["scenes"])
    project.empty("out", "cache")
    project.build([board], quality, "--jobs", "2")
    per_scene: list[list[float]] = [[] for _ in range(scenes)]
    rendered = 0
    pieces = {"reused": 0, "drawn": 0}
    for number in range(rounds):
        print(f"  edits at {quality}, round {number + 1}/{rounds}", flush=True)
        for scene in range(scenes):
            edited = edit_text(project.board(board), scene, edit_sentence(number, scene))
            if edited == original:
                raise SystemExit(f"the edit of scene {scene + 1} did not change the storyboard")
            project.board(board).write_text(edited)
            measured = project.build([board], quality, "--jobs", "2")
            report = project.report(board)
            if not edited_beat_was_redone(report, scene):
                raise SystemExit(f"the edit of scene {scene + 1} was not spoken anew: it did not change the video")
            rendered += not report["scenes"][scene]["beats"][0]["segment_cached"]
            for kind, count in segment_pieces(project).items():
                pieces[kind] += count
            per_scene[scene].append(measured.seconds)
            project.board(board).write_text(original)
            project.build([board], quality, "--jobs", "2")  # back to the original, not timed
    medians = [statistics.median(times) for times in per_scene]
    return {"mean": statistics.mean(medians), "worst": max(medians), "worst_scene": medians.index(max(medians)) + 1, "cold": cold.median, "per_scene": medians, "rendered": f"{rendered} of {rounds * scenes}", "pieces": pieces}


def segment_pieces(project: Project, cache: str = "cache") -> dict[str, int]:
    """How the segment the last build rendered was made: its pieces (plays and holds) reused
    from the cache and drawn (vidgen.render.pieces), from its description."""
    described = sorted((project.path / cache / "clips").glob("*.mp4.json"), key=lambda path: path.stat().st_mtime)
    return json.loads(described[-1].read_text()).get("pieces", {}) if described else {}


def writers_loop(project: Project, board: str, rounds: int) -> Figure:
    """Measure 4: save a one-sentence edit, then `vidgen preview`, until its page is new."""
    original = project.board(board).read_text()
    scenes = len(yaml.safe_load(original)["scenes"])
    preview = [str(BIN / "vidgen"), "preview", str(project.board(board)), "--out", str(project.path / "preview"), "--cache", str(project.path / "cache"), "--offline"]
    run(preview, project.path)  # the writer has previewed before
    page = project.path / "preview" / board / "index.html"
    times = []
    for number in range(rounds):
        scene = number % scenes
        saved = time.perf_counter()
        before = page.stat().st_mtime_ns
        project.board(board).write_text(edit_text(project.board(board), scene, f"A writer changes this line once more, for the {number + 1}. time."))
        run(preview, project.path)
        if page.stat().st_mtime_ns == before or not edited_beat_was_redone(json.loads((page.parent / "build.json").read_text()), scene):
            raise SystemExit("the preview page did not change after an edit")
        times.append(time.perf_counter() - saved)
        project.board(board).write_text(original)
    return Figure(times)


def watch_loop(project: Project, board: str, rounds: int) -> Figure:
    """Measure 4 as a writer works with `vidgen watch` running (workers kept warm): save a
    one-sentence edit, until the watcher's new page is there. The original is put back (and
    rebuilt by the watcher) between edits."""
    original = project.board(board).read_text()
    scenes = len(yaml.safe_load(original)["scenes"])
    folder = project.path / "watch"
    page = folder / board / "index.html"
    log = (project.path / "watch.log").open("w")
    command = [str(BIN / "vidgen"), "watch", str(project.board(board)), "--out", str(folder), "--cache", str(project.path / "cache"), "--offline"]
    watcher = subprocess.Popen(command, cwd=project.path, stdout=log, stderr=subprocess.STDOUT, env=environment())

    def new_page(after: int, limit: float = 300) -> None:
        deadline = time.perf_counter() + limit
        while not (page.exists() and page.stat().st_mtime_ns > after):
            if watcher.poll() is not None or time.perf_counter() > deadline:
                raise SystemExit(f"vidgen watch made no new page (see {log.name})")
            time.sleep(0.01)

    try:
        new_page(0)  # the first build, as the writer starts the watcher
        times = []
        for number in range(rounds):
            scene = number % scenes
            time.sleep(1.0)  # the watcher is idle, as after a writer's pause
            before = page.stat().st_mtime_ns
            saved = time.perf_counter()
            project.board(board).write_text(edit_text(project.board(board), scene, f"A writer watching the preview changes this line, for the {number + 1}. time."))
            new_page(before)
            times.append(time.perf_counter() - saved)
            if not edited_beat_was_redone(json.loads((page.parent / "build.json").read_text()), scene):
                raise SystemExit("the watcher's page did not show the edit")
            before = page.stat().st_mtime_ns
            project.board(board).write_text(original)
            new_page(before)
    finally:
        watcher.terminate()
        watcher.wait()
        log.close()
        project.board(board).write_text(original)
    return Figure(times)


def unchanged_rebuilds(project: Project, board: str, quality: str, rounds: int) -> Figure:
    """Measure 5 (the cache holds this quality's build already)."""
    project.build([board], quality, "--jobs", "2")
    return Figure([project.build([board], quality, "--jobs", "2").seconds for _ in range(rounds)])


def alternating(rounds: int, sides: dict[str, Callable[[], float]]) -> dict[str, Figure]:
    values: dict[str, list[float]] = {name: [] for name in sides}
    for number in range(rounds):
        for name, measure in sides.items():
            print(f"  {name}, round {number + 1}/{rounds}", flush=True)
            values[name].append(measure())
    return {name: Figure(found) for name, found in values.items()}


ONE_CORE = "--jobs 1, one core"


def one_core() -> set[int]:
    """The first of this machine's cores: a build held to it is what `taskset -c` makes."""
    return {min(os.sched_getaffinity(0))}


def seeds_jobs(project: Project, boards: list[str], rounds: int) -> dict[str, Figure]:
    """Measure 6: the seeds as one build, two jobs against one, each from an empty cache;
    and one job held to one core, which is what two jobs on two cores can be twice as fast as
    (a job is not one core: Manim encodes beside its drawing, the voice speaks on two threads)."""

    cores: dict[str, list[float]] = {}

    def side(name: str, jobs: int, cpus: set[int] | None = None) -> Callable[[], float]:
        def measure() -> float:
            project.empty(f"jobs{jobs}", f"jobs{jobs}-cache")
            built = project.build(boards, "low", "--jobs", str(jobs), out=f"jobs{jobs}", cache=f"jobs{jobs}-cache", cpus=cpus, memory=False)
            cores.setdefault(name, []).append(built.cores)
            return built.seconds

        return measure

    times = alternating(rounds, {"--jobs 2": side("--jobs 2", 2), "--jobs 1": side("--jobs 1", 1), ONE_CORE: side(ONE_CORE, 1, one_core())})
    # How busy each side kept the two cores, which bounds the ratio from below.
    return {**times, **{f"cores {name}": Figure(found) for name, found in cores.items()}}


def seeds_dask(project: Project, boards: list[str], rounds: int) -> dict[str, Figure]:
    """Measure 7: a scheduler and a worker process group, on loopback, as separate processes."""

    def side(workers: int, cpus: set[int] | None = None) -> Callable[[], float]:
        """`cpus`: the cores the scheduler, the workers and the build are held to."""

        def measure() -> float:
            port = free_port()
            held = (lambda: os.sched_setaffinity(0, cpus)) if cpus else None
            scheduler = subprocess.Popen([str(BIN / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment(), preexec_fn=held)
            worker = subprocess.Popen([str(BIN / "dask"), "worker", f"tcp://127.0.0.1:{port}", "--nworkers", str(workers), "--nthreads", "1", "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=environment(), preexec_fn=held)
            try:
                wait_for_workers(f"tcp://127.0.0.1:{port}", workers)
                project.empty(f"dask{workers}", f"dask{workers}-cache")
                return project.build(boards, "low", "--scheduler", f"tcp://127.0.0.1:{port}", out=f"dask{workers}", cache=f"dask{workers}-cache", cpus=cpus, memory=False).seconds
            finally:
                for process in (worker, scheduler):
                    process.terminate()
                    process.wait(timeout=60)

        return measure

    return alternating(rounds, {"two workers": side(2), "one worker": side(1), "one worker, one core": side(1, one_core())})


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_workers(address: str, count: int) -> None:
    from distributed import Client

    with Client(address, timeout="60s") as client:
        client.wait_for_workers(count, timeout=120)


# -- the report --------------------------------------------------------------------------


def machine() -> str:
    cpu = "unknown CPU"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    from importlib import metadata

    voiceover = subprocess.run([str(baseline_python()), "-c", "from importlib import metadata; print(metadata.version('manim-voiceover'))"], capture_output=True, text=True).stdout.strip()
    return (
        f"{cpu}, {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB RAM; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}; Manim {metadata.version('manim')}; manim-voiceover {voiceover}"
    )


def row(name: str, value: float, target: str, met: bool, detail: str, digits: int = 3) -> str:
    return f"| {name} | {value:.{digits}f} | {target} | {'yes' if met else 'NO'} | {detail} |"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="low quality, small storyboards, one round: checks that the bench works")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--ssim-only", action="store_true", help="measure 2 again on the videos a full run left, and update its SSIM rows")
    parser.add_argument("--cold-only", action="store_true", help="measure 1, 2 and 8 alone (after a change to the render), into their rows")
    parser.add_argument("--unchanged-only", action="store_true", help="measure 5 alone, into its rows")
    parser.add_argument("--memory-only", action="store_true", help="measure 8 alone (after a change to what the workers hold), into its row")
    parser.add_argument("--edits-only", action="store_true", help="measure 3 and 4 alone (after a change to what an edit runs), into their rows")
    parser.add_argument("--jobs-only", action="store_true", help="measure 6 alone (after a change to what the workers do), into its row")
    parser.add_argument("--dask-only", action="store_true", help="measure 7 alone (a full run stopped before it), into its row")
    arguments = parser.parse_args()
    alone = {"ssim_only": lambda rounds: ssim_again(), "cold_only": cold_again, "unchanged_only": unchanged_again, "memory_only": memory_again, "edits_only": edits_again, "jobs_only": jobs_again, "dask_only": dask_again}
    chosen = next((measure for name, measure in alone.items() if getattr(arguments, name)), None)
    if chosen is not None:
        sys.path.insert(0, str(ROOT))
        chosen(max(3, arguments.rounds))
        return
    quick = arguments.quick
    rounds = 1 if quick else max(3, arguments.rounds)
    quality = "low" if quick else "high"
    sys.path.insert(0, str(ROOT))
    OUT.mkdir(parents=True, exist_ok=True)

    autoencoder = (ROOT / "storyboards" / "autoencoder.yaml").read_text()
    if quick:  # two scenes of the autoencoder, and two small "seeds"
        data = yaml.safe_load(autoencoder)
        data["scenes"] = data["scenes"][2:4]
        autoencoder = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    seeds = {"s1": autoencoder, "s2": autoencoder.replace("Users typically", "Most users")} if quick else {name: (ROOT / "storyboards" / f"{name}.yaml").read_text() for name in SEEDS}
    main_project = Project("autoencoder", {"autoencoder": autoencoder})
    seed_project = Project("seeds", seeds)

    # The report is written again after every measure: a run stopped early keeps what it measured.
    found: dict[str, Any] = {}

    def measured(name: str, value: Any) -> Any:
        found[name] = value
        write_report(quick, quality, rounds, found)
        return value

    print(f"cold narrated builds at {quality} quality: vidgen and manim-voiceover …", flush=True)
    cold = measured("cold", cold_builds(main_project, "autoencoder", quality, rounds))
    cold_here: Figure = cold["seconds"]
    if quick:
        cold_low = cold_here
    else:
        print("cold builds at low quality (the base of the low-quality edit ratio) …", flush=True)
        cold_low = alternating(rounds, {"cold low": lambda: cold_seconds(main_project, "low")})["cold low"]
    print("one-beat edits …", flush=True)
    edits = measured("edits", {"low": edit_rebuilds(main_project, "autoencoder", "low", rounds, cold_low)})
    print("the writer's loop …", flush=True)
    measured("loop", {"watch": watch_loop(main_project, "autoencoder", max(rounds, 3)), "preview": writers_loop(main_project, "autoencoder", max(rounds, 3))})
    print("rebuilds with nothing changed …", flush=True)
    measured("unchanged", {q: unchanged_rebuilds(main_project, "autoencoder", q, max(rounds, 3)) for q in (["low"] if quick else ["low", "high"])})
    if not quick:
        edits["high"] = edit_rebuilds(main_project, "autoencoder", "high", rounds, cold_here)
        measured("edits", edits)
    print("seed videos, --jobs 2 and --jobs 1 …", flush=True)
    measured("jobs", seeds_jobs(seed_project, list(seeds), rounds))
    print("seed videos on a Dask cluster, two workers and one …", flush=True)
    measured("dask", seeds_dask(seed_project, list(seeds), rounds))
    print(write_report(quick, quality, rounds, found, done=True))


def ssim_again() -> None:
    """Measure 2 on what a full run left (the last 1080p60 build of the autoencoder, with its
    cache, and each baseline's last round, with its voices), into RESULTS.md's SSIM rows."""
    project = Project("autoencoder", {}, fresh=False)
    videos = {"vidgen": project.video("autoencoder")}
    for side, tag in (("manim-voiceover", "manim"), ("manim-voiceover + vidgen encoder", "vidgen")):
        videos[side] = next((project.path / f"baseline-{tag}").rglob(f"{MANIM_FOLDER['high']}/StoryboardVoiceover.mp4"))
    found = against_lossless(project, "autoencoder", "high", videos)
    ssim_ok = same_quality(found)
    rows = ssim_rows(found)

    def met(line: str) -> str:  # a cold-build ratio is met only at equal quality
        cells = line.split(" | ")
        cells[3] = "yes" if float(cells[1]) >= float(cells[2].removeprefix("≥ ")) and ssim_ok else "NO"
        return " | ".join(cells)

    replace_rows("| SSIM against its own lossless render:", rows, "| cold build: vidgen / manim-voiceover with", "`python bench/run.py --ssim-only`, with references that repeat each video's speech", met)


def autoencoder_project(fresh: bool = True) -> Project:
    """The autoencoder storyboard's project, as a measure run alone uses it."""
    return Project("autoencoder", {"autoencoder": (ROOT / "storyboards" / "autoencoder.yaml").read_text()}, fresh=fresh)


def unchanged_again(rounds: int) -> None:
    """Measure 5 alone, into its rows (the autoencoder project a run left, or a new one)."""
    project = autoencoder_project(fresh=not (OUT / "autoencoder").exists())
    rows = {q: unchanged_rebuilds(project, "autoencoder", q, rounds) for q in ("low", "high")}

    def measured_again(line: str) -> str:
        for name, figure in rows.items():
            if line.startswith(f"| rebuild with nothing changed, {name} "):
                return unchanged_row(name, figure)
        return line

    rewrite_results(lambda old: [measured_again(line) for line in old], f"`python bench/run.py --unchanged-only` ({rounds} rounds): the rebuilds with nothing changed")


def two_against_one(label: str, figures: dict[str, Figure], two: str, one: str, target: float, detail: str = "", beside: bool = False) -> str:
    """A row for the time with two workers against one; `beside` a target's own row (the
    target in brackets: this row is not what it is judged by)."""
    share = ratio(figures[two], figures[one])
    return row(label, share, f"(≤ {target})" if beside else f"≤ {target}", share <= target, f"{figures[two]} s / {figures[one]} s{detail}")


def jobs_row(jobs: dict[str, Figure]) -> str:
    busy = f"; cores busy (CPU s / wall s): {jobs['cores --jobs 2']} and {jobs['cores --jobs 1']}" if "cores --jobs 1" in jobs else ""
    rows = [two_against_one("five seed videos: --jobs 2 / --jobs 1", jobs, "--jobs 2", "--jobs 1", 0.55, f", low quality, empty caches{busy}")]
    if ONE_CORE in jobs:
        rows.append(two_against_one("five seed videos: --jobs 2 / --jobs 1 held to one core (`taskset -c 0`)", jobs, "--jobs 2", ONE_CORE, 0.55, f"; cores busy: {jobs[f'cores {ONE_CORE}']}", beside=True))
    return "\n".join(rows)


def dask_row(dask: dict[str, Figure]) -> str:
    rows = [two_against_one("five seed videos on Dask (loopback): two worker processes / one", dask, "two workers", "one worker", 0.6)]
    if "one worker, one core" in dask:
        rows.append(two_against_one("five seed videos on Dask: two worker processes / one, cluster and build held to one core", dask, "two workers", "one worker, one core", 0.6, beside=True))
    return "\n".join(rows)



def seeds_again(rounds: int, measure: Callable[[Project, list[str], int], dict[str, Figure]], to_row: Callable[[dict[str, Figure]], str], prefix: str, after: str, option: str) -> None:
    """A measure of the five seeds alone, into its RESULTS.md row."""
    seeds = {name: (ROOT / "storyboards" / f"{name}.yaml").read_text() for name in SEEDS}
    replace_rows(prefix, [to_row(measure(Project("seeds", seeds), list(seeds), rounds))], after, f"`python bench/run.py {option}`")


def jobs_again(rounds: int) -> None:
    """Measure 6 alone (after a change to what the workers do)."""
    seeds_again(rounds, seeds_jobs, jobs_row, "| five seed videos: --jobs 2", "| rebuild with nothing changed, high", "--jobs-only")


def dask_again(rounds: int) -> None:
    """Measure 7 alone (a full run stopped before it)."""
    seeds_again(rounds, seeds_dask, dask_row, "| five seed videos on Dask", "| five seed videos: --jobs 2", "--dask-only")


def rewrite_results(change: Callable[[list[str]], list[str]], how: str) -> None:
    """Rewrite RESULTS.md's lines with `change`, and add a line saying how they were measured."""
    results = ROOT / "bench" / "RESULTS.md"
    lines = change(results.read_text().splitlines())
    lines += [f"Rows measured again by {how}, on {time.strftime('%Y-%m-%d')}.", ""]
    results.write_text("\n".join(lines))
    print(results.read_text())


def replace_rows(prefix: str, rows: list[str], after: str, how: str, adjust: Callable[[str], str] = lambda line: line) -> None:
    """Put `rows` in RESULTS.md in place of those starting with `prefix`, after the last row
    starting with `after` (a measure may have several rows); `adjust` rewrites the
    `| cold build` rows."""

    def change(old: list[str]) -> list[str]:
        lines = [adjust(line) if line.startswith("| cold build") else line for line in old if not line.startswith(prefix)]
        last = max(index for index, line in enumerate(lines) if line.startswith(after))
        return [*lines[: last + 1], *rows, *lines[last + 1 :]]

    rewrite_results(change, how)


def cold_seconds(project: Project, quality: str) -> float:
    """A cold build of the autoencoder at `quality`, in folders of its own."""
    project.empty(f"out-{quality}", f"cache-{quality}")
    return project.build(["autoencoder"], quality, "--jobs", "2", out=f"out-{quality}", cache=f"cache-{quality}").seconds


def memory_again(rounds: int) -> None:
    """Measure 8 alone, into its row (after a change to what the workers hold): vidgen's cold
    1080p60 builds without the baselines between them."""
    project = autoencoder_project()
    peaks, proportional = [], []
    for number in range(rounds):
        print(f"  cold build at high quality, round {number + 1}/{rounds}", flush=True)
        project.empty("out", "cache")
        built = project.build(["autoencoder"], "high", "--jobs", "2")
        peaks.append(built.peak_rss / 1e9)
        proportional.append(built.peak_pss / 1e9)
    found = peak_row({"peak": Figure(peaks), "pss": Figure(proportional)}, "high")
    rewrite_results(lambda old: [found if line.startswith("| peak memory") else line for line in old], f"`python bench/run.py --memory-only` ({rounds} rounds): the peak memory")


def edits_again(rounds: int) -> None:
    """Measures 3 and 4 alone, into their rows (after a change to what an edit runs): each
    quality's edits against cold builds of that quality made in this run."""
    project = autoencoder_project()
    edits = {}
    for quality in ("low", "high"):
        print(f"cold builds at {quality} quality (the base of its edit ratio) …", flush=True)
        cold = alternating(rounds, {f"cold {quality}": lambda quality=quality: cold_seconds(project, quality)})[f"cold {quality}"]
        print(f"one-beat edits at {quality} quality …", flush=True)
        edits[quality] = edit_rebuilds(project, "autoencoder", quality, rounds, cold)
    print("the writer's loop …", flush=True)
    new = edit_rows(edits) + loop_rows({"watch": watch_loop(project, "autoencoder", rounds), "preview": writers_loop(project, "autoencoder", rounds)})

    def change(old: list[str]) -> list[str]:
        kept = [line for line in old if not line.startswith(("| one-beat edit", "| writer's loop", "| the same with a new"))]
        after = max(index for index, line in enumerate(kept) if line.startswith("| SSIM against"))
        return kept[: after + 1] + new + kept[after + 1 :]

    rewrite_results(change, f"`python bench/run.py --edits-only` ({rounds} rounds): the one-beat edits, with cold builds of each quality, and the writer's loop")


def cold_rows(cold: dict[str, Any]) -> list[str]:
    """Measures 1 and 2: the cold-build ratios (met only at equal quality) and the SSIM rows."""
    throughput, quality_of = cold["throughput"], cold["quality"]
    vidgen, default, encoder = throughput["vidgen"], throughput["manim-voiceover"], throughput["manim-voiceover + vidgen encoder"]
    ssim_ok = same_quality(quality_of)
    return [
        row("cold build, video s per wall s: vidgen / manim-voiceover (Manim's encoder)", ratio(vidgen, default), "≥ 2.5", ratio(vidgen, default) >= 2.5 and ssim_ok, f"{vidgen} vs {default}"),
        row("cold build: vidgen / manim-voiceover with vidgen's encoder settings", ratio(vidgen, encoder), "≥ 1.5", ratio(vidgen, encoder) >= 1.5 and ssim_ok, f"{vidgen} vs {encoder}"),
        *ssim_rows(quality_of),
    ]


def same_quality(quality_of: dict[str, tuple[float, float]]) -> bool:
    return quality_of["vidgen"][0] >= quality_of["manim-voiceover"][0]


def ssim_rows(quality_of: dict[str, tuple[float, float]]) -> list[str]:
    ssim_ok = same_quality(quality_of)
    return [row(f"SSIM against its own lossless render: {side}", value, "vidgen ≥ Manim's", ssim_ok, f"{rate * 8 / 1e6:.2f} Mbit/s of video", digits=5) for side, (value, rate) in quality_of.items()]


def peak_row(cold: dict[str, Any], quality: str) -> str:
    peak, proportional = cold["peak"], cold["pss"]
    return row(f"peak memory of the process tree, cold build at {quality}, two workers (GB)", peak.median, "≤ 1.0", peak.median <= 1.0,
               f"{peak} GB, its processes' RSS summed; PSS summed (shared library pages counted once): {proportional} GB")


def unchanged_row(quality: str, figure: Figure) -> str:
    return row(f"rebuild with nothing changed, {quality} (s)", figure.median, "≤ 1", figure.median <= 1, f"{figure} s")


def edit_rows(edits: dict[str, Any]) -> list[str]:
    """Measure 3's rows, for the qualities measured."""
    rows = []
    for name, target in (("low", 0.10), ("high", 0.05)):
        if name in edits:
            edit = edits[name]
            share = edit["worst"] / edit["cold"]
            rows.append(row(f"one-beat edit rebuild / cold build, worst scene, {name}", share, f"≤ {target:.2f}", share <= target,
                            f"worst {edit['worst']:.1f} s (scene {edit['worst_scene']}), mean {edit['mean']:.1f} s over {len(edit['per_scene'])} scenes; "
                            f"cold {edit['cold']:.1f} s; edited beat re-rendered in {edit['rendered']} edits, "
                            f"from {edit['pieces'].get('reused', 0)} kept pieces and {edit['pieces'].get('drawn', 0)} drawn"))
    return rows


def loop_rows(loop: dict[str, Figure]) -> list[str]:
    """Measure 4's rows."""
    watch, preview = loop["watch"], loop["preview"]
    return [
        row("writer's loop: edit saved → new preview page, `vidgen watch` running (s)", watch.median, "≤ 5", watch.median <= 5, f"{watch} s, low quality; workers kept warm"),
        row("the same with a new `vidgen preview` run per edit (s)", preview.median, "(≤ 5)", preview.median <= 5, f"{preview} s: starts its workers every time"),
    ]


def stages_line(cold: dict[str, Any]) -> str:
    return f"vidgen's stages in the last cold build (s): {', '.join(f'{k} {v:.1f}' for k, v in cold['stages'].items())}."


def cold_again(rounds: int) -> None:
    """Measures 1, 2 and 8 alone, into RESULTS.md's rows (after a change to the render)."""
    project = autoencoder_project()
    cold = cold_builds(project, "autoencoder", "high", rounds)
    new = {"| peak memory": peak_row(cold, "high"), "vidgen's stages in the last cold build": stages_line(cold)}

    def change(old: list[str]) -> list[str]:
        lines = [next((text for prefix, text in new.items() if line.startswith(prefix)), line) for line in old if not line.startswith(("| cold build", "| SSIM against"))]
        table = next(index for index, line in enumerate(lines) if line.startswith("| --- "))
        lines[table + 1 : table + 1] = cold_rows(cold)
        return lines

    rewrite_results(change, f"`python bench/run.py --cold-only` ({rounds} rounds): the cold builds, SSIM and peak memory")


def write_report(quick: bool, quality: str, rounds: int, found: dict[str, Any], done: bool = False) -> str:
    """RESULTS.md from the measures `found` so far (the others are left as not measured yet)."""
    rows = []
    cold = found.get("cold")
    if cold:
        rows += cold_rows(cold)
    rows += edit_rows(found.get("edits", {}))
    if "loop" in found:
        rows += loop_rows(found["loop"])
    for name, figure in found.get("unchanged", {}).items():
        rows.append(unchanged_row(name, figure))
    if "jobs" in found:
        rows.append(jobs_row(found["jobs"]))
    if "dask" in found:
        rows.append(dask_row(found["dask"]))
    if cold:
        rows.append(peak_row(cold, quality))
    report = "\n".join(
        [
            "# Benchmark results" + (" (--quick: low quality, small storyboards, one round; not the real figures)" if quick else ""),
            "",
            f"Measured by `python bench/run.py{' --quick' if quick else ''}` on {time.strftime('%Y-%m-%d')}, on: {machine()}."
            + ("" if done else " **The run had not finished when this was written: the measures missing were not made.**"),
            "",
            "Both sides make the same narrated video: `storyboards/autoencoder.yaml` built by `vidgen build --offline`,",
            "and the same storyboard as one manim-voiceover scene with a Piper speech service (`bench/baseline/`),",
            "rendered by `manim` with its default encoder and again with vidgen's encoder settings. Figures are the",
            f"median of {rounds} alternating round(s), with the spread (min–max) in brackets.",
            "",
            "| measure | value | target | met | detail |",
            "| --- | --- | --- | --- | --- |",
            *rows,
            "",
            stages_line(cold) if cold else "",
            "",
        ]
    )
    target = OUT / "RESULTS-quick.md" if quick else ROOT / "bench" / "RESULTS.md"
    target.write_text(report)
    return report


if __name__ == "__main__":
    main()
