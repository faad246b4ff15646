"""The smaller commands and conventions: `vidgen cache info|prune|clear`, `vidgen voices`,
VIDGEN_LIMITS, exit code 3 for a bug, and the README's list of exit statuses."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from vidgen import errors
from vidgen.build import BuildOptions, build
from vidgen.quality import QUALITIES
from vidgen.speech.engines.fake import FakeEngine

ROOT = Path(__file__).resolve().parents[2]
HOOKS = ROOT / "tests" / "faults" / "hooks"
DAY = 86_400


def run(*args: str, cwd: Path, **env: str) -> subprocess.CompletedProcess[str]:
    """`vidgen ARGS` in a wide terminal (tables are not wrapped), with extra environment."""
    environment = {**os.environ, "COLUMNS": "200", **env}
    return subprocess.run([sys.executable, "-m", "vidgen", *args], cwd=cwd, capture_output=True, text=True, timeout=300, env=environment)


def options(project: Path) -> BuildOptions:
    return BuildOptions(quality=QUALITIES["low"], out_dir=project / "output", jobs=1, engines={"fake": FakeEngine})


def _files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file() and not p.name.endswith(".lock")]


def _row(table: str, first: str) -> list[str]:
    """The cells of the table row that starts with `first` (rich draws │ between cells)."""
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.replace("┃", "│").split("│")]
        if cells and cells[0] == first:
            return cells
    raise AssertionError(f"no row {first!r} in:\n{table}")


def _age(path: Path, days: float) -> None:
    then = time.time() - days * DAY
    os.utime(path, (then, then))


def test_cache_info_prune_and_clear(project: Path) -> None:
    board = project / "storyboards" / "tiny.yaml"
    build(board, options(project))
    cache = project / "output" / ".cache"

    info = run("cache", "info", "--cache", str(cache), cwd=project)
    assert info.returncode == 0, info.stderr
    def entries(kind: str) -> int:  # a description (.mp4.json, .m4a.json) is not an entry of its own
        return len([f for f in _files(cache / kind) if not f.name.endswith((".mp4.json", ".m4a.json"))])

    for kind in ("speech", "clips", "narration", "layout", "compositions"):
        row = _row(info.stderr + info.stdout, kind)
        assert int(row[1]) == entries(kind) > 0, row
    assert int(_row(info.stderr + info.stdout, "total")[1]) == sum(entries(kind) for kind in ("speech", "clips", "narration", "layout", "compositions", "thumbs", "tex", "manim", "tmp"))

    # What a killed build leaves (old scratch files), a build still running (fresh ones), and entries.
    killed = [cache / "tmp" / "tiny-mux-1" / "video.mp4", cache / "clips" / ".first-0123.4242.tmp.mp4"]
    running = cache / "clips" / ".first-0123.4343.tmp.mp4"
    for leftover in [*killed, running]:
        leftover.parent.mkdir(parents=True, exist_ok=True)
        leftover.write_bytes(b"half a file")
    for leftover in killed:
        _age(leftover, 1)
    entries = {p: p.read_bytes() for p in _files(cache / "clips") + _files(cache / "speech") if ".tmp" not in p.name}
    pruned = run("cache", "prune", "--cache", str(cache), cwd=project)
    assert pruned.returncode == 0 and "removed 2 files" in pruned.stderr + pruned.stdout, pruned.stderr
    assert not any(p.exists() for p in killed) and running.exists()
    assert all(p.read_bytes() == data for p, data in entries.items()), "entries are kept"

    # --older-than: entries no build used for ten days go (here every clip and scene sound); a build that
    # needs them makes them again, and reuses the rest (the speech).
    clips, sounds = _files(cache / "clips"), _files(cache / "narration")
    for entry in clips + sounds:
        _age(entry, 10)
    pruned = run("cache", "prune", "--cache", str(cache), "--older-than", "7", cwd=project)
    assert pruned.returncode == 0 and f"removed {len(clips) + len(sounds)} files" in pruned.stderr + pruned.stdout, pruned.stderr
    assert _files(cache / "clips") == _files(cache / "narration") == [] and all(p.exists() for p in entries if "speech" in p.parts)
    FakeEngine.calls = 0
    elsewhere = build(board, BuildOptions(quality=QUALITIES["low"], out_dir=project / "elsewhere", cache_dir=cache, jobs=1, engines={"fake": FakeEngine}))
    assert FakeEngine.calls == 0 and all(not s["clip_cached"] for s in elsewhere.report["scenes"])

    size = sum(p.stat().st_size for p in cache.rglob("*") if p.is_file())
    cleared = run("cache", "clear", "--cache", str(cache), cwd=project)
    assert cleared.returncode == 0 and not cache.exists()
    freed = re.search(r"freed ([\d.]+) (B|KB|MB)", cleared.stderr + cleared.stdout)
    assert freed and float(freed.group(1)) * {"B": 1, "KB": 1024, "MB": 1024**2}[freed.group(2)] == pytest.approx(size, rel=0.05)
    FakeEngine.calls = 0
    build(board, options(project))
    assert FakeEngine.calls == 3, "after clear every beat is spoken again"


def test_voices_lists_the_engines_on_this_machine_and_the_profiles(project: Path, tmp_path: Path) -> None:
    listed = run("voices", cwd=project)
    assert listed.returncode == 0, listed.stderr
    text = listed.stdout + listed.stderr
    espeak = "yes" if shutil.which("espeak-ng") else "no"
    assert _row(text, "espeak-ng")[1:3] == ["yes", espeak]  # offline, available
    assert _row(text, "piper")[1:4] == ["yes", "yes", "en_US-joe-medium"]
    assert _row(text, "fake")[1:3] == ["yes", "yes"]
    assert _row(text, "edge-tts")[1] == "no"  # needs the network
    assert _row(text, "fake")[0] == "fake" and str(project / "voices" / "fake.yaml") in text  # the project's profile
    assert "default" in text

    # Without espeak-ng on the PATH, it is listed as unavailable (and the command still works).
    bare = tmp_path / "bin"
    bare.mkdir()
    (bare / "python").symlink_to(sys.executable)
    without = run("voices", cwd=project, PATH=str(bare))
    assert without.returncode == 0, without.stderr
    offline, available, *_ = _row(without.stdout + without.stderr, "espeak-ng")[1:]
    assert (offline, available) == ("yes", "no: the espeak-ng program is not installed (apt-get install espeak-ng)")


def test_vidgen_limits_in_the_environment_apply_to_check_and_build(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from typer.testing import CliRunner

    from vidgen.cli import app

    monkeypatch.chdir(project)

    def check(limits: str, *extra: str) -> tuple[int, str]:
        monkeypatch.setenv("VIDGEN_LIMITS", limits)
        result = CliRunner().invoke(app, ["check", "storyboards/tiny.yaml", *extra])
        return result.exit_code, result.output

    code, output = check("scenes=1")
    assert code == 2 and "storyboards/tiny.yaml:4:1: 2 scenes; the limit is 1" in output and "VIDGEN_LIMITS" in output
    assert check("scenes=1", "--limit", "scenes=2")[0] == 0, "--limit wins over the environment"
    for bad, message in [("scenes=many", "limit scenes needs a number, not 'many'"), ("colours=3", "unknown limit 'colours'")]:
        code, output = check(bad)
        assert code == 2 and message in output and "Traceback" not in output
    monkeypatch.delenv("VIDGEN_LIMITS")
    short = run("build", "storyboards/tiny.yaml", "--quality", "low", "--jobs", "1", cwd=project, VIDGEN_LIMITS="minutes=0.05")
    assert short.returncode == 2 and "the limit is 0.05" in short.stderr, short.stderr
    assert not (project / "output" / "tiny").exists()


def test_a_bug_exits_3_with_its_traceback(project: Path) -> None:
    """A deliberate bug (planted by the test hooks' sitecustomize): exit 3, the traceback shown."""
    hooks = {"PYTHONPATH": os.pathsep.join([str(HOOKS), str(ROOT)]), "VIDGEN_TEST_BUG": "1"}
    result = run("build", "storyboards/tiny.yaml", "--quality", "low", "--jobs", "1", cwd=project, **hooks)
    assert result.returncode == errors.EXIT_BUG == 3, result.stderr
    assert "vidgen hit a bug" in result.stderr and "Traceback" in result.stderr and "KeyError: 'a deliberate bug'" in result.stderr
    assert not (project / "output" / "tiny").exists()


def test_the_readme_lists_every_exit_status() -> None:
    readme = (ROOT / "README.md").read_text()
    listed = {int(code) for code in re.findall(r"^\| (\d+) \|", readme, re.MULTILINE)}
    defined = {value for name, value in vars(errors).items() if name.startswith("EXIT_")}
    assert listed == defined == {0, 1, 2, 3, 130, 143}
