"""Writing one beat's narration back into a storyboard file, and nothing else.

The file is the writer's: its comments, anchors, key order and line wrapping are theirs.
Dumping a re-parsed document would lose them, so instead the narration scalar's exact span
is found in the composed YAML (PyYAML records where every node starts and ends), and only
those characters are replaced, by the new text written the way the old one was: plain,
quoted, or a folded `>` / literal `|` block at the same indentation and about the same width.
The result is parsed again and must equal the old document with that one value changed;
otherwise nothing is written.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import yaml

from vidgen.errors import EXIT_USER_ERROR, VidgenError

MIN_WIDTH = 60  # a wrapped narration is never squeezed narrower than this many columns
BLOCK_WIDTH = 100  # the width of a block that had no text to measure


class EditRefused(VidgenError):
    """An edit that cannot be written without touching more than the narration."""

    exit_code = EXIT_USER_ERROR


def squash(text: str) -> str:
    """Narration as it is spoken: runs of whitespace are one space (as the model reads it)."""
    return " ".join(text.split())


@dataclass(frozen=True)
class Span:
    """Where a scalar is written: its characters [start, end), its style, its column."""

    start: int
    end: int
    style: str | None  # None (plain), "'", '"', ">" or "|"
    column: int


def compose(text: str) -> yaml.Node:
    """The document's nodes, with character offsets (the pure-Python parser counts
    characters; libyaml's offsets can be bytes)."""
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as error:
        raise EditRefused(f"the file is not valid YAML now ({str(error).splitlines()[0]}); fix it in your editor first") from None
    if not isinstance(node, yaml.MappingNode):
        raise EditRefused("the file is not a storyboard (a mapping with scenes)")
    return node


def _value(mapping: yaml.Node, key: str) -> yaml.Node | None:
    if not isinstance(mapping, yaml.MappingNode):
        return None
    for key_node, value_node in mapping.value:
        if isinstance(key_node, yaml.ScalarNode) and key_node.value == key and key_node.tag != "tag:yaml.org,2002:merge":
            return value_node
    return None


def _uses(root: yaml.Node) -> dict[int, int]:
    """How many times each node is reached: more than once means an anchor shares it."""
    counts: dict[int, int] = {}
    stack = [root]
    while stack:
        node = stack.pop()
        counts[id(node)] = counts.get(id(node), 0) + 1
        if counts[id(node)] > 1:
            continue  # its children were counted the first time
        if isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
        elif isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                stack.extend((key_node, value_node))
    return counts


def scene_nodes(root: yaml.Node) -> list[tuple[str | None, yaml.Node]]:
    """Each scene's id (None if it has no plain id) and mapping node, in file order."""
    scenes = _value(root, "scenes")
    if not isinstance(scenes, yaml.SequenceNode):
        return []
    found = []
    for scene in scenes.value:
        ident = _value(scene, "id")
        found.append((ident.value if isinstance(ident, yaml.ScalarNode) else None, scene))
    return found


def beat_nodes(scene: yaml.Node) -> list[yaml.Node]:
    beats = _value(scene, "beats")
    return list(beats.value) if isinstance(beats, yaml.SequenceNode) else []


def narration_node(root: yaml.Node, scene_id: str, beat: int, language: str | None) -> tuple[yaml.Node, tuple[Any, ...]]:
    """The scalar holding a beat's narration, and its path in the data; or EditRefused
    saying why this beat's narration cannot be edited here."""
    scenes = scene_nodes(root)
    index = next((i for i, (ident, _) in enumerate(scenes) if ident == scene_id), None)
    if index is None:
        raise EditRefused(f"the file has no scene {scene_id!r} now")
    beats = beat_nodes(scenes[index][1])
    if not 0 <= beat < len(beats):
        raise EditRefused(f"scene {scene_id!r} has {len(beats)} beat(s) now; there is no beat {beat + 1}")
    path: tuple[Any, ...] = ("scenes", index, "beats", beat, "say")
    node = _value(beats[beat], "say")
    if node is None:
        raise EditRefused(f"scene {scene_id!r}, beat {beat + 1}: its narration is not written in the beat (it comes from '<<: *anchor'); edit it where the anchor is")
    if isinstance(node, yaml.MappingNode):  # inline translations: say: {en: …, pl: …}
        entry = _value(node, language) if language else None
        if entry is None:
            raise EditRefused(f"scene {scene_id!r}, beat {beat + 1}: its narration is written per language (say: {{…}}) without a {language!r} entry; edit it in the file")
        node, path = entry, (*path, language)
    if not isinstance(node, yaml.ScalarNode):
        raise EditRefused(f"scene {scene_id!r}, beat {beat + 1}: its narration is not text; edit it in the file")
    uses = _uses(root)
    if uses.get(id(node), 0) > 1 or uses.get(id(beats[beat]), 0) > 1:
        raise EditRefused(f"scene {scene_id!r}, beat {beat + 1}: its narration is shared through a YAML anchor (&name … *name); edit it in the file, where every use can be seen")
    return node, path


