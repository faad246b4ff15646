"""Captions burned into the picture, for players and sites that ignore subtitle tracks.

ffmpeg draws the cues with libass in DejaVu Sans on a translucent black box, so they stay
readable over any background; libass is pointed at the folder where fontconfig (as Manim's
text) finds the font. This re-encodes the frames (in ffmpeg, not Python): only done when
asked for.
"""

from __future__ import annotations

import os
from pathlib import Path

from vidgen.media.ffmpeg import run_ffmpeg
from vidgen.media.fonts import FAMILY, font_file
from vidgen.paths import temp_beside

# libass style: white text, a translucent black box (BorderStyle 3), kept off the edge.
STYLE = f"FontName={FAMILY},Fontsize=17,PrimaryColour=&H00FFFFFF,BackColour=&H50000000,BorderStyle=3,Outline=5,Shadow=0,MarginV=18"


def _escape(path: Path) -> str:
    """A path as a value inside an ffmpeg filter graph."""
    return str(path).replace("\\", "\\\\\\\\").replace(":", "\\\\:").replace("'", "\\\\\\'")


def burn_captions(video: Path, subtitles: Path, out: Path) -> Path:
    temp = temp_beside(out)
    graph = f"subtitles=filename={_escape(subtitles)}:fontsdir={_escape(font_file(FAMILY).parent)}:force_style='{STYLE}'"
    try:
        run_ffmpeg(["-i", str(video), "-vf", graph, "-c:v", "libx264", "-preset", "superfast", "-crf", "20", "-pix_fmt", "yuv420p", "-an", str(temp)], what="burning in the captions")
        os.replace(temp, out)
    finally:
        temp.unlink(missing_ok=True)
    return out
