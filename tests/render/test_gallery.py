"""Every element kind and action has a gallery example (the guide's picture) that renders
cleanly: drawn, inside the frame, colliding with nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.render.conftest import ink
from vidgen.actions import ACTION_KINDS
from vidgen.elements import ELEMENT_KINDS
from vidgen.gallery import example_scene, load_gallery
from vidgen.render.check import check_scene
from vidgen.render.still import render_still
from vidgen.theme import DARK

GALLERY = Path(__file__).resolve().parents[2] / "docs" / "gallery.yaml"
EXAMPLES = [(section, name) for section, entries in load_gallery(GALLERY).items() for name in entries]


def test_every_kind_and_action_has_an_example() -> None:
    gallery = load_gallery(GALLERY)
    assert set(gallery["elements"]) == set(ELEMENT_KINDS)
    assert set(gallery["actions"]) == set(ACTION_KINDS)


@pytest.mark.parametrize(("section", "name"), EXAMPLES, ids=[f"{s}-{n}" for s, n in EXAMPLES])
def test_each_example_renders_cleanly(section: str, name: str) -> None:
    scene = example_scene(GALLERY, section, name)
    assert check_scene(scene) == []
    image, _ = render_still(scene)
    assert ink(image, DARK.background).sum() > 300
