"""The pronunciation lexicon: how the voice should say words it gets wrong.

A project keeps one per language in `voices/lexicon.<lang>.yaml`; a storyboard (or a
translation, or a series) adds its own under `lexicon:`, and its entries win. Keys are
written words or phrases, matched whole-word: a key in lower case matches any case
(`netflix` matches Netflix), a key with a capital matches only as written (`US`, not us).

```yaml
language: en
words:
  NCF: en see eff                  # said this way by every engine
  ReLU:
    say: ray loo                   # what engines without phonemes say
    phonemes:
      espeak-ng: "r'eIlu:"         # espeak-ng's phoneme mnemonics
      piper: "ɹˈeɪluː"             # Piper: IPA, from its voice's phoneme set
```
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, Field, ValidationError

from vidgen.errors import Diagnostic, StoryboardError
from vidgen.storyboard.common import StrictModel
from vidgen.storyboard.diagnostics import from_validation_error
from vidgen.storyboard.source import read_yaml

PHONEME_ENGINES = ("espeak-ng", "piper")  # engines that take phonemes inline, as [[...]]


class LexiconEntry(StrictModel):
    """How to say one word: a respelling every engine can read, and phonemes for the
    engines that accept them."""

    say: str = Field(min_length=1, max_length=200, description="What the voice says instead, in plain words.")
    phonemes: dict[Literal["espeak-ng", "piper"], Annotated[str, Field(min_length=1, max_length=200)]] = Field(
        default_factory=dict,
        description="Phonemes for engines that accept them: espeak-ng (its mnemonics, as espeak-ng -x prints) or piper (IPA).",
    )


def _check_key(key: str) -> str:
    if not key.strip() or "\n" in key or "<" in key and ">" in key:
        raise ValueError(f"{key!r} cannot be a lexicon word; expected a written word or phrase")
    if len(key) > 100:
        raise ValueError("a lexicon word is at most 100 characters")
    return " ".join(key.split())


LexiconKey = Annotated[str, AfterValidator(_check_key)]
Words = dict[LexiconKey, str | LexiconEntry]
WORDS_DESCRIPTION = "How to say words, written → spoken (or {say, phonemes}); see voices/lexicon.<lang>.yaml."


class LexiconFile(StrictModel):
    """`voices/lexicon.<lang>.yaml`."""

    language: str = Field(pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$", description="The language whose narration this lexicon is for.")
    words: Words = Field(default_factory=dict, description=WORDS_DESCRIPTION)


def _entry(value: str | LexiconEntry) -> LexiconEntry:
    return LexiconEntry(say=value) if isinstance(value, str) else value


@dataclass(frozen=True)
class Lexicon:
    """The entries that apply to one narration language, and where each was written."""

    entries: Mapping[str, LexiconEntry] = field(default_factory=dict)
    origins: Mapping[str, str] = field(default_factory=dict)  # key → "file" or "storyboard"

    @staticmethod
    def merged(*layers: tuple[str, Mapping[str, str | LexiconEntry]]) -> Lexicon:
        """Layers of (origin, words), the first winning over later ones."""
        entries: dict[str, LexiconEntry] = {}
        origins: dict[str, str] = {}
        for origin, words in layers:
            for key, value in words.items():
                if key not in entries:
                    entries[key] = _entry(value)
                    origins[key] = origin
        return Lexicon(entries, origins)

    def pattern(self) -> re.Pattern[str] | None:
        """One pattern for every key, longest first, whole-word, case-aware."""
        if not self.entries:
            return None
        alternatives = []
        for key in sorted(self.entries, key=len, reverse=True):
            escaped = re.escape(key).replace(r"\ ", r"\s+")
            alternatives.append(f"(?i:{escaped})" if key == key.lower() else escaped)
        return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)")

    def lookup(self, written: str) -> tuple[str, LexiconEntry] | None:
        written = " ".join(written.split())
        if written in self.entries:
            return written, self.entries[written]
        lower = written.lower()  # keys in lower case match any case
        if lower in self.entries:
            return lower, self.entries[lower]
        return None


def lexicon_files(search_dirs: Sequence[Path], language: str) -> list[Path]:
    """The project lexicons for `language` (e.g. pl for pl-PL), nearest folder first."""
    primary = language.split("-")[0].lower()
    return [folder / f"lexicon.{primary}.yaml" for folder in search_dirs if (folder / f"lexicon.{primary}.yaml").is_file()]


def read_lexicon_file(path: Path) -> LexiconFile:
    """A lexicon file, validated; errors at their file:line:col."""
    data, source = read_yaml(path)
    try:
        lexicon = LexiconFile.model_validate(data)
    except ValidationError as error:
        raise StoryboardError(from_validation_error(error, data, source, LexiconFile)) from None
    named = path.name.split(".")[1] if path.name.count(".") >= 2 else None
    if named and lexicon.language.split("-")[0] != named:
        raise StoryboardError([Diagnostic(f"the file is named for {named!r} but says language {lexicon.language!r}", source.locate(("language",)), f"language: {named}")])
    return lexicon


def project_lexicon(search_dirs: Sequence[Path], language: str, *own: Mapping[str, str | LexiconEntry]) -> Lexicon:
    """The lexicon a narration in `language` is spoken with: `own` layers (a storyboard's,
    then its series'), then the project files."""
    files = [(str(path), read_lexicon_file(path).words) for path in lexicon_files(search_dirs, language)]
    return Lexicon.merged(*[("storyboard", words) for words in own], *files)
