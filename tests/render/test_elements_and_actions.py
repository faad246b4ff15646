"""Each element kind and action, drawn: stills decoded to pixels and asserted on."""

from __future__ import annotations

import numpy as np
import pytest

from tests.helpers import one_scene, plan_of
from tests.render.conftest import color_near, ink
from vidgen.elements import ELEMENT_KINDS
from vidgen.render.frame import HALF_HEIGHT, HALF_WIDTH
from vidgen.render.stage import Stage, bounds
from vidgen.render.still import render_still, to_pixel
from vidgen.storyboard.refs import Ref
from vidgen.theme import DARK

BG = DARK.background
YELLOW = np.array([0xF2, 0xC9, 0x4C])
RED = np.array([0xEB, 0x57, 0x57])


def still(elements: str, actions: str, after: int | None = None, **scene: str):
    board = one_scene(elements, "- say: One two three four five six.\n  do:\n" + "".join(f"    {l}\n" for l in actions.strip().splitlines()), **scene)
    return render_still(plan_of(board).scenes[0], after)


ALL_KINDS = {
    "title": "{title: Autoencoders, subtitle: For recommendations}",
    "text": "{text: A block of words that is long enough to wrap onto a second line, width: 6}",
    "caption": "{caption: Recommendations are the filled-in blanks}",
    "vector": "{vector: [5, 0, 1, '?', null], label: Ratings}",
    "mlp": "{mlp: [4, 2, 4], colors: [white, blue, green], label: Net, layer_labels: [In, Code, Out]}",
    "bullets": "{bullets: [Sparse, Denoising autoencoders add noise to their input so they cannot copy it, Contractive], width: 6}",
    "matrix": "{matrix: [0.9, -0.8], row_labels: [Sci-Fi, Family], label: Taste DNA}",
    "table": "{table: [[5, null, '?'], [1, 2, 3]], columns: [A, B, C], rows: [Alice, Bob], corner: User}",
    "equation": "{equation: 'z = f(Wx + b)', label: encoding}",
    "number": "{number: 1.23, label: 'Rating:', unit: / 5}",
    "box": "{box: User Embeddings, text: '⋮'}",
}


@pytest.mark.parametrize("kind", sorted(ALL_KINDS))
def test_every_kind_draws_inside_the_frame_with_the_parts_it_declares(kind: str) -> None:
    image, stage = still(f"x: {ALL_KINDS[kind]}\n", "- show: x")
    left, right, bottom, top = bounds(stage.mobject("x"))
    assert -HALF_WIDTH <= left < right <= HALF_WIDTH and -HALF_HEIGHT <= bottom < top <= HALF_HEIGHT
    assert ink(image, BG).sum() > 500  # it really is drawn
    spec = stage.spec("x")
    drawing = stage.drawings["x"]
    for part, shape in ELEMENT_KINDS[kind].parts(spec).items():
        mob = drawing.parts[part]
        if isinstance(shape, int):
            assert len(mob) == shape
        elif isinstance(shape, list):
            assert [len(item) for item in mob] == shape or len(mob) == len(shape)


def test_highlight_marks_exactly_the_named_cell() -> None:
    image, stage = still("v: {vector: [1, 2, 3, 4]}\n", "- show: v\n- highlight: 'v[2]'\n  color: red")
    cells = stage.drawings["v"].parts["cells"]
    def border(i: int) -> tuple[int, int]:
        return to_pixel(cells[i][0].get_top(), image.size)
    assert np.abs(color_near(image, border(2), 1) - RED).sum() < 120
    assert np.abs(color_near(image, border(1), 1) - RED).sum() > 200


def test_unhighlight_takes_the_marker_away() -> None:
    image, stage = still("v: {vector: [1, 2, 3, 4]}\n", "- show: v\n- highlight: 'v[2]'\n  color: red\n- unhighlight: 'v[2]'")
    top = to_pixel(stage.drawings["v"].parts["cells"][2][0].get_top(), image.size)
    assert np.abs(color_near(image, top, 1) - RED).sum() > 200
    assert stage.markers["v"] == []


