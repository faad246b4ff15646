"""Files a storyboard refers to (images): resolved relative to the storyboard and kept
inside its project, so a shared storyboard cannot read arbitrary files."""

from __future__ import annotations

from pathlib import Path

from vidgen.elements.image import IMAGE_SUFFIXES
from vidgen.storyboard.model import Storyboard

MAX_IMAGE_BYTES = 20 * 1024 * 1024
MAX_MUSIC_BYTES = 50 * 1024 * 1024
MUSIC_SUFFIXES = (".mp3", ".wav", ".ogg", ".flac", ".m4a")


def _check_file(root: Path, base: Path, name: str, suffixes: tuple[str, ...], limit: int, what: str) -> tuple[Path | None, str | None]:
    """(resolved path, None) for a usable file inside the project, or (None, problem)."""
    target = (base / name).resolve()
    if not target.is_relative_to(root):
        return None, f"{what} {name!r} is outside the project"
    if target.suffix.lower() not in suffixes:
        return None, f"{what} {name!r} is not a {what} file"
    if not target.is_file():
        return None, f"{what} {name!r} does not exist"
    if target.stat().st_size > limit:
        return None, f"{what} {name!r} is larger than {limit // 2**20} MB"
    return target, None


def project_root(storyboard_path: Path) -> Path:
    """The storyboard's project: the folder holding `storyboards/`, else the storyboard's folder."""
    folder = storyboard_path.resolve().parent
    return folder.parent if folder.name == "storyboards" else folder


def resolve_assets(storyboard: Storyboard, storyboard_path: Path) -> tuple[Storyboard, list[tuple[tuple, str, str]]]:
    """The storyboard with image paths made absolute, and (path, message, expected) problems."""
    root = project_root(storyboard_path)
    problems: list[tuple[tuple, str, str]] = []
    scenes = []
    for s, scene in enumerate(storyboard.scenes):
        elements = dict(scene.elements)
        for name, spec in scene.elements.items():
            if spec.kind != "image":
                continue
            target, problem = _check_file(root, storyboard_path.resolve().parent, spec.image, IMAGE_SUFFIXES, MAX_IMAGE_BYTES, "image")
            if problem:
                problems.append((("scenes", s, "elements", name, "image"), problem, f"a {', '.join(IMAGE_SUFFIXES)} file inside the project folder {root.name!r}"))
            else:
                elements[name] = spec.model_copy(update={"image": str(target)})
        scenes.append(scene.model_copy(update={"elements": elements}))
    update: dict = {"scenes": scenes}
    if storyboard.music is not None:
        target, problem = _check_file(root, storyboard_path.resolve().parent, storyboard.music.file, MUSIC_SUFFIXES, MAX_MUSIC_BYTES, "music")
        if problem:
            problems.append((("music", "file"), problem, f"a {', '.join(MUSIC_SUFFIXES)} file inside the project folder {root.name!r}"))
        else:
            update["music"] = storyboard.music.model_copy(update={"file": str(target)})
    return storyboard.model_copy(update=update), problems
