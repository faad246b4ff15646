"""The layout check catches what leaves the frame and what collides, and nothing else."""

from __future__ import annotations

from tests.helpers import one_scene, plan_of
from vidgen.render.check import check_scene


def findings(elements: str, actions: str, **scene: str) -> list[str]:
    board = one_scene(elements, "- say: One two three four.\n  do:\n" + "".join(f"    {l}\n" for l in actions.strip().splitlines()), **scene)
    return [str(f) for f in check_scene(plan_of(board).scenes[0])]


def test_what_cannot_fit_is_reported_with_what_would_fix_it() -> None:
    found = findings(
        # Small words can hardly shrink: side by side, these two need more than the frame's width.
        "wide: {text: A rather long sentence of small text that runs on and on, size: small, place: right}\n"
        "wider: {text: Another long sentence that cannot fit beside the first one at all, size: small, place: right of wide}\n",
        "- show: [wide, wider]",
    )
    assert len(found) == 1, found
    assert "'wider' with 'wide' does not fit at right of wide" in found[0], found
    assert "place 'wider' at `below wide`" in found[0] and "shorten 'wider' to about" in found[0], found


def test_what_no_single_change_can_fit_says_which_way_it_is_short_and_by_how_much() -> None:
    # Twelve wide cells at the smallest readable size are wider than the frame itself.
    (found,) = findings(f"one: {{text: First words}}\ntwo: {{table: [[{', '.join(['1234567'] * 12)}]], size: 26}}\n", "- show: [one, two]")
    assert "'two' does not fit at center" in found, found
    excess = float(found.split("it is ")[1].split(" units too wide for the frame, even alone")[0])
    needs, has = (float(found.split(f"{w} ")[1].split(" x ")[0]) for w in ("needs", "has"))
    assert abs(excess - (needs - has)) <= 0.11, found  # the shortfall is the one measured


def test_two_elements_in_one_place_are_stacked_not_collided() -> None:
    assert findings("a: {text: First words}\nb: {text: Second words}\n", "- show: [a, b]") == []


def test_ink_that_touches_is_reported_whatever_put_it_there() -> None:
    # The check is the safety net under the composer: it looks at the ink, not the plan.
    from vidgen.render.check import InkMasks, inspect_stage
    from vidgen.render.scene import Timeline

    board = one_scene("a: {text: First words}\nb: {text: Second words}\n", "- say: One.\n  do:\n    - show: [a, b]\n")
    stage = Timeline(plan_of(board).scenes[0]).stage
    stage.enter("a"), stage.enter("b")
    stage.mobject("b").move_to(stage.mobject("a").get_center())
    found = [f.message for f in inspect_stage(stage, "s", 1, set(), InkMasks())]
    assert any(m.startswith("'a' and 'b' overlap") for m in found), found


def test_an_allowed_overlap_is_not_reported() -> None:
    assert findings("a: {text: First words}\nb: {text: Second words}\n", "- show: [a, b]", allow_overlap="[[a, b]]") == []


def test_placing_on_an_element_is_meant_to_overlap() -> None:
    assert findings("box: {vector: ['      ']}\nmark: {text: '!', place: on box}\n", "- show: [box, mark]") == []


def test_a_label_in_the_free_space_under_a_short_layer_is_not_a_collision() -> None:
    found = findings("net: {mlp: [8, 3, 8], spacing: 2.2}\nlabel: {text: Code, size: label, place: 'below net.layers[1]'}\n", "- show: [net, label]")
    assert found == []


def test_a_move_goes_around_what_stands_in_its_way() -> None:
    # Straight from left to right, 'a' would pass over 'b'; the check samples the move.
    found = findings(
        "a: {text: Left, place: left}\nb: {text: Obstacle}\nc: {text: Right, place: right}\n",
        "- show: [a, b, c]\n- move: a\n  to: right\n- hide: c",
    )
    assert found == [], found


def test_punctuation_set_into_a_cell_is_read_at_the_cells_size() -> None:
    # A '-' is a short glyph: measured by its height against the '0' the cell was made with,
    # it read as font size 5 ("too small to read").
    actions = "- show: v\n- set: 'v[1]'\n  to: '-'\n- set: 'v[2]'\n  to: '…'\n- set: 'v[0]'\n  to: '...'"
    assert findings("v: {vector: ['', '', 4], direction: column}\n", actions) == []


def test_text_too_small_to_read_is_quoted() -> None:
    # A long value set into a small cell shrinks to fit it: the finding says which one.
    (found,) = findings("v: {vector: [1, 2, 3]}\n", "- show: v\n- set: 'v[1]'\n  to: 'a rather long value indeed'")
    assert "'v' has text too small to read ('a rather long value indeed' at font size" in found, found


BULLETS = "list: {bullets: [Sparse codes, Denoising adds noise, Contractive], place: %s}\n"


def _marker_ink_left(place: str) -> tuple[float, list[str]]:
    """The left edge of the ink of a list's highlight marker (its path less half its
    six-wide stroke), and the check's findings."""
    from vidgen.render.still import render_still

    board = one_scene(BULLETS % place, "- say: One two three.\n  do:\n    - show: list\n    - highlight: 'list[0]'\n")
    plan = plan_of(board).scenes[0]
    _, stage = render_still(plan)
    ((_, marker),) = stage.markers["list"]
    return float(marker.points[:, 0].min()) - marker.get_stroke_width() * 0.01 / 2, [str(f) for f in check_scene(plan)]


def test_a_highlight_on_a_list_against_the_left_edge_stays_inside_the_safe_area() -> None:
    from vidgen.render.frame import HALF_WIDTH

    for place in ("top left", "left"):
        left, found = _marker_ink_left(place)
        assert left >= -HALF_WIDTH - 1e-3, (place, left, -HALF_WIDTH)  # the layout kept room for the whole line
        assert found == [], found