def test_highlight_rings_a_neuron() -> None:
    image, stage = still("n: {mlp: [3, 2]}\n", "- show: n\n- highlight: 'n.layers[1][0]'")
    neuron = stage.drawings["n"].parts["layers"][1][0]
    ring = to_pixel(neuron.get_top() + np.array([0, 0.09, 0]), image.size)
    assert np.abs(color_near(image, ring, 1) - YELLOW).sum() < 150


def test_move_re_places_and_scales() -> None:
    before, _ = still("a: {text: Hello, place: left}\n", "- show: a\n- move: a\n  to: right\n  scale: 1.5", after=0)
    after, stage = still("a: {text: Hello, place: left}\n", "- show: a\n- move: a\n  to: right\n  scale: 1.5")
    xs_before, xs_after = np.nonzero(ink(before, BG))[1], np.nonzero(ink(after, BG))[1]
    assert xs_before.mean() < before.size[0] * 0.3 and xs_after.mean() > after.size[0] * 0.7
    assert np.ptp(xs_after) > 1.3 * np.ptp(xs_before)


def test_hide_removes_the_element() -> None:
    image, stage = still("a: {text: Hello}\n", "- show: a\n- hide: a")
    assert ink(image, BG).sum() == 0
    assert "a" not in stage.visible


def test_flow_passes_and_leaves_the_picture_as_it_was() -> None:
    elements = "v: {vector: [1, 2, 3], place: left}\nn: {mlp: [3, 2]}\n"
    before, _ = still(elements, "- show: [v, n]\n- flow: [v, n]", after=0)
    after, _ = still(elements, "- show: [v, n]\n- flow: [v, n]")
    assert np.abs(np.asarray(before).astype(int) - np.asarray(after).astype(int)).max() < 40


