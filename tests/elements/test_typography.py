"""Text is the most copied thing in a scene: copies must be cheap and exact."""

from __future__ import annotations

import numpy as np

from vidgen.elements.typography import make_text
from vidgen.theme import DARK


def test_copies_of_text_share_their_svg_sources_and_keep_their_outlines() -> None:
    text = make_text("Shared glyphs ąę", DARK, size=32)
    copy = text.copy()
    glyphs = [(a, b) for a, b in zip(text.get_family(), copy.get_family(), strict=True) if hasattr(a, "path_obj")]
    assert len(glyphs) >= 14  # one outline per visible glyph
    assert all(a.path_obj is b.path_obj for a, b in glyphs)
    assert all(a.points is not b.points and np.array_equal(a.points, b.points) for a, b in glyphs)
    # the shared source still draws the glyph it came from
    first, _ = glyphs[0]
    redrawn = first.copy()
    redrawn.generate_points()
    assert len(redrawn.points) > 0


def test_a_brace_shares_its_source_too() -> None:
    from manim import Brace, Square

    from vidgen.elements.typography import share_svg_sources

    brace = share_svg_sources(Brace(Square()))
    assert brace.copy().path_obj is brace.path_obj
