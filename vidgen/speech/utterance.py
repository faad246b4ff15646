"""What a beat shows and what its voice says, side by side, word for word.

A narration becomes a list of `Piece`s: stretches of the shown text, each with what is
spoken for it (the same text, or an alias, a lexicon entry, a built-in reading). From
them, an `Utterance` for one engine: the spoken string, and `links` that tie runs of shown
words to runs of spoken words. Engines time spoken words; the links carry those times back
to the shown words, so subtitles show what was written, timed to what was said.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from vidgen.speech.base import Cue, WordTiming
from vidgen.storyboard.narration import Narration, split_sentences

_WORD_RE = re.compile(r"\S+")


@dataclass(frozen=True)
class Piece:
    """A stretch of shown text and what is said for it. `source` says who decided:
    "" (said as written), "tag", "lexicon", "reading"; `key` is the lexicon entry's key."""

    shown: str
    spoken: str
    source: str = ""
    key: str = ""
    phonemes: Mapping[str, str] = field(default_factory=dict)  # engine → phonemes in its syntax

    @property
    def fixed(self) -> bool:
        """Said otherwise than written: later stages leave it alone."""
        return bool(self.source)

    def spoken_for(self, engine: str) -> str:
        if engine in self.phonemes:
            return f"[[{self.phonemes[engine]}]]"  # espeak-ng's and Piper's inline phoneme syntax
        if not self.fixed and "[[" in self.spoken:
            return self.spoken.replace("[[", "[ [")  # written text is never read as phonemes
        return self.spoken


@dataclass(frozen=True)
class Link:
    """Shown words [shown, shown_end) are said as spoken words [spoken, spoken_end)."""

    shown: int
    shown_end: int
    spoken: int
    spoken_end: int


@dataclass(frozen=True)
class Utterance:
    """One beat as one engine gets it: `spoken` is the text it speaks, `shown` the text
    subtitles show; marks and sentence starts are given as spoken word indices."""

    shown: str
    spoken: str
    links: tuple[Link, ...]
    marks: tuple[tuple[str, int], ...] = ()
    sentence_starts: tuple[int, ...] = (0,)  # spoken word indices where a shown sentence begins
    lexicon: tuple[str, ...] = ()  # the lexicon entries used

    @property
    def shown_words(self) -> list[str]:
        return self.shown.split()

    @property
    def spoken_words(self) -> list[str]:
        return self.spoken.split()

    def breaks(self) -> list[tuple[int, bool]]:
        """Where an engine without word timings must cut the spoken words to measure:
        (spoken word index, starts a sentence), in order, the first at 0."""
        cuts = {0: True, **{index: True for index in self.sentence_starts}}
        for _, index in self.marks:
            cuts.setdefault(index, False)
        count = len(self.spoken_words)
        return sorted((i, new) for i, new in cuts.items() if 0 <= i < count) or [(0, True)]

    def shown_timings(self, spoken: Sequence[WordTiming]) -> list[WordTiming]:
        """Shown words timed from the spoken words' timings; shown words that share
        spoken words (an alias of several words) share their time by length."""
        shown_words = self.shown_words
        timed: list[WordTiming] = []
        for link in self.links:
            span = spoken[link.spoken : link.spoken_end]
            start = span[0].start if span else (timed[-1].end if timed else 0.0)
            end = span[-1].end if span else start
            words = shown_words[link.shown : link.shown_end]
            weights = [len(w) + 1 for w in words]
            position = start
            for word, weight in zip(words, weights):
                length = (end - start) * weight / sum(weights)
                timed.append(WordTiming(word, position, position + length))
                position += length
        return timed

    def sentences(self, shown: Sequence[WordTiming]) -> list[Cue]:
        """Each shown sentence, timed from its first to its last shown word."""
        cues, index = [], 0
        for sentence in split_sentences(self.shown):
            count = len(sentence.split())
            span = shown[index : index + count]
            if span:
                cues.append(Cue(sentence, span[0].start, span[-1].end))
            index += count
        return cues

    def mark_times(self, spoken: Sequence[WordTiming]) -> dict[str, float]:
        last = len(spoken) - 1
        return {name: spoken[min(index, last)].start for name, index in self.marks}


def _spans(text: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _WORD_RE.finditer(text)]


def _touched(spans: Sequence[tuple[int, int]], start: int, end: int) -> list[int]:
    return [i for i, (a, b) in enumerate(spans) if a < end and start < b]


