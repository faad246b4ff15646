"""Audio as numpy: decode anything to 48 kHz mono, trim, join without clicks, measure,
and refuse silence that pretends to be speech."""

from __future__ import annotations

import os
import wave
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from vidgen.errors import SpeechError
from vidgen.paths import make_temp

RATE = 48_000
FADE = 0.005  # seconds: a 5 ms ramp at every seam removes the click of a cut waveform
MIN_SPEECH_SECONDS = 0.1
SILENCE_DBFS = -50.0
NOISE_FLATNESS = 0.3  # speech measures below 0.01, white noise about 0.56


def _read_own_wav(path: Path) -> np.ndarray | None:
    """Our own WAVs (16-bit mono 48 kHz) read directly; None for anything else."""
    try:
        with wave.open(str(path), "rb") as wav:
            if (wav.getnchannels(), wav.getsampwidth(), wav.getframerate()) != (1, 2, RATE):
                return None
            data = wav.readframes(wav.getnframes())
    except (wave.Error, EOFError, OSError):
        return None
    return np.frombuffer(data[: len(data) // 2 * 2], "<i2").astype(np.float32) / 32767.0


def read_audio(path: Path) -> np.ndarray:
    """Any audio file (WAV, MP3…) as float32 mono samples at 48 kHz."""
    import av

    own = _read_own_wav(path) if path.suffix.lower() == ".wav" else None
    if own is not None:
        return own

    try:
        with av.open(str(path)) as container:
            if not container.streams.audio:
                raise SpeechError(f"{path.name} has no audio stream")
            stream = container.streams.audio[0]
            # Already float mono at 48 kHz (vidgen's own AAC): taken as decoded, twice as fast.
            if stream.format.name in ("flt", "fltp") and len(stream.layout.channels) == 1 and stream.rate == RATE:
                chunks = [frame.to_ndarray().reshape(-1) for frame in container.decode(stream)]
            else:
                resampler = av.AudioResampler(format="flt", layout="mono", rate=RATE)
                chunks = [out.to_ndarray().reshape(-1) for frame in container.decode(stream) for out in resampler.resample(frame)]
                chunks += [out.to_ndarray().reshape(-1) for out in resampler.resample(None)]
    except SpeechError:
        raise
    except Exception as error:  # PyAV raises many kinds for corrupt input
        raise SpeechError(f"cannot decode {path.name}: {error}") from None
    return np.concatenate(chunks).astype(np.float32) if chunks else np.zeros(0, np.float32)


def write_wav(path: Path, samples: np.ndarray, rate: int = RATE) -> Path:
    """16-bit mono WAV, written to a temporary name and renamed into place."""
    pcm = (np.clip(samples, -1.0, 1.0) * 32767.0).round().astype("<i2")
    temp = make_temp(path)
    try:
        with wave.open(str(temp), "wb") as out:
            out.setnchannels(1)
            out.setsampwidth(2)
            out.setframerate(rate)
            out.writeframes(pcm.tobytes())
        os.replace(temp, path)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    return path


def duration(samples: np.ndarray, rate: int = RATE) -> float:
    return len(samples) / rate


def rms_db(samples: np.ndarray) -> float:
    if len(samples) == 0:
        return -float("inf")
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64))))
    return 20 * np.log10(rms) if rms > 0 else -float("inf")


def speech_bounds(samples: np.ndarray, rate: int = RATE, threshold_db: float = -45.0, keep: float = 0.04) -> tuple[int, int]:
    """Sample range from the first to the last sound, plus `keep` seconds each side so
    soft consonants are not clipped; (0, 0) for silence."""
    window = max(1, int(0.01 * rate))
    frames = len(samples) // window
    if frames == 0:
        return (0, len(samples))
    energy = np.sqrt(np.mean(np.square(samples[: frames * window].reshape(frames, window)), axis=1))
    loud = np.nonzero(energy > 10 ** (threshold_db / 20))[0]
    if len(loud) == 0:
        return (0, 0)
    margin = int(keep * rate)
    return max(0, loud[0] * window - margin), min(len(samples), (loud[-1] + 1) * window + margin)


def trim_silence(samples: np.ndarray, rate: int = RATE) -> np.ndarray:
    start, end = speech_bounds(samples, rate)
    return samples[start:end]


def fade_edges(samples: np.ndarray, rate: int = RATE, seconds: float = FADE) -> np.ndarray:
    n = min(len(samples) // 2, int(seconds * rate))
    if n == 0:
        return samples
    out = samples.copy()
    ramp = np.linspace(0.0, 1.0, n, dtype=np.float32)
    out[:n] *= ramp
    out[-n:] *= ramp[::-1]
    return out


def silence(seconds: float, rate: int = RATE) -> np.ndarray:
    return np.zeros(max(0, int(round(seconds * rate))), np.float32)


def join(pieces: Sequence[np.ndarray], gaps: Sequence[float], rate: int = RATE) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """Pieces separated by `gaps` seconds (one fewer than pieces), each with faded edges.

    Returns the joined samples and each piece's (start, end) in seconds.
    """
    out: list[np.ndarray] = []
    spans = []
    position = 0
    for index, piece in enumerate(pieces):
        if index:
            gap = silence(gaps[index - 1], rate)
            out.append(gap)
            position += len(gap)
        faded = fade_edges(piece.astype(np.float32), rate)
        spans.append((position / rate, (position + len(faded)) / rate))
        out.append(faded)
        position += len(faded)
    return (np.concatenate(out) if out else np.zeros(0, np.float32)), spans


def check_speech(samples: np.ndarray, what: str) -> None:
    """Refuse empty, too short or silent audio: it must never count as speech."""
    if len(samples) == 0:
        raise SpeechError(f"{what}: no audio")
    if duration(samples) < MIN_SPEECH_SECONDS:
        raise SpeechError(f"{what}: only {duration(samples) * 1000:.0f} ms of audio")
    if rms_db(samples) < SILENCE_DBFS:
        raise SpeechError(f"{what}: the audio is silent")
    if noise_likeness(samples) > NOISE_FLATNESS:
        raise SpeechError(f"{what}: the audio is noise, not speech")


def noise_likeness(samples: np.ndarray, rate: int = RATE) -> float:
    """The median spectral flatness of the audible frames: about 0.56 for white noise (what
    bytes of the wrong format sound like), near 0 for a voice, whose energy sits in harmonics."""
    size = 2048
    starts = range(0, max(0, len(samples) - size), size)
    step = max(1, len(starts) // 64)  # a sample of frames is enough
    window = np.hanning(size)
    values = []
    for start in starts[::step]:
        frame = samples[start : start + size]
        if np.sqrt(np.mean(frame**2)) < 0.01:
            continue
        power = np.abs(np.fft.rfft(frame * window)) ** 2 + 1e-12
        values.append(float(np.exp(np.mean(np.log(power))) / np.mean(power)))
    return float(np.median(values)) if values else 0.0
