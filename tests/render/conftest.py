from __future__ import annotations

from typing import Any

import numpy as np


def ink(image: Any, background: str) -> np.ndarray:
    """Mask of pixels that differ clearly from the background colour."""
    pixels = np.asarray(image).astype(int)
    bg = np.array([int(background[i : i + 2], 16) for i in (1, 3, 5)])
    return np.abs(pixels - bg).sum(axis=2) > 60


def color_near(image: Any, xy: tuple[int, int], radius: int = 3) -> np.ndarray:
    """Mean colour of a small square around a pixel."""
    pixels = np.asarray(image).astype(float)
    x, y = xy
    return pixels[y - radius : y + radius + 1, x - radius : x + radius + 1].reshape(-1, 3).mean(axis=0)