def _span(text: str, node: yaml.ScalarNode) -> Span:
    start = node.start_mark.index
    properties = re.match(r"(?:[&!][^\s]*[ \t]+)+", text[start : node.end_mark.index])  # an anchor or tag written before the text
    if properties:
        start += properties.end()
    line_start = text.rfind("\n", 0, start) + 1
    return Span(start, node.end_mark.index, node.style, start - line_start)


def _wrap(words: list[str], first: int, width: int) -> list[str]:
    """Words in lines: the first line has `first` columns, the others `width`."""
    lines: list[str] = []
    for word in words:
        room = first if not lines else width
        if lines and len(lines[-1]) + 1 + len(word) <= room:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines


def _line_break(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def _flow_candidates(text: str, span: Span, new: str) -> Iterator[str]:
    """The new text as a plain, single- or double-quoted scalar: first in the old one's
    style, then the others. A scalar that spanned lines is wrapped the same way."""
    old = text[span.start : span.end]
    old_lines = old.splitlines()
    wrapped = len(old_lines) > 1
    if wrapped:
        rest = old_lines[1:]
        indent = min(len(line) - len(line.lstrip(" ")) for line in rest if line.strip()) if any(line.strip() for line in rest) else span.column
        width = max(MIN_WIDTH, max(len(old_lines[0]) + span.column, *(len(line) for line in rest)))
    quoted = {
        None: new,
        "'": "'" + new.replace("'", "''") + "'",
        '"': json.dumps(new, ensure_ascii=False),  # a JSON string is a valid YAML double-quoted scalar
    }
    order = [span.style if span.style in quoted else None] + [style for style in (None, "'", '"') if style != span.style]
    for style in order:
        scalar = quoted[style]
        if style is None and (not scalar or scalar != scalar.strip()):
            continue  # empty or space-edged text cannot be plain
        if wrapped and " " in scalar:
            lines = _wrap(scalar.split(" "), width - span.column, width - indent)
            scalar = (_line_break(text) + " " * indent).join(lines)
        yield scalar


def _block_candidate(text: str, span: Span, new: str) -> tuple[int, int, str]:
    """The new text as the content of the old block scalar: the header (`>`, `|-`, …) and
    the blank lines after the content stay; the lines between are rewritten, wrapped at
    the old content's width and indentation."""
    old = text[span.start : span.end]
    header_end = old.find("\n") + 1 if "\n" in old else len(old)
    content = old[header_end:]
    lines = content.splitlines(keepends=True)
    while lines and not lines[-1].strip():
        lines.pop()  # trailing blank lines belong to what follows
    body = "".join(lines)
    filled = [line for line in lines if line.strip()]
    if filled:
        indent = min(len(line) - len(line.lstrip(" ")) for line in filled)
        width = max(MIN_WIDTH + indent, *(len(line.rstrip("\r\n")) for line in filled))
    else:  # an empty block: indent past the key that owns it
        key_line = text[text.rfind("\n", 0, span.start) + 1 : span.start]
        indent = len(key_line) - len(key_line.lstrip(" -")) + 2
        width = BLOCK_WIDTH
    brk = _line_break(text)
    written = "".join(" " * indent + line + brk for line in _wrap(new.split(), width - indent, width - indent)) if new else ""
    start = span.start + header_end
    return start, start + len(body), written


def _set(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    changed = copy.deepcopy(data)
    target = changed
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    return changed


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        data = data[key]
    return data


def replace_narration(text: str, scene_id: str, beat: int, narration: str, language: str | None = None) -> str:
    """`text` (a storyboard file) with that beat's narration replaced by `narration`
    (whitespace squashed, as narration is spoken), every other character unchanged."""
    new = squash(narration)
    root = compose(text)
    node, path = narration_node(root, scene_id, beat, language)
    span = _span(text, node)
    before = yaml.safe_load(text)
    if span.style in (">", "|"):
        start, end, written = _block_candidate(text, span, new)
        candidates = [(start, end, written)]
    else:
        candidates = [(span.start, span.end, scalar) for scalar in _flow_candidates(text, span, new)]
    for start, end, written in candidates:
        edited = text[:start] + written + text[end:]
        try:
            after = yaml.safe_load(edited)
            value = _get(after, path)
        except (yaml.YAMLError, KeyError, IndexError, TypeError):
            continue
        if isinstance(value, str) and squash(value) == new and after == _set(before, path, value):
            return edited
    raise EditRefused(f"scene {scene_id!r}, beat {beat + 1}: this narration cannot be written into the file without changing something else; edit it in the file")


def narration_text(value: Any, language: str | None) -> str | None:
    """A beat's narration as the file holds it (with its marks), or None when it is not text."""
    if isinstance(value, dict):
        value = value.get(language)
    return value if isinstance(value, str) else None
