"""Details of drawing that a new writer's trial found wrong, each drawn and measured: where
arrows meet boxes, how box text breaks, what a move keeps, where a counted number's unit
goes, and how highlight markers look."""

from __future__ import annotations

import itertools

import numpy as np

from tests.helpers import one_scene, plan_of
from vidgen.layout.measure import bounds
from vidgen.layout.routing import BUFF
from vidgen.render.still import render_still


def still(elements: str, actions: str, after: int | None = None, **scene: str):
    board = one_scene(elements, "- say: One two three four five six.\n  do:\n" + "".join(f"    {l}\n" for l in actions.strip().splitlines()), **scene)
    return render_still(plan_of(board).scenes[0], after)


def near(value: float, low: float, high: float, slack: float = 0.02) -> bool:
    return low - slack <= value <= high + slack


TREE = (
    "root: {box: Root question, text: 'Petal length < 2.5?', place: left}\n"
    "small: {box: 'Yes: 2 flowers', text: All Setosa, place: top right}\n"
    "large: {box: 'No: 4 flowers', text: Versicolor and Virginica, place: bottom right}\n"
    "to_small: {arrow: [root, small], label: 'yes'}\n"
    "to_large: {arrow: [root, large], label: 'no'}\n"
)


def test_an_arrow_between_titled_boxes_leaves_and_meets_their_frames() -> None:
    _, stage = still(TREE, "- show: [root, small, large]\n- grow: [to_small, to_large]")
    frame = {name: bounds(stage.drawings[name].parts["frame"]) for name in ("root", "small", "large")}
    for arrow, target in (("to_small", "small"), ("to_large", "large")):
        line = stage.drawings[arrow].parts["line"]
        start, end = line.get_start(), line.get_end()
        # It leaves the root's frame from its right side, level with the frame, not with its title...
        assert abs(start[0] - (frame["root"].right + BUFF)) < 0.05 and near(start[1], frame["root"].bottom, frame["root"].top), (arrow, start, frame["root"])
        # ...and its tip stops at the target's frame, on the side facing the root, below its title.
        assert abs(end[0] - (frame[target].left - BUFF)) < 0.05 and near(end[1], frame[target].bottom, frame[target].top), (arrow, end, frame[target])
        title = bounds(stage.drawings[target].parts["title"])
        assert end[1] < title.bottom


def test_an_arrow_into_the_titled_side_of_a_box_stops_short_of_the_title_and_bends_square() -> None:
    elements = (
        "root: {box: Outlook, width: 2.4, height: 1.0, place: top}\n"
        "left: {box: Sunny, width: 2.0, height: 1.0, place: bottom left}\n"
        "middle: {box: Next question, text: 'Petal width < 1.75?', place: center}\n"  # in the way: the arrow bends round it
        "a: {arrow: [root, left]}\n"
    )
    _, stage = still(elements, "- show: [root, left, middle]\n- grow: a")
    line = stage.drawings["a"].parts["line"]
    corners = line.get_anchors()
    # An elbow: out of the root's frame side, level with the frame (not with the title)...
    root = bounds(stage.drawings["root"].parts["frame"])
    assert abs(corners[0][0] - (root.left - BUFF)) < 0.05 and near(corners[0][1], root.bottom, root.top), corners[0]
    # ...each stretch straight across or straight down (a bend is not tilted by its tip)...
    stretches = [(a, b) for a, b in itertools.pairwise(corners) if np.linalg.norm(b - a) > 1e-6]
    assert all(min(abs(b[0] - a[0]), abs(b[1] - a[1])) < 1e-3 for a, b in stretches), corners
    # ...and down into the box, its tip above the title rather than through it.
    title = bounds(stage.drawings["left"].parts["title"])
    assert title.top < line.get_end()[1] < title.top + 2 * BUFF, (line.get_end(), title)


