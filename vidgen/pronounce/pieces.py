"""Narration → pieces: what is said for each stretch of what is shown.

Three stages, each leaving alone what an earlier one decided: the writer's
`<say as="…">` tags, then the lexicon, then the language's built-in readings.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from vidgen.pronounce.lexicon import Lexicon
from vidgen.pronounce.readings import Reading, readings_for
from vidgen.speech.utterance import Piece, Pronounced, Utterance, make_utterance
from vidgen.storyboard.narration import Narration, parse_narration

# A match in the shown text → the piece to say instead, or None to leave it.
Replace = Callable[[re.Match[str], str], Piece | None]


def _cut(pieces: Sequence[Piece], spans: Sequence[tuple[int, int, Piece]]) -> list[Piece]:
    """Pieces with each span (shown offsets) replaced by its piece."""
    out: list[Piece] = []
    position = 0
    spans = sorted(spans, key=lambda s: s[0])
    for piece in pieces:
        end = position + len(piece.shown)
        cursor = position
        for start, stop, replacement in spans:
            if start >= position and stop <= end:
                if start > cursor:
                    out.append(Piece(piece.shown[cursor - position : start - position], piece.shown[cursor - position : start - position]))
                out.append(replacement)
                cursor = stop
        if cursor == position:
            out.append(piece)
        elif cursor < end:
            rest = piece.shown[cursor - position :]
            out.append(Piece(rest, rest))
        position = end
    return out


def replace_matches(pieces: Sequence[Piece], pattern: re.Pattern[str], replace: Replace) -> list[Piece]:
    """Matches of `pattern` in the shown text that lie inside text still said as written,
    replaced by the pieces `replace` makes of them."""
    text = "".join(p.shown for p in pieces)
    free, position = [], 0
    for piece in pieces:
        if not piece.fixed:
            free.append((position, position + len(piece.shown)))
        position += len(piece.shown)
    spans = []
    for match in pattern.finditer(text):
        if match.end() > match.start() and any(a <= match.start() and match.end() <= b for a, b in free):
            made = replace(match, text)
            if made is not None:
                spans.append((match.start(), match.end(), made))
    return _cut(pieces, spans) if spans else list(pieces)


def _padded(words: str, text: str, start: int, end: int) -> str:
    """Words said in place of a symbol stand apart from the words it touches (x² → x squared)."""
    left = " " if start > 0 and text[start - 1].isalnum() else ""
    right = " " if end < len(text) and text[end].isalnum() else ""
    return f"{left}{words}{right}"


def _reading(reading: Reading) -> Replace:
    def replace(match: re.Match[str], text: str) -> Piece | None:
        words = reading.say(match, text)
        return None if words is None else Piece(match.group(0), _padded(words, text, match.start(), match.end()), "reading", reading.name)

    return replace


def _lexicon(lexicon: Lexicon) -> Replace:
    def replace(match: re.Match[str], text: str) -> Piece | None:
        found = lexicon.lookup(match.group(0))
        if found is None:
            return None
        key, entry = found
        return Piece(match.group(0), entry.say, "lexicon", key, dict(entry.phonemes))

    return replace


def pronounce(narration: Narration, lexicon: Lexicon | None = None, language: str = "en") -> tuple[Piece, ...]:
    """The pieces of a narration: tags, then lexicon entries, then built-in readings."""
    text = narration.text
    pieces: list[Piece] = []
    position = 0
    for alias in narration.aliases:
        if alias.start > position:
            pieces.append(Piece(text[position : alias.start], text[position : alias.start]))
        pieces.append(Piece(text[alias.start : alias.end], alias.spoken, "tag"))
        position = alias.end
    if position < len(text):
        pieces.append(Piece(text[position:], text[position:]))
    pattern = lexicon.pattern() if lexicon else None
    if pattern is not None and lexicon is not None:
        pieces = replace_matches(pieces, pattern, _lexicon(lexicon))
    for reading in readings_for(language):
        pieces = replace_matches(pieces, reading.pattern, _reading(reading))
    return tuple(pieces)


def pronounced(say: str, lexicon: Lexicon | None = None, language: str = "en") -> Pronounced:
    """A beat's `say` (with its tags), ready to be spoken by any engine."""
    narration = parse_narration(say)
    return Pronounced(narration, pronounce(narration, lexicon, language))


def utter(narration: Narration, engine: str, lexicon: Lexicon | None = None, language: str = "en") -> Utterance:
    """What `engine` says for a narration, linked word by word to what is shown."""
    return make_utterance(pronounce(narration, lexicon, language), narration, engine)
