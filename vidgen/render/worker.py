"""Render one ScenePlan to a silent MP4 clip, in whatever process calls it.

Manim's configuration is global to a process, so each render sets it for itself inside
`tempconfig`; the build runs this in worker processes, one scene at a time each.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from vidgen.cache import entry_lock
from vidgen.errors import RenderError
from vidgen.plan import ScenePlan

# libx264 "veryfast" encodes several times faster than Manim's default (medium) for the
# flat colours of explainer graphics, at an imperceptible cost; crf 20 keeps edges crisp.
ENCODER_OPTIONS = {"preset": "superfast", "crf": "20"}


def render_scene(plan: ScenePlan, out: Path, work_dir: Path) -> Path:
    """Render `plan` to `out` (written atomically), unless another build just did."""
    with entry_lock(out):
        if out.exists():
            return out
        return _render(plan, out, work_dir)


def _render(plan: ScenePlan, out: Path, work_dir: Path) -> Path:
    from manim import config, tempconfig

    from vidgen.render import configure_manim
    from vidgen.render.scene import StoryboardScene

    configure_manim(work_dir.parent)

    out.parent.mkdir(parents=True, exist_ok=True)
    work_dir.mkdir(parents=True, exist_ok=True)
    media = Path(tempfile.mkdtemp(prefix=f"{plan.id}-", dir=work_dir))
    quality = plan.quality
    settings = {
        "media_dir": str(media),
        "pixel_width": quality.width,
        "pixel_height": quality.height,
        "frame_rate": quality.fps,
        "disable_caching": True,
        "verbosity": "ERROR",
        "progress_bar": "none",
        "format": "mp4",
        "output_file": plan.id,
        "video_encoder_options": ENCODER_OPTIONS,
        # Frames waiting for the encoder: 8 by default, 8 MB each at 1080p; 3 keep it busy.
        "encoder_queue_size": 3,
        "preview": False,
    }
    try:
        with tempconfig(settings):
            config.video_encoder_options = ENCODER_OPTIONS
            scene = StoryboardScene(plan)
            scene.render()
            movie = Path(scene.renderer.file_writer.movie_file_path)
        if not movie.exists():
            raise RenderError(f"scene {plan.id!r}: Manim finished but wrote no video")
        temp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
        shutil.move(str(movie), temp)
        os.replace(temp, out)
        return out
    except RenderError:
        raise
    except Exception as error:  # a Manim failure on valid input: name the scene
        raise RenderError(f"scene {plan.id!r} failed to render: {type(error).__name__}: {error}") from error
    finally:
        shutil.rmtree(media, ignore_errors=True)