def test_a_short_bracketed_expression_in_a_box_stays_on_one_line_and_the_box_widens() -> None:
    from manim import Text

    from vidgen.elements.typography import drawn_size, keep_together
    from vidgen.theme import DARK

    assert " " not in keep_together("v = (0.64, 0.77)")  # coordinates are one expression
    assert keep_together("the point (1, 2) lies on f(a, b) today").count(" ") == 6  # prose around them still breaks
    _, stage = still("pc1: {box: First component, text: 'v = (0.64, 0.77)', place: top right}\n", "- show: pc1")
    body, frame = stage.drawings["pc1"].parts["body"], stage.drawings["pc1"].parts["frame"]
    assert isinstance(body, Text) and body.text == "v=(0.64,0.77)"  # one line (Text drops spaces)
    assert drawn_size(body) >= DARK.label_size - 0.5  # at the label size, not squeezed
    assert bounds(body).left > bounds(frame).left and bounds(body).right < bounds(frame).right  # inside the frame, which widened


YELLOW = np.array([0xF2, 0xC9, 0x4C])


def test_highlighting_a_whole_box_marks_it_around_and_leaves_its_colours_alone() -> None:
    from tests.render.conftest import color_near
    from vidgen.render.still import to_pixel

    elements = "pc1: {box: First component, text: 'v = (0.64, 0.77)', color: red}\n"
    plain, _ = still(elements, "- show: pc1\n- highlight: pc1", after=0)
    marked, stage = still(elements, "- show: pc1\n- highlight: pc1")
    frame = bounds(stage.drawings["pc1"].parts["frame"])
    title = bounds(stage.drawings["pc1"].parts["title"])
    # The box looks as it did: frame edge and fill the same colour as before the highlight.
    for point in ((frame.left, frame.center[1]), (frame.center[0], frame.bottom), (frame.left + 0.3, frame.bottom + 0.3)):
        xy = to_pixel(point, marked.size)
        assert np.abs(color_near(marked, xy, 1) - color_near(plain, xy, 1)).sum() < 30, point
    # A yellow marker stands round it all, the title included.
    (marker,) = [m for _, m in stage.markers["pc1"]]
    around = bounds(marker)
    assert around.left < frame.left and around.right > frame.right and around.bottom < frame.bottom and around.top > title.top
    assert np.abs(color_near(marked, to_pixel((around.left, frame.center[1]), marked.size), 1) - YELLOW).sum() < 150


def test_a_highlighted_list_item_has_room_between_its_last_letter_and_the_marker() -> None:
    from tests.render.conftest import ink
    from vidgen.render.still import to_pixel
    from vidgen.theme import DARK

    image, stage = still("rules: {bullets: [Stop when pure, Limit the depth]}\n", "- show: rules\n- highlight: 'rules.items[0]'")
    item = bounds(stage.drawings["rules"].parts["items"][0])
    (marker,) = [m for _, m in stage.markers["rules"]]
    assert bounds(marker).right - item.right >= 0.15
    # On screen: clear background between the last letter and the marker's stroke.
    x0, y0 = to_pixel((item.right, item.top), image.size)
    x1, y1 = to_pixel((bounds(marker).right, item.bottom), image.size)
    gap = ink(image, DARK.background)[y0 : y1 + 1, x0 + 1 : x1 + 1]
    clear_columns = int((~gap.any(axis=0)).sum())
    assert clear_columns >= 4, clear_columns


