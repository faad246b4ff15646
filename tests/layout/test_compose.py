"""The composer on the cases that used to need a writer's guesses (issue 14), measured on
the stage the renderer draws: positions, sizes, gaps, routes."""

from __future__ import annotations

import copy
import json
import re
from typing import Any

from tests.helpers import one_scene, plan_of, storyboard
from vidgen.elements.typography import baseline
from vidgen.layout.box import Box
from vidgen.layout.coverage import content_span
from vidgen.layout.dock import SAFE
from vidgen.layout.measure import bounds, font_sizes
from vidgen.layout.routing import crosses
from vidgen.render.check import check_scene
from vidgen.render.dry import dry_run
from vidgen.render.scene import Timeline

GAP = 0.3  # the least visible gap between neighbours


def settled(elements: str, actions: str, **scene: str) -> tuple[Any, list[str]]:
    """The stage after the scene's last action, and the layout check's findings. (The stage
    has its `span` then: by the end of the scene its closing fade has emptied it.)"""
    plan = plan_of(one_scene(elements, "- say: One two three.\n  do:\n" + "".join(f"    {line}\n" for line in actions.strip().splitlines()), **scene)).scenes[0]
    stages: list[Any] = []

    def after(timeline: Any, canvas: Any, slot: Any) -> None:
        timeline.stage.span = content_span(timeline.stage)
        stages.append(timeline.stage)

    dry_run(plan, (1.0,), lambda timeline, canvas, alpha: None, after)
    return stages[-1], [str(f) for f in check_scene(plan)]


def box(stage: Any, name: str) -> Box:
    return bounds(stage.mobject(name))


def apart(a: Box, b: Box) -> float:
    """The distance between two boxes (0 when they overlap)."""
    return max(b.left - a.right, a.left - b.right, b.bottom - a.top, a.bottom - b.top, 0.0)


def test_a_labelled_network_and_a_caption_keep_a_visible_gap() -> None:
    stage, found = settled("net: {mlp: [4, 6, 4], label: Encoder}\nnote: {caption: What the network learns, place: bottom}\n", "- show: [net, note]")
    assert found == []
    assert apart(box(stage, "net"), box(stage, "note")) >= GAP


def test_a_table_and_a_heading_share_the_frame_side_by_side_at_full_size() -> None:
    stage, found = settled(
        "grid: {table: [[1, 2, 3, 4], [5, 6, 7, 8]], columns: [a, b, c, d], place: left}\nsay: {text: Four columns, size: heading, place: right}\n",
        "- show: [grid, say]",
    )
    assert found == []
    grid, words = box(stage, "grid"), box(stage, "say")
    assert grid.right + GAP <= words.left
    assert min(font_sizes(stage.mobject("say"))) >= 39.5  # the heading keeps its size


def test_a_text_beside_a_network_stays_readable() -> None:
    stage, found = settled(
        "net: {mlp: [4, 6, 6, 2], label: During training}\nexplain: {text: Each neuron is switched off with probability p at every step., width: 5, place: right of net}\n",
        "- show: [net, explain]",
    )
    assert found == []
    assert min(font_sizes(stage.mobject("explain"))) >= 20
    assert box(stage, "net").right + GAP <= box(stage, "explain").left
    assert SAFE.contains(box(stage, "explain").union(box(stage, "net")))


def test_a_pair_placed_beside_each_other_is_centred_as_a_group() -> None:
    stage, found = settled("net: {mlp: [6, 3]}\nratings: {vector: [5, 0, 1, 0, 4, 0], direction: column, place: left of net}\n", "- show: [ratings, net]")
    assert found == []
    group = box(stage, "ratings").union(box(stage, "net"))
    assert abs(group.center[0]) < 0.15, group


def test_a_lone_diagram_is_shown_large() -> None:
    stage, _ = settled("grid: {table: [[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12], [13, 14, 15, 16]]}\n", "- show: grid")
    assert stage.span >= 0.5
    stage, _ = settled("v: {vector: [5, 0, 1], label: Ratings}\n", "- show: v")
    assert stage.placed["v"][1] >= 1.5  # a three-cell vector alone grows well past its drawn size
    assert max(font_sizes(stage.mobject("v").submobjects[1])) <= 26.5  # while its label keeps its size


