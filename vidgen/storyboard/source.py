"""YAML read safely, with the position of every key and value.

PyYAML composes the document into nodes (which carry line and column); we build the
Python values ourselves so that only plain data gets through (no `!!python/...` tags),
aliases cannot explode (a budget on expanded nodes and depth), and duplicate keys are
errors instead of silently keeping the last one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from vidgen.errors import Diagnostic, Location, StoryboardError
from vidgen.limits import Limits, how_to_raise

# libyaml when present: several times faster on big files, same nodes and positions.
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_SCALAR_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
}
_TEXT_TAGS = {"tag:yaml.org,2002:timestamp"}  # kept as written: a date is just text here
_BOOL_TAG = "tag:yaml.org,2002:bool"
_SEQ_TAG = "tag:yaml.org,2002:seq"
_MAP_TAG = "tag:yaml.org,2002:map"
_MERGE_TAG = "tag:yaml.org,2002:merge"

Path_ = tuple[Any, ...]


@dataclass
class SourceMap:
    """Where each value (and each mapping key) of a document was written."""

    file: Path
    values: dict[Path_, Location] = field(default_factory=dict)
    keys: dict[Path_, Location] = field(default_factory=dict)

    def locate(self, path: Path_, prefer_key: bool = False) -> Location:
        """The position of `path`, or of its nearest ancestor that has one."""
        path = tuple(path)
        while True:
            if prefer_key and path in self.keys:
                return self.keys[path]
            if path in self.values:
                return self.values[path]
            if path in self.keys:
                return self.keys[path]
            if not path:
                return Location(self.file, 1, 1)
            path = path[:-1]


def _location(file: Path, mark: Any) -> Location:
    return Location(file, mark.line + 1, mark.column + 1)


def _fail(file: Path, mark: Any, message: str, expected: str | None = None, hint: str | None = None) -> StoryboardError:
    return StoryboardError([Diagnostic(message, _location(file, mark) if mark else Location(file), expected, hint)])


def _decode(file: Path, raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        column = len(before) - (before.rfind(b"\n") + 1) + 1
        raise StoryboardError(
            [Diagnostic(f"byte 0x{raw[error.start]:02x} is not UTF-8 text", Location(file, line, column), "a file saved as UTF-8")]
        ) from None


def _check_tabs(file: Path, text: str) -> None:
    for number, line in enumerate(text.splitlines(), start=1):
        indent = line[: len(line) - len(line.lstrip(" \t"))]
        if "\t" in indent and line.strip():
            raise StoryboardError(
                [Diagnostic("a tab is used for indentation", Location(file, number, indent.index("\t") + 1), "spaces (YAML does not allow tabs for indentation)")]
            )


PLAIN = "plain values: text, numbers, true/false, null, lists and mappings"


def _tag_name(tag: str) -> str:
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag


class _Builder:
    """Turns composed nodes into plain Python data, recording positions."""

    def __init__(self, file: Path, limits: Limits) -> None:
        self.file = file
        self.limits = limits
        self.source = SourceMap(file)
        self.nodes = 0
        self.constructor = yaml.SafeLoader("")  # only its scalar construction is used

    def build(self, node: yaml.Node, path: Path_, depth: int) -> Any:
        self.nodes += 1
        if self.nodes > self.limits.nodes:
            raise _fail(self.file, node.start_mark, f"the document expands to more than {self.limits.nodes} values (too much data, or aliases repeated too often)", hint=how_to_raise("nodes"))
        if depth > self.limits.depth:
            raise _fail(self.file, node.start_mark, f"values are nested more than {self.limits.depth} levels deep", hint=how_to_raise("depth"))
        self.source.values.setdefault(path, _location(self.file, node.start_mark))
        if isinstance(node, yaml.ScalarNode):
            if node.tag in _TEXT_TAGS or (node.tag == _BOOL_TAG and node.value.lower() not in ("true", "false")):
                # YAML 1.1 reads yes/no/on/off as booleans; writers mean the words
                # (`columns: [The, cat, sat, on, the, mat]`). Only true and false are booleans,
                # as in YAML 1.2.
                return node.value
            if node.tag not in _SCALAR_TAGS:
                raise _fail(self.file, node.start_mark, f"the tag {_tag_name(node.tag)} is not allowed", PLAIN)
            return self.constructor.construct_object(node, deep=True)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ_TAG:
                raise _fail(self.file, node.start_mark, f"the tag {_tag_name(node.tag)} is not allowed", PLAIN)
            return [self.build(item, path + (index,), depth + 1) for index, item in enumerate(node.value)]
        if isinstance(node, yaml.MappingNode):
            if node.tag != _MAP_TAG:
                raise _fail(self.file, node.start_mark, f"the tag {_tag_name(node.tag)} is not allowed", PLAIN)
            return self._mapping(node, path, depth)
        raise _fail(self.file, node.start_mark, "unsupported YAML node")

    def _mapping(self, node: yaml.MappingNode, path: Path_, depth: int) -> dict[Any, Any]:
        merged: dict[Any, Any] = {}
        result: dict[Any, Any] = {}
        seen: dict[Any, Location] = {}
        for key_node, value_node in node.value:
            if key_node.tag == _MERGE_TAG:
                # `<<: *anchor` copies another mapping's keys; keys written here win.
                for source in value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]:
                    value = self.build(source, path, depth + 1)
                    if not isinstance(value, dict):
                        raise _fail(self.file, source.start_mark, "'<<' must merge a mapping", "<<: *name, where &name marks a mapping")
                    for key, item in value.items():
                        merged.setdefault(key, item)
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                raise _fail(self.file, key_node.start_mark, "a mapping key must be plain text")
            key = self.build(key_node, path + ("[key]",), depth + 1)
            if isinstance(key, (list, dict)) or key is None:
                raise _fail(self.file, key_node.start_mark, "a mapping key must be plain text")
            here = _location(self.file, key_node.start_mark)
            if key in seen:
                first = seen[key]
                raise StoryboardError([Diagnostic(f"duplicate key {key!r} (first written at line {first.line})", here, "each key once per mapping")])
            seen[key] = here
            self.source.keys[path + (key,)] = here
            result[key] = self.build(value_node, path + (key,), depth + 1)
        return {**{k: v for k, v in merged.items() if k not in result}, **result}


def _nesting(text: str) -> int:
    """An upper bound of how deeply the text nests values, counted before parsing (the
    parser recurses once per level): flow brackets, and block indentation, where every
    level needs at least one more column or one more "- " on its line."""
    depth = deepest = 0
    for char in text:
        if char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth = max(0, depth - 1)
    indent = max((len(line) - len(line.lstrip(" -?:")) for line in text.splitlines()), default=0)
    return max(deepest, indent)


def _compose_for_the_error(path: Path, text: str) -> yaml.Node:
    """Parse again with PyYAML's own parser, whose messages say what it found ("but got
    '['"), and raise its error with the position. Returns the nodes if it does parse."""
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except RecursionError:
        raise StoryboardError([Diagnostic("values are nested too deeply to read", Location(path, 1, 1), hint=how_to_raise("depth"))]) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        message = error.problem or "invalid YAML"
        hint = None
        if "expected ',' or ']'" in message or "expected ',' or '}'" in message:
            hint = 'inside [ ] or { }, put quotes around values with brackets or commas: "ratings[3]"'
        elif error.context:
            hint = error.context
        raise _fail(path, mark, f"invalid YAML: {message}", hint=hint) from None
    except yaml.YAMLError as error:
        raise StoryboardError([Diagnostic(f"invalid YAML: {error}", Location(path, 1, 1))]) from None