def test_a_counted_numbers_unit_follows_the_value_as_it_widens() -> None:
    elements = "a: {number: 99, start: 0, label: 'Kept:', unit: '%', place: left}\nb: {number: 99, label: 'Kept:', unit: '%', place: right}\n"
    image, stage = still(elements, "- show: [a, b]\n- count: a")

    def gap(name: str) -> float:
        parts = stage.drawings[name].parts
        return bounds(parts["unit"]).left - bounds(parts["value"]).right

    # As far after the counted 99 as after a 99 that was never counted: not overlapping its last digit.
    assert gap("a") > 0.15 and abs(gap("a") - gap("b")) < 0.02, (gap("a"), gap("b"))
    from tests.render.conftest import ink
    from vidgen.render.still import to_pixel
    from vidgen.theme import DARK

    value, unit = bounds(stage.drawings["a"].parts["value"]), bounds(stage.drawings["a"].parts["unit"])
    x0, y0 = to_pixel((value.right, max(value.top, unit.top)), image.size)
    x1, y1 = to_pixel((unit.left, min(value.bottom, unit.bottom)), image.size)
    assert not ink(image, DARK.background)[y0:y1, x0 + 2 : x1 - 1].any()  # clear background between them on screen


def test_a_move_without_scale_keeps_the_size_on_screen() -> None:
    # The trial's scene: a number shown small in a crowded column, then moved to the centre.
    elements = (
        "scores: {vector: ['', '', '', '', ''], direction: column, label: Score on PC1, place: left}\n"
        "kept: {number: 99, start: 0, label: 'Variance kept:', unit: '%', place: right}\n"
        "summary: {caption: 'Two numbers per person become one, and almost nothing is lost', color: green, place: center}\n"
    )
    actions = "- show: [scores, kept]\n- count: kept\n- show: summary\n- move: kept\n  to: center"
    _, before = still(elements, actions, after=2)
    _, after = still(elements, actions)
    start, end = bounds(before.mobject("kept")), bounds(after.mobject("kept"))
    assert abs(end.center[0] - start.center[0]) > 1.0  # it did move
    assert abs(end.height / start.height - 1) < 0.02 and abs(end.width / start.width - 1) < 0.02, (start, end)


def test_the_layout_leaves_room_for_a_marker_round_the_widest_item() -> None:
    from vidgen.actions.highlight import marker_for
    from vidgen.elements import ELEMENT_KINDS
    from vidgen.layout.measure import measure
    from vidgen.theme import DARK

    spec = ELEMENT_KINDS["bullets"].spec.model_validate({"bullets": ["Stop splitting when a node is pure", "Limit the depth"]})
    drawing = ELEMENT_KINDS["bullets"].draw(spec, DARK)
    measured = measure(drawing, spec, DARK, [], ("rules.items[0]",), [])
    cx, cy, _ = drawing.mobject.get_center()
    marker = bounds(marker_for(drawing.parts["items"][0], "#ffff00")).shifted(-cx, -cy)
    assert measured.envelope.contains(marker), (measured.envelope, marker)  # what the layout reserves holds the marker
    assert measure(drawing, spec, DARK, [], (), []).margin == 0  # nothing marked, nothing reserved


def test_a_slanting_arrows_label_sits_beside_it_clear_of_the_line() -> None:
    # The trial's first split: leaves up and down to the right of the root, their frames
    # apart both ways, so the arrows slant; a label must find room beside such a line.
    from vidgen.layout.box import Box
    from vidgen.layout.dock import SAFE
    from vidgen.layout.routing import Route, crosses, place_label

    line = ((3.2, 0.6), (4.1, 1.2))
    spot = place_label(Route(line, True), 0.5, 0.3, [Box(0.8, 3.1, -1.1, 1.1), Box(4.2, 6.2, 0.8, 3.0)], SAFE)
    assert spot is not None and not crosses(*line, spot.grown(0.05))
    middle = ((line[0][0] + line[1][0]) / 2, (line[0][1] + line[1][1]) / 2)
    assert ((spot.center[0] - middle[0]) ** 2 + (spot.center[1] - middle[1]) ** 2) ** 0.5 < 0.6  # beside it, not far off


