"""Where the heavy tasks run: speech per beat and render per scene.

In this process (one job), in a local process pool (several jobs), or on a Dask cluster
(`--scheduler tcp://host:port`), always behind the standard `concurrent.futures.Executor`
interface, so the build code does not care which. Dask retries a task whose worker is
lost; the local pool reports the dead worker and the next build resumes from the cache.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

from vidgen.errors import UsageError

DASK_RETRIES = 3


@dataclass(frozen=True)
class Workers:
    """An executor and whether its workers read and write the driver's cache folder."""

    executor: Executor | None  # None: run everything in this process
    shared_cache: bool = True
    cancel: Callable[[], None] = lambda: None  # stop running tasks now (the run was interrupted)


THREADS_VARIABLE = "VIDGEN_WORKER_THREADS"


def worker_threads() -> int | None:
    """The threads a task may use when it shares the machine with other workers, or None
    when it runs alone (and may use every core)."""
    value = os.environ.get(THREADS_VARIABLE, "")
    return int(value) if value.isdigit() and int(value) > 0 else None


def _start_worker(threads: int) -> None:
    # Workers leave Ctrl-C to the driver, which stops them and cleans up.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    os.environ[THREADS_VARIABLE] = str(threads)


def _terminator(pool: ProcessPoolExecutor) -> Callable[[], None]:
    def terminate() -> None:
        if hasattr(pool, "terminate_workers"):  # Python 3.14
            pool.terminate_workers()
            return
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            process.terminate()  # the pool then fails every waiting future at once

    return terminate


def _warm() -> None:
    import manim  # noqa: F401 - importing is the point: it takes a second or two

    import vidgen.render.scene  # noqa: F401


@contextmanager
def open_workers(jobs: int, scheduler: str | None = None, shared_cache: bool = True) -> Iterator[Workers]:
    if scheduler:
        try:
            from distributed import Client
        except ImportError:
            raise UsageError("--scheduler needs the 'distributed' package (pip install distributed)") from None
        try:
            client = Client(scheduler, timeout="10s")
        except OSError as error:
            raise UsageError(f"cannot reach the Dask scheduler at {scheduler}: {error}") from None
        from vidgen.cluster import stoppable_executor

        executor = stoppable_executor(client, DASK_RETRIES)
        try:
            yield Workers(executor, shared_cache, executor.stop)
        except BaseException:
            executor.stop()  # an interrupted or failed run stops its tasks on the cluster
            raise
        finally:
            client.close()
        return
    if jobs <= 1:
        yield Workers(None)
        return
    # Spawned, not forked: Manim keeps process-global state and the driver holds threads.
    threads = max(1, (os.cpu_count() or 1) // jobs)
    pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"), initializer=_start_worker, initargs=(threads,))
    for _ in range(jobs):
        pool.submit(_warm)  # Manim's import overlaps speech instead of delaying renders
    try:
        yield Workers(pool, cancel=_terminator(pool))
    except BaseException:
        _terminator(pool)()  # an interrupted or failed run does not wait for renders
        raise
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
