"""Subtitles: short lines, two per cue, broken at phrases, on time."""

from __future__ import annotations

from pathlib import Path

import pytest

from vidgen.media.subtitles import check_cues, make_cues, parse_srt, write_srt, write_vtt
from vidgen.speech.base import Cue, WordTiming

LONG = "Autoencoders are a special type of neural network that learn to compress data into a smaller representation and then reconstruct it back to its original form."


def test_cues_have_at_most_two_lines_of_42_characters() -> None:
    cues = make_cues([Cue(LONG, 0.0, 9.0), Cue("Short one.", 9.5, 10.5)])
    assert check_cues(cues) == []
    assert " ".join(c.text.replace("\n", " ") for c in cues) == LONG + " Short one."


def test_lines_break_after_a_comma_rather_than_mid_phrase() -> None:
    [cue, *_] = make_cues([Cue("In the past, we might have tried to solve this by finding users with similar tastes.", 0, 5)])
    assert cue.text.split("\n")[0] == "In the past,"  or cue.text.split("\n")[0].endswith(",")


def test_word_timed_cues_start_on_their_first_word() -> None:
    words = [WordTiming(w, 0.4 * i, 0.4 * i + 0.3) for i, w in enumerate(LONG.split())]
    cues = make_cues([Cue(LONG, 0.0, words[-1].end)], words)
    assert len(cues) > 1
    position = 0
    for cue in cues:
        first = words[position]
        assert abs(cue.start - first.start) <= 0.15
        position += len(cue.text.split())


def test_srt_and_vtt_round_trip(tmp_path: Path) -> None:
    cues = make_cues([Cue("Hello there.", 1.2, 2.0), Cue("Zażółć gęślą jaźń.", 62.5, 65.0)])
    srt = write_srt(cues, tmp_path / "a.srt")
    assert "00:00:01,200 --> 00:00:02,000\nHello there." in srt.read_text()
    assert [(c.text, c.start) for c in parse_srt(srt)] == [(c.text, pytest.approx(c.start, abs=0.001)) for c in cues]
    vtt = write_vtt(cues, tmp_path / "a.vtt").read_text(encoding="utf-8")
    assert vtt.startswith("WEBVTT\n\n") and "00:01:02.500 --> 00:01:05.000\nZażółć gęślą jaźń." in vtt


@pytest.mark.parametrize(
    ("cues", "problem"),
    [
        ([Cue("x" * 43, 0, 1)], "43 characters"),
        ([Cue("a\nb\nc", 0, 1)], "3 lines"),
        ([Cue("a", 0, 2), Cue("b", 1, 3)], "overlaps"),
        ([Cue("a", 2, 1)], "ends before"),
        ([Cue("a", 2, 3), Cue("b", 0, 1)], "starts before"),
    ],
)
def test_the_checker_catches_each_problem(cues: list[Cue], problem: str) -> None:
    assert any(problem in p for p in check_cues(cues))
