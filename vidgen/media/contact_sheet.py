"""A contact sheet: one frame per beat, captioned with its narration, on one PNG."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from vidgen.errors import MediaError
from vidgen.media.fonts import font_file
from vidgen.media.probe import frame_at
from vidgen.paths import write_atomic

BACKGROUND = (16, 20, 24)
THUMB_WIDTH = 480  # pixels: three to a row
INK = (236, 239, 244)


def _font(size: int):  # noqa: ANN202 - a PIL font
    from PIL import ImageFont

    try:
        return ImageFont.truetype(str(font_file()), size)
    except (MediaError, OSError):
        return ImageFont.load_default(size)  # a plainer sheet, not a failed build


def _wrap(text: str, font: object, width: int, lines: int) -> list[str]:
    """Lines of `text` no wider than `width` pixels in `font` (at most `lines` of them)."""
    out: list[str] = []
    for word in text.split():
        if out and font.getlength(out[-1] + " " + word) <= width:  # type: ignore[attr-defined]
            out[-1] += " " + word
        else:
            out.append(word)
    if len(out) > lines:
        out = out[: lines - 1] + [out[lines - 1] + " …"]
    return out


def _kept(source: Path, seconds: float, width: int, thumbs_dir: Path) -> Path:
    return thumbs_dir / f"{source.stem}-{round(seconds * 1000)}-{width}.png"


def kept_thumbnail(source: Path, seconds: float, width: int, thumbs_dir: Path) -> Path:
    """The file of thumbnail(source, seconds, width, thumbs_dir), made if it is not kept yet."""
    kept = _kept(source, seconds, width, thumbs_dir)
    if not kept.is_file():
        thumbnail(source, seconds, width, thumbs_dir)
    return kept


def thumbnail(source: Path, seconds: float, width: int, thumbs_dir: Path | None):  # noqa: ANN202 - a PIL image
    """The frame at `seconds` of `source`, `width` pixels wide. With `thumbs_dir`, kept there
    by the source's name: sources are content-named clips, so a kept thumbnail never goes stale."""
    from PIL import Image

    kept = _kept(source, seconds, width, thumbs_dir) if thumbs_dir else None
    if kept is not None and kept.is_file():
        try:
            with Image.open(kept) as image:
                return image.convert("RGB")
        except OSError:
            pass  # damaged: made again below
    return _shrunk(Image.fromarray(frame_at(source, seconds)), width, kept)


def keep_thumbnails(pixels: np.ndarray, source: Path, seconds: float, widths: Sequence[int], thumbs_dir: Path) -> None:
    """Keep thumbnails of a frame already in memory, as `thumbnail` would have decoded it from
    `source` at `seconds`: a worker keeps its segment's key frame as it draws it, so the
    contact sheet decodes nothing."""
    from PIL import Image

    frame = Image.fromarray(pixels).convert("RGB")
    for width in widths:
        _shrunk(frame, width, _kept(source, seconds, width, thumbs_dir))


def _shrunk(frame, width: int, kept: Path | None):  # noqa: ANN001, ANN202 - PIL images
    thumb = frame if frame.width == width else frame.resize((width, round(frame.height * width / frame.width)))
    if kept is not None:
        buffer = io.BytesIO()
        thumb.save(buffer, format="PNG", compress_level=1)
        write_atomic(kept, buffer.getvalue())
    return thumb


def contact_sheet(
    video: Path,
    moments: Sequence[tuple[float, str]],
    out: Path,
    *,
    columns: int = 3,
    thumb_width: int = THUMB_WIDTH,
    sources: Sequence[tuple[Path, float]] | None = None,
    thumbs_dir: Path | None = None,
) -> Path:
    """A grid of the frames at `moments` of `video`, captioned. `sources` may name, per moment,
    a file and time showing the same frame (a scene's clip): seeking in a short clip is
    cheaper, and its thumbnails can be kept in `thumbs_dir` for the next build."""
    from PIL import Image, ImageDraw

    font = _font(15)
    thumbs = []
    for index, (seconds, caption) in enumerate(moments):
        source, at = sources[index] if sources else (video, seconds)
        thumbs.append((thumbnail(source, at, thumb_width, thumbs_dir if sources else None), _wrap(caption, font, thumb_width, 4)))
    line_height, pad = 19, 12
    thumb_height = thumbs[0][0].height if thumbs else 0
    cell_height = thumb_height + pad + 4 * line_height + pad
    rows = -(-len(thumbs) // columns)
    sheet = Image.new("RGB", (columns * (thumb_width + pad) + pad, rows * cell_height + pad), BACKGROUND)
    draw = ImageDraw.Draw(sheet)
    for index, (thumb, lines) in enumerate(thumbs):
        x = pad + (index % columns) * (thumb_width + pad)
        y = pad + (index // columns) * cell_height
        sheet.paste(thumb, (x, y))
        for number, line in enumerate(lines):
            draw.text((x, y + thumb_height + 6 + number * line_height), line, font=font, fill=INK)
    buffer = io.BytesIO()
    sheet.save(buffer, format="PNG", compress_level=3)  # half the time of the default level, 5 % more bytes
    return write_atomic(out, buffer.getvalue())
