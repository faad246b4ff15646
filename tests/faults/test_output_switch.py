"""A build's outputs change together or not at all: killed (or interrupted) at every step of
switching a new set of outputs in, `output/tiny/` holds the complete previous set or the
complete new one, never a mix, and the next build cleans up what the dead one left."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from vidgen import outputs
from vidgen.build import BuildOptions, build
from vidgen.quality import QUALITIES
from vidgen.speech.engines.fake import FakeEngine

EDIT = ("A small network, and a pulse through it.", "A small network, with a pulse running through it.")
SET = {"tiny.mp4", "tiny.srt", "tiny.vtt", "chapters.txt", "contact_sheet.png", "build.json"}
KILLED = 128 + signal.SIGKILL  # what the forked child exits with, dying without clean-up


def options(project: Path) -> BuildOptions:
    return BuildOptions(quality=QUALITIES["low"], out_dir=project / "output", jobs=1, engines={"fake": FakeEngine})


def output_set(project: Path) -> dict[str, bytes]:
    """What a user finds in output/tiny/ (build.json by its fingerprint: it also holds timings)."""
    import json

    folder = project / "output" / "tiny"
    found = {p.name: p.read_bytes() for p in folder.iterdir()}
    found["build.json"] = json.loads(found["build.json"])["fingerprint"].encode() if "build.json" in found else b""
    return found


class _Steps:
    """Stands in for `os` and `shutil` in vidgen.outputs: counts every call that changes the
    disk, calling `act` just before the chosen one."""

    CHANGES = {"fsync", "symlink", "rename", "replace", "unlink", "rmdir", "mkdir"}

    def __init__(self, at: int | None, act: Callable[[], None]) -> None:
        self.at, self.act, self.done = at, act, []  # type: ignore[var-annotated]

    def step(self, name: str, args: tuple[Any, ...]) -> None:
        self.done.append((name, args))
        if len(self.done) == self.at:
            self.act()

    def proxy(self, module: Any, names: set[str]) -> Any:
        steps = self

        class Proxy:
            def __getattr__(self, name: str) -> Any:
                real = getattr(module, name)
                if name not in names:
                    return real

                def counted(*args: Any, **kwargs: Any) -> Any:
                    steps.step(name, args)
                    return real(*args, **kwargs)

                return counted

        return Proxy()

    def rmtree(self, path: Any, ignore_errors: bool = False) -> None:
        """shutil.rmtree, one counted step per file or folder removed."""
        import shutil

        for root, folders, files in os.walk(path, topdown=False):
            for name in files:
                self.step("unlink", (os.path.join(root, name),))
                os.unlink(os.path.join(root, name))
            for name in folders:
                self.step("rmdir", (os.path.join(root, name),))
                os.rmdir(os.path.join(root, name))
        if os.path.exists(path):
            self.step("rmdir", (path,))
        shutil.rmtree(path, ignore_errors=ignore_errors)


class _Proxied:
    def __init__(self, steps: _Steps) -> None:
        import shutil

        self.os = steps.proxy(os, _Steps.CHANGES)
        self.shutil = _ShutilProxy(steps, shutil)


class _ShutilProxy:
    def __init__(self, steps: _Steps, shutil: Any) -> None:
        self._steps, self._shutil = steps, shutil

    def __getattr__(self, name: str) -> Any:
        return self._steps.rmtree if name == "rmtree" else getattr(self._shutil, name)


def _switch_index(steps: _Steps, link: Path) -> int:
    """The 1-based step that renames the new link over output/tiny."""
    return next(i for i, (name, args) in enumerate(steps.done, start=1) if name in ("rename", "replace") and Path(args[1]) == link)


def _die_at(project: Path, at: int | None) -> None:
    """Build, dying (no clean-up at all, as with SIGKILL or a power cut) just before
    switching step `at`."""
    try:
        proxied = _Proxied(_Steps(at, lambda: os._exit(KILLED)))
        outputs.os, outputs.shutil = proxied.os, proxied.shutil  # type: ignore[assignment]
        build(project / "storyboards" / "tiny.yaml", options(project))
    except BaseException:
        os._exit(1)
    os._exit(0)


def _build_killed_at(project: Path, at: int | None) -> int:
    """_die_at in a child process; its exit status. The child is forked from a fresh,
    single-threaded fork server with vidgen and Manim already imported: quick, and safe
    whatever threads this test process has."""
    import multiprocessing

    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["manim", "vidgen.build", "vidgen.render.scene", __name__])
    child = context.Process(target=_die_at, args=(project, at))
    child.start()
    child.join(timeout=120)
    return child.exitcode if child.exitcode is not None else -1


@pytest.fixture
def two_sets(project: Path) -> tuple[Path, dict[str, dict[str, bytes]]]:
    """tiny.yaml built as it is and edited: each a complete set, its clips in the cache."""
    board = project / "storyboards" / "tiny.yaml"
    build(board, options(project))
    original = output_set(project)
    board.write_text(board.read_text().replace(*EDIT))
    build(board, options(project))
    edited = output_set(project)
    assert set(original) == set(edited) == SET and original["tiny.mp4"] != edited["tiny.mp4"]
    return board, {EDIT[0]: original, EDIT[1]: edited}


def _counted_build(project: Path, monkeypatch: pytest.MonkeyPatch, at: int | None, act: Callable[[], None]) -> _Steps:
    steps = _Steps(at, act)
    proxied = _Proxied(steps)
    monkeypatch.setattr(outputs, "os", proxied.os)
    monkeypatch.setattr(outputs, "shutil", proxied.shutil)
    try:
        build(project / "storyboards" / "tiny.yaml", options(project))
    finally:
        monkeypatch.undo()
    return steps


def _say(board: Path, text: str) -> str:
    """The storyboard with its last beat saying `text` (one of EDIT)."""
    board.write_text(board.read_text().replace(EDIT[0], text).replace(EDIT[1], text))
    return text


def _other(text: str) -> str:
    return EDIT[1] if text == EDIT[0] else EDIT[0]


def _check_clean(project: Path) -> None:
    out = project / "output"
    assert sorted(p.name for p in out.iterdir()) == [".builds", ".cache", "tiny"]
    assert (out / "tiny").is_symlink()


def test_killed_at_every_step_of_the_switch_leaves_the_old_set_or_the_new_one(project: Path, two_sets: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    board, sets = two_sets
    link = project / "output" / "tiny"
    current = EDIT[1]  # two_sets built the edited text last
    # A rehearsal counts the steps of switching a new set in (and of removing the old one).
    target = _say(board, _other(current))
    rehearsal = _counted_build(project, monkeypatch, None, lambda: None)
    assert output_set(project) == sets[target]
    current = target
    total, switch = len(rehearsal.done), _switch_index(rehearsal, link)
    names = [name for name, _ in rehearsal.done]
    assert {"fsync", "symlink", "rename", "unlink", "rmdir"} <= set(names), names
    assert total > switch > 1

    for at in range(1, total + 1):
        target = _say(board, _other(current))
        assert _build_killed_at(project, at) == KILLED
        expected = current if at <= switch else target
        assert output_set(project) == sets[expected], f"killed before step {at} ({names[at - 1]}): expected the {'previous' if expected == current else 'new'} set"
        _check_clean(project)
        current = expected

    # The next build after all those deaths finishes, and leaves only its own set.
    target = _say(board, _other(current))
    assert _build_killed_at(project, None) == 0
    assert output_set(project) == sets[target]
    home = project / "output" / ".builds" / "tiny"
    assert sorted(p.name for p in home.iterdir()) == sorted([".lock", os.readlink(link).rsplit("/", 1)[1]])


def test_interrupted_at_every_step_of_the_switch_leaves_the_old_set_or_the_new_one(project: Path, two_sets: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C (clean-up runs) rather than a kill."""
    board, sets = two_sets
    link = project / "output" / "tiny"
    current = EDIT[1]  # two_sets built the edited text last
    target = _say(board, _other(current))
    rehearsal = _counted_build(project, monkeypatch, None, lambda: None)
    current = target
    total, switch = len(rehearsal.done), _switch_index(rehearsal, link)

    def interrupt() -> None:
        raise KeyboardInterrupt

    for at in range(1, total + 1):
        target = _say(board, _other(current))
        with pytest.raises(KeyboardInterrupt):
            _counted_build(project, monkeypatch, at, interrupt)
        expected = current if at <= switch else target
        assert output_set(project) == sets[expected], f"interrupted before step {at}"
        _check_clean(project)
        if at <= switch:  # an interrupted build removes its own set
            home = project / "output" / ".builds" / "tiny"
            assert sorted(p.name for p in home.iterdir() if not p.is_symlink()) == sorted([".lock", os.readlink(link).rsplit("/", 1)[1]])
        current = expected


