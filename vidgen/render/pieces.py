"""A beat segment's pieces: each of its plays and holds, kept so that a retimed beat is
put together again instead of drawn again.

A narration edit changes how long its beat lasts. The beat's actions mostly keep their run
(an action grows with the room it has only up to its longest run), so what changes is how
long the picture holds between them. A piece is one partial movie of a segment, named by
what leads to it: the segment's pictures (the scene, the actions before and in the beat, not
the timing) and the steps of the beat before it and its own, where a play's step counts its
frames and a hold's does not. A kept play is used as it is; a kept hold is written again at
the length wanted, from its first picture and frames that skip every macroblock
(vidgen.render.skip_frames), without drawing or encoding anything. Beside the pieces, what
drawing the beat told (each action's animations, whether anything was on screen for the
closing fade) is noted, so that the beat can be put together without Manim at all
(vidgen.render.assembly).
"""

from __future__ import annotations

import copy
import json
import os
import shutil
from fractions import Fraction
from pathlib import Path
from typing import Any

from vidgen.cache import touch
from vidgen.identity import digest
from vidgen.paths import temp_beside, write_json
from vidgen.render.skip_frames import Unsupported, mux_skipped, stream_params

# What a segment's identity holds that only times it: left out of its pieces' names.
TIMING = ("frames", "slots", "outro")


class Pieces:
    """The kept pieces of one segment, named step by step as the segment is played."""

    def __init__(self, folder: Path, identity: dict[str, Any]) -> None:
        self.folder = folder
        self.base = digest({key: value for key, value in identity.items() if key not in TIMING})
        self.steps: list[Any] = []
        self.reused = self.drawn = 0  # pieces taken from the cache, and pieces drawn (counted by the scene)

    def next(self, kind: str, slot: int | None, asked: int | None, frames: int | None, classes: list[str]) -> Path:
        """The piece that a step makes after the plays before it: a `play` or `jump` of the
        animations named `classes` over `frames` frames, in slot `slot` (None: before the
        beat's first) asked to fill `asked` frames, or a `hold`. A hold leaves the picture as
        it found it, so the steps after it do not count it, and two holds in a row show the
        same piece."""
        step = [kind, slot, asked, frames, classes]
        if kind == "hold":
            return self.folder / f"{digest([self.base, self.steps, step])[:32]}.mp4"
        self.steps.append(step)
        return self.folder / f"{digest([self.base, self.steps])[:32]}.mp4"

    def afresh(self) -> Pieces:
        """The same pictures' pieces, named from the beat's first step again, none counted."""
        other = copy.copy(self)
        other.steps, other.reused, other.drawn = [], 0, 0
        return other

    @property
    def _notes(self) -> Path:
        return self.folder / f"{self.base[:32]}.steps.json"

    def note(self, animated: dict[int, list[str]], showing: bool | None) -> None:
        """Keep what drawing the beat told: each of its slots' animations (class names, by
        slot index) and whether anything was on screen for the closing fade. They do not
        depend on the beat's timing (an action's animations depend on the picture, which the
        pieces' names hold, and on its run, which a play's step holds)."""
        write_json(self._notes, {"animated": {str(index): names for index, names in animated.items()}, "showing": showing})

    def noted(self) -> tuple[dict[int, list[str]], bool | None] | None:
        """What `note` kept for these pictures, or None."""
        try:
            data = json.loads(self._notes.read_text())
            noted = {int(index): [str(name) for name in names] for index, names in data["animated"].items()}, data["showing"]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            return None
        touch(self._notes)  # `cache prune --older-than` keeps them with their pieces
        return noted

    @staticmethod
    def found(piece: Path) -> bool:
        if piece.exists():
            touch(piece)  # `cache prune --older-than` keeps what builds still use
            return True
        return False

    @staticmethod
    def keep(partial_movie: Path, piece: Path) -> None:
        """Keep a partial movie Manim just wrote as `piece` (linked when it can be: the
        partial movie is thrown away with the render's scratch folder)."""
        if piece.exists() or not partial_movie.exists():
            return
        piece.parent.mkdir(parents=True, exist_ok=True)
        temp = temp_beside(piece)
        try:
            os.link(partial_movie, temp)
        except OSError:
            shutil.copyfile(partial_movie, temp)
        os.replace(temp, piece)


def retime_hold(piece: Path, target: Path, frames: int, fps: int) -> None:
    """Write `target`: the held picture of `piece` for `frames` frames. Raises Unsupported
    when `piece` is not H.264 opening with a key frame (the hold is then drawn again)."""
    import av

    with av.open(str(piece)) as source:
        stream = source.streams.video[0]
        if stream.codec_context.name != "h264":
            raise Unsupported(f"{stream.codec_context.name} holds are drawn, not written")
        first = next((packet for packet in source.demux(stream) if packet.dts is not None), None)
        if first is None or not first.is_keyframe or first.pts is None:
            raise Unsupported("the kept hold does not open with a key frame")
        extradata = bytes(stream.codec_context.extradata or b"")
        params = stream_params(extradata or bytes(first))
        # Read back from MP4, the stream is in avcC form: each unit after its length, not
        # after a start code (the muxer converts only a stream that came in Annex B form).
        length_size = (extradata[4] & 3) + 1 if extradata[:1] == b"\x01" else 0
        temp = temp_beside(target)
        with av.open(str(temp), "w", format="mp4") as out:
            copy = out.add_stream_from_template(template=stream)
            first.stream = copy
            out.mux(first)
            mux_skipped(out, copy, first, frames, Fraction(1, fps) / first.time_base, params, length_size)
    os.replace(temp, target)


def frame_of(piece: Path, index: int) -> Any:
    """Frame `index` of `piece`, decoded, as the RGBA array Manim would have drawn."""
    import av

    with av.open(str(piece)) as source:
        for number, frame in enumerate(source.decode(video=0)):
            if number == index:
                return frame.to_ndarray(format="rgba")
    raise ValueError(f"{piece} has no frame {index}")
