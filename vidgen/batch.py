"""Many videos at once: every episode's speech and renders share the same workers, so the
cores stay busy across videos, not video after video; one failing episode stops only itself.

Each episode runs in a thread of the driver, which does the light work (validation,
planning, mux) and submits the heavy work (speech per beat, render per scene) to the
workers: a local process pool or a Dask cluster.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from pathlib import Path

from vidgen.build import BuildOptions, Hooks, build_on
from vidgen.errors import EXIT_BUG, VidgenError, machine_fault
from vidgen.executors import open_workers
from vidgen.series import Episode

MAX_EPISODE_THREADS = 8


@dataclass(frozen=True)
class EpisodeResult:
    episode: Episode
    state: str  # built, up to date, failed
    seconds: float
    length: float | None = None
    video: Path | None = None
    error: str | None = None
    exit_code: int = 0


def _one(episode: Episode, options: BuildOptions, hooks: Hooks, workers: object) -> EpisodeResult:
    started = time.perf_counter()
    try:
        result = build_on(episode.path, options, hooks, workers, episode.prepare)  # type: ignore[arg-type]
    except VidgenError as error:
        return EpisodeResult(episode, "failed", time.perf_counter() - started, error=str(error), exit_code=error.exit_code)
    except Exception as error:  # a bug in one episode must not take the others down
        fault = machine_fault(error)
        if fault is not None:
            return EpisodeResult(episode, "failed", time.perf_counter() - started, error=str(fault), exit_code=fault.exit_code)
        return EpisodeResult(episode, "failed", time.perf_counter() - started, error="vidgen hit a bug:\n" + traceback.format_exc(), exit_code=EXIT_BUG)
    state = "up to date" if result.report.get("up_to_date") else "built"
    return EpisodeResult(episode, state, time.perf_counter() - started, result.report["duration"], result.video)


def build_many(episodes: list[Episode], options: BuildOptions, hooks_for: Callable[[Episode], Hooks] = lambda episode: Hooks()) -> list[EpisodeResult]:
    """Build every episode; results in the episodes' order."""
    with open_workers(options.jobs, options.scheduler, options.cache_dir is not None) as workers:
        if workers.executor is None:
            # One job: everything runs here, in the main thread, one episode after another
            # (Manim's configuration is global), and Ctrl-C stops it where it is.
            return [_one(episode, options, hooks_for(episode), workers) for episode in episodes]
        stop = threading.Event()
        pool = ThreadPoolExecutor(max_workers=min(len(episodes), MAX_EPISODE_THREADS))
        futures = [pool.submit(_one, episode, options, replace(hooks_for(episode), cancelled=stop), workers) for episode in episodes]
        try:
            return [future.result() for future in futures]
        except BaseException:  # Ctrl-C or SIGTERM reaches this (the main) thread only
            stop.set()  # episodes stop at their next stage
            workers.cancel()  # and those waiting on a render or a beat fail now
            raise
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