def test_transform_turns_a_part_into_a_new_element() -> None:
    elements = "n: {mlp: [3, 2], place: left}\nout: {vector: [0.5, 0.7], place: right}\n"
    image, stage = still(elements, "- show: n\n- transform: 'n.layers[1]'\n  into: out")
    assert {"n", "out"} <= stage.visible
    right_half = ink(image, BG)[:, image.size[0] // 2 :]
    assert right_half.sum() > 200


def test_wait_holds_the_picture() -> None:
    first, _ = still("a: {text: Hello}\n", "- show: a\n- wait: 1", after=0)
    second, _ = still("a: {text: Hello}\n", "- show: a\n- wait: 1")
    assert np.array_equal(np.asarray(first), np.asarray(second))


def test_relative_place_puts_one_element_beside_another() -> None:
    board = one_scene("a: {text: Anchor}\nb: {text: Label, place: below a}\n", "- say: Hi.\n  do: [show: [a, b]]\n")
    stage = Stage(board.scenes[0], DARK)
    stage.enter("a"), stage.enter("b")
    a, b = bounds(stage.mobject("a")), bounds(stage.mobject("b"))
    assert b[3] < a[2]  # b's top is below a's bottom
    assert abs((a[0] + a[1]) / 2 - (b[0] + b[1]) / 2) < 0.01


def test_a_slice_resolves_to_the_items_it_selects() -> None:
    board = one_scene("v: {vector: [1, 2, 3, 4, 5]}\n", "- say: Hi.\n  do: [show: v]\n")
    stage = Stage(board.scenes[0], DARK)
    from vidgen.storyboard.refs import Slice

    assert len(stage.resolve(Ref("v", None, (Slice(1, 4),)))) == 3
    assert stage.resolve(Ref("v", "cells", (2,))) is stage.drawings["v"].parts["cells"][2]


def crop(image, mobject, pad: float = 0.05):
    """Pixels of the frame region covered by `mobject`."""
    left, right, bottom, top = bounds(mobject)
    x0, y0 = to_pixel((left - pad, top + pad), image.size)
    x1, y1 = to_pixel((right + pad, bottom - pad), image.size)
    return np.asarray(image)[y0:y1, x0:x1].astype(int)


TABLE = "t: {table: [[5, '?'], [1, 2]], columns: [A, B]}\n"


def test_set_shows_the_new_value_as_if_it_had_always_been_there() -> None:
    changed, stage = still(TABLE, "- show: t\n- set: 't[0, 1]'\n  to: 4")
    written, fresh_stage = still("t: {table: [[5, 4], [1, 2]], columns: [A, B]}\n", "- show: t")
    cell = stage.drawings["t"].parts["cells"][0][1]
    difference = np.abs(crop(changed, cell) - crop(written, fresh_stage.drawings["t"].parts["cells"][0][1]))
    assert difference.mean() < 6


def test_write_carries_a_number_into_a_cell() -> None:
    elements = TABLE + "p: {number: 3.5, decimals: 1, place: bottom}\n"
    image, stage = still(elements, "- show: [t, p]\n- write: p\n  into: 't[0, 1]'")
    cell = crop(image, stage.drawings["t"].parts["cells"][0][1])
    yellowish = (np.abs(cell - YELLOW).sum(axis=2) < 120).sum()
    assert yellowish > 10  # the written value, in yellow, inside the cell
    assert stage.leftovers == []  # the flying copy is gone
    assert stage.drawings["t"].parts["values"][0][1] in stage.mobject("t").get_family()


def test_count_ends_on_the_target_value() -> None:
    counted, stage = still("n: {number: 1.23, start: 0}\n", "- show: n\n- count: n")
    direct, direct_stage = still("n: {number: 1.23}\n", "- show: n")
    assert stage.drawings["n"].state["value"] == 1.23
    # Counting keeps the number's left edge still; compare the glyphs wherever they sit.
    def glyphs(image):
        rows, cols = np.nonzero(ink(image, BG))
        return np.asarray(image)[rows.min() : rows.max() + 1, cols.min() : cols.max() + 1].astype(int)

    a, b = glyphs(counted), glyphs(direct)
    assert abs(a.shape[0] - b.shape[0]) <= 1 and abs(a.shape[1] - b.shape[1]) <= 1
    h, w = min(a.shape[0], b.shape[0]), min(a.shape[1], b.shape[1])
    assert np.abs(a[:h, :w] - b[:h, :w]).mean() < 25


@pytest.mark.parametrize(("written", "shown"), [("0.036", "0.036"), ("1.0", "1.0"), ("1000", "1000"), ("-0.35", "\u22120.35"), ("0.5, decimals: 2", "0.50")])
def test_a_number_keeps_the_digits_it_was_written_with(written: str, shown: str) -> None:
    _, stage = still(f"n: {{number: {written}}}\n", "- show: n")
    assert stage.drawings["n"].parts["value"].text == shown


def test_negative_values_are_drawn_with_a_minus_sign_and_measured_as_drawn() -> None:
    # A hyphen is short and sits low; typesetting draws a negative number with U+2212.
    elements = (
        "v: {vector: [0.5, -0.82, '-0.10', ''], place: top}\n"
        "m: {matrix: [[0.9, -0.8], [-1.25, 0.3]], place: left}\n"
        "t: {table: [[-1, 2]], columns: [A, B], place: right}\n"
        "n: {number: -0.35, label: 'L ='}\n"
    )
    _, stage = still(elements, "- show: [v, m, t, n]\n- set: 'v[3]'\n  to: -7")
    values = stage.drawings["v"].parts["values"]
    assert [value.text for value in values[:3]] == ["0.5", "\u22120.82", "\u22120.10"]
    sign, seven = values[3].submobjects  # set into a blank cell: a minus is wider than the 7, a hyphen half as wide
    assert sign.width > seven.width
    assert [[e.text for e in row] for row in stage.drawings["m"].parts["values"]] == [["0.9", "\u22120.8"], ["\u22121.25", "0.3"]]
    assert stage.drawings["t"].parts["values"][0][0].text == "\u22121"
    assert stage.drawings["n"].parts["value"].text == "\u22120.35"
    assert stage.spec("v").vector[1] == -0.82  # what the writer wrote is kept; only the glyph changes
    # the cells' one font size was chosen for the text drawn: the widest value fits its cell
    cells = stage.drawings["v"].parts["cells"]
    assert all(value.width < 0.8 * cell[0].width for value, cell in zip(values, cells))


def test_a_number_carried_into_a_scene_that_does_not_count_it_shows_its_value() -> None:
    from tests.helpers import storyboard

    number = "{number: 0.73, start: 0, label: 'Prediction:'}"
    board = storyboard(
        "title: T\nscenes:\n"
        f"  - id: a\n    title: A\n    outro: keep\n    elements:\n      p: {number}\n"
        "    beats:\n      - say: One two three.\n        do: [{show: p}, {count: p}]\n"
        f"  - id: b\n    title: B\n    elements:\n      p: {{<<: {number}, visible: true}}\n"
        "    beats:\n      - say: Four five six.\n        do: [{indicate: p}]\n"
    )
    scenes = plan_of(board).scenes
    _, counting = render_still(scenes[0], None)
    _, carried = render_still(scenes[1], None)
    assert counting.drawings["p"].state["value"] == 0.73
    assert carried.drawings["p"].parts["value"].text == "0.73"
    # the scene that counts still starts from `start`
    assert board.scenes[0].elements["p"].start == 0 and board.scenes[1].elements["p"].start is None


def test_values_set_into_blank_cells_are_as_large_as_each_other() -> None:
    _, stage = still("p: {vector: ['', '', ''], direction: column}\n", "- show: p\n- set: 'p[0]'\n  to: 0.66\n- set: 'p[1]'\n  to: 0.24\n- set: 'p[2]'\n  to: 0.1")
    values = stage.drawings["p"].parts["values"]
    heights = [value.height for value in values]  # digits: one height at one font size
    assert max(heights) - min(heights) < 0.01 * max(heights), heights  # not each squeezed to its own width
    assert values[0].width > values[2].width * 1.2  # (the values really were set: 0.66 is wider than 0.1)
    cells = stage.drawings["p"].parts["cells"]
    assert all(value.width < cell[0].width for value, cell in zip(values, cells))  # inside their cells


def test_a_longer_value_set_into_a_table_cell_keeps_the_cells_size_and_its_column_makes_room() -> None:
    actions = "- show: t\n- set: 't[0, 1]'\n  to: Unknown yet\n- set: 't[1]'\n  to: 12345"
    _, stage = still("t: {table: [[5, '?'], [1, 2]], columns: [A, B]}\n", actions)
    values, cells = stage.drawings["t"].parts["values"], stage.drawings["t"].parts["cells"]
    assert values[0][1].original_text == "Unknown yet" and values[1][0].text == values[1][1].text == "12345"
    _, written = still("t: {table: [[5, Unknown yet], [1, 2]], columns: [A, B]}\n", "- show: t")
    written_values = written.drawings["t"].parts["values"]
    # as large as if written there, against its neighbour "5" (the layout may scale each table apart)
    relative = [row[0][1].width / row[0][0].height for row in (values, written_values)]
    assert abs(relative[0] - relative[1]) < 0.02 * relative[1], relative
    digits = [values[r][c].height for r, c in ((1, 0), (0, 0))]  # 12345 set into a row, 5 as written
    assert abs(digits[0] - digits[1]) < 0.02 * digits[1], digits  # not squeezed into the old width
    assert all(value.width < cell[0].width for row_values, row_cells in zip(values, cells) for value, cell in zip(row_values, row_cells))
    assert cells[0][1][0].width == cells[1][1][0].width  # the column is one width, top to bottom


def test_set_on_a_table_column_changes_that_columns_cells_and_nothing_else() -> None:
    _, stage = still("t: {table: [[5, 1, 3], [1, 2, 4]], columns: [A, B, C]}\n", "- show: t\n- set: 't.columns[2]'\n  to: 9")
    values = stage.drawings["t"].parts["values"]
    assert [[value.text for value in row] for row in values] == [["5", "1", "9"], ["1", "2", "9"]]
    assert [label[1].text for label in stage.drawings["t"].parts["column_labels"]] == ["A", "B", "C"]  # its header stays


def test_indicate_leaves_no_trace() -> None:
    before, _ = still("v: {vector: [1, 2, 3]}\n", "- show: v\n- indicate: 'v[1]'", after=0)
    after, _ = still("v: {vector: [1, 2, 3]}\n", "- show: v\n- indicate: 'v[1]'")
    assert np.abs(np.asarray(before).astype(int) - np.asarray(after).astype(int)).max() < 40


def test_replace_puts_the_new_element_where_the_old_one_was() -> None:
    image, stage = still("old: {text: Before, place: left}\nnew: {text: After and more}\n", "- show: old\n- replace: old\n  with: new")
    assert stage.visible == {"new"}
    assert stage.mobject("new").get_x() < -3


def test_an_arrow_grows_between_its_two_elements() -> None:
    elements = "a: {text: From, place: left}\nb: {text: To, place: right}\nlink: {arrow: [a, b], label: goes}\n"
    image, stage = still(elements, "- show: [a, b]\n- grow: link")
    line = stage.drawings["link"].parts["line"]
    assert bounds(stage.mobject("a"))[1] < line.get_start()[0] < line.get_end()[0] < bounds(stage.mobject("b"))[0]
    assert stage.drawings["link"].parts["label"].get_y() > line.get_y()  # the label rides above


def test_a_brace_spans_its_target() -> None:
    image, stage = still("v: {vector: [1, 2, 3, 4]}\nb: {brace: v.cells, side: below, label: four}\n", "- show: v\n- grow: b")
    cells, brace = stage.drawings["v"].parts["cells"], stage.drawings["b"].parts["shape"]
    assert abs(brace.width - cells.width) < 0.3 and brace.get_top()[1] < cells.get_bottom()[1]


def test_signed_weights_colour_the_synapses() -> None:
    image, stage = still("n: {mlp: [2, 1], weights: [[[1], [-1]]], positive: blue, negative: red}\n", "- show: n")
    positive, negative = stage.drawings["n"].parts["edges"][0]
    blue = np.array([0x4E, 0xA1, 0xFF])
    assert np.abs(color_near(image, to_pixel(positive.get_center(), image.size), 1) - blue).sum() < 120
    assert np.abs(color_near(image, to_pixel(negative.get_center(), image.size), 1) - RED).sum() < 120


def test_an_equation_typesets_polish_text() -> None:
    image, stage = still("e: {equation: '\\text{błąd rekonstrukcji} = \\frac{1}{n}\\sum_i (r_i - \\hat{r}_i)^2'}\n", "- show: e")
    assert ink(image, BG).sum() > 2000


def test_an_image_draws_its_pixels(tmp_path) -> None:
    from PIL import Image

    from vidgen.storyboard.assets import resolve_assets

    Image.new("RGB", (200, 100), (200, 40, 40)).save(tmp_path / "red.png")
    board = one_scene("pic: {image: red.png, height: 2}\n", "- say: A picture.\n  do: [show: pic]\n")
    board, problems = resolve_assets(board, tmp_path / "board.yaml")
    assert problems == []
    image, stage = render_still(plan_of(board).scenes[0])
    centre = to_pixel(stage.mobject("pic").get_center(), image.size)
    assert np.abs(color_near(image, centre) - np.array([200, 40, 40])).sum() < 30


@pytest.mark.parametrize("first", ["''", "2"])
def test_a_value_set_after_punctuation_is_drawn_as_large_as_its_neighbours(first: str) -> None:
    actions = "- show: v\n- set: 'v[1]'\n  to: '-'\n- set: 'v[1]'\n  to: 7\n- write: 'v[1]'\n  into: 'v[2]'"
    image, stage = still(f"v: {{vector: [5, {first}, '']}}\n", actions)
    cells = stage.drawings["v"].parts["cells"]
    def ink_rows(i: int) -> int:  # how tall the cell's value is drawn, in pixels (inside the frame)
        rows = np.nonzero(ink(crop(image, cells[i], -0.08), BG).any(axis=1))[0]
        return int(rows.max() - rows.min() + 1) if len(rows) else 0
    assert ink_rows(0) > 10 and abs(ink_rows(1) - ink_rows(0)) <= 2 and abs(ink_rows(2) - ink_rows(0)) <= 2
    assert stage.drawings["v"].parts["values"][2].text == "7"  # the value written is the one set


REPLACED = {"red": (200, 40, 40), "blue": (40, 40, 200)}


def replaced_still(tmp_path, elements: str, olds: str, new: str):
    """A still after `replace: olds` `with: new`, the images made in tmp_path."""
    from PIL import Image

    from vidgen.storyboard.assets import resolve_assets

    for name, colour in REPLACED.items():
        Image.new("RGB", (200, 100), colour).save(tmp_path / f"{name}.png")
    board = one_scene(elements, f"- say: One two three.\n  do: [show: {olds}, {{replace: {olds}, with: {new}}}]\n")
    board, problems = resolve_assets(board, tmp_path / "board.yaml")
    assert problems == []
    return render_still(plan_of(board).scenes[0])


@pytest.mark.parametrize(("elements", "olds", "new"), [
    ("a: {image: red.png, height: 2, place: left}\nb: {image: blue.png, height: 2}\n", "a", "b"),
    ("a: {text: Before, place: left}\nb: {image: blue.png, height: 2}\n", "a", "b"),
    ("a: {image: red.png, height: 2, place: left}\nb: {text: After}\n", "a", "b"),
    ("a: {image: red.png, height: 2, place: left}\nc: {text: Before, place: right}\nb: {image: blue.png, height: 2}\n", "[a, c]", "b"),
], ids=["image-by-image", "text-by-image", "image-by-text", "image-and-text-by-image"])
def test_replace_crossfades_when_an_image_is_on_either_side(tmp_path, elements: str, olds: str, new: str) -> None:
    """An image cannot be FadeTransform-ed (Manim fails restoring a Group): it crossfades,
    and afterwards only the new element is drawn, where the old one was."""
    image, stage = replaced_still(tmp_path, elements, olds, new)
    assert stage.visible == {"b"}
    assert stage.mobject("b").get_x() < -2 or "[" in olds  # took the old one's place
    pixels = np.asarray(image).astype(int)
    red = np.abs(pixels - np.array(REPLACED["red"])).sum(axis=2) < 40
    assert not red.any()  # the old picture is gone, not faded to a ghost
    if "image" in elements.split("b:")[1]:
        drawn = color_near(image, to_pixel(stage.mobject("b").get_center(), image.size))
        assert np.abs(drawn - np.array(REPLACED["blue"])).sum() < 30
    else:  # the words 'After', and nothing else
        assert ink(image, BG).sum() == ink(crop(image, stage.mobject("b"), 0.1), BG).sum() > 100


def test_images_outside_the_project_are_refused(tmp_path) -> None:
    from vidgen.storyboard.assets import resolve_assets

    board = one_scene("pic: {image: ../../etc/passwd}\n", "- say: A picture.\n  do: [show: pic]\n")
    _, problems = resolve_assets(board, tmp_path / "storyboards" / "board.yaml")
    assert len(problems) == 1 and "outside the project" in problems[0][1]
