"""A storyboard whose narration holds markup characters, quotes and Polish letters builds,
and its SRT and VTT read back word for word by independent parsers and by Chromium."""

from __future__ import annotations

import html
import json
from pathlib import Path

import pytest
import srt
import webvtt

from tests.helpers import TRICKY_NARRATION, cues_in_chromium
from vidgen.build import BuildOptions, build
from vidgen.quality import QUALITIES
from vidgen.speech.engines.fake import FakeEngine

WITHOUT_ANGLES = 'Then R&D pays for "tags" like a & co. Zażółć gęślą jaźń, ĄĘŁŃÓŚŹŻ.'


@pytest.mark.parametrize("narration", [WITHOUT_ANGLES, TRICKY_NARRATION], ids=["ampersand-quotes-polish", "angle-brackets"])
def test_narration_reaches_every_subtitle_reader_word_for_word(project: Path, tmp_path: Path, narration: str) -> None:
    board = project / "storyboards" / "marks.yaml"
    board.write_text(
        "title: Characters\nvoice: fake\nscenes:\n  - id: a\n    title: A\n    elements:\n      v: {vector: [1, 2]}\n"
        f"    beats:\n      - say: {json.dumps(narration, ensure_ascii=False)}\n        do: [show: v]\n",
        encoding="utf-8",
    )
    result = build(board, BuildOptions(quality=QUALITIES["low"], out_dir=project / "output", jobs=1, engines={"fake": FakeEngine}))
    folder = result.video.parent
    words = narration.split()

    srt_cues = list(srt.parse((folder / "marks.srt").read_text(encoding="utf-8")))
    assert " ".join(c.content for c in srt_cues).split() == words
    vtt_cues = webvtt.read(str(folder / "marks.vtt"))
    assert " ".join(html.unescape(c.text) for c in vtt_cues).split() == words
    shown = cues_in_chromium(folder / "marks.vtt", result.video, tmp_path / "browser")
    assert " ".join(c["shown"] for c in shown).split() == words
    assert [c["start"] for c in shown] == [pytest.approx(c.start.total_seconds(), abs=0.001) for c in srt_cues]
