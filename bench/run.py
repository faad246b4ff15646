"""Benchmarks, run on demand (never in CI): `python bench/run.py`.

Everything is measured on this machine in one run, and reported as ratios against a
baseline measured in the same run:

1. cold build of storyboards/autoencoder.yaml at high quality, in seconds of finished video
   per wall-clock second, against the same animation as a plain Manim script
   (bench/baseline/autoencoder_baseline.py) rendered with `manim -qh`;
2. rebuild after changing one beat's narration / cold build;
3. rebuild with nothing changed / cold build;
4. mux time / whole build time;
5. peak memory (RSS of the whole process tree) of the cold build;
6. the five seed videos built together with `--jobs 2` / the same five built one after
   another with `--jobs 1` (wall time, each side from an empty cache, at low quality; the
   sides alternate twice and the faster round of each counts, since wall times on a shared
   machine vary by a tenth between identical runs);
7. `vidgen check` of each seed storyboard, the slowest of the five, once nothing has changed
   and after a narration edit (target: under a second), with the first check from an empty
   cache and the time to start Python and import Manim for reference.

Writes bench/RESULTS.md with the table and the machine it ran on.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
VENV_BIN = Path(sys.executable).parent


@dataclass
class Run:
    seconds: float
    peak_rss: int
    cpu_seconds: float  # user + system of the process and every child it waited for


def run(command: list[str], cwd: Path) -> Run:
    """Run a command, sampling the RSS of its whole process tree."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = psutil.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            try:
                tree = [process, *process.children(recursive=True)]
                peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
            except psutil.Error:
                pass
            time.sleep(0.1)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    stop.set()
    sampler.join()
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{err[-3000:]}")
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Run(time.perf_counter() - started, peak, cpu)


def video_seconds(path: Path) -> float:
    sys.path.insert(0, str(ROOT))
    from vidgen.media.probe import probe

    return probe(path).duration


def machine() -> str:
    cpu = "unknown CPU"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    import manim

    return (
        f"{cpu}, {os.cpu_count()} cores, {psutil.virtual_memory().total / 2**30:.0f} GiB RAM; "
        f"{platform.system()} {platform.release()}; Python {platform.python_version()}; Manim {manim.__version__}"
    )


def project_copy() -> Path:
    """A scratch copy of the project's storyboard and voices, so an edit touches nothing real."""
    project = OUT / "project"
    shutil.rmtree(project, ignore_errors=True)
    (project / "storyboards").mkdir(parents=True)
    shutil.copy(ROOT / "storyboards" / "autoencoder.yaml", project / "storyboards")
    shutil.copytree(ROOT / "voices", project / "voices")
    return project


SEEDS = ["autoencoder", "ncf", "autorec", "autoencoder_intuition", "autoencoder_training"]


@dataclass
class Side:
    seconds: list[float]  # wall time of each round
    cpu_seconds: list[float]


def seeds_together_and_apart(rounds: int = 2) -> tuple[Side, Side]:
    """The five seed videos as one `--jobs 2` build, and one by one with `--jobs 1`, each from
    an empty cache; the two sides alternate, `rounds` times, so a slow spell of a shared
    machine falls on both."""
    common = ["--quality", "low", "--offline"]
    boards = [f"storyboards/{name}.yaml" for name in SEEDS]
    together, apart = Side([], []), Side([], [])
    for _ in range(rounds):
        for side in ("together", "apart"):
            shutil.rmtree(OUT / side, ignore_errors=True)
            shutil.rmtree(OUT / f"{side}-cache", ignore_errors=True)
        build = run([str(VENV_BIN / "vidgen"), "build", *boards, *common, "--jobs", "2", "--out", str(OUT / "together"), "--cache", str(OUT / "together-cache")], ROOT)
        together.seconds.append(build.seconds)
        together.cpu_seconds.append(build.cpu_seconds)
        runs = [run([str(VENV_BIN / "vidgen"), "build", board, *common, "--jobs", "1", "--out", str(OUT / "apart"), "--cache", str(OUT / "apart-cache")], ROOT) for board in boards]
        apart.seconds.append(sum(r.seconds for r in runs))
        apart.cpu_seconds.append(sum(r.cpu_seconds for r in runs))
    return together, apart


def check_times() -> dict[str, float]:
    """Seconds of `vidgen check`, the slowest seed in each situation: from an empty cache,
    with nothing changed, after an edit of the first narration; and Manim's import alone."""
    import yaml

    project = OUT / "check-project"
    shutil.rmtree(project, ignore_errors=True)
    shutil.copytree(ROOT / "storyboards", project / "storyboards")
    shutil.copytree(ROOT / "voices", project / "voices")
    vidgen = str(VENV_BIN / "vidgen")
    times = {"import manim": run([sys.executable, "-c", "import manim"], project).seconds}
    for name in SEEDS:
        board = project / "storyboards" / f"{name}.yaml"
        measured = {"empty cache": run([vidgen, "check", str(board)], project).seconds, "nothing changed": run([vidgen, "check", str(board)], project).seconds}
        data = yaml.safe_load(board.read_text())
        beat = data["scenes"][0]["beats"][0]
        beat["say"] = {k: v + " Indeed." for k, v in beat["say"].items()} if isinstance(beat["say"], dict) else beat["say"] + " Indeed."
        board.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False))
        measured["narration edited"] = run([vidgen, "check", str(board)], project).seconds
        for situation, seconds in measured.items():
            times[situation] = max(times.get(situation, 0.0), seconds)
    return times