def test_an_arrow_from_a_labelled_network_or_equation_leaves_the_drawing_not_its_label() -> None:
    # Trial 3 (b) fault 5: the arrow from 'Simple model' up to the table started at the label.
    elements = (
        "small: {mlp: [1, 2, 1], label: Simple model, place: left}\n"
        "scores: {table: [['?', '?'], ['?', '?']], columns: [Train, Test], rows: [Simple, Flexible], place: top}\n"
        "law: {equation: 'E = b^2 + v', label: The error splits, place: right}\n"
        "fit: {arrow: [small, scores], label: measure}\n"
        "split: {arrow: [scores, law]}\n"
    )
    _, stage = still(elements, "- show: [small, scores, law]\n- grow: [fit, split]")
    start = stage.drawings["fit"].parts["line"].get_start()
    layers, label = (bounds(stage.drawings["small"].parts[part]) for part in ("layers", "label"))
    assert abs(start[1] - (layers.top + BUFF)) < 0.05 and near(start[0], layers.left, layers.right), (start, layers)
    assert start[1] < label.bottom  # not from the label above it
    end = stage.drawings["split"].parts["line"].get_end()
    formula, caption = (bounds(stage.drawings["law"].parts[part]) for part in ("formula", "label"))
    assert near(end[0], formula.left, formula.right) and near(end[1], formula.bottom - 2 * BUFF, formula.top + 2 * BUFF), (end, formula)
    assert end[1] > caption.top


def test_boxes_given_one_width_are_drawn_at_one_width() -> None:
    # Trial 3 (a) fault 2: 'Unlocks' is too wide for a 1.75 frame, so its box widened and the
    # 'Locks' box beside it, given the same width, did not.
    elements = (
        "public: {box: Public key, text: Locks, place: center, width: 1.75}\n"
        "private: {box: Private key, text: Unlocks, place: center, width: 1.75}\n"
        "other: {box: Bob, text: Key owner, place: right}\n"
    )
    _, stage = still(elements, "- show: [public, private, other]")
    public, private = (bounds(stage.drawings[name].parts["frame"]) for name in ("public", "private"))
    assert abs(public.width - private.width) < 1e-3, (public, private)
    body = bounds(stage.drawings["private"].parts["body"])
    assert private.left < body.left and body.right < private.right  # 'Unlocks' on one line, inside its frame
    assert body.height < 1.3 * bounds(stage.drawings["public"].parts["body"]).height  # one line, as 'Locks' is


def test_arrows_joining_the_same_two_boxes_run_in_lanes_their_labels_clear_of_each_other() -> None:
    # Trial 9 (a TCP handshake): SYN, SYN-ACK and ACK between a client and a server were
    # drawn on one line, one over the other, and the layout check refused the scene.
    elements = (
        "client: {box: Client, text: SYN-SENT, place: left}\n"
        "server: {box: Server, text: LISTEN, place: right}\n"
        "syn: {arrow: [client, server], label: SYN}\n"
        "synack: {arrow: [server, client], label: SYN-ACK}\n"
        "ack: {arrow: [client, server], label: ACK}\n"
    )
    _, stage = still(elements, "- show: [client, server]\n- grow: syn\n- grow: synack\n- grow: ack")
    frames = [bounds(stage.drawings[name].parts["frame"]) for name in ("client", "server")]
    lines = [bounds(stage.drawings[name].parts["line"]) for name in ("syn", "synack", "ack")]
    labels = [bounds(stage.drawings[name].parts["label"]) for name in ("syn", "synack", "ack")]
    heights = [(line.bottom + line.top) / 2 for line in lines]
    # In the order declared, top to bottom, each level, within the stretch both frames share.
    assert heights == sorted(heights, reverse=True) and all(line.top - line.bottom < 0.6 for line in lines)  # level: a shaft and its tip
    shared = (max(f.bottom for f in frames), min(f.top for f in frames))
    assert all(shared[0] < height < shared[1] for height in heights)
    # Nothing of one arrow (shaft or label) touches another's.
    for a, b in itertools.combinations(range(3), 2):
        for mine, theirs in itertools.product((lines[a], labels[a]), (lines[b], labels[b])):
            assert not mine.overlaps(theirs, 0.0), (a, b, mine, theirs)
