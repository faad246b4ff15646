from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

from vidgen.media import concat_clips, contact_sheet


def test_one_captioned_frame_per_moment_in_a_grid(tmp_path: Path, clips: list[Path]) -> None:
    video = concat_clips(clips, tmp_path / "v.mp4")
    sheet = contact_sheet(video, [(0.5, "red beat"), (2.0, "blue beat"), (2.5, "blue again"), (0.1, "red")], tmp_path / "sheet.png", columns=3, thumb_width=300)
    image = np.asarray(Image.open(sheet).convert("RGB")).astype(int)
    assert image.shape[1] == 3 * 312 + 12
    first, second = image[40, 12 + 150], image[40, 12 + 312 + 150]
    assert first[0] > 150 and first[2] < 100  # red
    assert second[2] > 150 and second[0] < 100  # blue
