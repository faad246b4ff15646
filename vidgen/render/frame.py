"""The frame's geometry in Manim units (16:9, 8 units tall) and its safe area."""

from __future__ import annotations

FRAME_HEIGHT = 8.0
FRAME_WIDTH = FRAME_HEIGHT * 16 / 9
SAFE_MARGIN = 0.5  # nothing may come closer than this to the frame's edge
HALF_WIDTH = FRAME_WIDTH / 2 - SAFE_MARGIN
HALF_HEIGHT = FRAME_HEIGHT / 2 - SAFE_MARGIN
GAP = 0.45  # default distance between an element and the one it is placed next to
