"""Text that fits: one place that makes Manim text in the theme's font, wrapped to a width.

Manim's `Text` never wraps, and its default font is a serif; every element draws words
through `make_text` so the whole video shares one font and one wrapping rule.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from functools import lru_cache, partial
from typing import Any

from vidgen.theme import Theme

LINE_SPACING = 0.18  # units between wrapped lines, at font size 32


def make_text(
    content: str,
    theme: Theme,
    *,
    size: int,
    color: str | None = None,
    bold: bool = False,
    max_width: float | None = None,
    align: str = "center",
) -> Any:
    """A Text (or a column of lines) no wider than `max_width` units, wrapped at spaces.

    Lines are balanced (a wrapped sentence does not end on an orphaned word), never break
    inside a word or a short expression (`1 - p`, `x = 3`, `0.5 s`), and a word longer than
    the width shrinks the whole block rather than being cut."""

    def line(text: str) -> Any:
        return _shaped(text.replace(_KEEP, " "), theme.font, size, color or theme.foreground, bold).copy()

    if not content.strip():
        # Manim cannot shape blank text; an invisible glyph keeps the slot (a blank cell
        # can be written later) and its size.
        return line("0").set_opacity(0)
    whole = line(content)
    if max_width is None or whole.width <= max_width or " " not in content.strip():
        return whole if max_width is None or whole.width <= max_width else whole.scale_to_fit_width(max_width)
    kept = keep_together(" ".join(content.split()))
    tokens = kept.split(" ")  # the places a line may break
    lines = [line(part) for part in balanced_lines(kept, 2)]
    for count in range(3, len(tokens) + 1):  # as few lines as fit, each as even as can be
        if all(mob.width <= max_width for mob in lines):
            break
        lines = [line(part) for part in balanced_lines(kept, count)]
    block = stack_lines(lines, line_pitch(theme.font, size), align)
    if block.width > max_width:  # a single word longer than the width: shrink, don't cut it
        block.scale_to_fit_width(max_width)
    return block


MINUS = "\u2212"  # the minus sign: as wide as a plus and set at its height, unlike the hyphen


def typeset_number(text: str) -> str:
    """A number as it is drawn: a leading hyphen (how YAML and Python write a negative
    number) becomes a minus sign, as typesetting wants. Anything that is not a number
    (`Sci-Fi`, `-`, `x-1`) is left as written."""
    stripped = text.strip()
    if not stripped.startswith("-"):
        return text
    try:
        float(stripped)
    except ValueError:
        return text
    return text.replace("-", MINUS, 1)


def drawn_size(block: Any) -> float:
    """The font size `make_text`'s block is drawn at: smaller than asked when a piece that
    cannot break was wider than the width, and the block shrank to fit."""
    from manim import Text

    return min(float(member.font_size) for member in block.get_family() if isinstance(member, Text))


_DESCENDERS = set("gjpqyQ,;()[]{}/|_@$§µçßŁłĄąĘęǫ")
_RAISED = set("−-–—+=*^~°'\"`´·•×÷±<>")  # sit above the line: their bottoms are not on it


def _line_glyphs(text: Any, skip: set[str] = _DESCENDERS | _RAISED) -> list[Any]:
    """The glyphs of a Text whose bottoms sit on its baseline. Manim draws a space as an
    empty glyph but leaves it out of `text.text`, so glyphs and letters are paired after
    dropping the empty ones (else every letter after a space was paired with its neighbour)."""
    drawn = [glyph for glyph in text.submobjects if glyph.has_points() and glyph.width > 0]
    letters = [char for char in text.text if not char.isspace()]
    if len(drawn) != len(letters):
        drawn, letters = text.submobjects, list(text.text)
    return [glyph for char, glyph in zip(letters, drawn) if char not in skip]


def rests_on_baseline(text: Any) -> bool:
    """Whether some letter of a Text stands on its baseline (not `-`, `−`, `y`, `(…)` only)."""
    return bool(_line_glyphs(text))


def baseline(text: Any) -> float:
    """The y of the line a Text's letters sit on (its bottom, but for letters that hang
    below it: g, p, y, commas, and signs that float above it: −, +, °). Lines and list
    items are spaced by their baselines, so the gaps look even whatever letters they hold;
    table and vector cells set their words on one, so `dog` sits level with `cat`."""
    glyphs = _line_glyphs(text) or _line_glyphs(text, _DESCENDERS)  # a lone `−` or `+`: its own bottom
    if not glyphs:
        return float(text.get_bottom()[1] + 0.22 * text.height)  # all hang below: about the descent
    bottoms = sorted(float(glyph.get_bottom()[1]) for glyph in glyphs)
    return bottoms[len(bottoms) // 2]


@lru_cache(maxsize=64)
def line_pitch(font: str, size: int) -> float:
    """Baseline to baseline between wrapped lines at `size`."""
    from manim import Text

    return float(Text("Hy", font=font, font_size=size).height) + LINE_SPACING * size / 32


def stack_lines(lines: list[Any], pitch: float, align: str = "center") -> Any:
    """Lines one under another, their baselines `pitch` apart, aligned on one edge."""
    from manim import VGroup

    for index, line in enumerate(lines):
        line.shift([0.0, -index * pitch - baseline(line), 0.0])
        if align == "left":
            line.shift([-line.get_left()[0], 0.0, 0.0])
        elif align == "right":
            line.shift([-line.get_right()[0], 0.0, 0.0])
        else:
            line.shift([-line.get_center()[0], 0.0, 0.0])
    return VGroup(*lines)


_KEEP = "\u00a0"  # a space that does not break a line
SHORT_EXPRESSION = 20  # characters: an expression this long or shorter is never broken
_OPERATOR_SIGNS = set("·⋅∙*/^")  # operators that Unicode files as punctuation, not math
_NOT_OPERATORS = set("∞∂∇√∛∜∑∏∐∫∬∭∮¬")  # math symbols that are operands or prefixes
_RELATIONS = set("=<>~≈≠≤≥≡≃≅∼∝∈∉∋⊂⊃⊆⊇≪≫|:")  # and every arrow: the loosest-binding operators
_ADDITIVE = {"+", "-", "−", "±", "∓", "⊕", "∪", "∨"}
_UNITS = "%|‰|°C?|×|x|px|pt|dB|fps|[kMGTmµn]?(?:s|m|g|Hz|B|W|V|A)|min|h|bits?|epochs?|steps?|units?"
_UNIT_RE = re.compile(rf"(?<=\d) (?=(?:{_UNITS})(?![\w]))")


def keep_together(text: str) -> str:
    """`text` with the spaces that must not break a line made unbreakable: inside a short
    expression (operands joined by operators or arrows, ASCII or Unicode: `1 - p`,
    `w ← w − η · g`, `x ≤ 3`), inside short brackets (`(0.64, 0.77)`, `f(a, b)`) and
    between a number and its unit.

    An expression longer than `SHORT_EXPRESSION` may break, but only after an operator,
    the loosest-binding one first (an arrow or relation, then `+`/`−`), as typesetters do."""
    groups: list[list[str]] = []
    for token in _bracketed(text.split(" ")):
        if groups and (_is_operator(token) or _is_operator(groups[-1][-1])):
            groups[-1].append(token)  # an operator binds both its neighbours
        else:
            groups.append([token])
    text = " ".join(piece for group in groups for piece in _unbreakable_pieces(group))
    return _UNIT_RE.sub(_KEEP, text)


def _bracketed(tokens: list[str]) -> list[str]:
    """`tokens` with each short bracketed run (a tuple, coordinates, a call's arguments:
    `(0.64, 0.77)`, `f(a, b)`, `[1, 2, 3]`) joined into one unbreakable operand."""
    joined: list[str] = []
    start = 0
    while start < len(tokens):
        depth, end = _depth(tokens[start]), start
        while depth > 0 and end + 1 < len(tokens):
            end += 1
            depth += _depth(tokens[end])
        run = _KEEP.join(tokens[start : end + 1])
        if end > start and depth <= 0 and len(run) <= SHORT_EXPRESSION:
            joined.append(run)
            start = end + 1
        else:
            joined.append(tokens[start])
            start += 1
    return joined


def _depth(token: str) -> int:
    """How many brackets `token` leaves open (negative: closes)."""
    return sum(token.count(c) for c in "([{") - sum(token.count(c) for c in ")]}")


def _is_operator(token: str) -> bool:
    """An operator or arrow standing on its own between spaces: `-`, `->`, `:=`, `←`, `≤`."""
    signs = [char for char in token if char not in "-!:"]
    return (token == "-" or bool(signs)) and all(_is_operator_sign(char) for char in signs)


def _is_operator_sign(char: str) -> bool:
    if char in _OPERATOR_SIGNS or "ARROW" in unicodedata.name(char, ""):
        return True
    return unicodedata.category(char) == "Sm" and char not in _NOT_OPERATORS


def _looseness(operator: str) -> int:
    """How loosely an operator binds: relations and arrows 0, additive 1, the rest 2."""
    if any(char in _RELATIONS or "ARROW" in unicodedata.name(char, "") for char in operator):
        return 0
    return 1 if operator in _ADDITIVE else 2


def _unbreakable_pieces(group: list[str]) -> list[str]:
    """An expression (operands and the operators between them) as pieces joined by
    unbreakable spaces: whole if short, else split after its loosest operator nearest
    its middle, each side split again as needed."""
    joined = _KEEP.join(group)
    splits = [i for i in range(1, len(group) - 1) if _is_operator(group[i]) and not _is_operator(group[i + 1])]
    if len(joined) <= SHORT_EXPRESSION or not splits:
        return [joined]
    middle = len(joined) / 2

    def cost(i: int) -> tuple[int, float]:
        end = len(" ".join(group[: i + 1]))
        return _looseness(group[i]), abs(end - middle)

    split = min(splits, key=cost)
    return _unbreakable_pieces(group[: split + 1]) + _unbreakable_pieces(group[split + 1 :])


def balanced_lines(text: str, count: int) -> list[str]:
    """`text` in at most `count` lines, as even as they can be (the narrowest wrap that
    needs no more lines). Words are never cut."""
    wrap = partial(textwrap.wrap, break_long_words=False, break_on_hyphens=False)
    words = text.split()
    narrowest = max(max(len(word) for word in words), -(-len(text) // max(count, 1)))
    for width in range(narrowest, len(text) + 1):
        lines = wrap(text, width)
        if len(lines) <= count:
            return lines
    return [text]


@lru_cache(maxsize=2048)
def _shaped(text: str, font: str, size: int, color: str, bold: bool) -> Any:
    """Shaping text (Pango, then SVG parsing) costs ~20 ms; a copy of a shaped one ~8 ms.
    Tables and vectors repeat their texts a lot, so each is shaped once per process."""
    from manim import Text

    return share_svg_sources(Text(text, font=font, font_size=size, color=color, weight="BOLD" if bold else "NORMAL", disable_ligatures=True))


class _SharedSource:
    """An SVG path a glyph was drawn from. Manim reads it once, to make the glyph's points,
    and never changes it; yet every copy of the glyph deep-copied it, point object by point
    object, and those copies were most of the time a layout check took. Copies share it."""

    def __init__(self, path: Any) -> None:
        self.path = path

    def __iter__(self) -> Any:
        return iter(self.path)

    def __deepcopy__(self, memo: dict[int, Any]) -> _SharedSource:
        return self


def share_svg_sources(mobject: Any) -> Any:
    """`mobject` (text, LaTeX, a brace) with its SVG sources shared by all its future copies."""
    for part in mobject.get_family():
        source = getattr(part, "path_obj", None)
        if source is not None and not isinstance(source, _SharedSource):
            part.path_obj = _SharedSource(source)
    return mobject
