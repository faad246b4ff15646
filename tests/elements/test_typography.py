"""Text is the most copied thing in a scene: copies must be cheap and exact."""

from __future__ import annotations

import numpy as np
import pytest

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


def _lines(block: object) -> list[str]:
    from manim import Text

    return [block.text] if isinstance(block, Text) else [line.text for line in block.submobjects]  # type: ignore[attr-defined]


def test_wrapped_text_fits_its_width_in_balanced_lines_and_keeps_expressions_whole() -> None:
    for content, size, width in [
        ("Training an Auto Encoder", 60, 6.0),  # a title card's heading, in a narrow box
        ("all neurons on, outputs scaled by 1 - p", 26, 2.6),
        ("Start around 0.001 and adjust it 3 ms at a time", 32, 5.0),
    ]:
        block = make_text(content, DARK, size=size, max_width=width)
        assert block.width <= width + 1e-6
        lines = _lines(block)
        assert "".join(lines) == content.replace(" ", "")  # nothing lost, words whole (Text drops spaces)
        if len(lines) > 1:
            lengths = [len(line) for line in lines]
            assert max(lengths) - min(lengths) <= max(lengths) // 2 + 2, lines  # no orphan on the last line
    assert any(line.endswith("1-p") for line in _lines(make_text("all neurons on, outputs scaled by 1 - p", DARK, size=26, max_width=2.6)))


def test_a_word_longer_than_the_width_shrinks_rather_than_being_cut() -> None:
    block = make_text("Antidisestablishmentarianism everywhere", DARK, size=40, max_width=3.0)
    assert block.width <= 3.0 + 1e-6 and "".join(_lines(block)) == "Antidisestablishmentarianismeverywhere"


def test_unicode_operators_and_arrows_keep_a_short_expression_on_one_line() -> None:
    from vidgen.elements.typography import drawn_size

    for content, expression in [
        ("the update is w ← w − η · g every step", "w←w−η·g"),
        ("so a ≈ b × c when x is small", "a≈b×c"),
        ("stop as soon as x ≤ 3 holds", "x≤3"),
        ("then p ⇒ q and q ↔ r follow", "p⇒q"),
        ("the ASCII arrow x -> y and a := b + 1", "a:=b+1"),
    ]:
        block = make_text(content, DARK, size=26, max_width=2.6)  # narrow: several lines
        lines = _lines(block)
        assert len(lines) > 1 and drawn_size(block) == pytest.approx(26), lines
        assert any(expression in line for line in lines), (expression, lines)


def test_long_prose_with_operators_still_wraps_and_a_long_expression_breaks_after_an_operator() -> None:
    from vidgen.elements.typography import drawn_size

    prose = "The gradient points uphill → so we step the other way, scaled by the learning rate η"
    block = make_text(prose, DARK, size=26, max_width=4.0)
    assert len(_lines(block)) >= 3 and block.width <= 4.0 + 1e-6 and drawn_size(block) == pytest.approx(26)
    long_sum = make_text("loss = a + b + c + d + e + f + g + h", DARK, size=26, max_width=3.0)
    lines = _lines(long_sum)
    assert len(lines) > 1 and drawn_size(long_sum) == pytest.approx(26), lines
    assert all(line[-1] in "=+" for line in lines[:-1]), lines  # never inside `a + b`, never before an operator



def test_a_negative_number_is_typeset_with_a_minus_sign_and_nothing_else_is() -> None:
    from vidgen.elements.number import format_number
    from vidgen.elements.typography import MINUS, typeset_number

    assert typeset_number("-0.82") == f"{MINUS}0.82" and typeset_number("-7") == f"{MINUS}7"
    assert [typeset_number(text) for text in ("0.82", "Sci-Fi", "-", "x-1", "1-5", "?")] == ["0.82", "Sci-Fi", "-", "x-1", "1-5", "?"]
    assert format_number(-0.354, 2) == f"{MINUS}0.35"
    assert format_number(-0.001, 2) == "0.00"  # a count passing through zero shows no sign on it
    # a minus is as wide as the digits' neighbours expect (a hyphen is less than half as wide)
    assert make_text(f"{MINUS}1", DARK, size=32).width > 1.4 * make_text("-1", DARK, size=32).width
