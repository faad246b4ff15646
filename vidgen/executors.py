"""Where the heavy tasks run: speech per beat, layout check per scene, render per segment.

In this process (one job), in a local process pool (several jobs), or on a Dask cluster
(`--scheduler tcp://host:port`), always behind the standard `concurrent.futures.Executor`
interface, so the build code does not care which. Dask retries a task whose worker is
lost; the local pool reports the dead worker and the next build resumes from the cache.

Renders go through a `Dispatcher`: every video of a build hands it its tasks with a
priority (a segment's length), and it keeps the workers fed, highest priority first, so the
longest segments of all videos start first and the last worker is not left alone with one.
"""

from __future__ import annotations

import atexit
import heapq
import itertools
import multiprocessing
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import CancelledError, Executor, Future, ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Any

from vidgen.errors import UsageError

DASK_RETRIES = 3


class Dispatcher:
    """Runs tasks on an executor, no more at once than it has workers (`slots()`, asked
    again at each submission: a cluster may grow), the highest priority first. Submitting
    happens on a thread of its own: executors' callbacks run on their internal threads,
    where submitting again is not safe everywhere."""

    def __init__(self, executor: Executor, slots: Callable[[], int]) -> None:
        self.executor = executor
        self.slots = slots
        self._queue: list[tuple[float, int, Future, Callable[..., Any], tuple[Any, ...]]] = []
        self._order = itertools.count()
        self._running = 0
        self._limit = 1
        self._closed = False
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None

    def submit(self, priority: float, function: Callable[..., Any], *args: Any) -> Future:
        outer: Future = Future()
        limit = self._slots()
        with self._changed:
            self._limit = limit
            if self._closed:
                raise RuntimeError("the workers are closed")
            heapq.heappush(self._queue, (-priority, next(self._order), outer, function, args))
            if self._thread is None:
                self._thread = threading.Thread(target=self._dispatch, name="vidgen-dispatch", daemon=True)
                self._thread.start()
            self._changed.notify()
        return outer

    def _slots(self) -> int:
        try:
            return max(1, self.slots())
        except Exception:  # noqa: BLE001 - a cluster closing: one at a time until it is gone
            return 1

    def _dispatch(self) -> None:
        while True:
            with self._changed:
                while not self._closed and (not self._queue or self._running >= self._limit):
                    self._changed.wait()
                if self._closed:
                    return
                _, _, outer, function, args = heapq.heappop(self._queue)
                if not outer.set_running_or_notify_cancel():
                    continue
                self._running += 1
            try:
                inner = self.executor.submit(function, *args)
            except BaseException as error:  # a shut-down or broken executor
                self._finished(outer, None, error)
                continue
            inner.add_done_callback(lambda done, outer=outer: self._finished(outer, done))

    def _finished(self, outer: Future, inner: Future | None, error: BaseException | None = None) -> None:
        with self._changed:
            self._running -= 1
            self._changed.notify()
        try:
            value = inner.result() if inner is not None else None
        except BaseException as failure:  # noqa: BLE001 - handed to whoever waits on `outer`
            error = failure
        if error is not None:
            outer.set_exception(error)
        else:
            outer.set_result(value)

    def close(self) -> None:
        """Dispatch nothing more; tasks still queued fail as cancelled."""
        with self._changed:
            self._closed = True
            queued, self._queue = self._queue, []
            self._changed.notify_all()
        for _, _, outer, _, _ in queued:
            if outer.set_running_or_notify_cancel():
                outer.set_exception(CancelledError())


