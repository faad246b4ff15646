"""Regenerate the writers' guide from docs/gallery.yaml: the pictures docs/pictures/<section>-<name>.png
and, beside each, the example it is drawn from (the guide's `<!-- gallery: … -->` blocks).

    python docs/make_pictures.py             # pictures and examples
    python docs/make_pictures.py --examples  # only the examples in the guide (no rendering: a second)
"""

from __future__ import annotations

import sys
from pathlib import Path

from vidgen.gallery import example_scene, guide_with_examples, load_gallery
from vidgen.paths import write_atomic

DOCS = Path(__file__).resolve().parent
GUIDE = DOCS / "writing-storyboards.md"


def write_examples() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    updated = guide_with_examples(text, load_gallery(DOCS / "gallery.yaml"))
    if updated != text:
        write_atomic(GUIDE, updated)
        print(f"docs/{GUIDE.name}")


def write_pictures() -> None:
    from vidgen.render import configure_manim
    from vidgen.render.still import render_still

    configure_manim(DOCS.parent / "output" / ".cache")
    gallery = load_gallery(DOCS / "gallery.yaml")
    for section, examples in gallery.items():
        for name in examples:
            image, _ = render_still(example_scene(DOCS / "gallery.yaml", section, name))
            image.resize((640, 360)).save(DOCS / "pictures" / f"{section}-{name}.png", optimize=True)
            print(f"docs/pictures/{section}-{name}.png")


def main() -> None:
    write_examples()
    if "--examples" not in sys.argv[1:]:
        write_pictures()


if __name__ == "__main__":
    main()