def test_an_arrow_back_up_a_list_loops_round_the_item_between() -> None:
    stage, found = settled(
        "steps: {bullets: [Pick centroids, Assign each point to its nearest centroid, Move each centroid to the mean, Repeat until nothing changes]}\n"
        "loop: {arrow: ['steps.items[3]', 'steps.items[1]'], label: repeat}\n",
        "- show: steps\n- grow: loop",
    )
    assert found == []
    route = stage.drawings["loop"].parts["line"].get_anchors()
    between = bounds(stage.drawings["steps"].parts["items"][2])
    points = [(float(p[0]), float(p[1])) for p in route]
    assert not any(crosses(a, b, between) for a, b in zip(points, points[1:]))
    label = bounds(stage.drawings["loop"].parts["label"])
    assert not any(label.overlaps(bounds(item), 0.05) for item in stage.drawings["steps"].parts["items"])
    assert SAFE.contains(bounds(stage.mobject("loop")))


def test_a_box_keeps_its_text_inside_with_padding_and_short_expressions_whole() -> None:
    stage, found = settled("rule: {box: At test time, text: 'all neurons on, outputs scaled by 1 - p', width: 3, height: 1.4}\n", "- show: rule")
    assert found == []
    frame, body = bounds(stage.drawings["rule"].parts["frame"]), bounds(stage.drawings["rule"].parts["body"])
    assert min(body.left - frame.left, frame.right - body.right, body.bottom - frame.bottom, frame.top - body.top) >= 0.2
    lines = [line.text for line in stage.drawings["rule"].parts["body"].submobjects]
    assert any(line.endswith("1-p") for line in lines), lines  # Text drops spaces: "1 - p" stayed on one line


def test_a_box_draws_a_short_expression_with_unicode_operators_on_one_line_at_the_label_size() -> None:
    from manim import Text

    from vidgen.elements.typography import drawn_size
    from vidgen.theme import DARK

    stage, found = settled("opt: {box: Optimizer, text: 'w ← w − η · g', place: center}\nprose: {box: Prose, text: 'The gradient points uphill so we step the other way', place: right}\n", "- show: opt\n- show: prose")
    assert found == []
    parts = stage.drawings["opt"].parts
    frame, body = bounds(parts["frame"]), bounds(parts["body"])
    size = drawn_size(parts["body"])
    one_line = Text("w ← w − η · g", font=DARK.font, font_size=size).height
    assert body.height < 1.05 * one_line, (body.height, one_line)  # one line, not "w ←" over "w − η · g"
    assert size >= DARK.label_size - 1e-6  # not shrunk to squeeze into the box: the box widened
    assert min(body.left - frame.left, frame.right - body.right, body.bottom - frame.bottom, frame.top - body.top) >= 0.2
    prose = stage.drawings["prose"].parts["body"]
    assert bounds(prose).height > 4 * Text("Hy", font=DARK.font, font_size=drawn_size(prose)).height  # prose still wraps


def test_a_list_under_a_braced_formula_clears_the_label_and_is_evenly_spaced() -> None:
    stage, found = settled(
        "rule: {equation: 'x \\leftarrow x - \\eta g'}\nparts: {brace: rule, side: below, label: a small step downhill}\n"
        "notes: {bullets: ['x: the parameters', 'eta: the learning rate', 'g: the gradient'], size: label, place: below rule}\n",
        "- show: rule\n- grow: parts\n- show: notes",
    )
    assert found == []
    assert apart(bounds(stage.drawings["parts"].parts["label"]), box(stage, "notes")) >= GAP
    items = stage.drawings["notes"].parts["items"]
    lines = [item[1] for item in items]
    gaps = [baseline(a) - baseline(b) for a, b in zip(lines, lines[1:])]
    assert max(gaps) - min(gaps) < 0.01, gaps


def test_an_element_that_carries_over_to_the_next_scene_keeps_its_spot() -> None:
    board = storyboard(
        """
        title: T
        scenes:
          - id: one
            title: One
            outro: keep
            elements:
              net: {mlp: [6, 4, 2]}
            beats:
              - say: A network.
                do: [show: net]
          - id: two
            title: Two
            elements:
              net: {mlp: [6, 4, 2], visible: true}
              code: {vector: [0.9, -0.3], direction: column, place: right of net}
            beats:
              - say: And its code.
                do: [show: code]
        """
    )
    plan = plan_of(board)
    ends: list[Box] = []
    dry_run(plan.scenes[0], (1.0,), lambda timeline, canvas, alpha: None, lambda timeline, canvas, slot: ends.append(bounds(timeline.stage.mobject("net"))))
    start = bounds(Timeline(plan.scenes[1]).stage.mobject("net"))
    assert max(abs(a - b) for a, b in zip((ends[-1].left, ends[-1].right, ends[-1].bottom, ends[-1].top), (start.left, start.right, start.bottom, start.top))) < 1e-6
    assert check_scene(plan.scenes[1]) == []


