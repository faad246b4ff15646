"""Narration text: vidgen's two inline tags inside `say`, and sentences.

- `<mark name="x"/>` names the moment the word after it is spoken; actions start there
  with `at: x`.
- `<say as="en see eff">NCF</say>`: the voice speaks the `as` text, while subtitles, the
  script and the preview show what is written between the tags.

Only these two tags are markup. Any other `<`, `>` and `&` is text, spoken and shown as
written (`if x < y`, `R&D`, `a<b`). Something shaped like a tag that is *almost* one of
ours (`<mark nme="x"/>`, `<say>` without `as`, `<break time="1s"/>`) is an error rather
than text, since a writer who typed it meant markup.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

TAG_NAMES = ("mark", "say")
MARK_NAME_RE = re.compile(r"[A-Za-z_][\w-]*")
# Tag-shaped: `<` (or `</`) right before a name, attributes without < or >, `>` or `/>`.
_TAG_RE = re.compile(r"<(/?)([A-Za-z][\w-]*)((?:\s[^<>]*?)?)\s*(/?)>")
_ATTR_RE = re.compile(r"""\s*([A-Za-z_][\w-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')\s*""")
_SENTENCE_END_RE = re.compile(r"(?<=[.!?…])[\"')\]]*\s+(?=[\"'(\[]?[A-ZÀ-ÖØ-ÞĄĆĘŁŃÓŚŹŻ0-9])")
MARK_HELP = '<mark name="x"/>'
SAY_HELP = '<say as="how to say it">written text</say>'


class NarrationError(ValueError):
    """Narration markup that cannot be read; the message says what was expected."""


@dataclass(frozen=True)
class Alias:
    """Written text (`text[start:end]` of its narration) that the voice says as `spoken`."""

    start: int
    end: int
    spoken: str


@dataclass(frozen=True)
class Narration:
    """Narration as shown (tags removed, whitespace collapsed); each mark keeps the offset of
    the word it stands before, each `<say as>` the span of text it covers."""

    text: str
    marks: tuple[tuple[str, int], ...] = ()
    aliases: tuple[Alias, ...] = ()

    @property
    def mark_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.marks)


def _attributes(text: str) -> dict[str, str] | None:
    """`name="x" as='y'` as a dict, or None if it is not a clean list of attributes."""
    found: dict[str, str] = {}
    position = 0
    for match in _ATTR_RE.finditer(text):
        if match.start() != position:
            return None
        found[match.group(1)] = match.group(2) if match.group(2) is not None else match.group(3)
        position = match.end()
    return found if position == len(text) else None


def _near_miss(name: str) -> str | None:
    close = difflib.get_close_matches(name.lower(), TAG_NAMES, n=1, cutoff=0.6)
    return close[0] if close else None


def _is_markup(match: re.Match[str]) -> bool:
    """Whether a tag-shaped piece of text was meant as markup: it names one of our tags (or
    nearly), or carries attributes (`<break time="1s"/>`). Else it is text: `a<b>c`, `Vec<T>`."""
    name, attributes = match.group(2), match.group(3)
    return name.lower() in TAG_NAMES or _near_miss(name) is not None or "=" in attributes


def _read_tag(match: re.Match[str]) -> tuple[str, str | None]:
    """("mark", name), ("open", as-text) or ("close", None); NarrationError otherwise."""
    tag = match.group(0)
    closing, name, attributes, self_closing = match.group(1), match.group(2), match.group(3), match.group(4)
    if name not in TAG_NAMES:
        guess = _near_miss(name)
        hint = f" (did you mean <{guess}>?)" if guess and guess != name else ""
        raise NarrationError(f"{tag!r} is not a vidgen tag{hint}; expected {MARK_HELP} or {SAY_HELP} (put a space after < to write it as text)")
    attrs = _attributes(attributes)
    if name == "mark":
        if closing or not self_closing or attrs is None or set(attrs) != {"name"}:
            raise NarrationError(f"{tag!r} is not a mark; expected {MARK_HELP}")
        if not MARK_NAME_RE.fullmatch(attrs["name"]):
            raise NarrationError(f"{attrs['name']!r} cannot name a mark; expected letters, digits, _ and -, starting with a letter")
        return "mark", attrs["name"]
    if closing:
        if attributes.strip() or self_closing:
            raise NarrationError(f"{tag!r} is not a closing tag; expected </say>")
        return "close", None
    if self_closing or attrs is None or set(attrs) != {"as"}:
        raise NarrationError(f"{tag!r} is not a say tag; expected {SAY_HELP}")
    spoken = _squash(attrs["as"])
    if not spoken:
        raise NarrationError(f"{tag!r} gives nothing to say; expected {SAY_HELP}")
    return "open", spoken


def _squash(text: str) -> str:
    return " ".join(text.split())


class _Builder:
    """Collects shown text with whitespace collapsed across tags, and where tags fell."""

    def __init__(self) -> None:
        self.text = ""
        self.space = False
        self.waiting: list[list] = []  # marks and alias starts, placed at the next word

    def add(self, chunk: str) -> None:
        for run in re.findall(r"\s+|\S+", chunk):
            if run.isspace():
                self.space = bool(self.text)
                continue
            if self.space:
                self.text += " "
                self.space = False
            for item in self.waiting:
                item[1] = len(self.text)
            self.waiting.clear()
            self.text += run

    def here(self) -> list:
        item: list = [None, None]
        self.waiting.append(item)
        return item


def _word_start(text: str, offset: int) -> int:
    """A mark written inside a word stands before that word."""
    while 0 < offset < len(text) and not text[offset - 1].isspace():
        offset -= 1
    return offset


def parse_narration(raw: str) -> Narration:
    """Read the tags, collapse whitespace, and record where each mark and alias falls.
    Raises NarrationError for markup that is not ours or not well formed."""
    built = _Builder()
    marks: list[list] = []
    aliases: list[tuple[list, int, str]] = []
    open_alias: tuple[list, str] | None = None
    position = 0
    for match in _TAG_RE.finditer(raw):
        if not _is_markup(match):
            continue
        built.add(raw[position : match.start()])
        position = match.end()
        kind, value = _read_tag(match)
        if kind == "mark":
            item = built.here()
            item[0] = value
            marks.append(item)
        elif kind == "open":
            if open_alias is not None:
                raise NarrationError(f"{match.group(0)!r} is inside another <say>; expected </say> first")
            open_alias = (built.here(), value or "")
        else:
            if open_alias is None:
                raise NarrationError("'</say>' closes no <say>; expected " + SAY_HELP)
            start, spoken = open_alias
            if start[1] is None:
                raise NarrationError(f"<say as={spoken!r}> has no written text before </say>; expected {SAY_HELP}")
            aliases.append((start, len(built.text), spoken))
            open_alias = None
    built.add(raw[position:])
    if open_alias is not None:
        raise NarrationError(f"<say as={open_alias[1]!r}> is not closed; expected {SAY_HELP}")
    text = built.text
    placed = tuple((name, len(text) if offset is None else _word_start(text, offset)) for name, offset in marks)
    return Narration(text, placed, tuple(Alias(start[1], end, spoken) for start, end, spoken in aliases))


def narration_problem(raw: str) -> str | None:
    """What is wrong with the narration's markup, or None."""
    try:
        parse_narration(raw)
    except NarrationError as error:
        return str(error)
    return None


def split_sentences(text: str) -> list[str]:
    """Split plain narration into sentences at ., ! and ? followed by a capital or digit."""
    return [part.strip() for part in _SENTENCE_END_RE.split(text) if part.strip()]
