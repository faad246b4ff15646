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


CHAIN = (
    'base: {box: Start, text: "250", color: gray}\n'
    'tree1: {box: Tree 1, text: "± 70", color: blue, place: right of base}\n'
    'tree2: {box: Tree 2, text: "± 25", color: blue, place: right of tree1}\n'
    'step1: {arrow: [base, tree1], label: "+ 0.5 ×"}\n'
    'step2: {arrow: [tree1, tree2], label: "+ 0.5 ×"}\n'
)
COLUMNS = 'key: {box: Key, text: fox, place: left}\nhasher: {box: Hash function, text: "add the letters", place: right}\nfeed: {arrow: [key, hasher], label: goes in}\n'


def _label_clear_of_head(stage, arrow: str) -> None:
    from vidgen.render.still import to_pixel

    line, label = stage.drawings[arrow].parts["line"], stage.drawings[arrow].parts["label"]
    head, words = bounds(line.get_tip()), bounds(label)
    # Over the shaft, and ending before the head starts (a trial's "×" sat on the arrowhead)...
    assert words.right <= head.left - 0.05 and words.left >= line.get_start()[0] - 1e-6, (arrow, words, head)
    assert words.bottom > line.get_start()[1], (arrow, words)
    # ...and drawn there: the label's last glyph is left of the head's first inked column.
    size = (854, 480)
    assert to_pixel([words.right, 0, 0], size)[0] < to_pixel([head.left, 0, 0], size)[0], (arrow, words, head)


def test_a_labelled_arrow_in_a_chain_keeps_its_label_over_the_shaft_clear_of_the_head() -> None:
    image, stage = still(CHAIN, "- show: [base, tree1, tree2]\n- grow: [step1, step2]")
    assert not stage.problems, stage.problems
    for arrow in ("step1", "step2"):
        _label_clear_of_head(stage, arrow)
    # The ink above the head (the label's row) is background: no glyph touches the arrowhead.
    from vidgen.render.still import to_pixel

    head = bounds(stage.drawings["step1"].parts["line"].get_tip())
    label = bounds(stage.drawings["step1"].parts["label"])
    x0, y0 = to_pixel([head.left, label.top, 0], image.size)
    x1, y1 = to_pixel([head.right, head.top, 0], image.size)
    assert not ink(image, DARK.background)[y0 : y1 - 1, x0 : x1 + 1].any()


def test_a_labelled_arrow_between_columns_keeps_its_label_clear_of_the_head() -> None:
    _, stage = still(COLUMNS, "- show: [key, hasher]\n- grow: feed")
    assert not stage.problems, stage.problems
    _label_clear_of_head(stage, "feed")


def test_a_label_longer_than_a_short_shaft_stands_above_the_head_not_on_it() -> None:
    from vidgen.layout.box import Box
    from vidgen.layout.routing import Route, place_label

    head = Box(0.65, 1.0, -0.175, 0.175)  # the head of an arrow from (0, 0) to (1, 0)
    spot = place_label(Route(((0.0, 0.0), (1.0, 0.0)), True), 1.1, 0.23, [], SAFE, tip=head)
    assert spot is not None and not spot.overlaps(head.grown(0.05)), spot
    assert spot.bottom >= head.top, spot


TREE = (
    'root: {box: Question, text: "Size < 100?", place: left, color: blue}\n'
    'small: {box: "Yes", text: "-70", place: center, color: red}\n'
    'large: {box: "No", text: "+70", place: center, color: green}\n'
    "to_small: {arrow: [root, small]}\n"
    "to_large: {arrow: [root, large]}\n"
    "leaves: {brace: [small, large], side: right, label: Average error in each leaf}\n"
)


def test_a_brace_over_several_elements_keeps_room_for_its_label_inside_the_frame() -> None:
    """A brace over two boxes (each its own cluster) reserved nothing: its label ran 1.66
    units out of the frame while 2 units stood empty left of the tree."""
    from vidgen.layout.measure import ink_bounds

    image, stage = still(TREE, "- show: root\n- show: [small, large]\n- grow: [to_small, to_large]\n- grow: leaves")
    label, brace = ink_bounds(stage.drawings["leaves"].parts["label"]), bounds(stage.drawings["leaves"].parts["shape"])
    assert SAFE.contains(label, 0.02), label
    for box in ("small", "large"):  # beside the boxes, not over them
        assert brace.left >= bounds(stage.drawings[box].mobject).right, (brace, box)
    # On screen: the label's last letter is drawn, inside the frame's safe margin.
    from vidgen.render.still import to_pixel

    right, _ = to_pixel([SAFE.right, 0, 0], image.size)
    top, bottom = to_pixel([0, label.top, 0], image.size)[1], to_pixel([0, label.bottom, 0], image.size)[1]
    columns = np.flatnonzero(ink(image, DARK.background)[top : bottom + 1].any(axis=0))
    assert columns[-1] <= right + 1, (columns[-1], right)
