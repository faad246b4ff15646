"""Loading storyboards: every bad one is answered with positioned, useful errors."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from vidgen.checking import validate
from vidgen.errors import StoryboardError
from vidgen.storyboard.loader import load_storyboard

HERE = Path(__file__).parent
BAD = sorted((HERE / "bad").glob("*.yaml"))
GOOD = sorted(p for p in (HERE.parent.parent / "storyboards").glob("*.yaml") if p.stem != "series")


def diagnostics_of(path: Path) -> str:
    with pytest.raises(StoryboardError) as caught:
        validate(path.relative_to(HERE))  # as `vidgen check` and `vidgen build` do
    return str(caught.value) + "\n"


@pytest.mark.parametrize("path", BAD, ids=lambda p: p.stem)
def test_bad_storyboards_match_their_expected_errors(path: Path, update_golden: bool, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(HERE)  # goldens hold paths relative to this folder
    started = time.perf_counter()
    found = diagnostics_of(path)
    assert time.perf_counter() - started < 5, "a bad storyboard must be rejected quickly"
    golden = path.with_suffix(".expected")
    if update_golden:
        golden.write_text(found)
    if not golden.exists():  # a new bad case is reviewed, not accepted as whatever it prints
        pytest.fail(f"{golden.relative_to(HERE)} is missing; review what it would contain, then write it with --update-golden:\n{found}", pytrace=False)
    assert found == golden.read_text()
    assert "Traceback" not in found


def test_every_error_has_a_position(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(HERE)
    for path in BAD:
        for line in diagnostics_of(path).strip().splitlines():
            location = line.split(": ", 1)[0]
            assert location.count(":") >= 2, line


def test_three_mistakes_are_all_reported_with_their_positions(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(HERE)
    lines = diagnostics_of(HERE / "bad" / "three_mistakes.yaml").strip().splitlines()
    assert len(lines) == 3
    assert lines[0].startswith("bad/three_mistakes.yaml:6:36: unknown key 'lable'") and "did you mean 'label'?" in lines[0]
    assert lines[1].startswith("bad/three_mistakes.yaml:12:29: flow uses 'nett'") and "did you mean 'net'?" in lines[1]
    assert lines[2].startswith("bad/three_mistakes.yaml:16:13: action number 1 has no kind") and "did you mean 'highlight'?" in lines[2]


def test_the_python_tag_is_refused_without_running_anything() -> None:
    Path("/tmp/vidgen-pwned").unlink(missing_ok=True)
    with pytest.raises(StoryboardError):
        load_storyboard(HERE / "bad" / "python_tag.yaml")
    assert not Path("/tmp/vidgen-pwned").exists()


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.stem)
def test_the_project_storyboards_are_valid(path: Path) -> None:
    loaded = load_storyboard(path)
    assert loaded.storyboard.scenes
    assert loaded.source.locate(("scenes", 0, "id")).line > 1


def test_positions_point_at_values_and_keys(tmp_path: Path) -> None:
    board = tmp_path / "b.yaml"
    board.write_text("title: T\nscenes:\n  - id: a\n    title: A\n    elements:\n      v: {vector: [1, 2]}\n    beats:\n      - say: Hi.\n")
    loaded = load_storyboard(board)
    where = loaded.source.locate(("scenes", 0, "elements", "v", "vector"))
    assert (where.line, where.column) == (6, 19)
    assert loaded.source.locate(("scenes", 0, "elements", "v"), prefer_key=True).column == 7
    assert loaded.name == "b"
