"""Cache identity: everything a clip segment's or a layout check's result depends on.

An entry is named by a hash of its identity, so a change to any input makes a new entry
and an old one is never handed out for it. The inputs are the content (what the scene
draws, and for a segment the actions before it and its own beat's timing) and the
environment that turns content into pixels: Manim's and its drawing libraries' versions,
the encoder and its settings, the fonts the text is set in, the LaTeX template, and a
fingerprint of vidgen's own source that draws and encodes (so an edited checkout is not
taken for the release, while an edit elsewhere, e.g. the CLI, keeps the cache).

Identities are plain JSON, written beside each entry (`<entry>.json`, or inside a layout
entry) so `vidgen cache info --entry` shows what it was made with. Reading them costs no
Manim import: a rebuild with nothing changed stays quick.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from vidgen import __version__

if TYPE_CHECKING:
    from vidgen.plan import ScenePlan

IDENTITY_FORMAT = 1
PACKAGE = Path(__file__).resolve().parent
# vidgen's source that shapes what a segment shows or how it is encoded, and what the
# layout check measures; paths relative to the package, folders taken whole.
SOURCES: dict[str, tuple[str, ...]] = {
    "segment": ("elements/", "actions/", "layout/", "render/", "theme.py", "plan.py", "quality.py", "storyboard/places.py", "storyboard/refs.py"),
    "layout": ("elements/", "actions/", "layout/", "render/", "theme.py", "plan.py", "storyboard/places.py", "storyboard/refs.py"),
}
# Files in those folders that cannot change the result: the check never reaches a clip,
# the encoder never reaches a measurement, and scheduling or naming reaches neither.
NOT_IN: dict[str, frozenset[str]] = {
    "segment": frozenset({"render/check.py", "render/clips.py", "render/still.py"}),
    "layout": frozenset({"render/worker.py", "render/encoding.py", "render/encoder.py", "render/clips.py", "render/still.py"}),
}
DRAWING_PACKAGES = ("manim", "manimpango", "pycairo")  # shaping and rasterising
ENCODING_PACKAGES = ("av",)  # PyAV, with the FFmpeg and libx264 it ships


def digest(value: Any) -> str:
    """SHA-256 of `value` as canonical JSON."""
    return hashlib.sha256(json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()).hexdigest()


# -- the environment ---------------------------------------------------------------------


@lru_cache(maxsize=None)
def package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def manim_version() -> str:
    """The Manim version this process draws with (as its package reports it)."""
    return package_version("manim")


def read_source(path: Path) -> bytes:
    return path.read_bytes()


def source_files(group: str) -> list[Path]:
    """vidgen's source files of `group` ("segment" or "layout"), sorted."""
    files: set[Path] = set()
    for entry in SOURCES[group]:
        target = PACKAGE / entry
        files.update(target.rglob("*.py") if entry.endswith("/") else [target])
    return sorted(f for f in files if f.relative_to(PACKAGE).as_posix() not in NOT_IN[group])


@lru_cache(maxsize=None)
def source_fingerprint(group: str) -> str:
    """One hash of the text of every source file of `group`, with their names."""
    hashed = hashlib.sha256()
    for path in source_files(group):
        hashed.update(path.relative_to(PACKAGE).as_posix().encode() + b"\0" + hashlib.sha256(read_source(path)).digest())
    return hashed.hexdigest()


@lru_cache(maxsize=None)
def font_file(pattern: str) -> dict[str, Any]:
    """The font file fontconfig (as Pango, hence Manim, uses it) picks for `pattern`, with a
    hash of its content: a replaced font makes new entries, and the same font installed on
    another machine (another path or date) names the same ones."""
    binary = shutil.which("fc-match")
    if binary is None:
        return {"pattern": pattern, "file": None, "note": "fc-match not found (install fontconfig)"}
    try:
        found = subprocess.run([binary, "--format=%{file}", pattern], capture_output=True, text=True, timeout=10).stdout.strip()
        content = Path(found).read_bytes()
    except (OSError, subprocess.SubprocessError):
        return {"pattern": pattern, "file": None}
    return {"pattern": pattern, "name": Path(found).name, "bytes": len(content), "sha256": hashlib.sha256(content).hexdigest()}


def font_identity(family: str) -> dict[str, Any]:
    """The files of the theme's font family, regular and bold (titles are set bold)."""
    return {"regular": font_file(family), "bold": font_file(f"{family}:weight=bold")}


def latex_identity() -> dict[str, Any]:
    """The LaTeX template: Manim's default document (tied to Manim's version, which every
    identity holds) with vidgen's preamble."""
    from vidgen.elements.latex import PREAMBLE

    return {"template": "manim TexTemplate", "preamble": hashlib.sha256(PREAMBLE.encode()).hexdigest()}