@dataclass(frozen=True)
class Workers:
    """An executor and whether its workers read and write the driver's cache folder."""

    executor: Executor | None  # None: run everything in this process
    shared_cache: bool = True
    cancel: Callable[[], None] = lambda: None  # stop running tasks now (the run was interrupted)
    dispatcher: Dispatcher | None = None
    # Start a worker now, if none has started, so that it is ready (Manim imported) for the
    # renders while this process does a little work itself; whether none had started.
    start_early: Callable[[], bool] = lambda: False

    def submit(self, priority: float, function: Callable[..., Any], *args: Any) -> Future:
        """Run `function(*args)` on the workers, before lower priorities; in this process
        (at once) when there are no workers."""
        if self.dispatcher is not None:
            return self.dispatcher.submit(priority, function, *args)
        if self.executor is not None:
            return self.executor.submit(function, *args)
        future: Future = Future()
        try:
            future.set_result(function(*args))
        except Exception as error:  # an interrupt is not a result: it stops the build here
            future.set_exception(error)
        return future


THREADS_VARIABLE = "VIDGEN_WORKER_THREADS"


def usable_cores() -> int:
    """The cores this process may run on: fewer than the machine's under `taskset`, in a
    container given a CPU set, or in a job of a cluster's batch system, where a build that
    counted the machine's cores started more workers (and speech threads) than it had cores."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):  # not Linux
        return os.cpu_count() or 1


def worker_threads() -> int | None:
    """The threads a task may use when it shares the machine with other workers, or None
    when it runs alone (and may use every core)."""
    value = os.environ.get(THREADS_VARIABLE, "")
    return int(value) if value.isdigit() and int(value) > 0 else None


def share_cores(tasks_here: int) -> None:
    """This process is one of the workers running `tasks_here` tasks at once on this
    machine: each of its tasks may use its share of the cores (see worker_threads)."""
    os.environ[THREADS_VARIABLE] = str(max(1, usable_cores() // max(1, tasks_here)))


def _start_worker(jobs: int) -> None:
    # Workers leave Ctrl-C to the driver, which stops them and cleans up.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    share_cores(jobs)
    # Registered first, so it runs last (atexit runs last in, first out).
    atexit.register(leave_now)


def leave_now(status: int = 0) -> None:
    """A process's last exit handler: its work is done and its own handlers have run (a
    worker's results are sent, its Manim scratch folder is gone), so it leaves without
    tearing its modules down, which kept every build waiting 0.3 s at its end for each
    worker, and 0.27 s more for the `vidgen` program itself."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError, AttributeError):
            pass
    os._exit(status)


class LazyPool(Executor):
    """A process pool started by its first task: a build that finds everything in the
    cache starts no worker (spawning them and importing Manim costs seconds)."""

    def __init__(self, jobs: int) -> None:
        self.jobs = jobs
        self.pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def _started(self) -> ProcessPoolExecutor:
        with self._lock:
            if self.pool is None:
                # Spawned, not forked: Manim keeps process-global state and the driver holds threads.
                self.pool = ProcessPoolExecutor(self.jobs, mp_context=multiprocessing.get_context("spawn"), initializer=_start_worker, initargs=(self.jobs,))
            return self.pool

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        return self._started().submit(fn, *args, **kwargs)

    def start_early(self) -> bool:
        """Start a worker now, importing Manim in the background (the pool spawns workers as
        tasks come); False when the pool had started already."""
        with self._lock:
            if self.pool is not None:
                return False
        self.submit(_warm_in_background)
        return True

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=wait, cancel_futures=cancel_futures)


def _terminator(lazy: LazyPool) -> Callable[[], None]:
    def terminate() -> None:
        pool = lazy.pool
        if pool is None:
            return
        if hasattr(pool, "terminate_workers"):  # Python 3.14
            pool.terminate_workers()
            return
        for process in list((getattr(pool, "_processes", None) or {}).values()):
            process.terminate()  # the pool then fails every waiting future at once

    return terminate


def give_back_memory() -> None:
    """Hand the memory a finished task freed back to the system. glibc keeps freed blocks
    (a segment's full-size frames, a voice model) in per-thread arenas, so a worker that has
    rendered a few 1080p segments held several hundred MB it no longer used. Elsewhere than
    glibc, nothing to do."""
    import ctypes
    import gc

    # A rendered Manim scene is a reference cycle (scene, renderer, camera, file writer) that
    # keeps its full-size frames until the cycle collector next runs: without this, 11 of a
    # 1080p build's 28 scenes were still held at its end, ~290 MB of frames.
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


