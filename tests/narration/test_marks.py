"""Marks, measured from the finished video: the action starts when its word is heard."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import av
import numpy as np
import pytest

from vidgen.build import BuildOptions, build
from vidgen.media.probe import read_audio_track
from vidgen.quality import QUALITIES
from vidgen.render.stage import Stage, bounds
from vidgen.render.still import to_pixel
from vidgen.speech.engines.fake import FakeEngine
from vidgen.theme import DARK

BOARD = """title: Marks
voice: fake
scenes:
  - id: s
    title: S
    elements:
      v: {vector: [1, 2, 3], visible: true}
    beats:
      - say: One two three four five six <mark name="m"/>seven eight nine.
        do:
          - highlight: "v[1]"
            color: red
            at: m
"""


class NoTimings(FakeEngine):
    word_timings: ClassVar[bool] = False


def word_onsets(samples: np.ndarray, rate: int = 48_000) -> list[float]:
    """When each word (a tone burst) begins: the audio rises out of silence."""
    window = int(0.005 * rate)
    frames = len(samples) // window
    energy = np.sqrt(np.mean(samples[: frames * window].reshape(frames, window) ** 2, axis=1))
    loud = energy > 0.02
    return [i * window / rate for i in range(1, frames) if loud[i] and not loud[i - 1]]


def highlight_time(video: Path, board_scene: object) -> float:
    """When the cell being highlighted first changes on screen (the marker is drawn
    progressively, so the first changed pixel can be anywhere around the cell)."""
    stage = Stage(board_scene, DARK)  # type: ignore[arg-type]
    stage.enter("v")
    left, right, bottom, top = bounds(stage.drawings["v"].parts["cells"][1])
    (x0, y0), (x1, y1) = to_pixel((left, top), (854, 480)), to_pixel((right, bottom), (854, 480))
    reference = None
    with av.open(str(video)) as container:
        for frame in container.decode(video=0):
            cell = frame.to_ndarray(format="rgb24")[y0 - 3 : y1 + 4, x0 - 3 : x1 + 4].astype(int)
            if reference is None:
                reference = cell
            elif np.abs(cell - reference).sum(axis=2).max() > 60:
                return float(frame.time)
    raise AssertionError("the highlight never appeared")


@pytest.mark.parametrize("engine", [FakeEngine, NoTimings], ids=["word-timings", "measured-pieces"])
def test_an_action_at_a_mark_starts_on_its_word(tmp_path: Path, engine: type) -> None:
    (tmp_path / "storyboards").mkdir()
    (tmp_path / "voices").mkdir()
    (tmp_path / "voices" / "fake.yaml").write_text("name: fake\nengines:\n  - engine: fake\n    voice: tone\n")
    board = tmp_path / "storyboards" / "marks.yaml"
    board.write_text(BOARD)
    result = build(board, BuildOptions(quality=QUALITIES["low"], out_dir=tmp_path / "output", jobs=1, engines={"fake": engine}))
    onsets = word_onsets(read_audio_track(result.video))
    assert len(onsets) == 9
    seventh = onsets[6]
    started = highlight_time(result.video, result.plan.scenes[0].scene)
    assert abs(started - seventh) <= 0.15, (started, seventh)
