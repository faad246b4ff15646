"""Storyboards from anyone: every bad one in the corpus, through the real command line, is
answered with exit code 2 and positioned messages, no traceback, in bounded time and
memory, and nothing is written outside the output folder."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest
from typer.testing import CliRunner

from tests.helpers import FAKE_VOICE
from vidgen.cli import app

HERE = Path(__file__).parent
CORPUS = sorted((HERE / "bad").glob("*.yaml"))
SCENE = "  - id: s{i}\n    title: Scene {i}\n    beats:\n      - say: {say}\n"


def _generated(folder: Path) -> list[Path]:
    """The corpus files too big to keep in the repository, written on demand."""
    files = {
        "narration_100k.yaml": "title: T\nscenes:\n" + SCENE.format(i=0, say="word " * 20_000),
        "scenes_10000.yaml": "title: T\nscenes:\n" + "".join(SCENE.format(i=i, say="Hi.") for i in range(10_000)),
        "table_2000x2000.yaml": "title: T\nscenes:\n  - id: a\n    title: A\n    elements:\n      grid:\n        table:\n"
        + ("          - [" + ", ".join(["1"] * 2000) + "]\n") * 2000
        + "    beats:\n      - say: Big.\n",
        "elements_500.yaml": "title: T\nscenes:\n  - id: a\n    title: A\n    elements:\n"
        + "".join(f"      e{i}: {{caption: C{i}}}\n" for i in range(500))
        + "    beats:\n      - say: Many.\n",
        "three_hours.yaml": "title: T\nscenes:\n" + "".join(SCENE.format(i=i, say="word " * 1500) for i in range(100)),
        "errors_5000.yaml": "title: T\nscenes:\n" + "".join(SCENE.format(i=i, say="Hi.") + "    colour: red\n" for i in range(5000)),
    }
    for name, text in files.items():
        (folder / name).write_text(text)
    return [folder / name for name in files]


@pytest.fixture(scope="module")
def untrusted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project whose storyboards folder holds the whole corpus."""
    project = tmp_path_factory.mktemp("untrusted")
    boards = project / "storyboards"
    boards.mkdir()
    for path in CORPUS:
        shutil.copy(path, boards)
    _generated(boards)
    (project / "voices").mkdir()
    (project / "voices" / "fake.yaml").write_text(FAKE_VOICE)
    return project


def _snapshot(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.rglob("*") if "output" not in p.relative_to(folder).parts}


def test_the_corpus_covers_at_least_forty_bad_storyboards(untrusted: Path) -> None:
    assert len(list((untrusted / "storyboards").glob("*.yaml"))) >= 60


