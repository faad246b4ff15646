"""A scene that continues another (`outro: keep`) starts from the state the earlier scene
left its elements in: values set or written into cells, highlight markers, counted numbers."""

from __future__ import annotations

import numpy as np

from tests.helpers import plan_of, storyboard
from tests.render.conftest import color_near
from vidgen.actions.values import value_ref
from vidgen.elements.number import number_text
from vidgen.render.still import render_still, to_pixel
from vidgen.storyboard.refs import parse_ref

YELLOW = np.array([0xF2, 0xC9, 0x4C])
RED = np.array([0xEB, 0x57, 0x57])
TABLE = "{table: [['?', '?'], [1, 2]], columns: [A, B], rows: [x, y], place: center}"
BOARD = (
    "title: T\nscenes:\n"
    "  - id: a\n    title: A\n    outro: keep\n    elements:\n"
    f"      t: &t {TABLE}\n"
    "      n: {number: 0.75, start: 0, label: 'Score:', place: bottom}\n"
    "    beats:\n      - say: One two three four five six seven.\n"
    "        do:\n"
    "          - show: t\n"
    "          - {set: 't[0, 0]', to: 7, color: red}\n"
    "          - {highlight: 't[1, 1]', color: yellow}\n"
    "          - show: n\n"
    "          - count: n\n"
    "          - {write: n, into: 't[0, 1]'}\n"
    # b continues the table only: the number that wrote into it stays behind
    "  - id: b\n    title: B\n    elements:\n"
    "      t: {<<: *t, visible: true}\n"
    "    beats:\n      - say: Eight nine ten eleven twelve.\n"
    "        do: [{wait: 0.5}, {unhighlight: 't[1, 1]'}]\n"
)


def _cell(stage, text: str):
    return stage.resolve(value_ref(parse_ref(text)))


def _red_pixels(image, stage, text: str) -> int:
    """How many pixels of a cell's value are drawn red."""
    value = _cell(stage, text)
    (left, top), (right, bottom) = to_pixel(value.get_corner([-1, 1, 0]), image.size), to_pixel(value.get_corner([1, -1, 0]), image.size)
    pixels = np.asarray(image).astype(int)[top : bottom + 1, left : right + 1].reshape(-1, 3)
    return int((np.abs(pixels - RED).sum(axis=1) < 60).sum())


def _frame_edge(stage, text: str, image) -> tuple[int, int]:
    """A pixel on the left side of a cell's frame, where its marker's border is drawn."""
    frame = stage.resolve(parse_ref(text))[0]
    return to_pixel(frame.get_left(), image.size)


def test_set_written_and_highlighted_cells_carry_into_the_next_scene_until_unhighlighted() -> None:
    scenes = plan_of(storyboard(BOARD)).scenes
    image, stage = render_still(scenes[1], 0)  # before anything of b has changed the table
    assert _cell(stage, "t[0, 0]").text == "7"  # set in a: not "?" again
    assert _cell(stage, "t[0, 1]").text == "0.75"  # written (after its count) from a number b does not have
    assert _cell(stage, "t[1, 0]").text == "1"  # what nothing changed stays as drawn
    assert [key for key, _ in stage.markers["t"]] == ["t[1, 1]"]
    assert _red_pixels(image, stage, "t[0, 0]") > 5  # the set value keeps its colour
    assert _red_pixels(image, stage, "t[1, 0]") == 0
    marked = color_near(image, _frame_edge(stage, "t[1, 1]", image), radius=1)
    assert np.abs(marked - YELLOW).sum() < 120, marked  # the carried marker is drawn
    # b's unhighlight removes the marker a drew
    image, stage = render_still(scenes[1], 1)
    assert stage.markers["t"] == []
    unmarked = color_near(image, _frame_edge(stage, "t[1, 1]", image), radius=1)
    assert np.abs(unmarked - YELLOW).sum() > 200, unmarked


