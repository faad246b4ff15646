"""Files a storyboard refers to (images): resolved relative to the storyboard and kept
inside its project, so a shared storyboard cannot read arbitrary files."""

from __future__ import annotations

from pathlib import Path

from vidgen.elements.image import IMAGE_SUFFIXES
from vidgen.storyboard.model import Storyboard

MAX_IMAGE_BYTES = 20 * 1024 * 1024


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
            where = ("scenes", s, "elements", name, "image")
            target = (storyboard_path.resolve().parent / spec.image).resolve()
            expected = f"a {', '.join(IMAGE_SUFFIXES)} file inside the project folder {root.name!r}"
            if not target.is_relative_to(root):
                problems.append((where, f"image {spec.image!r} is outside the project", expected))
            elif target.suffix.lower() not in IMAGE_SUFFIXES:
                problems.append((where, f"image {spec.image!r} is not a picture", expected))
            elif not target.is_file():
                problems.append((where, f"image {spec.image!r} does not exist", expected))
            elif target.stat().st_size > MAX_IMAGE_BYTES:
                problems.append((where, f"image {spec.image!r} is larger than {MAX_IMAGE_BYTES // 2**20} MB", expected))
            else:
                elements[name] = spec.model_copy(update={"image": str(target)})
        scenes.append(scene.model_copy(update={"elements": elements}))
    return storyboard.model_copy(update={"scenes": scenes}), problems