def main() -> None:
    shutil.rmtree(OUT, ignore_errors=True)
    OUT.mkdir(parents=True)
    project = project_copy()
    vidgen = [str(VENV_BIN / "vidgen"), "build", "storyboards/autoencoder.yaml", "--quality", "high", "--offline", "--out", str(OUT / "video"), "--cache", str(OUT / "cache")]

    print("baseline: plain Manim, -qh …", flush=True)
    baseline = run([str(VENV_BIN / "manim"), "-qh", "--disable_caching", "--media_dir", str(OUT / "baseline"), "-v", "WARNING", str(ROOT / "bench" / "baseline" / "autoencoder_baseline.py"), "AutoencoderAnimation"], ROOT)
    baseline_video = next((OUT / "baseline").rglob("1080p60/AutoencoderAnimation.mp4"))
    baseline_throughput = video_seconds(baseline_video) / baseline.seconds

    print("cold build …", flush=True)
    cold = run(vidgen, project)
    video = OUT / "video" / "autoencoder" / "autoencoder.mp4"
    cold_throughput = video_seconds(video) / cold.seconds
    stages = json.loads((video.parent / "build.json").read_text())["stages"]

    print("rebuild, nothing changed …", flush=True)
    unchanged = run(vidgen, project)

    print("rebuild after editing one beat …", flush=True)
    board = project / "storyboards" / "autoencoder.yaml"
    board.write_text(board.read_text().replace("That is the user's DNA, a compact code for their taste.", "That is the user's DNA, a short code for their taste."))
    edited = run(vidgen, project)

    print("the five seed videos, --jobs 2 together and --jobs 1 one after another …", flush=True)
    together, apart = seeds_together_and_apart()
    best_together, best_apart = min(together.seconds), min(apart.seconds)
    series = best_together / best_apart
    # How many cores each side kept busy: --jobs 1 already uses more than one (Piper's
    # threads, the encoder's thread), which bounds what a second job can add.
    cores_together = together.cpu_seconds[together.seconds.index(best_together)] / best_together
    cores_apart = apart.cpu_seconds[apart.seconds.index(best_apart)] / best_apart

    print("vidgen check of the five seeds …", flush=True)
    checks = check_times()
    warm = max(checks["nothing changed"], checks["narration edited"])

    rows = [
        ("cold-build throughput / plain Manim", cold_throughput / baseline_throughput, "≥ 1.5", cold_throughput / baseline_throughput >= 1.5,
         f"{cold_throughput:.2f} vs {baseline_throughput:.2f} s of video per s"),
        ("one-beat edit rebuild / cold build", edited.seconds / cold.seconds, "≤ 0.20", edited.seconds / cold.seconds <= 0.20, f"{edited.seconds:.1f} s / {cold.seconds:.1f} s"),
        ("no-change rebuild / cold build", unchanged.seconds / cold.seconds, "≤ 0.05", unchanged.seconds / cold.seconds <= 0.05, f"{unchanged.seconds:.1f} s / {cold.seconds:.1f} s"),
        ("mux / whole cold build", stages["mux"] / cold.seconds, "≤ 0.03", stages["mux"] / cold.seconds <= 0.03, f"{stages['mux']:.1f} s / {cold.seconds:.1f} s"),
        ("peak RSS of the cold build (GB)", cold.peak_rss / 1e9, "≤ 1.5", cold.peak_rss / 1e9 <= 1.5, "process tree, sampled every 0.1 s"),
        ("five seed videos: --jobs 2 / --jobs 1 one by one", series, "≤ 0.65", series <= 0.65,
         f"{best_together:.1f} s / {best_apart:.1f} s, low quality, the faster of {len(together.seconds)} alternating rounds each "
         f"(all: {', '.join(f'{t:.0f}' for t in together.seconds)} / {', '.join(f'{a:.0f}' for a in apart.seconds)} s); "
         f"cores busy {cores_together:.2f} vs {cores_apart:.2f}"),
        ("slowest seed `vidgen check`, unchanged or narration edited (s)", warm, "< 1", warm < 1,
         f"unchanged {checks['nothing changed']:.2f} s, narration edited {checks['narration edited']:.2f} s; "
         f"from an empty cache {checks['empty cache']:.1f} s; `import manim` alone {checks['import manim']:.2f} s"),
    ]
    table = ["| measure | ratio / value | target | met | detail |", "| --- | --- | --- | --- | --- |"]
    table += [f"| {name} | {value:.3f} | {target} | {'yes' if ok else 'NO'} | {detail} |" for name, value, target, ok, detail in rows]
    report = "\n".join(
        [
            "# Benchmark results",
            "",
            f"Measured by `python bench/run.py` on {time.strftime('%Y-%m-%d')}, on: {machine()}.",
            "",
            "The cold build synthesises all narration with Piper (offline) and renders every scene at",
            "1920x1080, 60 fps; the baseline renders the same animation, as a plain Manim script, with",
            "`manim -qh`. Both are measured in this run.",
            "",
            *table,
            "",
            f"Cold build stages (s): {', '.join(f'{k} {v:.1f}' for k, v in stages.items())}.",
            "",
        ]
    )
    (ROOT / "bench" / "RESULTS.md").write_text(report)
    print(report)


if __name__ == "__main__":
    main()
