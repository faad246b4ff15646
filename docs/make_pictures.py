"""Regenerate docs/pictures/<section>-<name>.png from docs/gallery.yaml: `python docs/make_pictures.py`."""

from __future__ import annotations

from pathlib import Path

from vidgen.gallery import example_scene, load_gallery
from vidgen.render import configure_manim
from vidgen.render.still import render_still

DOCS = Path(__file__).resolve().parent


def main() -> None:
    configure_manim(DOCS.parent / "output" / ".cache")
    gallery = load_gallery(DOCS / "gallery.yaml")
    for section, examples in gallery.items():
        for name in examples:
            image, _ = render_still(example_scene(DOCS / "gallery.yaml", section, name))
            image.resize((640, 360)).save(DOCS / "pictures" / f"{section}-{name}.png", optimize=True)
            print(f"docs/pictures/{section}-{name}.png")


if __name__ == "__main__":
    main()
