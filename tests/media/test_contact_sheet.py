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


def test_frames_from_the_clips_match_the_video_and_are_kept_for_the_next_build(tmp_path: Path, clips: list[Path], monkeypatch) -> None:  # noqa: ANN001
    import importlib

    sheet_module = importlib.import_module("vidgen.media.contact_sheet")  # the package exports a function of that name

    video = concat_clips(clips, tmp_path / "v.mp4")
    moments = [(0.5, "red beat"), (2.0, "blue beat")]
    sources = [(clips[0], 0.5), (clips[1], 2.0 - 1.0)]  # the red clip lasts 1 s
    from_video = np.asarray(Image.open(contact_sheet(video, moments, tmp_path / "a.png", thumb_width=200)).convert("RGB")).astype(int)
    thumbs = tmp_path / "thumbs"
    from_clips = np.asarray(Image.open(contact_sheet(video, moments, tmp_path / "b.png", thumb_width=200, sources=sources, thumbs_dir=thumbs)).convert("RGB")).astype(int)
    assert from_video.shape == from_clips.shape and np.abs(from_video - from_clips).mean() < 2
    assert len(list(thumbs.glob("*.png"))) == 2

    def no_decoding(*args: object) -> None:
        raise AssertionError("a kept thumbnail was decoded again")

    monkeypatch.setattr(sheet_module, "frame_at", no_decoding)
    again = np.asarray(Image.open(contact_sheet(video, moments, tmp_path / "c.png", thumb_width=200, sources=sources, thumbs_dir=thumbs)).convert("RGB")).astype(int)
    assert np.array_equal(again, from_clips)
