"""Findings placed on their beat, and paths kept inside the preview folder (no browser)."""

from __future__ import annotations

from pathlib import Path

import pytest

from vidgen.render.check import Finding
from vidgen.studio.findings import _LAYOUT, check_findings
from vidgen.studio.security import Outside, inside

BOARD = """\
title: Findings
voice: fake
scenes:
  - id: a
    title: A
    elements:
      one: {text: First words}
      two: {text: Second words, place: below one}
    beats:
      - say: Hello there.
        do: [show: one]
      - say: Now <mark name="here"/>here.
        do:
          - show: two
            at: {mark}
  - id: b
    title: B
    elements:
      three: {text: Third, color: {color}}
    beats:
      - say: Last words.
        do: [show: three]
"""


def _check(project: Path, mark: str = "here", color: str = "white") -> list:
    board = project / "storyboards" / "findings.yaml"
    board.write_text(BOARD.replace("{mark}", mark).replace("{color}", color))
    return check_findings(board, project / "output" / ".cache")


def test_the_layout_checks_wording_is_what_the_studio_reads() -> None:
    match = _LAYOUT.match(str(Finding("intro-2", 3, "'a' and 'b' overlap (0.20 x 0.10 units)", ("a", "b"))))
    assert match and (match["scene"], match["beat"], match["message"]) == ("intro-2", "3", "'a' and 'b' overlap (0.20 x 0.10 units)")


def test_findings_land_on_their_beat_or_scene(project: Path) -> None:
    assert _check(project) == []
    (finding,) = _check(project, mark="there")  # an action waits for a mark the narration lacks
    assert (finding.scene, finding.beat, finding.line) == ("a", 1, 15) and "there" in finding.message
    (finding,) = _check(project, color="no-such-colour")  # a problem in a scene's elements, not in a beat
    assert (finding.scene, finding.beat) == ("b", None) and finding.line == 19


def test_a_layout_finding_names_its_beat(project: Path) -> None:
    board = project / "storyboards" / "crowded.yaml"
    board.write_text(
        "title: C\nvoice: fake\nscenes:\n  - id: a\n    title: A\n    elements:\n      one: {text: First words}\n"
        f"      two: {{table: [[{', '.join(['1234567'] * 12)}]], size: 26}}\n"  # fits at no readable size
        "    beats:\n      - say: One alone.\n        do: [show: one]\n      - say: Both at once.\n        do: [show: two]\n"
    )
    (finding,) = check_findings(board, project / "output" / ".cache")
    assert (finding.scene, finding.beat) == ("a", 1) and finding.message.startswith("'two' does not fit")


def test_a_broken_file_is_one_finding_above_the_beats(project: Path) -> None:
    board = project / "storyboards" / "broken.yaml"
    board.write_text("title: B\nscenes: [\n")
    (finding,) = check_findings(board, project / "output" / ".cache")
    assert (finding.scene, finding.beat) == (None, None) and finding.line >= 2 and "invalid YAML" in finding.message


def test_paths_stay_inside_the_folder(tmp_path: Path) -> None:
    root = tmp_path / "preview"
    (root / "frames").mkdir(parents=True)
    (root / "frames" / "01.png").write_bytes(b"png")
    (tmp_path / "secret.txt").write_text("secret")
    (root / "out.txt").symlink_to(tmp_path / "secret.txt")
    (root / "frames" / "up").symlink_to(tmp_path)
    assert inside(root, "frames/01.png") == (root / "frames" / "01.png").resolve()
    assert inside(root, "frames/%30%31.png").name == "01.png"
    for bad in ("../secret.txt", "frames/../../secret.txt", "%2e%2e/secret.txt", "%252e%252e/secret.txt", "..%2fsecret.txt", str(tmp_path / "secret.txt"),
                "/etc/passwd", "out.txt", "frames/up/secret.txt", "frames\\..\\..\\secret.txt", "", "a\0b"):  # fmt: skip
        with pytest.raises(Outside):
            inside(root, bad)
