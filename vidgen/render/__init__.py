"""Rendering: the timed plan of one scene → a silent Manim clip (and the layout check)."""

from __future__ import annotations

from pathlib import Path


def configure_manim(cache_dir: Path) -> None:
    """Point Manim's scratch files (TeX, partial movies) into the cache and silence it.

    Manim's configuration is global to the process; every process that draws (the build,
    `vidgen check`, each render worker) calls this first so nothing lands in ./media and
    LaTeX results are shared between renders.
    """
    from manim import config

    cache_dir = cache_dir.resolve()
    config.media_dir = str(cache_dir / "manim")
    config.tex_dir = str(cache_dir / "tex")
    config.verbosity = "ERROR"
    config.progress_bar = "none"
    config.disable_caching = True
