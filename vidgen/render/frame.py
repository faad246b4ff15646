"""The frame's geometry in Manim units (16:9, 8 units tall) and its safe area."""

from __future__ import annotations

FRAME_HEIGHT = 8.0
FRAME_WIDTH = FRAME_HEIGHT * 16 / 9
SAFE_MARGIN = 0.5  # nothing may come closer than this to the frame's edge
HALF_WIDTH = FRAME_WIDTH / 2 - SAFE_MARGIN
HALF_HEIGHT = FRAME_HEIGHT / 2 - SAFE_MARGIN
# Ink past a path's edge: the anti-aliased half pixel a glyph colours beside it (at 854 x 480,
# the lowest quality), and, once encoded, the faint fringe a bright glyph leaves in the rows
# above and below it (H.264 4:2:0: one to three pixels at 480p). The layout keeps paths this
# far inside the safe area (vidgen.layout.dock), so a superscript at `top` stays clear of its
# edge; across, only the half pixel (drafts that fill the width exactly would no longer fit).
# The check measures paths grown by EDGE_BLUR against the edge itself (vidgen.render.check);
# a stroke's outer half (a box's frame: 0.02) is the hair it still allows.
EDGE_BLUR = FRAME_WIDTH / 854 / 2
INK_ROOM_ACROSS = 0.009  # >= EDGE_BLUR
INK_ROOM_UP = 0.035  # two pixel rows at 480p
GAP = 0.45  # default distance between an element and the one it is placed next to
