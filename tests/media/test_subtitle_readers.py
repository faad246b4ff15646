"""Subtitles read back by parsers that are not vidgen's: `srt` and `webvtt-py` from PyPI,
and Chromium's own WebVTT parser through a <track>: the text they find is the narration,
word for word, whatever characters it holds."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
import srt
import webvtt

from tests.helpers import TRICKY_NARRATION, cues_in_chromium
from tests.media.conftest import make_clip
from vidgen.media.subtitles import _stamp, make_cues, vtt_text, write_srt, write_vtt
from vidgen.speech.base import Cue


@pytest.fixture
def cues() -> list[Cue]:
    sentences = [Cue(TRICKY_NARRATION, 0.5, 9.0), Cue("<b>Not bold</b> &amp; not an entity.", 9.5, 11.0)]
    made = make_cues(sentences)
    assert len(made) > 2 and any("\n" in cue.text for cue in made), "several cues, some of two lines"
    return made


def _words(texts: list[str]) -> list[str]:
    return " ".join(texts).split()


def test_an_independent_srt_parser_reads_the_narration_word_for_word(cues: list[Cue], tmp_path: Path) -> None:
    path = write_srt(cues, tmp_path / "a.srt")
    read = list(srt.parse(path.read_text(encoding="utf-8")))
    assert [c.content for c in read] == [c.text for c in cues]
    assert [(c.start.total_seconds(), c.end.total_seconds()) for c in read] == [(pytest.approx(c.start, abs=0.001), pytest.approx(c.end, abs=0.001)) for c in cues]
    assert _words([c.content for c in read]) == _words([TRICKY_NARRATION, "<b>Not bold</b> &amp; not an entity."])


def test_an_independent_webvtt_parser_reads_the_escaped_narration(cues: list[Cue], tmp_path: Path) -> None:
    path = write_vtt(cues, tmp_path / "a.vtt")
    text = path.read_text(encoding="utf-8")
    body = text.split("\n\n", 1)[1]
    assert "R&amp;D" in body and "x &lt; y" in body and "y &gt; z" in body and "-->" not in "\n".join(line for line in body.splitlines() if " --> " not in line)
    read = webvtt.read(str(path))
    assert [c.raw_text for c in read] == [vtt_text(c.text) for c in cues]  # the payload, as written
    assert [(c.start, c.end) for c in read] == [(_stamp(c.start, "."), _stamp(c.end, ".")) for c in cues]
    # Its text without cue tags (unescaped `<b>` would vanish as one), references decoded:
    assert [html.unescape(c.text) for c in read] == [c.text for c in cues]


def test_chromium_shows_the_narration_word_for_word(cues: list[Cue], tmp_path: Path) -> None:
    video = make_clip(tmp_path / "v.mp4", (0, 0, 0), seconds=1.0, size=(160, 90))
    shown = cues_in_chromium(write_vtt(cues, tmp_path / "a.vtt"), video, tmp_path / "browser")
    assert [cue["shown"] for cue in shown] == [cue.text for cue in cues]
    assert [cue["start"] for cue in shown] == [pytest.approx(cue.start, abs=0.001) for cue in cues]


def test_blank_lines_inside_a_cue_cannot_split_it(tmp_path: Path) -> None:
    cues = [Cue("first line\n\n  \nlast line", 0.0, 1.0), Cue("second", 1.0, 2.0)]
    read = list(srt.parse(write_srt(cues, tmp_path / "a.srt").read_text()))
    assert [c.content for c in read] == ["first line\nlast line", "second"]
    assert [c.text for c in webvtt.read(str(write_vtt(cues, tmp_path / "a.vtt")))] == ["first line\nlast line", "second"]
