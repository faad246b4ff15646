"""Render a ScenePlan, or some of its beats, to a silent MP4, in whatever process calls it.

Manim's configuration is global to a process, so each render sets it for itself inside
`tempconfig`; the build runs this in worker processes, one segment at a time each.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from vidgen.cache import entry_lock
from vidgen.errors import RenderError
from vidgen.plan import ScenePlan
from vidgen.render.encoder import ENCODER_OPTIONS, encoder_settings

__all__ = ["ENCODER_OPTIONS", "render_scene", "render_segment"]


def render_scene(plan: ScenePlan, out: Path, work_dir: Path, beats: range | None = None) -> Path:
    """Render `plan` (only `beats`, when given) to `out`, written atomically, unless another
    build just did."""
    with entry_lock(out):
        if out.exists():
            return out
        _render(plan, out, work_dir, beats)
        return out


def render_segment(plan: ScenePlan, beat: int, out: Path, work_dir: Path, identity: dict[str, Any] | None = None, thumbs_dir: Path | None = None) -> Path:
    """Render beat `beat` of `plan` alone to `out`, with its identity written beside it, and
    thumbnails of the key frames it shows in `thumbs_dir` (see vidgen.media.contact_sheet).
    Put together from kept pieces without drawing when it can be (vidgen.render.assembly)."""
    _make_segment(plan, beat, out, work_dir, identity, thumbs_dir, draw=True)
    return out


def put_segment_together(plan: ScenePlan, beat: int, out: Path, work_dir: Path, identity: dict[str, Any], thumbs_dir: Path | None = None) -> bool:
    """render_segment without drawing: whether the segment could be put together from kept
    pieces (or was there already). Needs no Manim: the build does it in its own process."""
    return _make_segment(plan, beat, out, work_dir, identity, thumbs_dir, draw=False)


def _make_segment(plan: ScenePlan, beat: int, out: Path, work_dir: Path, identity: dict[str, Any] | None, thumbs_dir: Path | None, draw: bool) -> bool:
    from vidgen.identity import write_identity
    from vidgen.media.contact_sheet import THUMB_WIDTH, keep_thumbnails
    from vidgen.plan import frame_time
    from vidgen.render.assembly import put_together
    from vidgen.render.pieces import Pieces

    with entry_lock(out):
        if out.exists():
            return True
        started = time.perf_counter()
        pieces = Pieces(out.parent / "pieces", identity) if identity is not None else None
        kept = None
        if pieces is not None:
            work_dir.mkdir(parents=True, exist_ok=True)
            kept = put_together(plan, beat, out, pieces, work_dir)
        if kept is None and not draw:
            return False
        if kept is None:
            kept = _render(plan, out, work_dir, range(beat, beat + 1), pieces)
        if thumbs_dir is not None:
            # The preview page (low quality) shows each beat's frame at full size.
            widths = {THUMB_WIDTH, plan.quality.width} if plan.quality.preview else {THUMB_WIDTH}
            for frame, pixels in kept.items():
                keep_thumbnails(pixels, out, frame_time(frame, plan.quality.fps), sorted(widths), thumbs_dir)
        if identity is not None:
            made = {"made": time.strftime("%Y-%m-%dT%H:%M:%S"), "seconds": round(time.perf_counter() - started, 3), "frames": plan.beats[beat].frames}
            if pieces is not None:  # how much of it was put together from kept pieces
                made["pieces"] = {"reused": pieces.reused, "drawn": pieces.drawn}
            write_identity(out, identity, **made)
        return True


def _render(plan: ScenePlan, out: Path, work_dir: Path, beats: range | None, pieces: Any = None) -> dict[int, Any]:
    """Render to `out`; the frames the scene kept as it drew them (its key frames), by number."""
    from manim import config, tempconfig

    from vidgen.render import configure_manim
    from vidgen.render.scene import StoryboardScene

    configure_manim(work_dir.parent)

    out.parent.mkdir(parents=True, exist_ok=True)
    work_dir.mkdir(parents=True, exist_ok=True)
    what = f"scene {plan.id!r}" + (f", beat {beats.start + 1}" if beats is not None and len(beats) == 1 else "")
    media = Path(tempfile.mkdtemp(prefix=f"{plan.id}-", dir=work_dir))
    quality = plan.quality
    encoder = encoder_settings()
    settings = {
        "media_dir": str(media),
        "pixel_width": quality.width,
        "pixel_height": quality.height,
        "frame_rate": quality.fps,
        "disable_caching": True,
        "verbosity": "ERROR",
        "progress_bar": "none",
        "format": encoder["container"],
        "output_file": plan.id,
        "video_encoder_options": encoder["options"],
        # Frames waiting for the encoder: 8 by default, 8 MB each at 1080p; 3 keep it busy.
        "encoder_queue_size": 3,
        "preview": False,
    }
    try:
        with tempconfig(settings):
            config.video_codec = encoder["codec"]
            config.pixel_format = encoder["pixel_format"]
            config.video_encoder_options = encoder["options"]
            scene = StoryboardScene(plan, beats, pieces)
            scene.render()
            movie = Path(scene.renderer.file_writer.movie_file_path)
            kept = dict(scene.renderer.file_writer.kept)
        if not movie.exists():
            raise RenderError(f"{what}: Manim finished but wrote no video")
        temp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
        shutil.move(str(movie), temp)
        os.replace(temp, out)
        return kept
    except RenderError:
        raise
    except Exception as error:  # a Manim failure on valid input: name the scene
        raise RenderError(f"{what} failed to render: {type(error).__name__}: {error}") from error
    finally:
        shutil.rmtree(media, ignore_errors=True)
