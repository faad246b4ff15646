"""Every pair of frame places, each holding a caption, a heading or a counting number: all
of them fit, inside the safe area, apart from each other by a visible gap."""

from __future__ import annotations

from itertools import combinations_with_replacement

import pytest

from tests.helpers import one_scene, plan_of
from vidgen.layout.box import Box
from vidgen.layout.dock import SAFE
from vidgen.layout.measure import bounds
from vidgen.render.check import check_scene
from vidgen.render.dry import dry_run
from vidgen.storyboard.places import FRAME_PLACES

ELEMENTS = {
    "caption": "{{caption: A caption of a good length, place: {place}}}",
    "heading": "{{text: Heading words, size: heading, place: {place}}}",
    "number": "{{number: 20, start: 1, decimals: 0, label: 'Epoch', place: {place}}}",
}
KINDS = list(ELEMENTS)
PAIRS = list(combinations_with_replacement(FRAME_PLACES, 2))
CASES = [(a, b, KINDS[i % 3], KINDS[(i // 3 + i) % 3]) for i, (a, b) in enumerate(PAIRS)]
VISIBLE_GAP = 0.3  # units: neighbours never just touch


def _scene(first: str, second: str, kind_a: str, kind_b: str):  # type: ignore[no-untyped-def]
    elements = f"a: {ELEMENTS[kind_a].format(place=first)}\nb: {ELEMENTS[kind_b].format(place=second)}\n"
    counts = "".join(f"    - count: {name}\n" for name, kind in (("a", kind_a), ("b", kind_b)) if kind == "number")
    beats = "- say: Two things on one frame.\n  do:\n    - show: [a, b]\n" + counts
    return plan_of(one_scene(elements, beats)).scenes[0]


def test_the_matrix_covers_every_pair_and_every_kind_in_every_place() -> None:
    assert len(PAIRS) == 45
    placed = {(place, kind) for a, b, ka, kb in CASES for place, kind in ((a, ka), (b, kb))}
    assert placed == {(place, kind) for place in FRAME_PLACES for kind in KINDS}


@pytest.mark.parametrize(("first", "second", "kind_a", "kind_b"), CASES, ids=[f"{a}+{b}" for a, b, _, _ in CASES])
def test_two_places_share_the_frame(first: str, second: str, kind_a: str, kind_b: str) -> None:
    plan = _scene(first, second, kind_a, kind_b)
    assert [str(f) for f in check_scene(plan)] == []
    boxes: dict[str, Box] = {}
    dry_run(plan, (1.0,), lambda timeline, canvas, alpha: boxes.update({n: bounds(m) for n, m in timeline.stage.on_screen().items()}))
    assert set(boxes) == {"a", "b"}
    for name, box in boxes.items():
        assert SAFE.grown(0.02).contains(box), (name, box)
    a, b = boxes["a"], boxes["b"]
    assert not a.overlaps(b, VISIBLE_GAP), (a, b)
