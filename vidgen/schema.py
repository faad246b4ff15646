"""The storyboard's JSON Schema, from the pydantic models, for editors.

Storyboards start with `# yaml-language-server: $schema=../schema/storyboard.schema.json`
so editors with the YAML language server complete keys and flag mistakes as writers type.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from vidgen.paths import write_atomic
from vidgen.storyboard.model import Storyboard

SCHEMA_PATH = Path("schema") / "storyboard.schema.json"
SERIES_SCHEMA_PATH = Path("schema") / "series.schema.json"
LEXICON_SCHEMA_PATH = Path("schema") / "lexicon.schema.json"


def _schema(model: type, name: str) -> dict[str, Any]:
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", "$id": f"https://vidgen.invalid/{name}", **model.model_json_schema()}


def storyboard_schema() -> dict[str, Any]:
    return _schema(Storyboard, "storyboard.schema.json")


def schema_text(series: bool = False, lexicon: bool = False) -> str:
    from vidgen.pronounce.lexicon import LexiconFile
    from vidgen.series import Series

    if lexicon:
        schema = _schema(LexiconFile, "lexicon.schema.json")
    else:
        schema = _schema(Series, "series.schema.json") if series else storyboard_schema()
    return json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def write_schema(path: Path = SCHEMA_PATH) -> Path:
    """The storyboard schema at `path`, and the series and lexicon schemas beside it."""
    write_atomic(path.with_name(SERIES_SCHEMA_PATH.name), schema_text(series=True))
    write_atomic(path.with_name(LEXICON_SCHEMA_PATH.name), schema_text(lexicon=True))
    return write_atomic(path, schema_text())
