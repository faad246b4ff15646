"""A contact sheet: one frame per beat, captioned with its narration, on one PNG."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from vidgen.media.probe import frame_at
from vidgen.paths import write_atomic

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
BACKGROUND = (16, 20, 24)
INK = (236, 239, 244)


def _font(size: int):  # noqa: ANN202 - a PIL font
    from PIL import ImageFont

    try:
        return ImageFont.truetype(FONT, size)
    except OSError:
        return ImageFont.load_default()


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


def contact_sheet(video: Path, moments: Sequence[tuple[float, str]], out: Path, *, columns: int = 3, thumb_width: int = 480) -> Path:
    from PIL import Image, ImageDraw

    font = _font(15)
    thumbs = []
    for seconds, caption in moments:
        frame = Image.fromarray(frame_at(video, seconds))
        height = round(frame.height * thumb_width / frame.width)
        thumbs.append((frame.resize((thumb_width, height)), _wrap(caption, font, thumb_width, 4)))
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
    sheet.save(buffer, format="PNG")
    return write_atomic(out, buffer.getvalue())
