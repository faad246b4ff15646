"""The machine fails under a build: the disk fails mid-write, or fills up. A clear
message and exit 1, the previous video intact, no partial file, and the next build reuses
what was finished."""

from __future__ import annotations

import errno
import importlib
import json
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from vidgen.build import BuildOptions, build
from vidgen.errors import BuildError
from vidgen.media import probe
from vidgen.quality import QUALITIES
from vidgen.speech.engines.fake import FakeEngine

muxing = importlib.import_module("vidgen.media.mux")  # the module: the package's `mux` is its function

EDIT = ("A small network, and a pulse through it.", "A small network, with a pulse running through it.")


def options(project: Path) -> BuildOptions:
    return BuildOptions(quality=QUALITIES["low"], out_dir=project / "output", jobs=1, engines={"fake": FakeEngine})


def _outputs(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def test_a_mux_failing_mid_write_leaves_the_previous_video(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    board = project / "storyboards" / "tiny.yaml"
    first = build(board, options(project))
    finished = _outputs(first.video.parent)
    board.write_text(board.read_text().replace(*EDIT))

    in_order = muxing._in_time_order

    def failing(*streams: list) -> Iterator:  # the final mux: half the packets written, then the disk fails
        packets = list(in_order(*streams))
        yield from packets[: len(packets) // 2]
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(muxing, "_in_time_order", failing)
    with pytest.raises(BuildError, match="the disk reported an input/output error"):
        build(board, options(project))
    assert _outputs(first.video.parent) == finished
    assert [p.name for p in first.video.parent.iterdir() if ".tmp" in p.name] == []
    assert not [p for p in (project / "output").rglob("*") if ".tmp" in p.name], "no half-written file is left"

    monkeypatch.undo()
    FakeEngine.calls = 0
    again = build(board, options(project))
    assert FakeEngine.calls == 0, "the speech spoken before the failure is reused"
    assert all(scene["clip_cached"] for scene in again.report["scenes"]), "the clips rendered before the failure are reused"
    assert probe(again.video).duration > 0


def _can_mount_tmpfs() -> bool:
    if not shutil.which("unshare"):
        return False
    probe_run = subprocess.run(["unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=1m tmpfs /mnt"], capture_output=True)
    return probe_run.returncode == 0


@pytest.mark.skipif(not _can_mount_tmpfs(), reason="needs a private mount namespace (unshare -rm) to mount a small tmpfs")
def test_a_full_disk_fails_cleanly_and_the_next_build_reuses_the_cache(project: Path, tmp_path: Path) -> None:
    """The output folder is a 4 MB tmpfs (in a private mount namespace, so no root needed);
    after a first build, it is filled to the last byte and the storyboard edited."""
    out, cache, results = tmp_path / "small-disk", tmp_path / "cache", tmp_path / "results"
    out.mkdir()
    results.mkdir()
    vidgen = f"{sys.executable} -m vidgen build storyboards/tiny.yaml --quality low --jobs 1 --out {out} --cache {cache}"
    script = textwrap.dedent(f"""\
        set -u
        mount -t tmpfs -o size=4m tmpfs {out} || exit 99
        {vidgen} > {results}/first.out 2>&1; echo $? > {results}/first.rc
        sha256sum {out}/tiny/* > {results}/first.sha
        sed -i 's/{EDIT[0]}/{EDIT[1]}/' storyboards/tiny.yaml
        dd if=/dev/zero of={out}/filler bs=4k 2>/dev/null
        {vidgen} > {results}/second.out 2>&1; echo $? > {results}/second.rc
        sha256sum {out}/tiny/* > {results}/second.sha
        ls -A {out} {out}/tiny > {results}/second.ls
        rm {out}/filler
        {vidgen} > {results}/third.out 2>&1; echo $? > {results}/third.rc
        cp {out}/tiny/build.json {results}/third.json
        """)
    subprocess.run(["unshare", "-rm", "sh", "-c", script], cwd=project, timeout=600, check=True, env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    read = lambda name: (results / name).read_text()  # noqa: E731

    assert read("first.rc").strip() == "0", read("first.out")
    assert read("second.rc").strip() == "1", read("second.out")
    assert "the disk is full" in read("second.out") and "Traceback" not in read("second.out")
    assert read("second.sha") == read("first.sha"), "the previous video and its files are untouched"
    assert ".tmp" not in read("second.ls")
    assert read("third.rc").strip() == "0", read("third.out")
    report = json.loads(read("third.json"))
    assert all(scene["clip_cached"] for scene in report["scenes"]), "what the failed build rendered is reused"


# Root writes anywhere (CI runs as root): there the build runs without the capabilities that
# override file permissions, so a folder's mode binds it as it binds a user.
UNPRIVILEGED = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--inh-caps=-dac_override,-dac_read_search"] if os.geteuid() == 0 else []


def test_an_unwritable_output_folder_is_a_clear_failure(project: Path) -> None:
    (project / "output").mkdir()
    (project / "output").chmod(0o500)
    command = [*UNPRIVILEGED, sys.executable, "-m", "vidgen", "build", "storyboards/tiny.yaml", "--quality", "low", "--jobs", "1", "--cache", str(project / "cache")]
    result = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=300, env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])})
    assert result.returncode == 1 and "permission denied" in result.stderr and "Traceback" not in result.stderr, result.stderr
    assert list((project / "output").iterdir()) == []