def test_a_number_counted_to_another_value_carries_that_value() -> None:
    number = "{number: 0.9, start: 0, label: 'Loss:'}"
    board = storyboard(
        "title: T\nscenes:\n"
        f"  - id: a\n    title: A\n    outro: keep\n    elements:\n      p: {number}\n"
        "    beats:\n      - say: One two three.\n        do: [{show: p}, {count: p, to: 12.5}]\n"
        f"  - id: b\n    title: B\n    elements:\n      p: {{<<: {number}, visible: true}}\n"
        "    beats:\n      - say: Four five six.\n        do: [{indicate: p}]\n"
    )
    _, stage = render_still(plan_of(board).scenes[1], 0)
    assert stage.drawings["p"].state["value"] == 12.5
    # what is drawn is 12.5 (wider for its height than 0.9, what b's drawing started with)
    def shape(mobject) -> float:
        return mobject.width / mobject.height

    drawn, spec = stage.drawings["p"].parts["value"], stage.spec("p")
    assert abs(shape(drawn) - shape(number_text(spec, stage.theme, 12.5))) < 0.05 * shape(drawn)


def test_a_value_set_in_the_later_scene_is_made_room_for_in_the_earlier_one() -> None:
    """A vector and a table continued across the cut are drawn alike on both sides of it,
    though only the later scene sets longer values into them: the earlier scene's drawing
    already has the later one's font size and column widths, so nothing jumps at the cut."""
    board = storyboard(
        "title: T\nscenes:\n"
        "  - id: a\n    title: A\n    outro: keep\n    elements:\n"
        "      v: &v {vector: [1, 2, 3], place: top}\n"
        "      t: &t {table: [[5, 1], [1, 2]], columns: [A, B], place: bottom}\n"
        "    beats:\n      - say: One two three.\n        do: [{show: [v, t]}]\n"
        "  - id: b\n    title: B\n    elements:\n"
        "      v: {<<: *v, visible: true}\n"
        "      t: {<<: *t, visible: true}\n"
        "    beats:\n      - say: Four five six.\n"
        "        do: [{set: 'v[1]', to: 123456}, {set: 't[0, 1]', to: Not rated yet}]\n"
    )
    scenes = plan_of(board).scenes
    _, earlier = render_still(scenes[0])
    _, later = render_still(scenes[1])
    for stage in (earlier, later):
        assert stage.drawings["v"].parts["values"][0].text == "1"
    sizes = [stage.drawings["v"].parts["values"][0].height for stage in (earlier, later)]
    assert abs(sizes[0] - sizes[1]) < 0.01 * sizes[1], sizes  # the cells' one font size, both sides of the cut
    widths = [[cell[0].width for cell in stage.drawings["t"].parts["cells"][0]] for stage in (earlier, later)]
    assert np.allclose(widths[0], widths[1], rtol=0.01), widths  # the columns too
    set_value = later.drawings["t"].parts["values"][0][1]
    assert set_value.original_text == "Not rated yet" and set_value.width < later.drawings["t"].parts["cells"][0][1][0].width


def test_a_number_counted_on_after_the_cut_is_one_readout_in_both_scenes(tmp_path) -> None:  # noqa: ANN001
    """A counter counted from 0 to 1 in a corner, then declared as 1 in the scene that
    continues it and counted on to 3: the later scene's drawing ('Steps: 1') was matched to
    the earlier one's ('Steps: 0') by its whole width, so it came out stretched and shifted
    right, past the frame's edge in a right corner."""
    from vidgen.render.clips import scene_findings

    board = storyboard(
        "title: T\nscenes:\n"
        "  - id: a\n    title: A\n    outro: keep\n    elements:\n"
        "      v: {vector: [3, 8, 15, 21, 34, 42, 57, 63, 78, 91]}\n"
        "      n: {number: 0, label: 'Steps:', place: top right}\n"
        "    beats:\n      - say: One step.\n        do: [{show: [v, n]}, {count: n, to: 1}]\n"
        "  - id: b\n    title: B\n    elements:\n"
        "      v: {vector: [3, 8, 15, 21, 34, 42, 57, 63, 78, 91], visible: true}\n"
        "      n: {number: 1, label: 'Steps:', place: top right, visible: true}\n"
        "    beats:\n      - say: Two and three steps.\n        do: [{count: n, to: 2}, {count: n, to: 3}]\n"
    )
    scenes = plan_of(board).scenes
    labels = [render_still(scene)[1].drawings["n"].parts["label"] for scene in scenes]
    assert abs(labels[0].get_left()[0] - labels[1].get_left()[0]) < 1e-3, [label.get_left() for label in labels]
    assert abs(labels[0].height - labels[1].height) < 1e-3 * labels[0].height
    assert scene_findings(scenes[1], tmp_path) == []
