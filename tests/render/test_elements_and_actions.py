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