def _split_plain(pieces: Sequence[Piece], engine: str) -> list[tuple[str, str]]:
    """(shown, spoken) per piece, with text said as written cut at spaces, so each of its
    words links to itself alone."""
    out: list[tuple[str, str]] = []
    for piece in pieces:
        spoken = piece.spoken_for(engine)
        if spoken == piece.shown:
            out += [(run, run) for run in re.findall(r"\s+|\S+", piece.shown)]
        else:
            out.append((piece.shown, spoken))
    return out


def _tidy(parts: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Spoken text with single spaces only (replacements may bring their own)."""
    tidy, previous_space = [], True
    for shown, spoken in parts:
        kept = []
        for char in spoken:
            space = char.isspace()
            if not (space and previous_space):
                kept.append(" " if space else char)
            previous_space = space
        tidy.append((shown, "".join(kept)))
    if tidy and tidy[-1][1].endswith(" "):
        shown, spoken = tidy[-1]
        tidy[-1] = (shown, spoken.rstrip())
    return tidy


def link_pieces(pieces: Sequence[Piece], engine: str) -> tuple[str, str, tuple[Link, ...]]:
    """The shown and spoken strings, and the links between their words."""
    parts = _tidy(_split_plain(pieces, engine))
    shown = "".join(s for s, _ in parts)
    spoken = "".join(p for _, p in parts).strip()
    shown_spans, spoken_spans = _spans(shown), _spans(spoken)
    groups: list[list[int]] = []  # [shown first, shown last, spoken first, spoken last]
    at_shown = at_spoken = 0
    for part_shown, part_spoken in parts:
        s = _touched(shown_spans, at_shown, at_shown + len(part_shown))
        p = _touched(spoken_spans, at_spoken, at_spoken + len(part_spoken))
        at_shown += len(part_shown)
        at_spoken += len(part_spoken)
        if not s and not p:
            continue
        if groups and ((s and s[0] <= groups[-1][1]) or (p and p[0] <= groups[-1][3])):
            last = groups[-1]
            last[1] = max([last[1], *s])
            last[3] = max([last[3], *p])
        else:
            first_shown = s[0] if s else (groups[-1][1] + 1 if groups else 0)
            first_spoken = p[0] if p else (groups[-1][3] + 1 if groups else 0)
            groups.append([first_shown, s[-1] if s else first_shown - 1, first_spoken, p[-1] if p else first_spoken - 1])
    links = tuple(Link(a, b + 1, c, d + 1) for a, b, c, d in groups)
    return shown, spoken, links


@dataclass(frozen=True)
class Pronounced:
    """A beat ready for any engine: its narration and the pieces that say it."""

    narration: Narration
    pieces: tuple[Piece, ...]

    def for_engine(self, engine: str) -> Utterance:
        return make_utterance(self.pieces, self.narration, engine)


def make_utterance(pieces: Sequence[Piece], narration: Narration, engine: str) -> Utterance:
    """The utterance of `pieces` (which spell `narration.text`) for `engine`."""
    shown, spoken, links = link_pieces(pieces, engine)
    assert shown == narration.text, (shown, narration.text)
    word_of_offset = _word_index_at(shown)
    marks = tuple((name, _spoken_index(links, word_of_offset(offset))) for name, offset in narration.marks)
    starts, count = [], 0
    for sentence in split_sentences(shown):
        first = count
        count += len(sentence.split())
        link = next((l for l in links if l.shown == first), None)
        if link is not None:
            starts.append(link.spoken)
    used = tuple(dict.fromkeys(p.key for p in pieces if p.source == "lexicon"))
    return Utterance(shown, spoken, links, marks, tuple(starts) or (0,), used)


def _word_index_at(text: str) -> Callable[[int], int]:
    starts = [a for a, _ in _spans(text)]

    def index(offset: int) -> int:
        return next((i for i, start in enumerate(starts) if start >= offset), len(starts))

    return index


def _spoken_index(links: Sequence[Link], shown_word: int) -> int:
    """The spoken word a mark before `shown_word` falls on: inside a link of several words,
    at the same place in proportion."""
    for link in links:
        if link.shown <= shown_word < link.shown_end:
            offset = (shown_word - link.shown) * (link.spoken_end - link.spoken) // (link.shown_end - link.shown)
            return link.spoken + offset
    return links[-1].spoken_end if links else 0