def test_an_arrow_that_cannot_get_round_says_where_to_move_what_blocks_it() -> None:
    tree = (
        "root: {box: 'Outlook?', width: 2.4, height: 1.0, place: top}\n"
        "left: {box: Sunny, width: 2.0, height: 1.0, place: bottom left}\n"
        "middle: {box: Overcast, width: 2.0, height: 1.0, place: bottom}\n"
        "right: {box: Rainy, width: 2.0, height: 1.0, place: bottom right}\n"
        "a: {arrow: [root, left]}\nb: {arrow: [root, middle]}\nc: {arrow: [root, right]}\n"
        "gain: {number: 0.42, decimals: 2, label: 'Information gain:', place: %s}\n"
    )
    actions = "- show: [root, left, middle, right, gain]\n- grow: [a, b, c]"
    _, found = settled(tree % "center", actions)
    assert len(found) == 1 and "arrow 'b' from 'root' to 'middle' crosses 'gain'" in found[0], found
    suggested = found[0].split("place 'gain' at `")[1].split("`")[0]
    assert settled(tree % suggested, actions)[1] == []  # the advice, taken, works


def test_what_does_not_fit_beside_its_neighbours_is_told_each_fix_and_each_fix_works() -> None:
    # A writer's scene: a box whose formula cannot wrap, a number placed below it, and
    # matrices either side joined to it by arrows leave the middle a little too narrow.
    formula = "w ← w − η · gradient"
    elements: dict[str, dict[str, Any]] = {
        "weights": {"matrix": [[0.4, -0.2, 0.3], [0.1, 0.7, 0.5]], "row_labels": ["x1", "x2"], "label": "Weights W", "place": "left"},
        "optimizer": {"box": "Optimizer", "text": formula, "place": "center"},
        "new": {"matrix": [[0.42, -0.21], [0.14, 0.68]], "row_labels": ["x1", "x2"], "label": "New weights", "place": "right"},
        "rate": {"number": 1.0, "label": "η =", "place": "below optimizer"},
        "step_in": {"arrow": ["weights", "optimizer"]},
        "step_out": {"arrow": ["optimizer", "new"]},
    }
    actions = "- show: [weights, optimizer, rate]\n- grow: step_in\n- show: new\n- grow: step_out"

    def found(elements: dict[str, dict[str, Any]]) -> list[str]:
        return settled("".join(f"{name}: {json.dumps(fields, ensure_ascii=False)}\n" for name, fields in elements.items()), actions)[1]

    before = found(elements)
    (finding,) = [f for f in before if "'optimizer' with 'rate' does not fit at center" in f]
    # (its neighbours may be short of room too: each finding has its own advice)
    others = {f.split(": at the smallest")[0] for f in before if f != finding}
    fixes = finding.split("; ", 1)[1].split(" or ")
    assert fixes and fixes[0].startswith("shorten the `text` of 'optimizer' to about"), finding  # words first: no move needed
    for fix in fixes:  # every fix offered, taken alone, works
        taken = copy.deepcopy(elements)
        if shorter := re.fullmatch(r"shorten the `text` of 'optimizer' to about (\d+) characters", fix):
            taken["optimizer"]["text"] = formula[: int(shorter[1])]
        elif wider := re.fullmatch(r"give 'optimizer' `width: ([\d.]+)`", fix):
            taken["optimizer"]["width"] = float(wider[1])
        elif moved := re.fullmatch(r"place '(\w+)' at `([^`]+)`", fix):
            taken[moved[1]]["place"] = moved[2]
        else:
            raise AssertionError(f"advice not in storyboard words: {fix!r}")
        after = found(taken)
        assert not any("'optimizer' with 'rate' does not fit" in f.split(": at the smallest")[0] for f in after), (fix, after)
        assert {f.split(": at the smallest")[0] for f in after} <= others, (fix, after)  # and nothing new


