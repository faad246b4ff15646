"""Property: whatever a file holds, loading it either gives a storyboard or raises
StoryboardError (positioned, printable) — never any other exception."""

from __future__ import annotations

import copy
import tempfile
import textwrap
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import TINY
from vidgen.errors import StoryboardError
from vidgen.storyboard.loader import load_storyboard

KEYS = [
    "title", "subtitle", "scenes", "id", "elements", "beats", "say", "do", "place", "label", "vector", "mlp",
    "table", "columns", "rows", "matrix", "equation", "caption", "text", "bullets", "arrow", "brace", "box",
    "number", "image", "show", "hide", "flow", "highlight", "move", "transform", "set", "count", "write",
    "at", "run_time", "voice", "theme", "language", "pause", "colors", "color", "outro", "allow_overlap",
    "music", "file", "direction", "refs", "to", "value", "values", "with", "<<",
]  # fmt: skip
WORDS = ["ratings[3]", "encoder.layers[2]", "left of x", "next to encoder", 'Hi <mark name="a"/>there.', "x", "blue", "?", "", "\\frac{a}{b}", "ąęłóśż", "a" * 300]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**12), max_value=10**12),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=40),
    st.sampled_from(WORDS),
)
values = st.recursive(
    scalars,
    lambda children: st.one_of(
        st.lists(children, max_size=6),
        st.dictionaries(st.one_of(st.sampled_from(KEYS), st.text(max_size=10), st.integers(-3, 3)), children, max_size=6),
    ),
    max_leaves=60,
)
TINY_DATA = yaml.safe_load(textwrap.dedent(TINY))


def _paths(data: Any, prefix: tuple = ()) -> list[tuple]:
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, prefix + (key,))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, prefix + (index,))
    return found


@st.composite
def mutated_storyboards(draw: st.DrawFn) -> Any:
    """A valid storyboard with a few of its values (anywhere) replaced by random ones: deep
    enough to reach the semantic checks, not only the schema."""
    data = copy.deepcopy(TINY_DATA)
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(_paths(data)))
        if not path:
            continue
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        parent[path[-1]] = draw(values)
    return data


def _loads_or_refuses(text: str | bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "storyboards" / "random.yaml"
        path.parent.mkdir()
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
        try:
            load_storyboard(path)
        except StoryboardError as error:
            message = str(error)
            assert message and all(line.startswith(str(path)) or line.startswith("  ") for line in message.splitlines()), message


PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(values)
def test_any_yaml_data_loads_or_is_refused_cleanly(data: Any) -> None:
    _loads_or_refuses(yaml.safe_dump(data, allow_unicode=True))


@PROPERTY
@given(mutated_storyboards())
def test_a_damaged_storyboard_loads_or_is_refused_cleanly(data: Any) -> None:
    _loads_or_refuses(yaml.safe_dump(data, allow_unicode=True))


@PROPERTY
@given(st.binary(max_size=3000))
def test_any_bytes_load_or_are_refused_cleanly(raw: bytes) -> None:
    _loads_or_refuses(raw)


@PROPERTY
@given(st.text(alphabet=st.sampled_from(list("- :[]{}&*!|>'\"#%@`,?\n\t ab1<")), max_size=400))
def test_yaml_punctuation_soup_is_refused_cleanly(text: str) -> None:
    _loads_or_refuses(text)
