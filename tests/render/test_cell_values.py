"""Values in cells (vectors, matrices, tables), drawn: a value `set` into a cell looks like
the cell's other values, and the words in a row of cells stand on one line."""

from __future__ import annotations

import numpy as np
import pytest

from tests.helpers import one_scene, plan_of
from vidgen.render.stage import bounds
from vidgen.render.still import render_still, to_pixel
from vidgen.theme import THEMES


def still(elements: str, actions: str, theme: str = "dark"):
    board = one_scene(elements, "- say: One two three four five six.\n  do:\n" + "".join(f"    {l}\n" for l in actions.strip().splitlines()))
    board = board.model_copy(update={"theme": theme})
    return render_still(plan_of(board).scenes[0])


def ink_in(image, mob, background: str, pad: float = 0.02) -> np.ndarray:
    """The pixels of `image` inside `mob`'s box that differ clearly from the background, as
    (row, column, colour) rows in image coordinates."""
    left, right, bottom, top = bounds(mob)
    x0, y0 = to_pixel([left - pad, top + pad, 0], image.size)
    x1, y1 = to_pixel([right + pad, bottom - pad, 0], image.size)
    pixels = np.asarray(image).astype(int)[y0 : y1 + 1, x0 : x1 + 1]
    bg = np.array([int(background[i : i + 2], 16) for i in (1, 3, 5)])
    ys, xs = np.nonzero(np.abs(pixels - bg).sum(axis=2) > 60)
    return np.column_stack([ys + y0, xs + x0, pixels[ys, xs]])


def strongest(ink: np.ndarray, background: str) -> np.ndarray:
    """The colour of the inkiest pixel: the text's own colour, not an anti-aliased edge."""
    bg = np.array([int(background[i : i + 2], 16) for i in (1, 3, 5)])
    return ink[np.abs(ink[:, 2:] - bg).sum(axis=1).argmax(), 2:]


@pytest.mark.parametrize(
    ("theme", "elements", "cell", "neighbour"),
    [
        ("light", "m: {matrix: [100, 40, 20, 120], row_labels: [A, B, C, D], label: Size, color: red}", "m[0]", 2),
        ("dark", "m: {matrix: [100, 40, 20, 120], row_labels: [A, B, C, D], label: Size, color: red}", "m[0]", 2),
        ("light", "m: {matrix: [[100, 40], [20, 10]]}", "m[0, 0]", 2),
        ("light", "m: {vector: [null, 40, 20, 10]}", "m[0]", 2),
    ],
)
def test_a_value_set_into_a_cell_takes_the_cells_colour_and_size(theme: str, elements: str, cell: str, neighbour: int) -> None:
    # The trial's `set: "errors[0]"` on a one-column matrix drew 12 white (invisible on the
    # light theme) at a small label size, beside near-title-sized entries.
    image, stage = still(elements + "\n", f"- show: m\n- set: '{cell}'\n  to: 12")
    background = THEMES[theme].background
    texts = [t for t in stage.drawings["m"].parts["values"].get_family() if hasattr(t, "font_size") and hasattr(t, "text")]
    new, old = texts[0], texts[neighbour]
    assert new.text == "12" and old.text == "20"
    new_ink, old_ink = ink_in(image, new, background), ink_in(image, old, background)
    assert np.abs(strongest(new_ink, background) - strongest(old_ink, background)).sum() < 60
    # "12" and "20" are digits: their ink is as tall, when they are at one size.
    new_height = new_ink[:, 0].max() - new_ink[:, 0].min()
    old_height = old_ink[:, 0].max() - old_ink[:, 0].min()
    assert abs(new_height - old_height) <= 1 and abs(new.font_size - old.font_size) < 0.5


def test_words_in_cells_stand_on_one_line_and_numbers_still_centre() -> None:
    # `dog` was centred by its ink, so its descender lifted it above `owl`; a minus sign
    # (above the line) must not drop `−3` below `5`.
    image, stage = still("v: {vector: [owl, dog, yak, -3, 5]}\nt: {table: [[yak, owl]], place: bottom}\n", "- show: [v, t]")
    background = THEMES["dark"].background
    values = stage.drawings["v"].parts["values"]
    tops = [ink_in(image, values[i], background)[:, 0].min() for i in range(3)]
    bottoms = [ink_in(image, values[i], background)[:, 0].max() for i in (0, 3, 4)]
    assert max(tops) - min(tops) <= 1  # o-w-l, d, k: ascenders at one height
    assert max(bottoms) - min(bottoms) <= 1  # owl, −3, 5 on one baseline
    cells = stage.drawings["v"].parts["cells"]
    for i in (3, 4):  # a number is still centred in its cell
        assert abs(values[i].get_center()[1] - cells[i][0].get_center()[1]) < 0.02
    table = stage.drawings["t"].parts["values"][0]
    assert abs(ink_in(image, table[0], background)[:, 0].min() - ink_in(image, table[1], background)[:, 0].min()) <= 1
