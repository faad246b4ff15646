"""AAC pieces encoded on their own, joined by packet copy into one track.

An AAC encoder starts every stream with one packet of priming (the MDCT's overlap) and ends
it on a whole packet of 1024 samples, so pieces cannot simply follow each other: each would
arrive 1024 samples late and leave padding behind. Placed by packet instead, each piece's
priming packet takes the place of the last packet of the piece before it, and each piece's
first sample lands on the packet boundary nearest its start on the video's clock (within
half a packet, 10.7 ms at 48 kHz, never accumulating). What a piece loses at its end, up
to two packets, and the overlap into the next priming packet, must be silence: `joinable`
says whether a piece's samples allow it.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from fractions import Fraction
from pathlib import Path

import numpy as np

from vidgen.paths import temp_beside

PACKET = 1024  # samples in one AAC-LC packet
QUIET_TAIL = 4 * PACKET  # samples at a piece's end that must be silence: dropped, and overlapped
QUIET_LEVEL = 10 ** (-60 / 20)  # -60 dBFS: a fade's last steps, not a word


def joinable(samples: np.ndarray) -> bool:
    """Whether a piece of these samples may be cut short at a join (its end is silence)."""
    return len(samples) >= QUIET_TAIL and float(np.max(np.abs(samples[-QUIET_TAIL:]))) < QUIET_LEVEL


def join_pieces(pieces: Sequence[tuple[Path, int]], total: int, out: Path) -> Path:
    """One AAC track of `total` samples from encoded pieces, each given with the sample it
    starts at (the first at 0, the rest increasing); written atomically. ValueError when a
    piece is not shaped as ffmpeg's AAC encoder makes them (one packet of priming)."""
    import av

    if not pieces or pieces[0][1] != 0:
        raise ValueError("the first piece must start at 0")
    # Piece k's first sample plays at packet boundary slots[k]; its priming packet one before.
    slots = [round(start / PACKET) for _, start in pieces] + [-(-total // PACKET)]
    temp = temp_beside(out)
    try:
        with av.open(str(temp), "w", format="mp4") as joined:
            stream = None
            for number, (piece, _) in enumerate(pieces):
                with av.open(str(piece)) as source:
                    audio = source.streams.audio[0]
                    if stream is None:
                        stream = joined.add_stream_from_template(audio)
                    wanted = slots[number + 1] - slots[number] + (1 if number == len(pieces) - 1 else 0)
                    packets = [packet for packet in source.demux(audio) if packet.size]
                    if len(packets) < wanted or packets[0].pts != -PACKET or audio.time_base != Fraction(1, audio.sample_rate):
                        raise ValueError(f"{piece.name} is not one priming packet and {wanted - 1} more of {PACKET} samples")
                    for index, packet in enumerate(packets[:wanted]):
                        packet.pts = packet.dts = (slots[number] - 1 + index) * PACKET
                        packet.duration = PACKET
                        packet.stream = stream
                        if number == len(pieces) - 1 and index == wanted - 1:
                            packet.duration = total - packet.pts  # the track ends where the video does
                        joined.mux(packet)
        os.replace(temp, out)
    finally:
        temp.unlink(missing_ok=True)
    return out
