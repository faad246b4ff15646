"""Tasks on a Dask cluster that stop when the run that wanted them is interrupted.

Cancelling a future (or closing the client) only tells the scheduler to forget it: a task
already running on a worker goes on to its end, as Dask cannot interrupt a thread. So each
task runs beside a watcher that looks, a few times a second, at the worker's record of the
task; once the worker has marked it cancelled (or forgotten it), the watcher raises
TaskCancelled in the task's thread, which unwinds it like any exception: temporary files
are removed on the way out and the worker is free for the next task. A task blocked in C
(an encoder call, a subprocess) stops when that call returns.
"""

from __future__ import annotations

import ctypes
import threading
from collections.abc import Callable, Iterator
from typing import Any

from distributed.cfexecutor import ClientExecutor
from distributed.client import Client

POLL = 0.2  # seconds between looks at the task's state
_GONE = {"cancelled", "released", "forgotten"}


class TaskCancelled(BaseException):
    """Raised in a task whose future was cancelled. A BaseException, so that no
    `except Exception` on the way (an engine chain falling through, say) swallows it; not a
    KeyboardInterrupt, which Dask's worker would let escape."""


def _raise_in(thread_id: int) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(thread_id), ctypes.py_object(TaskCancelled))


def run_until_cancelled(function: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """`function(*args, **kwargs)`, stopped if its task is cancelled on the worker."""
    try:
        from distributed import get_worker

        worker = get_worker()
        key = worker.get_current_task()
    except (ValueError, KeyError):  # not in a Dask task: nothing can cancel it
        return function(*args, **kwargs)
    target = threading.get_ident()
    guard = threading.Lock()
    finished = threading.Event()

    def watch() -> None:
        while not finished.wait(POLL):
            task = worker.state.tasks.get(key)
            if task is None or task.state in _GONE:
                with guard:  # never after the task has finished: the thread is the worker's again
                    if not finished.is_set():
                        _raise_in(target)
                return

    threading.Thread(target=watch, name=f"vidgen-watch-{key}", daemon=True).start()
    try:
        return function(*args, **kwargs)
    finally:
        with guard:
            finished.set()


class _UntilCancelled:
    """`function` wrapped for the cluster; named as it is, since Dask names tasks (and
    dashboards show them) by their function."""

    def __init__(self, function: Callable[..., Any]) -> None:
        from dask.utils import funcname

        self.function = function
        self.__name__ = funcname(function)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return run_until_cancelled(self.function, args, kwargs)


class StoppableExecutor(ClientExecutor):
    """The standard Executor over a Dask client, with every task stoppable: `stop()`
    cancels every future and so stops the running tasks too."""

    def submit(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        return super().submit(_UntilCancelled(fn), *args, **kwargs)

    def map(self, fn: Callable[..., Any], *iterables: Any, timeout: float | None = None, chunksize: int = 1) -> Iterator[Any]:
        """Every task submitted at once (so that `stop()` knows them all), results in order."""
        futures = [self.submit(fn, *args) for args in zip(*iterables)]

        def results() -> Iterator[Any]:
            try:
                for future in futures:
                    yield future.result(timeout)
            finally:
                for future in futures:
                    future.cancel()  # those not reached: the caller stopped early

        return results()

    def stop(self) -> None:
        self.shutdown(wait=False)  # cancels every future this executor made


def prepare_workers(client: Client) -> None:
    """Ready each worker for vidgen's tasks, which took 1.5x the CPU time on a cluster that
    they take in a local pool (five seed videos on two worker processes, loopback; 1.1x
    once readied):
    - the cores its tasks may use: the cores of its machine divided among the threads of
      every worker there. A task took every core it saw, so two worker processes on one
      machine each ran the voice model on all of its cores, their idle threads spinning
      (onnxruntime's default): speaking took 1.4x its CPU time from that alone;
    - glibc's usual allocator thresholds (vidgen.executors.usual_allocator), another 1.3x;
    - no statistical profiler: the worker samples its running task's stack every 10 ms
      for the dashboard's profile, and Manim's deep stacks made that a fifth of a render.
      It stays off until the worker restarts (the worker's setting
      `distributed.worker.profile.enabled: false` keeps it off from the start).
    A worker that joins later keeps its defaults."""
    from collections import Counter

    try:
        threads = Counter[str]()
        for info in client.scheduler_info(n_workers=-1)["workers"].values():
            threads[info["host"]] += info["nthreads"]
        client.run(_prepare, dict(threads))
    except Exception:  # noqa: BLE001 - a worker gone meanwhile: the others keep their share
        pass


def _prepare(threads: dict[str, int], dask_worker: Any) -> None:  # Dask hands the worker in
    from distributed.comm import get_address_host

    from vidgen.executors import share_cores, usual_allocator

    usual_allocator()
    for name in ("profile", "profile-cycle"):
        callback = dask_worker.periodic_callbacks.get(name)
        if callback is not None:
            callback.stop()
    share_cores(threads.get(get_address_host(dask_worker.address), 1))


def stoppable_executor(client: Client, retries: int) -> StoppableExecutor:
    return StoppableExecutor(client, pure=False, retries=retries)
