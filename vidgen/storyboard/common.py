"""Field types shared by the storyboard models: strict models, colours, places, refs."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, WithJsonSchema

from vidgen.storyboard.places import PLACE_HELP, PlaceSyntaxError, parse_place
from vidgen.storyboard.refs import RefSyntaxError, parse_ref
from vidgen.theme import COLOR_NAMES, HEX_RE


class StrictModel(BaseModel):
    """Every storyboard model forbids unknown keys: a typo is an error, never ignored."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _check_color(value: str) -> str:
    value = value.strip().lower() if not HEX_RE.match(value.strip()) else value.strip()
    if value not in COLOR_NAMES and not HEX_RE.match(value):
        raise ValueError(f"unknown colour {value!r}; expected one of {', '.join(COLOR_NAMES)} or #RRGGBB")
    return value


def _check_place(value: str) -> str:
    try:
        parse_place(value)
    except PlaceSyntaxError:
        raise ValueError(f"{value!r} is not a place; expected {PLACE_HELP}") from None
    return value


def _check_ref(value: str) -> str:
    try:
        parse_ref(value)
    except RefSyntaxError as error:
        raise ValueError(f"{error}; expected an element name such as 'ratings', 'ratings[3]' or 'encoder.layers[2]'") from None
    return value


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str) else value


Color = Annotated[str, AfterValidator(_check_color)]
PlaceText = Annotated[str, AfterValidator(_check_place)]
RefText = Annotated[str, AfterValidator(_check_ref)]
# One name (or reference) or a list of them: the schema says what a writer may type.
_REF_ONE = {"type": "string", "description": "An element or part: ratings, ratings[3], encoder.layers[2]"}
RefList = Annotated[
    list[RefText],
    BeforeValidator(_as_list),
    Field(min_length=1),
    WithJsonSchema({"anyOf": [_REF_ONE, {"type": "array", "items": _REF_ONE, "minItems": 1}]}),
]
Name = Annotated[str, Field(pattern=r"^[A-Za-z_][A-Za-z0-9_]*$", max_length=64)]
Seconds = Annotated[float, Field(gt=0, le=600)]
_NAME_ONE = {"type": "string", "pattern": "^[A-Za-z_][A-Za-z0-9_]*$", "description": "An element's name"}
NameList = Annotated[
    list[Name],
    BeforeValidator(_as_list),
    Field(min_length=1),
    WithJsonSchema({"anyOf": [_NAME_ONE, {"type": "array", "items": _NAME_ONE, "minItems": 1}]}),
]