def read_yaml(path: Path, limits: Limits | None = None) -> tuple[Any, SourceMap]:
    """Parse `path` into plain data and a map of where everything was written."""
    limits = limits or Limits()
    most = limits.file_kb * 1024
    try:
        if path.is_dir():
            raise StoryboardError([Diagnostic("this is a folder, not a file", Location(path, 1, 1), "a storyboard .yaml file")])
        with open(path, "rb") as stream:
            raw = stream.read(most + 1)  # never more: the path may be huge, or endless (/dev/zero)
    except OSError as error:
        raise StoryboardError([Diagnostic(f"cannot read the file: {error.strerror or error}", Location(path, 1, 1))]) from None
    if len(raw) > most:
        raise StoryboardError([Diagnostic(f"the file is larger than {limits.file_kb:,} KB, the limit", Location(path, 1, 1), hint=how_to_raise("file_kb"))])
    text = _decode(path, raw)
    _check_tabs(path, text)
    if _nesting(text) > 4 * limits.depth:  # brackets inside quoted text count too: be generous
        raise StoryboardError([Diagnostic(f"values are nested (or indented) more than {4 * limits.depth} levels deep", Location(path, 1, 1), hint=how_to_raise("depth"))])
    try:
        node = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError:
        node = _compose_for_the_error(path, text)  # a broken file: worth the slower, clearer parser
    if node is None:
        raise StoryboardError([Diagnostic("the storyboard is empty", Location(path, 1, 1), "a mapping with title and scenes")])
    builder = _Builder(path, limits)
    data = builder.build(node, (), 0)
    if not isinstance(data, dict):
        raise _fail(path, node.start_mark, "the storyboard must be a mapping", "keys such as title: and scenes:")
    return data, builder.source
