"""pydantic's validation errors, rewritten for writers: a position, the offending value,
what was expected, and a "did you mean" where a name was misspelt."""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel, Tag, ValidationError

from vidgen.actions import ACTION_KINDS
from vidgen.elements import ELEMENT_KINDS
from vidgen.errors import Diagnostic
from vidgen.storyboard.source import SourceMap

_TYPE_WORDS = {
    "string_type": "text",
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping (key: value)",
    "model_type": "a mapping (key: value)",
    "model_attributes_type": "a mapping (key: value)",
    "tuple_type": "a list",
}


def suggest(word: Any, choices: Iterable[str]) -> str | None:
    """'did you mean …?' for a misspelt name, or None."""
    matches = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f"did you mean {matches[0]!r}?" if matches else None


def _can_step(value: Any, item: Any) -> bool:
    return (isinstance(value, dict) and item in value) or (isinstance(value, list) and isinstance(item, int) and 0 <= item < len(value))


def _data_path(data: Any, loc: tuple[Any, ...]) -> tuple[Any, ...]:
    """The part of pydantic's `loc` that names real data.

    A kind-keyed union puts the kind in `loc` as a tag (`ratings, vector, lable`), and the
    kind is also a real key of the mapping; it is a tag when the item after it cannot be
    found inside that key's value."""
    kinds = set(ELEMENT_KINDS) | set(ACTION_KINDS)
    path: list[Any] = []
    current = data
    for index, item in enumerate(loc):
        following = loc[index + 1] if index + 1 < len(loc) else None
        is_tag = item in kinds and following is not None and isinstance(current, dict) and not _can_step(current.get(item), following)
        if is_tag:
            continue
        if _can_step(current, item):
            current = current[item]
            path.append(item)
        elif item == "[key]":
            path.append(item)
    return tuple(path)


def _value_at(data: Any, path: tuple[Any, ...]) -> Any:
    for item in path:
        if item == "[key]":
            break
        data = data[item]
    return data


def _step(annotation: Any, item: Any) -> Any:
    """The type found one step (a key, an index or a union tag) inside `annotation`."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _step(typing.get_args(annotation)[0], item)
    if origin in (typing.Union, types.UnionType):
        members = typing.get_args(annotation)
        for member in members:  # a keyed union: the loc names the kind through its Tag
            if typing.get_origin(member) is typing.Annotated:
                inner, *metadata = typing.get_args(member)
                if any(isinstance(m, Tag) and m.tag == item for m in metadata):
                    return inner
        return next((found for member in members if (found := _step(member, item)) is not None), None)
    if origin is list and isinstance(item, int):
        return typing.get_args(annotation)[0]
    if origin is dict and isinstance(item, str):
        return typing.get_args(annotation)[1]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel) and isinstance(item, str):
        for name, field in annotation.model_fields.items():
            if item in (name, field.alias):
                return field.annotation
    return None


def _as_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    if typing.get_origin(annotation) in (typing.Annotated, typing.Union, types.UnionType):
        models = [m for arg in typing.get_args(annotation) if (m := _as_model(arg))]
        return models[0] if len(models) == 1 else None
    return None


def model_at(root: type[BaseModel], loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The pydantic model that validates the mapping at `loc` (for the names it allows)."""
    current: Any = root
    for item in loc:
        current = _step(current, item)
        if current is None:
            return None
    return _as_model(current)


def _fields(model: type[BaseModel] | None) -> list[str]:
    if model is None:
        return []
    return [f.alias or name for name, f in model.model_fields.items()]


def _kind_problem(kind: str, registry: dict[str, Any], value: Any, name: str) -> tuple[str, str, str | None]:
    what = "element" if kind == "element" else "action"
    names = list(registry)
    expected = "one of " + ", ".join(names)
    if not isinstance(value, dict):
        return f"{what} {name} must be a mapping like {{{names[0]}: …}}", expected, None
    present = [key for key in value if key in registry]
    if len(present) > 1:
        return f"{what} {name} has several kinds: {', '.join(present)}", "exactly one", None
    hints = [h for key in value if (h := suggest(key, names))]
    keys = ", ".join(repr(k) for k in value) or "nothing"
    return f"{what} {name} has no kind (it has {keys})", expected, hints[0] if hints else None


# Short fields that have a roomier neighbour for longer words (the field, the neighbour, why).
_ROOMIER = {"unit": ("label", "a unit is a short sign after the number, like % or / 5")}


