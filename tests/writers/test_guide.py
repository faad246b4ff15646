"""The writers' guide stays true: each element kind's and action's example is the scene its
picture is drawn from (docs/gallery.yaml), and the limits it states are the ones vidgen enforces.
No rendering here (tests/render/test_gallery.py renders and checks every example)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from vidgen.actions import ACTION_KINDS
from vidgen.elements import ELEMENT_KINDS
from vidgen.gallery import (
    example_parts,
    example_yaml,
    guide_blocks,
    guide_with_examples,
    load_gallery,
)
from vidgen.layout.measure import MAX_FONT_SIZE, MIN_FONT_SIZE
from vidgen.storyboard.loader import load_storyboard

DOCS = Path(__file__).resolve().parents[2] / "docs"
GUIDE = (DOCS / "writing-storyboards.md").read_text(encoding="utf-8")
GALLERY = load_gallery(DOCS / "gallery.yaml")
EXAMPLES = [(section, name) for section, entries in GALLERY.items() for name in entries]


def test_the_guide_shows_every_example_as_generated() -> None:
    assert GUIDE == guide_with_examples(GUIDE, GALLERY), "run `python docs/make_pictures.py --examples` and commit the guide"


def test_every_kind_action_and_flow_has_its_example_in_the_guide() -> None:
    blocks = guide_blocks(GUIDE)
    assert {name for section, name in blocks if section == "elements"} == set(ELEMENT_KINDS)
    assert {name for section, name in blocks if section == "actions"} == set(ACTION_KINDS)
    assert {("flows", name) for name in GALLERY["flows"]} <= blocks
    for section, name in blocks:
        assert (DOCS / "pictures" / f"{section}-{name}.png").is_file(), f"run `python docs/make_pictures.py` for {section}/{name}"


@pytest.mark.parametrize(("section", "name"), EXAMPLES, ids=[f"{s}-{n}" for s, n in EXAMPLES])
def test_each_example_reads_back_as_the_scene_it_pictures(section: str, name: str) -> None:
    assert yaml.safe_load(example_yaml(GALLERY[section][name])) == example_parts(GALLERY[section][name])


def test_the_flows_pass_the_storyboard_checks(tmp_path: Path) -> None:
    """The model's and the references' checks; the layout's are in tests/render/test_gallery.py."""
    scenes = [{"id": name, "title": name, **example_parts(entry)} for name, entry in GALLERY["flows"].items()]
    board = tmp_path / "flows.yaml"
    board.write_text(yaml.safe_dump({"title": "Flows", "voice": "default", "scenes": scenes}, sort_keys=False))
    assert [scene.id for scene in load_storyboard(board).storyboard.scenes] == list(GALLERY["flows"])


def test_the_sizes_the_guide_states_are_the_layouts() -> None:
    growth = {"vector": 2.5, "matrix": 2.5, "table": 2.5, "mlp": 2.5, "equation": 2.0, "image": 2.0, "box": 1.4, "text": 1.25, "bullets": 1.25}
    growth |= {"title": 1.0, "caption": 1.0, "number": 1.0}
    assert {kind: float(getattr(ELEMENT_KINDS[kind], "grows", 1.0)) for kind in growth} == growth
    assert "(2.5 times for vectors, matrices,\n  tables and networks; 2 for formulas and pictures; 1.4 for boxes; 1.25 for text and\n  bullets; 1 for titles, captions and numbers" in GUIDE
    assert f"(font size {MIN_FONT_SIZE})" in GUIDE and f"reach font size {MAX_FONT_SIZE}" in GUIDE


def test_the_limits_the_guide_states_are_enforced(tmp_path: Path) -> None:
    board = tmp_path / "limits.yaml"
    board.write_text(
        "title: T\nvoice: default\nscenes:\n  - id: first-split\n    title: A\n    elements:\n"
        "      to-small: {text: Hi}\n      t: {table: [[1]], columns: [2019]}\n      n: {number: 3, unit: percent of all the users}\n"
        "    beats:\n      - say: Hi.\n"
    )
    from vidgen.errors import StoryboardError

    with pytest.raises(StoryboardError) as raised:
        load_storyboard(board)
    found = str(raised.value)
    assert "'to-small' is not a valid name" in found and "2019 is not text" in found and "more than the 20 allowed" in found
    assert "first-split" not in found  # a scene id may have a hyphen
    assert "at most 20 characters" in GUIDE and "(`to_small`, never `to-small`)" in GUIDE and '`columns: ["2019", "2020"]`' in GUIDE


def test_the_guide_lists_exactly_the_latex_commands_equations_accept() -> None:
    """A writer learns from the guide which commands work; the list is vidgen's own."""
    import re

    from vidgen.elements.latex import ALLOWED, ENVIRONMENTS

    listed = GUIDE.split("<!-- latex commands")[1].split("<!-- /latex commands -->")[0]
    lines = listed.splitlines()
    named = set(re.findall(r"\\([A-Za-z]+)", listed))
    ranges = {"alpha", "omega", "Gamma", "Omega", "varGamma", "varOmega"}  # `\alpha` … `\omega`: every Greek letter between
    greek = {name for name in ALLOWED if name.lower().removeprefix("var") in {
        "alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta", "iota", "kappa", "lambda", "mu", "nu", "xi", "pi",
        "rho", "sigma", "tau", "upsilon", "phi", "chi", "psi", "omega"}}
    assert named - {"begin", "end"} - ALLOWED == set(), "the guide lists commands vidgen refuses"
    assert ALLOWED - named - greek == set(), "commands vidgen allows are missing from the guide"
    assert ranges <= named
    environments = next(line for line in lines if line.startswith("- Environments"))
    assert set(environments.split(": ")[-1].strip("`").split()) == set(ENVIRONMENTS)
