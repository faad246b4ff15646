"""The captions' font is found through fontconfig, as Manim's text finds it, wherever the
distribution keeps it; a missing font is a clear error."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from tests.media.conftest import make_clip
from vidgen.errors import MediaError
from vidgen.media import fonts
from vidgen.media.probe import frame_at

ROOT = Path(__file__).resolve().parents[2]
DEJAVU = fonts.font_file()  # on the machine running the tests (setup.sh installs it)


def _fontconfig_file(tmp_path: Path, folder: Path) -> Path:
    config = tmp_path / "fonts.conf"
    config.write_text(f'<?xml version="1.0"?>\n<fontconfig><dir>{folder}</dir><cachedir>{tmp_path / "fc-cache"}</cachedir></fontconfig>\n')
    return config


def test_the_font_is_found_in_whatever_folder_fontconfig_knows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    elsewhere = tmp_path / "share" / "fonts" / "dejavu-sans-fonts"  # Fedora's layout
    elsewhere.mkdir(parents=True)
    shutil.copy(DEJAVU, elsewhere / "DejaVuSans.ttf")
    monkeypatch.setenv("FONTCONFIG_FILE", str(_fontconfig_file(tmp_path, elsewhere)))
    fonts.font_file.cache_clear()
    try:
        assert fonts.font_file() == elsewhere / "DejaVuSans.ttf"
    finally:
        fonts.font_file.cache_clear()


def test_a_missing_font_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "empty").mkdir()
    monkeypatch.setenv("FONTCONFIG_FILE", str(_fontconfig_file(tmp_path, tmp_path / "empty")))
    fonts.font_file.cache_clear()
    try:
        with pytest.raises(MediaError, match="the font 'DejaVu Sans' is not installed.*fonts-dejavu-core"):
            fonts.font_file()
    finally:
        fonts.font_file.cache_clear()


def test_burned_captions_find_the_font_in_another_distributions_folder(tmp_path: Path) -> None:
    """In a private mount namespace, /usr/share/fonts holds DejaVu only where Fedora keeps it
    (Debian's folder is gone): the captions are still drawn, in that font."""
    if not shutil.which("unshare"):
        pytest.fail("unshare (util-linux) is needed")
    video = make_clip(tmp_path / "black.mp4", (0, 0, 0), seconds=1.0, size=(480, 270))
    (tmp_path / "c.srt").write_text("1\n00:00:00,000 --> 00:00:01,000\nCaptions in DejaVu Sans\n")
    shutil.copy(DEJAVU, tmp_path / "DejaVuSans.ttf")
    burn = "from pathlib import Path; from vidgen.media.fonts import font_file; from vidgen.media.burn import burn_captions; " \
           f"print(font_file()); burn_captions(Path('{video}'), Path('{tmp_path / 'c.srt'}'), Path('{tmp_path / 'burned.mp4'}'))"  # fmt: skip
    script = textwrap.dedent(f"""\
        set -e
        mount -t tmpfs tmpfs /usr/share/fonts
        mkdir /usr/share/fonts/dejavu-sans-fonts
        cp {tmp_path / 'DejaVuSans.ttf'} /usr/share/fonts/dejavu-sans-fonts/
        {sys.executable} -c "{burn}"
        """)
    result = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True, timeout=120, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf"
    frame = frame_at(tmp_path / "burned.mp4", 0.5).astype(int)
    bottom = frame[int(frame.shape[0] * 0.75) :]
    assert (bottom.min(axis=2) > 200).sum() > 100, "white letters at the bottom"
    assert np.abs(frame[: int(frame.shape[0] * 0.6)]).mean() < 3, "the rest stays black"