M_TRIM_THRESHOLD, M_MMAP_THRESHOLD = -1, -3  # mallopt's parameters (malloc.h)


def usual_allocator() -> None:
    """Undo the allocator settings a Dask worker is started with. Its nanny sets
    MALLOC_TRIM_THRESHOLD_ (to hand freed memory back at once), which also turns glibc's
    adaptive mmap threshold off: every buffer over 128 KiB (a frame, a beat's audio) was
    then mapped afresh and its pages faulted in, and speaking took 1.4x its CPU time. The
    thresholds go back to where glibc's adaptive ones settle for such buffers; a worker
    still trims after each full-size task (give_back_memory)."""
    if "MALLOC_TRIM_THRESHOLD_" not in os.environ:
        return
    import ctypes

    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:  # not glibc: the variable meant nothing
        return
    libc.mallopt(M_MMAP_THRESHOLD, 32 * 2**20)  # glibc's ceiling for the adaptive threshold on 64-bit
    libc.mallopt(M_TRIM_THRESHOLD, 64 * 2**20)  # twice the mmap threshold, as glibc keeps it


def _warm_in_background() -> None:
    """Import Manim (a second or two) on a thread of the worker, so that it is ready for the
    renders of an edit while the driver speaks the edited beats; a task that needs Manim
    meanwhile waits for the import to finish. Only for that: workers that speak would hold
    Manim beside the voice model and its buffers (a cold 1080p build's speech took 1.04 GB
    summed with Manim imported beside it, 0.89 without)."""
    threading.Thread(target=_warm, name="vidgen-warm", daemon=True).start()


def _warm() -> None:
    # At the lowest priority: the driver may not need this worker at all (an edit put
    # together from kept pieces, vidgen.render.assembly), and its speech, narration and
    # mux must not wait for a core behind an import. A render waiting for it leaves the
    # driver idle, and the import a core of its own.
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)  # this thread only (Linux)
    except (OSError, AttributeError):
        pass
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
        from vidgen.cluster import prepare_workers, stoppable_executor

        prepare_workers(client)
        executor = stoppable_executor(client, DASK_RETRIES)
        dispatcher = Dispatcher(executor, lambda: sum(client.nthreads().values()))

        def cancel() -> None:
            dispatcher.close()
            executor.stop()  # cancels every future, so the running tasks stop too

        try:
            yield Workers(executor, shared_cache, cancel, dispatcher)
        except BaseException:
            cancel()  # an interrupted or failed run stops its tasks on the cluster
            raise
        finally:
            dispatcher.close()
            client.close()
        return
    if jobs <= 1:
        yield Workers(None)
        return
    pool = LazyPool(jobs)
    dispatcher = Dispatcher(pool, lambda: jobs)
    terminate = _terminator(pool)

    def cancel() -> None:
        dispatcher.close()
        terminate()

    try:
        yield Workers(pool, cancel=cancel, dispatcher=dispatcher, start_early=pool.start_early)
    except BaseException:
        cancel()  # an interrupted or failed run does not wait for renders
        raise
    finally:
        dispatcher.close()
        pool.shutdown(wait=True, cancel_futures=True)


class WarmWorkers:
    """The build's workers, kept open from one build to the next (the studio, `vidgen watch`):
    starting them, and Manim in each, takes seconds, longer than speaking and rendering one
    edited beat."""

    def __init__(self, jobs: int = usable_cores()) -> None:
        self.jobs = jobs
        self.stack: ExitStack | None = None
        self.workers: Workers | None = None

    def get(self) -> Workers:
        if self.workers is None:
            self.stack = ExitStack()
            self.workers = self.stack.enter_context(open_workers(self.jobs))
        return self.workers

    def close(self) -> None:
        """Stop them (after a failure that may have broken them, or when the studio closes)."""
        stack, workers, self.stack, self.workers = self.stack, self.workers, None, None
        if stack is not None and workers is not None:
            workers.cancel()
            stack.close()
