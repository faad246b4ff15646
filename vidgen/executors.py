"""Where the heavy tasks run: speech per beat and render per scene.

In this process (one job), in a local process pool (several jobs), or on a Dask cluster
(`--scheduler tcp://host:port`), always behind the standard `concurrent.futures.Executor`
interface, so the build code does not care which. Dask retries a task whose worker is
lost; the local pool reports the dead worker and the next build resumes from the cache.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator
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
        try:
            yield Workers(client.get_executor(pure=False, retries=DASK_RETRIES), shared_cache)
        finally:
            client.close()
        return
    if jobs <= 1:
        yield Workers(None)
        return
    # Spawned, not forked: Manim keeps process-global state and the driver holds threads.
    pool = ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn"))
    for _ in range(jobs):
        pool.submit(_warm)  # Manim's import overlaps speech instead of delaying renders
    try:
        yield Workers(pool)
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
