"""The gallery of examples (docs/gallery.yaml): one tiny scene per element kind and action,
rendered by the tests and turned into the writers' guide's pictures, and shown beside each
picture as the YAML it was drawn from (`guide_with_examples`), so the two cannot disagree."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from vidgen.plan import ScenePlan, make_plan
from vidgen.quality import QUALITIES
from vidgen.speech.estimate import estimate_speech
from vidgen.storyboard.assets import resolve_assets
from vidgen.storyboard.model import Storyboard

SAY = "An example of this."  # every example's one beat says this
LINE = 100  # an element longer than this as one flow mapping is written key by key
# <!-- gallery: elements/title --> … <!-- /gallery -->: a generated block of the guide.
BLOCK = re.compile(r"(<!-- gallery: (?P<section>[\w-]+)/(?P<name>[\w-]+) -->\n)(?P<body>.*?)(<!-- /gallery -->)", re.DOTALL)


def load_gallery(path: Path) -> dict[str, dict[str, dict[str, Any]]]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def example_parts(entry: dict[str, Any]) -> dict[str, Any]:
    """The scene keys an example fills: its elements and its one beat."""
    return {"elements": entry["elements"], "beats": [{"say": SAY, "do": entry["do"]}]}


def example_scene(path: Path, section: str, name: str, quality: str = "low") -> ScenePlan:
    """The timed plan of one gallery example, ready to check or photograph."""
    entry = load_gallery(path)[section][name]
    board = Storyboard.model_validate({"title": name, "scenes": [{"id": "example", "title": name, **example_parts(entry)}]})
    board, problems = resolve_assets(board, path)
    if problems:
        raise ValueError(f"{name}: {problems}")
    speech = [[estimate_speech(beat.say) for beat in scene.beats] for scene in board.scenes]
    return make_plan(name, board, speech, QUALITIES[quality]).scenes[0]


class _FlowDumper(yaml.SafeDumper):
    """Compact YAML as a writer would type it: double quotes where quotes are needed, and
    single quotes around backslashes (LaTeX), which single quotes keep as they are."""

    def choose_scalar_style(self) -> str | None:  # type: ignore[override]
        style = super().choose_scalar_style()
        value = self.event.value  # type: ignore[union-attr]
        if "\\" in value:
            return "'"
        if style == "'" and '"' not in value:
            return '"'
        return style


def _flow(value: Any) -> str:
    text = yaml.dump(value, Dumper=_FlowDumper, default_flow_style=True, sort_keys=False, allow_unicode=True, width=10**6)
    return text.removesuffix("\n...\n").strip()


def _action(action: dict[str, Any]) -> str:
    text = _flow(action)
    return text[1:-1] if len(action) == 1 else text  # `show: v` reads better than `{show: v}`


def example_yaml(entry: dict[str, Any]) -> str:
    """The example as a scene's `elements:` and `beats:`: each element on one line (key by key
    when long), the actions as one list when it is short."""
    parts = example_parts(entry)
    lines = ["elements:"]
    for name, spec in parts["elements"].items():
        one_line = f"  {name}: {_flow(spec)}"
        if len(one_line) <= LINE:
            lines.append(one_line)
        else:
            lines += [f"  {name}:"] + [f"    {key}: {_flow(value)}" for key, value in spec.items()]
    lines += ["beats:", f"  - say: {SAY}"]
    actions = [_action(action) for action in entry["do"]]
    short = "    do: [" + ", ".join(a if a.startswith("{") or len(actions) == 1 else "{" + a + "}" for a in actions) + "]"
    lines += [short] if len(short) <= LINE and len(actions) <= 2 else ["    do:"] + [f"      - {a}" for a in actions]
    return "\n".join(lines) + "\n"


def guide_block(section: str, name: str, entry: dict[str, Any]) -> str:
    """What stands between a block's markers: the example's YAML, then its picture."""
    return f"```yaml\n{example_yaml(entry)}```\n\n![{name}](pictures/{section}-{name}.png)\n"


def guide_with_examples(guide: str, gallery: dict[str, dict[str, dict[str, Any]]]) -> str:
    """The guide with every gallery block regenerated from the gallery."""

    def fill(match: re.Match[str]) -> str:
        section, name = match["section"], match["name"]
        if name not in gallery.get(section, {}):
            raise KeyError(f"the guide has a block for {section}/{name}, which docs/gallery.yaml does not have")
        return match.group(1) + guide_block(section, name, gallery[section][name]) + match.group(5)

    return BLOCK.sub(fill, guide)


def guide_blocks(guide: str) -> set[tuple[str, str]]:
    """The (section, name) of every gallery block in the guide."""
    return {(m["section"], m["name"]) for m in BLOCK.finditer(guide)}
