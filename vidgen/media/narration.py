"""The narration track: every beat's speech at its place on the video's clock."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Sequence
from typing import Any
from pathlib import Path

import numpy as np

from vidgen.paths import temp_beside
from vidgen.speech.audio import RATE, fade_edges, read_audio, write_wav

BITRATE = "160k"
MIX_FORMAT = 1  # bump when mix() would make other samples from the same WAVs
ENCODER = f"aac (FFmpeg's, in PyAV, fast coder) {BITRATE} {RATE} Hz mono"  # a scene's sound is kept by it


def assemble_narration(placements: Sequence[tuple[Path, float]], total: float, out: Path, music: Any = None) -> Path:
    """Mix each WAV in at its start (sample-exact) into `total` seconds, with the music
    bed under it when the storyboard has one.

    Beats arrive loudness-normalised from the speech stage and never overlap, so the
    narration is already at its target level and cannot clip; music is kept under it."""
    track = mix([(wav, int(round(start * RATE))) for wav, start in placements], int(round(total * RATE)))
    if music is not None:
        from vidgen.media.loudness import LIMIT_DBTP, TARGET_LUFS, integrated_loudness, limit_peaks, true_peak
        from vidgen.media.music import music_bed

        track = track + music_bed(Path(music.file), track, music.volume, music.duck, music.fade)
        # Music between the words counts towards loudness too: bring the mix back to target.
        track = track * 10 ** ((TARGET_LUFS - integrated_loudness(track)) / 20)
        if true_peak(track) > LIMIT_DBTP:
            track = limit_peaks(track, LIMIT_DBTP - 0.5)
    return write_wav(out, track)


def mix(placements: Sequence[tuple[Path, int]], length: int) -> np.ndarray:
    """`length` samples with each WAV in at its first sample, its edges faded."""
    track = np.zeros(length, np.float32)
    for wav, first in placements:
        samples = fade_edges(read_audio(wav))
        last = min(len(track), first + len(samples))
        if last > first:
            track[first:last] += samples[: last - first]
    return track


def encode_in_pieces(
    pieces: Sequence[tuple[np.ndarray | Callable[[], np.ndarray], int]], total: int, out: Path, cache: Path, sources: Sequence[str] | None = None
) -> Path | None:
    """The narration as AAC from pieces of samples (or functions that make them), each with
    the sample it starts at: each piece is encoded once, kept in `cache`, and joined to the
    others by packet copy (vidgen.media.aac_join), so an edit re-encodes the pieces it
    changed. A piece is kept by what its samples are made from, `sources` (then a kept piece
    is not even made: a scene's sound is not mixed again for an edit elsewhere), or else by
    its samples. None when a piece but the last does not end in silence: then the track is
    encoded whole."""
    import hashlib
    import json

    from vidgen.cache import entry_lock, touch
    from vidgen.identity import sidecar, write_identity
    from vidgen.media.aac_join import PACKET, join_pieces, joinable

    encoded = []
    for number, (samples, start) in enumerate(pieces):
        last = number == len(pieces) - 1
        entry = cache / f"{hashlib.sha256((sources[number] + ENCODER).encode()).hexdigest()[:32]}.m4a" if sources else None
        try:
            kept = entry is not None and bool(json.loads(sidecar(entry).read_text())["identity"]["joinable"] or last) and entry.exists()
        except (OSError, ValueError, KeyError, TypeError):
            kept = False
        if not kept:
            samples = samples() if callable(samples) else samples
            ends_in_silence = joinable(samples)
            if not last and not ends_in_silence:
                return None
            # A packet of silence more: the last piece may need one past its own end (join_pieces).
            pcm = np.concatenate([samples, np.zeros(PACKET, np.float32)])
            key = hashlib.sha256(pcm.tobytes() + ENCODER.encode()).hexdigest()[:32]
            entry = entry or cache / f"{key}.m4a"
            with entry_lock(entry):
                if not entry.exists() or sources:
                    started = time.perf_counter()
                    encode_samples(pcm, entry)
                    identity = {"kind": "narration", "sound": key, "seconds": round(len(samples) / RATE, 3), "encoder": ENCODER, "joinable": ends_in_silence}
                    write_identity(entry, identity, made=time.strftime("%Y-%m-%dT%H:%M:%S"), took=round(time.perf_counter() - started, 3))
        assert entry is not None
        touch(entry)
        encoded.append((entry, start))
    try:
        return join_pieces(encoded, total, out)
    except ValueError:  # an encoder that primes otherwise than ffmpeg's own: the track whole, then
        return None


def encode_aac(wav: Path, out: Path, bitrate: str = BITRATE) -> Path:
    """The narration in `wav` as AAC (see encode_samples)."""
    return encode_samples(read_audio(wav), out, bitrate)


def encode_samples(samples: np.ndarray, out: Path, bitrate: str = BITRATE) -> Path:
    """Narration samples as AAC, its true peaks within the delivery ceiling. Beats are limited
    below it with room for the encoder's overshoot; speech voices vary from one synthesis
    to the next, and now and then a peak overshoots by more than that room: then the track
    goes in again, turned down where, and only where, the encoded track went over (turning it
    all down cost the autoencoder's narration 1.1 LU for one 0.9 dB overshoot)."""
    from vidgen.media.loudness import TRUE_PEAK_CEILING, limit_peaks, true_peak_envelope

    temp = temp_beside(out)
    try:
        for _ in range(3):
            _write_aac(samples, temp, bitrate)
            encoded = read_audio(temp)
            if loudest_peak(encoded) <= TRUE_PEAK_CEILING:
                break
            # The decoded track lines up with the narration sample for sample: its true peaks
            # say where the narration must come down, and by how much.
            guide = true_peak_envelope(np.pad(encoded[: len(samples)], (0, max(0, len(samples) - len(encoded)))))
            samples = limit_peaks(samples, TRUE_PEAK_CEILING - 0.3, guide=guide)
        os.replace(temp, out)
    finally:
        temp.unlink(missing_ok=True)
    return out


def _write_aac(samples: np.ndarray, out: Path, bitrate: str) -> None:
    """FFmpeg's own AAC encoder, in this process (PyAV): a scene's sound in 0.1 s, where
    starting the ffmpeg program took 0.25-0.4 s. Its "fast" coder is 3x quicker than the
    default search and indistinguishable for speech at this rate."""
    import av

    from vidgen.errors import MediaError

    try:
        with av.open(str(out), "w") as container:
            stream = container.add_stream("aac", rate=RATE, options={"aac_coder": "fast"})
            stream.bit_rate = int(bitrate.removesuffix("k")) * 1000
            stream.layout = "mono"
            frame = av.AudioFrame.from_ndarray(np.ascontiguousarray(samples, np.float32)[None, :], format="flt", layout="mono")
            frame.rate, frame.pts = RATE, 0
            for packet in [*stream.encode(frame), *stream.encode(None)]:
                container.mux(packet)
    except (OSError, av.FFmpegError) as error:  # a full disk, a folder that cannot be written
        raise MediaError(f"encoding the narration failed: {error}") from None


def loudest_peak(samples: np.ndarray, candidates: int = 64, window: int = 256) -> float:
    """The true peak (dBTP, 4x oversampled) of a long track, looked for only around its
    largest samples: an inter-sample peak sits beside a large sample, and oversampling a
    few short stretches is far quicker than the whole track."""
    from vidgen.media.loudness import true_peak, true_peak_near

    if len(samples) <= 2 * window * candidates:
        return true_peak(samples)
    blocks = np.abs(samples[: len(samples) // window * window]).reshape(-1, window).max(axis=1)
    loudest = np.sort(np.argpartition(blocks, -candidates)[-candidates:]) * window + window // 2
    return true_peak_near(samples, loudest, window)