def encoder_identity() -> dict[str, Any]:
    from vidgen.render.encoder import encoder_settings

    return {**encoder_settings(), **{name: package_version(name) for name in ENCODING_PACKAGES}}


def environment(group: str, font: str, latex: bool) -> dict[str, Any]:
    """What turns a scene's content into pixels (and, for segments, into bytes)."""
    found: dict[str, Any] = {name: package_version(name) for name in DRAWING_PACKAGES}
    found["manim"] = manim_version()
    found["fonts"] = {font: font_identity(font)}
    found["latex"] = latex_identity() if latex else None
    if group == "segment":
        found["encoder"] = encoder_identity()
    found["vidgen"] = {"version": __version__, "source": source_fingerprint(group)}
    return found


def clear_caches() -> None:
    """Forget what was looked up (tests change fonts, versions and sources)."""
    for name in ("package_version", "source_fingerprint", "font_file"):
        cached = globals()[name]
        if hasattr(cached, "cache_clear"):  # a test may have put a plain function in its place
            cached.cache_clear()


# -- identities --------------------------------------------------------------------------


def _uses_latex(scene: ScenePlan) -> bool:

    return uses_latex(scene.chain or (scene.scene,))


def uses_latex(scenes: Any) -> bool:
    """Whether any of these scenes draws LaTeX (what they look like then depends on its template)."""
    from vidgen.elements import ELEMENT_KINDS

    return any(getattr(ELEMENT_KINDS[spec.kind], "uses_latex", False) for scene in scenes for spec in scene.elements.values())


def _actions(scene: ScenePlan, beat: int) -> list[Any]:
    return [action.model_dump(mode="json", by_alias=True) | {"kind": action.kind} for action in scene.scene.beats[beat].do]


def segment_identity(scene: ScenePlan, beat: int) -> dict[str, Any]:
    """What segment `beat` of `scene` draws: the scene's elements, the actions of the beats
    before it (not their words or timing: they only lead to its first picture), its own
    beat's frames, slots and actions, and the environment. Large parts are hashed."""
    from vidgen.theme import THEMES

    plan = scene.beats[beat]
    last = beat == len(scene.beats) - 1
    return {
        "format": IDENTITY_FORMAT,
        "kind": "segment",
        "scene": scene.id,
        "beat": beat,
        "elements": digest(scene.scene.model_dump(mode="json", by_alias=True, include={"elements"})),
        "chain": digest(scene.chain_pictures),  # where things go depends on the scenes it continues
        "files": scene.file_fingerprints,
        "before": digest([_actions(scene, b) for b in range(beat)]),
        "frames": plan.frames,
        "slots": [[s.index, s.start - plan.start, s.frames] for s in scene.slots if s.beat == beat],
        "actions": digest(_actions(scene, beat)),
        "outro": scene.outro_frames if last else 0,
        "theme": scene.theme,
        "quality": [scene.quality.width, scene.quality.height, scene.quality.fps],
        "environment": environment("segment", THEMES[scene.theme].font, _uses_latex(scene)),
    }


def layout_identity(scene: ScenePlan) -> dict[str, Any]:
    """What the layout check measures: the scene's pictures (elements and actions, in their
    order), not its words or timing, so a writer editing narration never waits for it."""
    from vidgen.theme import THEMES

    words = {"beats": {"__all__": {"say", "pause"}}}
    return {
        "format": IDENTITY_FORMAT,
        "kind": "layout",
        "scene": scene.id,
        "content": digest(scene.scene.model_dump(mode="json", exclude=words)),
        "chain": digest(scene.chain_pictures),
        "files": scene.file_fingerprints,
        "theme": scene.theme,
        "environment": environment("layout", THEMES[scene.theme].font, _uses_latex(scene)),
    }


# -- sidecars ----------------------------------------------------------------------------


def sidecar(entry: Path) -> Path:
    """Where the identity of a binary entry (a segment's MP4) is kept."""
    return entry.with_name(entry.name + ".json")


def write_identity(entry: Path, identity: dict[str, Any], **facts: Any) -> Path:
    from vidgen.paths import write_json

    return write_json(sidecar(entry), {"identity": identity, **facts})


def read_identity(entry: Path) -> dict[str, Any] | None:
    """What an entry was made with: the description beside it (a segment's `.mp4.json`, a
    speech entry's `.json`) or inside it (a layout entry), when it holds an `identity`."""
    for candidate in (sidecar(entry), entry.with_suffix(".json"), entry):
        if candidate.suffix != ".json" or not candidate.is_file():
            continue
        try:
            data = json.loads(candidate.read_text())
        except (OSError, ValueError):
            continue
        if isinstance(data, dict) and "identity" in data:
            return data
    return None
