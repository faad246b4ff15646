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


def storyboard_schema() -> dict[str, Any]:
    schema = Storyboard.model_json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://vidgen.invalid/storyboard.schema.json",
        **schema,
    }


def schema_text() -> str:
    return json.dumps(storyboard_schema(), indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def write_schema(path: Path = SCHEMA_PATH) -> Path:
    return write_atomic(path, schema_text())
