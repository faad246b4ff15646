"""A real Manim render of a tiny scene: the clip has exactly the planned frames."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np

from tests.helpers import one_scene, plan_of
from tests.render.conftest import color_near
from vidgen.render.still import to_pixel
from vidgen.render.worker import render_scene


def test_clip_has_the_planned_frames_size_and_picture(tmp_path: Path) -> None:
    board = one_scene(
        "v: {vector: [1, 2, 3, 4]}\n",
        "- say: One two three.\n  do: [show: v]\n- say: Four five six.\n  do: [{highlight: 'v[1]', color: red}]\n",
    )
    scene = plan_of(board).scenes[0]
    clip = render_scene(scene, tmp_path / "clip.mp4", tmp_path / "work")
    with av.open(str(clip)) as container:
        stream = container.streams.video[0]
        assert (stream.codec_context.name, stream.width, stream.height, stream.pix_fmt) == ("h264", 854, 480, "yuv420p")
        frames = [frame.to_ndarray(format="rgb24") for frame in container.decode(stream)]
    assert len(frames) == scene.frames
    highlight = next(s for s in scene.slots if s.action.kind == "highlight")
    after = frames[highlight.end + 1]
    # Where is cell 1's top edge? Same layout as the render: place it through a Stage.
    from vidgen.render.stage import Stage
    from vidgen.theme import DARK

    stage = Stage(scene.scene, DARK)
    stage.enter("v")
    top = to_pixel(stage.drawings["v"].parts["cells"][1][0].get_top(), (854, 480))
    red = np.array([0xEB, 0x57, 0x57])
    assert np.abs(color_near(after, top, 1) - red).sum() < 150
    assert np.abs(color_near(frames[highlight.start - 1], top, 1) - red).sum() > 200
    assert not list((tmp_path / "work").iterdir())  # Manim's scratch files are gone
