"""The file of a font family, found the way Manim's text (Pango) finds it: through
fontconfig, on any distribution (DejaVu Sans lives in a different folder on Debian, Fedora,
Arch or Alpine, or in the user's ~/.local/share/fonts)."""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import shutil
import subprocess
from pathlib import Path

from vidgen.errors import MediaError

FAMILY = "DejaVu Sans"
INSTALL_HINT = "install DejaVu (Debian/Ubuntu: fonts-dejavu-core; Fedora: dejavu-sans-fonts; Arch: ttf-dejavu; Alpine: font-dejavu)"


def _library() -> ctypes.CDLL | None:
    for name in ("libfontconfig.so.1", ctypes.util.find_library("fontconfig")):
        if name:
            try:
                return ctypes.CDLL(name)
            except OSError:
                continue
    return None


def _match_with_library(fc: ctypes.CDLL, family: str) -> tuple[str, str] | None:
    """(family, file) of fontconfig's best match for `family`, as Pango would ask for it."""
    vp, cp = ctypes.c_void_p, ctypes.c_char_p
    fc.FcInitLoadConfigAndFonts.restype = vp
    fc.FcPatternCreate.restype = vp
    fc.FcPatternAddString.argtypes = [vp, cp, cp]
    fc.FcConfigSubstitute.argtypes = [vp, vp, ctypes.c_int]
    fc.FcDefaultSubstitute.argtypes = [vp]
    fc.FcFontMatch.argtypes = [vp, vp, ctypes.POINTER(ctypes.c_int)]
    fc.FcFontMatch.restype = vp
    fc.FcPatternGetString.argtypes = [vp, cp, ctypes.c_int, ctypes.POINTER(cp)]
    fc.FcPatternDestroy.argtypes = [vp]
    fc.FcConfigDestroy.argtypes = [vp]
    config = fc.FcInitLoadConfigAndFonts()
    if not config:
        return None
    pattern = fc.FcPatternCreate()
    fc.FcPatternAddString(pattern, b"family", family.encode())
    fc.FcConfigSubstitute(config, pattern, 0)  # FcMatchPattern
    fc.FcDefaultSubstitute(pattern)
    outcome = ctypes.c_int()
    match = fc.FcFontMatch(config, pattern, ctypes.byref(outcome))
    found: list[str] = []
    if match:
        for key in (b"family", b"file"):
            value = cp()
            if fc.FcPatternGetString(match, key, 0, ctypes.byref(value)) == 0 and value.value:
                found.append(value.value.decode())
        fc.FcPatternDestroy(match)
    fc.FcPatternDestroy(pattern)
    fc.FcConfigDestroy(config)
    return (found[0], found[1]) if len(found) == 2 else None


def _match_with_command(family: str) -> tuple[str, str] | None:
    if not shutil.which("fc-match"):
        return None
    result = subprocess.run(["fc-match", "-f", "%{family[0]}\n%{file}", family], capture_output=True, text=True)
    lines = result.stdout.splitlines()
    return (lines[0], lines[1]) if result.returncode == 0 and len(lines) == 2 else None


@functools.cache
def font_file(family: str = FAMILY) -> Path:
    """The font file fontconfig gives for `family`; an error saying how to install it when
    fontconfig would only offer a stand-in of another family."""
    fc = _library()
    match = _match_with_library(fc, family) if fc is not None else _match_with_command(family)
    if match is None or match[0].casefold() != family.casefold() or not Path(match[1]).is_file():
        hint = INSTALL_HINT if family == FAMILY else "install it"
        raise MediaError(f"the font {family!r} is not installed (fontconfig offers {match[0] if match else 'nothing'} instead); {hint}")
    return Path(match[1])
