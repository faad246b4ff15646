"""Rendering: the timed plan of one scene → a silent Manim clip (and the layout check)."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

_scratch: dict[Path, str] = {}


def configure_manim(cache_dir: Path) -> None:
    """Point Manim's scratch files into the cache and silence it.

    Manim's configuration is global to a process; every process that draws (the build's
    render workers, `vidgen check`, the tests) calls this first, so nothing lands in
    ./media. Manim writes its text and SVG caches without care for other processes, so
    each process gets its own scratch folder; LaTeX results are shared (`tex`) and their
    compilation is locked (see vidgen.elements.equation).
    """
    from manim import config

    from vidgen.layout.scene import keep_compositions

    cache_dir = cache_dir.resolve()
    keep_compositions(cache_dir / "compositions")
    if cache_dir not in _scratch:
        (cache_dir / "tmp").mkdir(parents=True, exist_ok=True)
        _scratch[cache_dir] = tempfile.mkdtemp(prefix=f"manim-{os.getpid()}-", dir=cache_dir / "tmp")
        atexit.register(shutil.rmtree, _scratch[cache_dir], True)
    config.media_dir = _scratch[cache_dir]
    config.tex_dir = str(cache_dir / "tex")
    config.verbosity = "ERROR"
    config.progress_bar = "none"
    config.disable_caching = True