def test_an_output_folder_from_before_sets_is_replaced_at_once(project: Path) -> None:
    """output/tiny as a real folder (vidgen before output sets): the first build swaps it for
    the link in one step (renameat2 RENAME_EXCHANGE)."""
    folder = project / "output" / "tiny"
    folder.mkdir(parents=True)
    (folder / "tiny.mp4").write_bytes(b"an old video")
    result = build(project / "storyboards" / "tiny.yaml", options(project))
    assert folder.is_symlink() and set(output_set(project)) == SET
    assert result.video == folder / "tiny.mp4" and result.video.read_bytes() != b"an old video"
    assert sorted(p.name for p in (project / "output" / ".builds" / "tiny").iterdir()) == sorted([".lock", os.readlink(folder).rsplit("/", 1)[1]])



def test_two_builds_switching_the_same_outputs_at_once_leave_one_complete_set(project: Path, two_sets: Any) -> None:
    import subprocess
    import sys

    board, sets = two_sets
    _say(board, EDIT[0])
    command = [sys.executable, "-m", "vidgen", "build", "storyboards/tiny.yaml", "--quality", "low", "--jobs", "1"]
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    builds = [subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = [b.communicate(timeout=300) for b in builds]
    assert [b.returncode for b in builds] == [0, 0], [err for _, err in results]
    assert output_set(project) == sets[EDIT[0]]
    _check_clean(project)
    link = project / "output" / "tiny"
    assert sorted(p.name for p in (project / "output" / ".builds" / "tiny").iterdir()) == sorted([".lock", os.readlink(link).rsplit("/", 1)[1]])