def boxes_at_every_step(elements: str, actions: str, names: list[str]) -> tuple[list[dict[str, Box]], list[str]]:
    """Where each named element on screen is after every action, and the check's findings."""
    plan = plan_of(one_scene(elements, "- say: One two three.\n  do:\n" + "".join(f"    {line}\n" for line in actions.strip().splitlines()))).scenes[0]
    steps: list[dict[str, Box]] = []

    def after(timeline: Any, canvas: Any, slot: Any) -> None:
        stage = timeline.stage
        steps.append({name: bounds(stage.mobject(name)) for name in names if name in stage.on_screen()})

    dry_run(plan, (1.0,), lambda timeline, canvas, alpha: None, after)
    return steps, [str(f) for f in check_scene(plan)]


def test_what_is_in_the_centre_stays_there_when_neighbours_come_to_its_sides() -> None:
    # A box shown alone first, then one at its left and one at its right: the middle is split
    # once for all three, so the box neither starts right of centre nor gets run into.
    steps, found = boxes_at_every_step(
        "opt: {box: Optimizer, text: 'w ← w − η · g', width: 2.95, place: center}\n"
        "other: {box: Update, text: 'x ≤ 3 and a ≈ b × c', place: left}\n"
        "prose: {box: Prose, text: The gradient points uphill so we step the other way, place: right}\n",
        "- show: opt\n- show: other\n- show: prose",
        ["opt", "other", "prose"],
    )
    assert found == []
    first, last = steps[0]["opt"], steps[-1]["opt"]
    assert abs(first.center[0] - last.center[0]) < 1e-6 and abs(first.width - last.width) < 1e-6
    assert abs(last.center[0]) < 0.5  # in the centre
    assert apart(last, steps[-1]["other"]) >= GAP and apart(last, steps[-1]["prose"]) >= GAP


def test_a_brace_along_a_layer_goes_past_the_layers_label() -> None:
    stage, found = settled(
        "net: {mlp: [2, 3, 1], layer_labels: [input, hidden, output]}\n"
        "share: {brace: 'net.layers[1]', side: below, label: shares the blame}\n",
        "- show: net\n- grow: share",
    )
    assert found == []
    hidden = bounds(stage.drawings["net"].parts["layer_labels"][1])
    shape = bounds(stage.drawings["share"].parts["shape"])
    assert shape.top < hidden.bottom  # below the layer's own label, not over it
    assert apart(bounds(stage.drawings["share"].parts["label"]), hidden) >= 0.1


def test_what_replaces_a_title_card_takes_its_place_not_the_room_below_it() -> None:
    steps, found = boxes_at_every_step(
        "card: {title: Backpropagation, subtitle: 'Blame, passed backwards', place: center}\n"
        "plan: {bullets: [Run the network forward, Measure the error, Send the blame back], place: center}\n",
        "- show: card\n- replace: card\n  with: plan",
        ["card", "plan"],
    )
    assert found == []
    card, plan = steps[0]["card"], steps[-1]["plan"]
    assert card.overlaps(plan)  # the same room, one after the other: not stacked
    assert abs(card.center[1]) < 0.5  # a card alone sits in the middle of the frame


def test_wrapped_text_in_a_left_hand_place_is_flush_left_and_centred_in_the_middle() -> None:
    words = "Forward to predict, backward to assign blame, then a small step downhill."
    stage, found = settled(f"a: {{text: '{words}', width: 5, place: top left}}\nb: {{text: '{words}', width: 5, place: bottom}}\n", "- show: [a, b]")
    assert found == []
    flush, centred = stage.mobject("a").submobjects, stage.mobject("b").submobjects
    assert len(flush) >= 2 and len(centred) >= 2  # both wrapped
    assert max(line.get_left()[0] for line in flush) - min(line.get_left()[0] for line in flush) < 1e-3
    assert max(line.get_center()[0] for line in centred) - min(line.get_center()[0] for line in centred) < 1e-3
    assert abs(flush[0].get_left()[0] - flush[1].get_left()[0]) < 1e-3 and abs(flush[0].width - flush[1].width) > 0.05


