"""What a second new writer's trial found drawn wrong, each drawn and measured: captions that
broke into two short lines though one would do, arrow labels on the arrowhead, and a brace
label that ran out of the frame with room to spare on the other side."""

from __future__ import annotations

import numpy as np

from tests.render.conftest import ink
from tests.render.test_drawing_details import still
from vidgen.elements.text import SAFE_WIDTH
from vidgen.layout.dock import SAFE
from vidgen.layout.measure import bounds
from vidgen.render.frame import FRAME_HEIGHT, FRAME_WIDTH
from vidgen.theme import DARK

RECAP = "recap: {bullets: [Hash the key, Jump straight to that bucket, Check the few keys stored there], place: center}\n"


def _caption_rows(caption: str) -> tuple[list[tuple[int, int]], float, float]:
    """The caption's runs of inked pixel rows (its lines), the width its ink spans (units)
    and its font size."""
    from vidgen.elements.typography import drawn_size

    image, stage = still(RECAP + f'takeaway: {{caption: "{caption}", place: bottom, color: yellow}}\n', "- show: recap\n- show: takeaway")
    mobject = stage.drawings["takeaway"].mobject
    box = bounds(mobject)
    height = image.size[1]
    top_px = round((0.5 - (box.top + 0.1) / FRAME_HEIGHT) * (height - 1))
    rows = ink(image, DARK.background).any(axis=1)
    runs, start = [], None
    for y in range(top_px, height):
        if rows[y] and start is None:
            start = y
        elif not rows[y] and start is not None:
            runs.append((start, y))
            start = None
    if start is not None:
        runs.append((start, height))
    columns = np.flatnonzero(ink(image, DARK.background)[top_px:].any(axis=0))
    inked = (columns[-1] - columns[0]) / (image.size[0] - 1) * FRAME_WIDTH
    return runs, inked, drawn_size(mobject)


def test_a_caption_that_fits_across_at_a_little_less_than_its_size_takes_one_line() -> None:
    # 55 characters: 16 units at heading size, two lines of 8 before (a trial writer's "wraps at half the width").
    runs, width, size = _caption_rows("Lookup time stays about the same, however big the table")
    assert len(runs) == 1, runs
    assert 0.95 * SAFE_WIDTH < width <= SAFE.width  # across the safe width, not half of it
    assert size >= 0.75 * DARK.heading_size - 1e-6, size


def test_a_caption_too_long_for_one_line_wraps_balanced_at_its_size() -> None:
    runs, width, size = _caption_rows("A much longer caption that could never fit on a single line of the frame, so it wraps")
    assert len(runs) == 2, runs
    assert abs(size - DARK.heading_size) < 1e-6 and width <= SAFE_WIDTH + 0.05