def test_check_answers_the_whole_corpus_in_bounded_time_and_memory(untrusted: Path) -> None:
    boards = sorted((untrusted / "storyboards").glob("*.yaml"))
    started = time.perf_counter()
    process = psutil.Popen([sys.executable, "-m", "vidgen", "check", *[str(p.relative_to(untrusted)) for p in boards]], cwd=untrusted, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = 0
    done = threading.Event()

    def sample() -> None:
        nonlocal peak
        while not done.is_set():
            try:
                peak = max(peak, process.memory_info().rss)
            except psutil.Error:
                pass
            time.sleep(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, stderr = process.communicate(timeout=300)
    done.set()
    elapsed = time.perf_counter() - started
    assert process.returncode == 2
    assert "Traceback" not in stderr and "vidgen hit a bug" not in stderr
    for board in boards:
        name = re.escape(f"storyboards/{board.name}")
        assert re.search(rf"error:\s+{name}:\d+:\d+: \S", stderr), f"{board.name} has no positioned error:\n{stderr[-2000:]}"
    assert elapsed < 120, f"{len(boards)} bad storyboards took {elapsed:.0f} s"
    assert peak < 600e6, f"peak RSS {peak / 1e6:.0f} MB"


@pytest.mark.parametrize("name", ["narration_100k", "scenes_10000", "table_2000x2000", "elements_500", "three_hours", "table_too_big", "table_2000x2000_aliases", "deep_brackets", "deep_dashes"])
def test_oversized_storyboards_name_the_limit_and_how_to_raise_it(untrusted: Path, name: str) -> None:
    process = subprocess.run([sys.executable, "-m", "vidgen", "check", f"storyboards/{name}.yaml"], cwd=untrusted, capture_output=True, text=True, timeout=120)
    assert process.returncode == 2
    assert "limit" in process.stderr and "--limit" in process.stderr, process.stderr


def test_build_refuses_every_bad_storyboard_and_writes_nothing_outside_the_output_folder(untrusted: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(untrusted)
    before = _snapshot(untrusted)
    runner = CliRunner()
    for board in sorted((untrusted / "storyboards").glob("*.yaml")):
        result = runner.invoke(app, ["build", f"storyboards/{board.name}", "--quality", "low", "--jobs", "1", "--offline"])
        assert result.exit_code == 2, f"{board.name}: exit {result.exit_code}\n{result.output}"
        assert "Traceback" not in result.output, f"{board.name}:\n{result.output}"
        assert re.search(rf"storyboards/{re.escape(board.name)}:\d+:\d+: ", result.output), f"{board.name}:\n{result.output}"
    assert _snapshot(untrusted) == before
    assert not list((untrusted / "output").rglob("*.mp4")) if (untrusted / "output").exists() else True
    assert not Path("/tmp/vidgen-pwned").exists()


def test_thousands_of_mistakes_are_reported_by_the_first_hundred(untrusted: Path) -> None:
    process = subprocess.run([sys.executable, "-m", "vidgen", "check", "storyboards/errors_5000.yaml"], cwd=untrusted, capture_output=True, text=True, timeout=120)
    lines = process.stderr.strip().splitlines()
    assert process.returncode == 2 and "unknown key 'colour'" in lines[0]
    assert len(lines) <= 110 and "4,900 more problem(s)" in process.stderr, process.stderr[-500:]


def test_messages_show_storyboard_text_as_it_is_never_as_terminal_markup(untrusted: Path) -> None:
    process = subprocess.run([sys.executable, "-m", "vidgen", "check", "storyboards/rich_markup.yaml"], cwd=untrusted, capture_output=True, text=True, timeout=120)
    assert process.returncode == 2 and "Traceback" not in process.stderr
    for text in ("'[/red]x' is not a valid name", "'[link=http://example.com]y' is not a valid name", "'[/]'"):
        assert text in process.stderr, process.stderr


def test_a_raised_limit_lets_a_big_storyboard_through(untrusted: Path) -> None:
    refused = subprocess.run([sys.executable, "-m", "vidgen", "check", "storyboards/table_too_big.yaml"], cwd=untrusted, capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2 and "1,500 cells; the limit is 800" in refused.stderr
    allowed = subprocess.run([sys.executable, "-m", "vidgen", "check", "storyboards/table_too_big.yaml", "--limit", "table_cells=2000"], cwd=untrusted, capture_output=True, text=True, timeout=120)
    assert "1,500 cells" not in allowed.stderr  # now only the layout has something to say, if anything
    bad = subprocess.run([sys.executable, "-m", "vidgen", "check", "storyboards/table_too_big.yaml", "--limit", "tables=2000"], cwd=untrusted, capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "unknown limit 'tables'" in bad.stderr and "table_cells" in bad.stderr


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--lang", "../../etc/passwd"], "is not a language code"),
        (["--out", "output", "--lang", "/abs"], "is not a language code"),
    ],
)
def test_options_cannot_lead_outside_the_project(project: Path, args: list[str], expected: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    result = CliRunner().invoke(app, ["build", "storyboards/tiny.yaml", "--quality", "low", "--jobs", "1", *args])
    assert result.exit_code == 2 and expected in result.output, result.output


def test_a_series_cannot_reach_storyboards_outside_its_project(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)
    (project / "storyboards" / "series.yaml").write_text("series: Escape\nepisodes:\n  - tiny.yaml\n  - ../../../../etc/hostname.yaml\n")
    result = CliRunner().invoke(app, ["build", "storyboards/series.yaml", "--quality", "low", "--jobs", "1"])
    assert result.exit_code == 2
    assert re.search(r"series\.yaml:4:5: episode '../../../../etc/hostname.yaml' is outside the project", result.output), result.output
