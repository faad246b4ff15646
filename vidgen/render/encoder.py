"""The encoder every clip segment is written with.

Segments are joined by stream copy, so every one must be encoded alike: one codec, pixel
format, container and option set, named here once and part of each segment's identity.
`VIDGEN_ENCODER` (JSON: codec, pixel_format, options) replaces them for a run: the
benchmark renders a lossless reference that way. Entries made so are named apart.
"""

from __future__ import annotations

import json
import os

VIDEO_CODEC = "libx264"
PIXEL_FORMAT = "yuv420p"
CONTAINER = "mp4"
# libx264 "superfast" encodes several times faster than Manim's default (medium) for the
# flat colours of explainer graphics, at an imperceptible cost; crf 20 keeps edges crisp.
# One thread: each render already keeps two busy (Manim draws while its writer encodes), and
# a build runs a render per core; x264's own frame threads only fought them for the cores
# (a cold 1080p60 build used 176 s of CPU with them, 148 s without, in one paired run).
# Two of superfast's searches cost more than they give on flat graphics: weighing where to
# put B-frames frame by frame (b-adapt 1) and refining motion below a pixel (subme 1).
# A fixed B-frame pattern and whole-pixel motion cut x264's CPU per animated 1080p frame by a
# quarter (7.8 to 5.8 ms) for 1 % more bytes and the same PSNR, on the autoencoder's frames.
ENCODER_OPTIONS = {"preset": "superfast", "crf": "20", "threads": "1", "x264-params": "b-adapt=0:subme=0"}
OVERRIDE = "VIDGEN_ENCODER"


def encoder_settings() -> dict[str, object]:
    """Everything about the encoder that reaches a segment's bytes, as plain data."""
    settings: dict[str, object] = {"codec": VIDEO_CODEC, "pixel_format": PIXEL_FORMAT, "container": CONTAINER, "options": dict(ENCODER_OPTIONS)}
    override = os.environ.get(OVERRIDE)
    if override:
        chosen = json.loads(override)
        settings.update({key: chosen[key] for key in ("codec", "pixel_format", "options") if key in chosen})
    settings["options"] = {str(key): str(value) for key, value in sorted(dict(settings["options"]).items())}  # type: ignore[call-overload]
    return settings
