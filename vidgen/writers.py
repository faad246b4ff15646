"""Writers' conveniences: a new storyboard that builds as it is, and the script to review."""

from __future__ import annotations

import re
from pathlib import Path

from vidgen.errors import UsageError
from vidgen.paths import write_atomic
from vidgen.speech.estimate import WORDS_PER_SECOND, estimate_speech
from vidgen.storyboard.loader import load_storyboard

TEMPLATE = """\
# yaml-language-server: $schema={schema}
title: {title}
language: en
voice: {voice}
theme: dark
scenes:
  - id: intro
    title: {title}
    elements:
      title: {{title: {title}, subtitle: A narrated explainer}}
      idea: {{caption: One idea per scene, place: bottom, color: yellow}}
    beats:
      - say: Welcome. This storyboard builds as it is; change the words and rebuild.
        do:
          - show: title
      - say: Each beat is a piece of narration, and the actions that run while it is spoken.
        do:
          - show: idea
  - id: vector
    title: A first element
    elements:
      ratings: {{vector: [5, 0, 1, 0], label: Ratings}}
    beats:
      - say: Elements are declared once and placed by name, never by coordinates.
        do:
          - show: ratings
      - say: Parts are addressable, like the <mark name="second"/>second cell of this vector.
        do:
          - highlight: "ratings[1]"
            at: second
"""


def new_storyboard(name: str, folder: Path) -> Path:
    """Write `folder/storyboards/<name>.yaml` from the template, never over an existing file."""
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]{0,63}", name):
        raise UsageError(f"{name!r} cannot name a storyboard; use lowercase letters, digits, - and _")
    path = folder / "storyboards" / f"{name}.yaml"
    if path.exists():
        raise UsageError(f"{path} already exists")
    schema = folder / "schema" / "storyboard.schema.json"
    voice = "narrator" if (folder / "voices" / "narrator.yaml").exists() else "default"
    title = name.replace("-", " ").replace("_", " ").capitalize()
    if not schema.exists():  # the comment in the template points here: give editors something to read
        from vidgen.schema import write_schema

        write_schema(schema)
    return write_atomic(path, TEMPLATE.format(title=title, voice=voice, schema=f"../schema/{schema.name}"))


def _clock(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    return f"{minutes}:{secs:02d}"


def script(path: Path) -> str:
    """The narration as a script: scenes, beats, estimated lengths, words per minute."""
    storyboard = load_storyboard(path).storyboard
    lines = [f"# {storyboard.title}", ""]
    total_words = 0
    total_seconds = 0.0
    for number, scene in enumerate(storyboard.scenes, start=1):
        speech = [estimate_speech(beat.say) for beat in scene.beats]
        seconds = sum(s.duration + (storyboard.pause if b.pause is None else b.pause) for s, b in zip(speech, scene.beats))
        lines += [f"## {number}. {scene.title}  ({_clock(seconds)})", ""]
        for index, (beat, estimate) in enumerate(zip(scene.beats, speech), start=1):
            lines.append(f"{index}. {estimate.text}  [{estimate.duration:.0f} s]")
            total_words += len(estimate.text.split())
        lines.append("")
        total_seconds += seconds
    lines.append(f"Total: about {_clock(total_seconds)}, {total_words} words at {WORDS_PER_SECOND * 60:.0f} words per minute (estimated; the build measures the real speech).")
    return "\n".join(lines)
