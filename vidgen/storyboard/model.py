"""The storyboard, validated: title, language, voice, theme, and scenes of elements and beats.

Element kinds and actions come from their registries; each appears in YAML as a mapping
whose *key* names the kind (`{vector: [5, 0, 1]}`, `- show: ratings`). pydantic picks the
model by that key (a callable discriminator), so errors and the JSON Schema name the kind.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import Annotated, Any, Literal, Union

from pydantic import Discriminator, Field, Tag, field_validator, model_validator

from vidgen.actions import ACTION_KINDS
from vidgen.elements import ELEMENT_KINDS
from vidgen.pronounce.lexicon import WORDS_DESCRIPTION, Words
from vidgen.storyboard.common import Name, RefText, StrictModel
from vidgen.storyboard.narration import Narration, parse_narration
from vidgen.theme import THEMES


def keyed_union(specs: Mapping[str, type[StrictModel]], what: str) -> Any:
    """A union of models told apart by which kind key the mapping carries.

    A kind's model may have a field named like another kind (a box has `text`), so the
    kind is the key whose model accepts every other kind-named key present as a field.
    """
    names = tuple(specs)

    def pick(value: Any) -> str | None:
        if isinstance(value, dict):
            present = [name for name in names if name in value]
            fits = [name for name in present if all(other in specs[name].model_fields for other in present if other != name)]
            return fits[0] if len(fits) == 1 else None
        return getattr(value, "kind", None)

    members = tuple(Annotated[spec, Tag(name)] for name, spec in specs.items())
    return Annotated[
        Union[members],  # noqa: UP007 - a runtime-built union needs the Union[...] form
        Discriminator(
            pick,
            custom_error_type=f"{what}_kind",
            custom_error_message=f"expected exactly one {what} key: {', '.join(names)}",
        ),
    ]


ElementSpecs = keyed_union({name: kind.spec for name, kind in ELEMENT_KINDS.items()}, "element")
ActionSpecs = keyed_union({name: kind.spec for name, kind in ACTION_KINDS.items()}, "action")


class Beat(StrictModel):
    """A piece of narration and the actions that run while it is spoken."""

    say: str = Field(min_length=1, description="The narration; may contain <mark name=\"x\"/> and <say as=\"spoken\">written</say>.")
    do: list[ActionSpecs] = Field(default_factory=list, description="Actions, in order; they share the beat's length.")
    pause: float | None = Field(None, ge=0, le=10, description="Silence after this beat, seconds (default: the storyboard's).")

    @field_validator("say")
    @classmethod
    def _has_words(cls, value: str) -> str:
        if not parse_narration(value).text.strip():
            raise ValueError("narration has no words to speak")
        return value

    @cached_property
    def narration(self) -> Narration:
        return parse_narration(self.say)


class Scene(StrictModel):
    """One chapter of the video, rendered as its own clip."""

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64, description="Stable id: names the clip, cache entry and chapter.")
    title: str = Field(min_length=1, max_length=120, description="Chapter title.")
    voice: Name | None = Field(None, description="Voice profile for this scene (a second speaker); default: the storyboard's.")
    elements: dict[Name, ElementSpecs] = Field(default_factory=dict)
    beats: list[Beat] = Field(min_length=1)
    outro: Literal["fade", "keep"] = Field(
        "fade", description="fade: everything fades out at the end; keep: the next scene continues from this picture."
    )
    allow_overlap: list[tuple[RefText, RefText]] = Field(
        default_factory=list, description="Pairs of elements that may overlap on purpose."
    )
    camera: Literal["follow", "still"] = Field(
        "follow",
        description="follow: a beat whose picture is sparse (the start of a build-up) is framed closer, and the camera pulls back as the rest arrives; still: the whole frame, always.",
    )

    @model_validator(mode="after")
    def _elements_in_this_scene(self) -> Scene:
        # What an element shows can depend on what the scene does with it (a number that
        # this scene never counts shows its value, not the `start` a reused anchor carries):
        # a kind says so through an optional `in_scene` hook.
        actions = [action for beat in self.beats for action in beat.do]
        for name, spec in self.elements.items():
            in_scene = getattr(ELEMENT_KINDS[spec.kind], "in_scene", None)
            if in_scene is not None:
                self.elements[name] = in_scene(name, spec, actions)
        # ...and on the scene's other elements (boxes of one `width` drawn at one width).
        specs = dict(self.elements)
        for name, spec in specs.items():
            in_company = getattr(ELEMENT_KINDS[spec.kind], "in_company", None)
            if in_company is not None:
                self.elements[name] = in_company(name, spec, specs)
        return self


class Music(StrictModel):
    """Background music under the narration, ducked while someone speaks."""

    file: str = Field(min_length=1, max_length=300, description="An audio file inside the project (mp3, wav, ogg, flac, m4a).")
    volume: float = Field(-18.0, ge=-40, le=0, description="dB relative to the narration's level, when no one speaks.")
    duck: float = Field(14.0, ge=12, le=40, description="dB lower while someone speaks (at least 12).")
    fade: float = Field(2.0, ge=0, le=10, description="Seconds of fade in and out.")


class Storyboard(StrictModel):
    """A whole video."""

    title: str = Field(min_length=1, max_length=200)
    language: str = Field("en", pattern=r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$", description="BCP 47 language of the narration, e.g. en, pl.")
    voice: Name = Field("narrator", description="Voice profile: voices/<name>.yaml.")
    theme: str = Field("dark", description="Visual theme: " + ", ".join(THEMES))
    pause: float = Field(0.6, ge=0, le=10, description="Silence after each beat, seconds.")
    music: Music | None = Field(None, description="Background music, ducked under the narration.")
    lexicon: Words = Field(default_factory=dict, description=WORDS_DESCRIPTION + " This storyboard's entries win over the project's.")
    scenes: list[Scene] = Field(min_length=1)

    @field_validator("theme")
    @classmethod
    def _known_theme(cls, value: str) -> str:
        if value not in THEMES:
            raise ValueError(f"unknown theme {value!r}; expected one of {', '.join(THEMES)}")
        return value

    @model_validator(mode="after")
    def _room_across_cuts(self) -> Storyboard:
        """An element that continues across a cut (`outro: keep`, then `visible: true`) is
        drawn alike in every scene it is in, so each scene's drawing of it holds what every
        one of them fits into it (values set into a vector's or a table's cells, the texts of
        boxes drawn at one width): a value set in the later scene must not change the font
        size or the column widths the earlier one showed."""
        same: dict[tuple[int, str], tuple[int, str]] = {}  # an element in a scene -> where it was introduced

        def first(key: tuple[int, str]) -> tuple[int, str]:
            return same.get(key, key)

        for index, scene in enumerate(self.scenes[1:], start=1):
            before = self.scenes[index - 1]
            if before.outro != "keep":
                continue
            for name, spec in scene.elements.items():
                if spec.visible and name in before.elements and before.elements[name].kind == spec.kind:
                    same[(index, name)] = first((index - 1, name))
        members: dict[tuple[int, str], list[tuple[int, str]]] = {}
        for index, scene in enumerate(self.scenes):
            for name in scene.elements:
                members.setdefault(first((index, name)), []).append((index, name))
        for group in members.values():
            specs = [self.scenes[index].elements[name] for index, name in group]
            if len(group) < 2 or "fits" not in type(specs[0]).model_fields:
                continue
            fits = _all_fits([spec.fits for spec in specs])
            for (index, name), spec in zip(group, specs):
                if spec.fits != fits:
                    self.scenes[index].elements[name] = spec.model_copy(update={"fits": fits})
        return self


def _all_fits(every: list[Any]) -> Any:
    """What each of an element's drawings fits into it, together: a list (each value once,
    in order) or a mapping of such lists (a table's, by column)."""
    if isinstance(every[0], dict):
        return {key: _all_fits([one.get(key, []) for one in every]) for key in sorted({key for one in every for key in one})}
    return list(dict.fromkeys(value for one in every for value in one))