def test_what_stops_fitting_later_is_told_at_that_beat_with_that_beats_room() -> None:
    # A vector alone fits; the two placed beside it one beat later make the row too wide.
    board = one_scene(
        "a: {vector: [2.0, 1.0, 0.1], direction: column, label: Scores, place: left}\n"
        "b: {vector: [7.39, 2.72, 1.11], direction: column, label: Exponentials, place: right of a, gap: 4}\n"
        "c: {vector: [0.66, 0.24, 0.10], direction: column, label: Probabilities, place: right of b, gap: 4}\n",
        "- say: One two three.\n  do: [show: a]\n- say: Four five six.\n  do: [show: b, show: c]\n",
    )
    (finding,) = [str(f) for f in check_scene(plan_of(board).scenes[0])]
    assert "beat 2:" in finding, finding
    need, has = re.search(r"needs ([\d.]+) x [\d.]+ units, and has ([\d.]+) x", finding).groups()  # type: ignore[union-attr]
    assert float(need) > float(has), finding  # the numbers of the beat that does not fit, not of one that does


def test_what_stops_fitting_names_only_what_is_on_screen_then() -> None:
    # 'ann' is placed beside 'scores' and hidden at beat 2; at beat 4 the caption above
    # leaves 'scores' too little height. 'ann' is not part of that problem.
    board = one_scene(
        "scores: {vector: [1, 2, 3, 4, 5, 6, 7, 8], direction: column, label: Scores, place: left}\n"
        "ann: {number: -0.5, label: 'Ann:', place: right of scores}\n"
        "kept: {number: 99, label: 'Kept:', place: right}\n"
        "summary: {caption: 'Two numbers per person become one, and almost nothing is lost', place: top}\n",
        "- say: One.\n  do: [show: [scores, ann]]\n- say: Two.\n  do: [hide: ann]\n"
        "- say: Three.\n  do: [show: kept]\n- say: Four.\n  do: [show: summary, {move: kept, to: center}]\n",
    )
    (finding,) = check_scene(plan_of(board).scenes[0])
    assert str(finding).startswith("scene 's', beat 4: 'scores' does not fit at left:"), finding
    assert "ann" not in str(finding) and finding.elements == ("scores",), finding


def test_numbers_are_readouts_at_the_size_asked_in_a_corner_and_beside_a_diagram_alike() -> None:
    # "Loss:" in a corner was heading-sized and "Prediction:" beside a roomy network grew
    # with it to one and a half times: two readouts of one frame at 40 and 60 points.
    stage, found = settled(
        "net: {mlp: [3, 4, 2]}\npred: {number: 0.73, label: 'Prediction:', place: right of net}\n"
        "loss: {number: 0.036, label: 'Loss:', place: top left}\nsteps: {number: 1000, label: 'Steps:', size: label, place: top right}\n",
        "- show: [net, pred, loss, steps]",
    )
    assert found == []
    sizes = {name: font_sizes(stage.mobject(name)) for name in ("pred", "loss", "steps")}
    body, label = stage.theme.body_size, stage.theme.label_size
    assert all(abs(size - body) < 0.5 for name in ("pred", "loss") for size in sizes[name]), sizes  # the default: body
    assert all(abs(size - label) < 0.5 for size in sizes["steps"]), sizes  # what the writer asked, not grown
    assert stage.placed["net"][1] > 1.2  # (there was room to grow: the network did)


def test_an_arrow_across_the_middle_keeps_a_band_tenant_out_of_its_way() -> None:
    # Trial 3: 'eve' at `bottom` rose into the free stretch between 'alice' at `left` and
    # 'bob' at `right`, and the arrow between them crossed her ("with no way round").
    board = one_scene(
        "alice: {box: Alice, text: 'Meet at noon', place: left}\n"
        "bob: {box: Bob, text: '?', place: right}\n"
        "eve: {box: Eve, text: Listening, place: bottom}\n"
        "channel: {arrow: [alice, bob], label: the internet}\n"
        "snoop: {arrow: [eve, channel], label: copies}\n"
        "note: {caption: 'Anything sent in the open can be copied', place: top}\n",
        "- say: One.\n  do: [show: [alice, bob], grow: channel]\n- say: Two.\n  do: [show: eve, grow: snoop, show: note]\n",
    )
    plan = plan_of(board).scenes[0]
    assert check_scene(plan) == []
    stages: list[Any] = []
    dry_run(plan, (1.0,), lambda timeline, canvas, alpha: None, lambda timeline, canvas, slot: stages.append(timeline.stage))
    stage = stages[-1]
    arrow, eve = bounds(stage.mobject("channel")), bounds(stage.mobject("eve"))
    assert eve.top < arrow.bottom, (eve, arrow)  # below the arrow, not beside it
