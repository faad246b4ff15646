"""Narration text: `<mark name="x"/>` tags inside `say`, and sentences.

A mark names the moment the word after it is spoken; actions start there with `at: x`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MARK_RE = re.compile(r"""<mark\s+name\s*=\s*["']([A-Za-z_][\w-]*)["']\s*/>""")
_ANY_TAG_RE = re.compile(r"<[^>]*>")
_SENTENCE_END_RE = re.compile(r"(?<=[.!?…])[\"')\]]*\s+(?=[\"'(\[]?[A-ZÀ-ÖØ-ÞĄĆĘŁŃÓŚŹŻ0-9])")


@dataclass(frozen=True)
class Narration:
    """Narration with its marks removed; each mark keeps the character offset it had."""

    text: str
    marks: tuple[tuple[str, int], ...] = ()

    @property
    def mark_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.marks)


def _squash(text: str) -> str:
    return " ".join(text.split())


def parse_narration(raw: str) -> Narration:
    """Strip marks, collapse whitespace, and record where each mark's next word starts."""
    split = MARK_RE.split(raw)  # [text, name, text, name, …, text]
    pieces, names = [_squash(piece) for piece in split[::2]], split[1::2]
    text, starts = "", []
    for piece in pieces:
        if piece and text:
            text += " "
        starts.append(len(text) if piece else None)
        text += piece
    marks = []
    for i, name in enumerate(names):
        following = [start for start in starts[i + 1 :] if start is not None]
        marks.append((name, following[0] if following else len(text)))
    return Narration(text, tuple(marks))


def unknown_tags(raw: str) -> list[str]:
    """Tags in narration that are not marks: almost always a typo of a mark."""
    return [tag for tag in _ANY_TAG_RE.findall(MARK_RE.sub("", raw))]


def split_sentences(text: str) -> list[str]:
    """Split plain narration into sentences at ., ! and ? followed by a capital or digit."""
    return [part.strip() for part in _SENTENCE_END_RE.split(text) if part.strip()]
