"""What the build's processes hold: a finished task's reference cycles are freed when it
gives back its memory; a worker imports Manim only when a render needs it or an edit asks
it to get ready (not beside the voice model while it speaks); the build's own process looks
Piper up without loading onnxruntime."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import time
import weakref

from vidgen.executors import LazyPool, give_back_memory


class _Frame:
    """Stands for a rendered scene: it refers to itself, as Manim's scene and renderer do."""

    def __init__(self) -> None:
        self.me = self


def test_giving_back_memory_frees_what_a_cycle_held() -> None:
    was_enabled = gc.isenabled()
    gc.disable()  # the collector must not run on its own during the test
    try:
        frame = _Frame()
        alive = weakref.ref(frame)
        del frame
        assert alive() is not None  # only the cycle collector can free it
        give_back_memory()
        assert alive() is None
    finally:
        if was_enabled:
            gc.enable()


def _manim_imported(wait_seconds: float = 0.0) -> bool:
    deadline = time.monotonic() + wait_seconds
    while "manim" not in sys.modules and time.monotonic() < deadline:
        time.sleep(0.05)
    return "manim" in sys.modules


def test_a_worker_imports_manim_only_when_asked_to_get_ready() -> None:
    speaking = LazyPool(1)
    try:
        # Given time to import it (1-2 s when it did so on its own), it has not.
        assert speaking.submit(_manim_imported, 4.0).result(timeout=60) is False
    finally:
        speaking.shutdown()
    editing = LazyPool(1)
    try:
        assert editing.start_early() is True
        assert editing.start_early() is False  # started already
        assert editing.submit(_manim_imported, 60.0).result(timeout=90) is True
    finally:
        editing.shutdown()


def test_the_build_looks_piper_up_without_loading_it() -> None:
    script = "import sys; from vidgen.speech.engines.piper import PiperEngine; print(PiperEngine().unavailable_reason(), 'onnxruntime' in sys.modules)"
    shown = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.split()
    assert shown == ["None", "False"]


class _Teardown:
    """Writes a file when collected at the interpreter's teardown of its module."""

    def __init__(self, path: str) -> None:
        self.out = open(path, "w")  # opened now: at teardown, `open` may be gone

    def __del__(self) -> None:
        self.out.write("torn down")
        self.out.close()


def _leave_marks(folder: str) -> None:
    import atexit

    atexit.register(lambda: open(f"{folder}/exit-handler", "w").write("ran"))
    globals()["_kept_until_teardown"] = _Teardown(f"{folder}/teardown")


def test_a_worker_runs_its_exit_handlers_then_leaves_without_tearing_down(tmp_path) -> None:  # noqa: ANN001
    pool = LazyPool(1)
    try:
        pool.submit(_leave_marks, str(tmp_path)).result(timeout=60)
    finally:
        pool.shutdown()
    assert (tmp_path / "exit-handler").read_text() == "ran"  # its own handlers (Manim's scratch folder) ran
    assert (tmp_path / "teardown").read_text() == ""  # but its modules were not torn down


MAPPED_BLOCKS = """
import ctypes, sys

class Info(ctypes.Structure):  # glibc's struct mallinfo2
    _fields_ = [(name, ctypes.c_size_t) for name in ("arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks", "fordblks", "keepcost")]

libc = ctypes.CDLL("libc.so.6")
libc.mallinfo2.restype = Info
libc.malloc.restype = ctypes.c_void_p
if sys.argv[1] == "usual":
    from vidgen.executors import usual_allocator
    usual_allocator()
mapped = libc.mallinfo2().hblks
libc.malloc(4 << 20)  # a frame's worth
print(libc.mallinfo2().hblks - mapped)
"""


def test_a_dask_worker_allocates_frames_from_the_heap_once_vidgen_readies_it() -> None:
    """Dask starts its workers with MALLOC_TRIM_THRESHOLD_ set, which pins glibc's mmap
    threshold at 128 KiB: every frame-sized buffer is mapped afresh. `usual_allocator`
    raises it back to where glibc's adaptive threshold settles."""
    environment = {**os.environ, "MALLOC_TRIM_THRESHOLD_": "65536"}

    def mapped(mode: str) -> str:
        done = subprocess.run([sys.executable, "-c", MAPPED_BLOCKS, mode], capture_output=True, text=True, env=environment, timeout=60)
        assert done.returncode == 0, done.stderr
        return done.stdout.strip()

    assert mapped("as-started") == "1"
    assert mapped("usual") == "0"
