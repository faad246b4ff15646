"""What the build's processes hold: a finished task's reference cycles are freed when it
gives back its memory; a worker imports Manim only when a render needs it or an edit asks
it to get ready (not beside the voice model while it speaks); the build's own process looks
Piper up without loading onnxruntime."""

from __future__ import annotations

import gc
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
