"""Voice profiles: found in the project, then built in; mistakes reported with positions."""

from __future__ import annotations

from pathlib import Path

import pytest

from vidgen.errors import StoryboardError
from vidgen.speech.voices import load_voice

ROOT = Path(__file__).resolve().parents[2]


def test_the_narrator_chain_is_edge_then_piper_then_espeak() -> None:
    narrator = load_voice("narrator", [ROOT / "voices"])
    assert [c.engine for c in narrator.engines] == ["edge-tts", "piper", "espeak-ng"]
    assert narrator.engines[0].voice.startswith("en-US-") and narrator.engines[0].voice.endswith("Neural")


def test_the_polish_narrator_speaks_polish() -> None:
    polish = load_voice("narrator_pl", [ROOT / "voices"])
    assert polish.language == "pl" and polish.engines[0].voice.startswith("pl-PL-")


def test_the_built_in_default_needs_no_project() -> None:
    assert load_voice("default", []).engines[0].engine == "piper"


def test_a_storyboard_that_names_no_voice_speaks_outside_any_project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from vidgen.limits import Limits
    from vidgen.speech.voices import voice_dirs, voice_problems
    from vidgen.storyboard.loader import load_storyboard

    monkeypatch.chdir(tmp_path)  # no voices/ here, beside the storyboard, or above it
    board = tmp_path / "alone" / "video.yaml"
    board.parent.mkdir()
    board.write_text("title: Alone\nscenes:\n  - id: one\n    title: One\n    elements: {c: {caption: Hi}}\n    beats:\n      - say: Hello.\n        do: [show: c]\n")
    loaded = load_storyboard(board, Limits())
    assert voice_dirs(board) == [] and voice_problems(loaded.storyboard, board) == []
    narrator = load_voice(loaded.storyboard.voice, voice_dirs(board))
    assert [c.engine for c in narrator.engines] == ["edge-tts", "piper", "espeak-ng"]  # offline builds fall back to Piper


def test_an_unknown_profile_suggests_a_name() -> None:
    with pytest.raises(StoryboardError, match="did you mean 'narrator'"):
        load_voice("narator", [ROOT / "voices"])


def test_a_bad_profile_is_reported_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "robot.yaml").write_text("name: robot\nengines:\n  - engine: espeak\n    voice: en\n")
    with pytest.raises(StoryboardError) as caught:
        load_voice("robot", [tmp_path])
    assert str(caught.value).startswith(f"{tmp_path / 'robot.yaml'}:3:13: unknown engine 'espeak'")
