"""The JSON Schema editors use: current, and strict about unknown keys."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from vidgen.schema import schema_text

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "schema" / "storyboard.schema.json"


def test_the_committed_schema_is_current() -> None:
    assert SCHEMA.read_text() == schema_text(), "run `vidgen schema` and commit schema/storyboard.schema.json"


@pytest.mark.parametrize("board", sorted(p for p in (ROOT / "storyboards").glob("*.yaml") if p.stem != "series"), ids=lambda p: p.stem)
def test_project_storyboards_satisfy_the_schema_and_point_at_it(board: Path) -> None:
    text = board.read_text()
    assert text.startswith("# yaml-language-server: $schema=../schema/storyboard.schema.json")
    jsonschema.validate(yaml.safe_load(text), json.loads(SCHEMA.read_text()))


def test_the_schema_flags_an_unknown_key() -> None:
    board = {"title": "T", "scenes": [{"id": "a", "title": "A", "elements": {"v": {"vector": [1], "lable": "x"}}, "beats": [{"say": "Hi."}]}]}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(board, json.loads(SCHEMA.read_text()))
    del board["scenes"][0]["elements"]["v"]["lable"]
    jsonschema.validate(board, json.loads(SCHEMA.read_text()))


def test_the_series_schema_is_current_and_the_series_satisfies_it() -> None:
    assert (ROOT / "schema" / "series.schema.json").read_text() == schema_text(series=True)
    jsonschema.validate(yaml.safe_load((ROOT / "storyboards" / "series.yaml").read_text()), json.loads((ROOT / "schema" / "series.schema.json").read_text()))
