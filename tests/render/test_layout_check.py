"""The layout check catches what leaves the frame and what collides, and nothing else."""

from __future__ import annotations

from tests.helpers import one_scene, plan_of
from vidgen.render.check import check_scene


def findings(elements: str, actions: str, **scene: str) -> list[str]:
    board = one_scene(elements, "- say: One two three four.\n  do:\n" + "".join(f"    {l}\n" for l in actions.strip().splitlines()), **scene)
    return [str(f) for f in check_scene(plan_of(board).scenes[0])]


def test_an_element_pushed_off_frame_is_reported() -> None:
    found = findings(
        "wide: {text: A rather long sentence of text, place: right}\nwider: {text: Another long sentence that cannot fit here, place: right of wide}\n",
        "- show: [wide, wider]",
    )
    assert any("'wider' leaves the safe area" in f for f in found), found


def test_two_elements_in_one_place_collide() -> None:
    found = findings("a: {text: First words}\nb: {text: Second words}\n", "- show: [a, b]")
    assert found == ["scene 's', beat 1: 'a' and 'b' overlap" + found[0].split("overlap", 1)[1]]


def test_an_allowed_overlap_is_not_reported() -> None:
    assert findings("a: {text: First words}\nb: {text: Second words}\n", "- show: [a, b]", allow_overlap="[[a, b]]") == []


def test_placing_on_an_element_is_meant_to_overlap() -> None:
    assert findings("box: {vector: ['      ']}\nmark: {text: '!', place: on box}\n", "- show: [box, mark]") == []


def test_a_label_in_the_free_space_under_a_short_layer_is_not_a_collision() -> None:
    found = findings("net: {mlp: [8, 3, 8], spacing: 2.2}\nlabel: {text: Code, size: label, place: 'below net.layers[1]'}\n", "- show: [net, label]")
    assert found == []


def test_a_collision_in_the_middle_of_a_move_is_reported() -> None:
    found = findings(
        "a: {text: Left, place: left}\nb: {text: Obstacle}\nc: {text: Right, place: right}\n",
        "- show: [a, b, c]\n- move: a\n  to: right\n- hide: c",
    )
    assert any("'a' and 'b' overlap" in f for f in found), found
