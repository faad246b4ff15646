"""Six storyboards on topics the seeds do not cover, written from the writers' guide alone,
kept as first written: each must pass the layout check without a writer's guess.

The first-written versions are in the history (commit "Six storyboards on new topics");
the only edits since fixed two mistakes `vidgen check` rightly reported that were the
writer's, not the layout's (a number counted before it was shown, an unquoted comma).
A seventh, on backpropagation, was written later the same way by an engineer who had read
only the guide; its one edit is the writer's own mistake the check reported at its line and
column (a brace's `side: bottom`, where a brace takes `below`). What it showed on its first
try (numbers rounded against the narration, a brace over a layer's label, a card stacked
above the list replacing it, a box that started right of centre, an arrow's label with no
room, a finding without advice) is what the layout and its tests were changed for."""

from __future__ import annotations

from pathlib import Path

import pytest

from vidgen.checking import check_storyboard_file, validate
from vidgen.elements import ELEMENT_KINDS
from vidgen.storyboard.places import FRAME_PLACES, RELATIVE_PLACES, parse_place

DRAFTS = Path(__file__).parent / "drafts" / "storyboards"
NAMES = sorted(path.stem for path in DRAFTS.glob("*.yaml"))


def test_there_are_seven_drafts_on_new_topics() -> None:
    assert NAMES == ["attention", "backpropagation", "convolution", "dropout", "gradient_descent", "kmeans", "word_embeddings"]


@pytest.mark.parametrize("name", NAMES)
def test_a_first_draft_passes_the_layout_check(name: str, tmp_path: Path) -> None:
    summary = check_storyboard_file(DRAFTS / f"{name}.yaml", cache_dir=tmp_path)
    assert summary.startswith(f"{DRAFTS / name}.yaml: ok"), summary


def test_together_the_drafts_use_every_element_kind_and_every_place() -> None:
    kinds, places = set(), set()
    for name in NAMES:
        storyboard = validate(DRAFTS / f"{name}.yaml").storyboard
        for scene in storyboard.scenes:
            for spec in scene.elements.values():
                kinds.add(spec.kind)
                if spec.place is not None:
                    places.add(parse_place(spec.place).anchor)
            for beat in scene.beats:
                places.update(parse_place(a.to).anchor for a in beat.do if a.kind == "move" and a.to)
    assert kinds == set(ELEMENT_KINDS)
    assert places == set(FRAME_PLACES) | set(RELATIVE_PLACES)