def test_the_check_flags_ink_past_the_safe_area_strokes_and_markers_included() -> None:
    # A marker pushed a hundredth of a unit past the edge: its path is still inside, but
    # half of its stroke is not.
    from vidgen.actions.highlight import marker_for
    from vidgen.render.check import InkMasks, inspect_stage
    from vidgen.render.frame import HALF_WIDTH
    from vidgen.render.scene import Timeline

    board = one_scene(BULLETS % "left", "- say: One.\n  do:\n    - show: list\n")
    stage = Timeline(plan_of(board).scenes[0]).stage
    stage.enter("list")
    assert inspect_stage(stage, "s", 1, set(), InkMasks()) == []
    marker = marker_for(stage.drawings["list"].parts["items"][0], "#F2C94C")
    stage.add_marker("list", "list[0]", marker)
    stage.mobject("list").shift([-HALF_WIDTH - 0.01 + marker.get_stroke_width() * 0.01 / 2 - marker.points[:, 0].min(), 0, 0])
    found = [f.message for f in inspect_stage(stage, "s", 1, set(), InkMasks())]
    assert found == ["'list' leaves the safe area past its left edge by 0.02 units"], found  # with the pixel its edge colours


def test_a_number_at_the_bottom_shown_with_others_stays_in_the_safe_area_as_it_fades_in() -> None:
    # Fading in, elements rose from 0.25 units below their place; shown with two others (each
    # starting later) a readout flush with the bottom was past the check's allowance half-way in.
    for place in ("bottom", "bottom left", "bottom right"):
        found = findings(
            "m: {matrix: [100, 40, 20, 120], row_labels: [A, B, C, D], label: Size}\n"
            "n: {number: 0, label: 'Trees so far:', place: top right}\n"
            f"t: {{number: 70, label: 'Average error:', unit: k, place: {place}}}\n",
            "- show: [m, n, t]",
        )
        assert found == [], (place, found)


def test_what_leaves_the_safe_area_names_the_edge_and_a_fix_that_was_tried() -> None:
    # A brace over several elements keeps room for its label, but not for one this long: the
    # trial's finding said neither where nor what to change.
    elements = "a: {box: 'Yes', text: '-70'}\nb: {box: 'No', text: '+70'}\nbr: {brace: [a, b], side: right, label: %s}\n"
    actions = "- show: [a, b]\n- grow: br"
    label = "The average error of the houses in each leaf and some more words here"
    (found,) = [f for f in findings(elements % label, actions) if "'br'" in f]
    assert "'br' leaves the safe area past its right edge by" in found, found
    keep = int(found.split("shorten the `label` of 'br' to about ")[1].split(" characters")[0])
    assert 8 <= keep < len(label)
    assert findings(elements % label[:keep].rstrip(), actions) == []  # the fix offered works


GLYPHS_AT_THE_EDGES = (
    "formula: {equation: '\\text{Error} = \\text{Bias}^2 + c', place: top}\n"
    "lock: {equation: 'c = m^{e} \\bmod n', label: Encrypt, place: top left}\n"
    "plain: {number: 4, label: 'Message m:', place: bottom left}\n"
    "secret: {number: 31, label: 'Secret:', place: bottom right}\n"
)


def test_glyphs_placed_against_the_safe_edges_keep_their_ink_inside() -> None:
    # Trial 3: a superscript at `top`, a `c` at `top left`, "Message m:" at `bottom left`
    # coloured the pixels the safe area's edges run through, and the check let them pass.
    import numpy as np

    from vidgen.render.frame import HALF_HEIGHT, HALF_WIDTH
    from vidgen.render.still import render_still, to_pixel

    board = one_scene(GLYPHS_AT_THE_EDGES, "- say: One.\n  do:\n    - show: [formula, lock, plain, secret]\n")
    image, _ = render_still(plan_of(board).scenes[0])
    pixels = np.asarray(image).astype(int)
    ys, xs = np.nonzero(np.abs(pixels - pixels[0, 0]).max(axis=2) > 8)
    left, top = to_pixel((-HALF_WIDTH, HALF_HEIGHT, 0), image.size)
    right, bottom = to_pixel((HALF_WIDTH, -HALF_HEIGHT, 0), image.size)
    # Each edge has ink near it (they are against it), none past it (the edge's own pixel is
    # inside: the edge runs along its outer side), and above and below two rows to spare, for
    # the fringe encoding leaves round a bright glyph.
    found = (xs.min(), xs.max(), ys.min(), ys.max())
    assert left <= xs.min() <= left + 4 and right - 4 <= xs.max() <= right, (found, (left, right))
    assert top + 2 <= ys.min() <= top + 5 and bottom - 5 <= ys.max() <= bottom - 2, (found, (top, bottom))


def test_the_check_flags_a_glyph_whose_path_is_flush_with_the_edge() -> None:
    from vidgen.layout.measure import bounds
    from vidgen.render.check import InkMasks, inspect_stage
    from vidgen.render.frame import HALF_HEIGHT
    from vidgen.render.scene import Timeline

    board = one_scene(GLYPHS_AT_THE_EDGES, "- say: One.\n  do:\n    - show: formula\n")
    stage = Timeline(plan_of(board).scenes[0]).stage
    stage.enter("formula")
    assert inspect_stage(stage, "s", 1, set(), InkMasks()) == []
    formula = stage.mobject("formula")
    formula.shift([0, HALF_HEIGHT - bounds(formula).top, 0])  # where the layout used to put it: its superscript colours the edge
    found = [f.message for f in inspect_stage(stage, "s", 1, set(), InkMasks())]
    assert found == ["'formula' leaves the safe area past its top edge by 0.01 units"], found