def _shorter_hint(field: Any, model: type[BaseModel] | None) -> str | None:
    """For a short field whose element has a longer one: where the words can go instead."""
    if field in _ROOMIER and field in _fields(model):
        roomier, why = _ROOMIER[field]
        if roomier in _fields(model):
            return f"{why}; put longer words in `{roomier}`, which comes before the number"
    return None


def _quote_hint(kind: str, value: Any) -> str | None:
    """YAML reads 1, 0.5 and true as a number or a truth value: where text is wanted
    (a table's row headers, say), say how to keep it text."""
    if kind != "string_type" or not isinstance(value, bool | int | float):
        return None
    written = str(value).lower() if isinstance(value, bool) else str(value)
    return f"put it in quotes to make it text: '{written}'"


def _message(error: dict[str, Any], data: Any, path: tuple[Any, ...], root: type[BaseModel]) -> tuple[str, str | None, str | None, bool]:
    """(message, expected, hint, point-at-key) for one pydantic error."""
    kind, loc, value = error["type"], error["loc"], error.get("input")
    last = path[-1] if path else None
    if kind == "missing":
        return f"missing key {loc[-1]!r}", None, None, False
    if kind == "extra_forbidden":
        allowed = _fields(model_at(root, loc[:-1]))
        hint = suggest(loc[-1], allowed)
        if value is None and " " in str(loc[-1]):
            hint = "a comma inside { } ends a value: put text that contains commas in quotes"
        return f"unknown key {loc[-1]!r}", ("one of " + ", ".join(allowed)) if allowed and not hint else None, hint, True
    if kind in ("element_kind", "action_kind"):
        registry = ELEMENT_KINDS if kind == "element_kind" else ACTION_KINDS
        name = repr(last) if kind == "element_kind" else f"number {last + 1}" if isinstance(last, int) else ""
        message, expected, hint = _kind_problem(kind.split("_")[0], registry, value, name)
        return message, expected, hint, False
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        return f"{value!r} is not allowed here", f"one of {expected}", suggest(value, [e.strip(" '") for e in expected.replace(" or ", ",").split(",")]), False
    if kind in _TYPE_WORDS:
        return f"{value!r} is not {_TYPE_WORDS[kind]}", _TYPE_WORDS[kind], _quote_hint(kind, value), False
    if kind == "string_pattern_mismatch":
        if last == "id":
            return f"scene id {value!r} is not allowed", "lowercase letters, digits, - and _ (e.g. the-encoder)", None, False
        if last == "language":
            return f"{value!r} is not a language code", "a BCP 47 code such as en, pl or pt-BR", None, False
        if path and path[-1] == "[key]":
            return f"{value!r} is not a valid name", "letters, digits and _, not starting with a digit", None, True
        return f"{value!r} is not allowed here", "a name of letters, digits and _", None, False
    if kind in ("too_short", "too_long"):
        ctx = error.get("ctx", {})
        if kind == "too_short":
            return f"needs at least {ctx.get('min_length')} item(s)", None, None, False
        return f"has more than the {ctx.get('max_length')} item(s) allowed", None, None, False
    if kind in ("string_too_short", "string_too_long"):
        ctx = error.get("ctx", {})
        what = f"{last!r}" if isinstance(last, str) and last != "[key]" else "text"
        if kind == "string_too_short":
            return f"{what} is empty", None, None, False
        limit = ctx.get("max_length")
        return f"{what} has {len(str(value))} characters, more than the {limit} allowed", None, _shorter_hint(last, model_at(root, loc[:-1])), False
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        return f"{value!r} is out of range", error["msg"].replace("Input should be", "a number").strip(), None, False
    if kind in ("value_error", "assertion_error"):
        return error["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, "), None, None, False
    return f"{error['msg']} (got {value!r})", None, None, False


def from_validation_error(error: ValidationError, data: Any, source: SourceMap, root: type[BaseModel]) -> list[Diagnostic]:
    diagnostics = []
    for item in error.errors(include_url=False):
        path = _data_path(data, tuple(item["loc"]))
        message, expected, hint, at_key = _message(item, data, path, root)
        if item["type"] == "extra_forbidden":
            location = source.locate(path + (item["loc"][-1],), prefer_key=True) if item["loc"][-1] not in path[-1:] else source.locate(path, prefer_key=True)
        elif path and path[-1] == "[key]":
            location = source.locate(path[:-1], prefer_key=True)
        else:
            location = source.locate(path, prefer_key=at_key)
        diagnostics.append(Diagnostic(message, location, expected, hint))
    return diagnostics
