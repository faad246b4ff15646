"""Language cuts: `vidgen build storyboards/autoencoder.yaml --lang pl` builds the Polish
cut from storyboards/translations/autoencoder.pl.yaml.

A translation file gives the cut's voice and title, each scene's chapter title and its
narration beat by beat (with the same marks, so actions still land on their words), and
the on-screen strings, original → translation. Anything missing is one error listing all
of it; words without letters (numbers, symbols) need no translation.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from pydantic import Field, ValidationError

from vidgen.elements import ELEMENT_KINDS
from vidgen.errors import Diagnostic, Location, StoryboardError, UsageError
from vidgen.pronounce.lexicon import WORDS_DESCRIPTION, Words
from vidgen.storyboard.common import Name, StrictModel
from vidgen.storyboard.diagnostics import from_validation_error
from vidgen.storyboard.loader import LoadedStoryboard
from vidgen.storyboard.model import Storyboard
from vidgen.storyboard.narration import NarrationError, parse_narration
from vidgen.storyboard.source import read_yaml

LANGUAGE_PATTERN = r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$"

_LETTER = re.compile(r"[^\W\d_]")


class SceneTranslation(StrictModel):
    title: str | None = Field(None, description="The chapter title in this language.")
    say: list[str] = Field(description="The narration of each beat, in order, with the same marks.")


class Translation(StrictModel):
    """A language cut of one storyboard."""

    language: str = Field(pattern=LANGUAGE_PATTERN)
    voice: Name | None = Field(None, description="The voice profile that speaks this language.")
    title: str | None = None
    strings: dict[str, str] = Field(default_factory=dict, description="On-screen text: original → translation.")
    lexicon: Words = Field(default_factory=dict, description=WORDS_DESCRIPTION + " For this language's cut.")
    scenes: dict[str, SceneTranslation] = Field(default_factory=dict)


def translation_path(storyboard: Path, language: str) -> Path:
    if not re.fullmatch(LANGUAGE_PATTERN, language):  # it becomes part of a file name
        raise UsageError(f"{language!r} is not a language code; expected one such as en, pl or pt-BR")
    return storyboard.parent / "translations" / f"{storyboard.stem}.{language}.yaml"


def _needs_words(text: Any) -> bool:
    return isinstance(text, str) and bool(_LETTER.search(text))


def _translate_value(value: Any, strings: dict[str, str], missing: set[str]) -> Any:
    if isinstance(value, list):
        return [_translate_value(item, strings, missing) for item in value]
    if not _needs_words(value):
        return value
    if value not in strings:
        missing.add(value)
        return value
    return strings[value]


def _cut(storyboard: Storyboard, translation: Translation) -> tuple[Storyboard, list[str]]:
    """The translated storyboard, and what the translation lacks."""
    missing_strings: set[str] = set()
    problems: list[str] = []
    scenes = []
    for scene in storyboard.scenes:
        entry = translation.scenes.get(scene.id)
        if entry is None:
            problems.append(f"scene {scene.id!r}: no narration (scenes: {scene.id}: say: [...])")
            scenes.append(scene)
            continue
        if len(entry.say) != len(scene.beats):
            problems.append(f"scene {scene.id!r}: {len(entry.say)} narration(s) for {len(scene.beats)} beat(s)")
        beats = []
        for number, beat in enumerate(scene.beats):
            if number >= len(entry.say):
                beats.append(beat)
                continue
            wanted = set(beat.narration.mark_names)
            try:
                given = set(parse_narration(entry.say[number]).mark_names)
            except NarrationError as error:
                problems.append(f"scene {scene.id!r}, beat {number + 1}: {error}")
                continue
            if wanted - given:
                problems.append(f"scene {scene.id!r}, beat {number + 1}: the narration lacks mark(s) {', '.join(sorted(wanted - given))}")
            beats.append(beat.model_copy(update={"say": entry.say[number]}))
        elements = {}
        for name, spec in scene.elements.items():
            update = {field: _translate_value(getattr(spec, field), translation.strings, missing_strings) for field in type(spec).words if getattr(spec, field) is not None}
            elements[name] = spec.model_copy(update=update)
        title = entry.title or scene.title
        if entry.title is None:
            problems.append(f"scene {scene.id!r}: no chapter title (scenes: {scene.id}: title: ...)")
        scenes.append(scene.model_copy(update={"beats": beats, "elements": elements, "title": title}))
    if translation.title is None:
        problems.append("the video's title (title: ...)")
    problems += [f"on-screen text {text!r} (strings: …)" for text in sorted(missing_strings)]
    cut = storyboard.model_copy(update={"scenes": scenes, "language": translation.language, "title": translation.title or storyboard.title, "voice": translation.voice or storyboard.voice, "lexicon": translation.lexicon})
    return cut, problems


def language_cut(loaded: LoadedStoryboard, language: str) -> LoadedStoryboard:
    """The storyboard as it should be built in `language` (itself for its own language)."""
    if language == loaded.storyboard.language:
        return loaded
    path = translation_path(loaded.path, language)
    if not path.is_file():
        raise StoryboardError([Diagnostic(f"no {language!r} translation of {loaded.path.name}", Location(path), f"a translation file at {path}")])
    data, source = read_yaml(path)
    try:
        translation = Translation.model_validate(data)
    except ValidationError as error:
        raise StoryboardError(from_validation_error(error, data, source, Translation)) from None
    if translation.language != language:
        raise StoryboardError([Diagnostic(f"the file says language {translation.language!r}", source.locate(("language",)), f"language: {language}")])
    cut, problems = _cut(loaded.storyboard, translation)
    if problems:
        listed = "\n  - ".join(problems)
        raise StoryboardError([Diagnostic(f"the {language!r} translation is missing:\n  - {listed}", Location(path, 1, 1))])
    # Validate the cut like any storyboard (marks in translated narration, lengths…).
    try:
        cut = Storyboard.model_validate(cut.model_dump(by_alias=True))
    except ValidationError as error:
        raise StoryboardError([Diagnostic(f"the translated storyboard is invalid: {e['msg']}", Location(path)) for e in error.errors()]) from None
    return LoadedStoryboard(loaded.path.with_name(f"{loaded.path.stem}-{language}.yaml"), cut, loaded.source, loaded.scene_ids)


def words_of(storyboard: Storyboard) -> list[str]:
    """Every on-screen string that needs a translation, in order of appearance."""
    seen: dict[str, None] = {}
    for scene in storyboard.scenes:
        for spec in scene.elements.values():
            for field in ELEMENT_KINDS[spec.kind].spec.words:
                value = getattr(spec, field)
                for text in value if isinstance(value, list) else [value]:
                    if _needs_words(text):
                        seen.setdefault(text, None)
    return list(seen)


def skeleton(storyboard: Storyboard, language: str, voice: str) -> str:
    """A translation file to fill in: every string and narration, in the original language."""
    import yaml

    document = {
        "language": language,
        "voice": voice,
        "title": storyboard.title,
        "strings": {text: text for text in words_of(storyboard)},
        "scenes": {scene.id: {"title": scene.title, "say": [beat.say.strip() for beat in scene.beats]} for scene in storyboard.scenes},
    }
    header = f"# The {language!r} cut: translate every value (keys of `strings` stay as they are); keep the <mark/> tags.\n"
    return header + yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100)
