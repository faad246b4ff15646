"""Loudness to EBU R128 (ITU-R BS.1770): every beat's speech is brought to -16 LUFS with
true peaks under -1 dBTP when it is spoken (and cached), so the finished track needs no
pass of its own. ffmpeg's ebur128 scanner is the independent meter tests check it with.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

TARGET_LUFS = -16.0
TRUE_PEAK_CEILING = -1.0  # dBTP, the delivery limit
LIMIT_DBTP = -2.0  # what the limiter aims for, leaving room for AAC's overshoot
RATE = 48_000

# K-weighting (BS.1770-4): a high shelf, then a high-pass. The standard tabulates both
# filters at 48 kHz only; these are the analogue prototypes those coefficients come from
# (centre frequency, gain, Q), turned into biquads for any rate by the bilinear transform
# with pre-warping. At 48 kHz they give the table's coefficients.
_SHELF_HZ, _SHELF_DB, _SHELF_Q = 1681.974450955533, 3.999843853973347, 0.7071752369554196
_SHELF_BANDPASS_EXPONENT = 0.4996667741545416  # how much of the shelf's gain its mid-band takes
_HIGHPASS_HZ, _HIGHPASS_Q = 38.13547087602444, 0.5003270373238773


def k_weighting(rate: int) -> tuple[tuple[list[float], list[float]], tuple[list[float], list[float]]]:
    """The two biquads (b, a) of the K-weighting filter at `rate` Hz."""
    k = np.tan(np.pi * _SHELF_HZ / rate)
    high = 10 ** (_SHELF_DB / 20)
    band = high**_SHELF_BANDPASS_EXPONENT
    norm = 1 + k / _SHELF_Q + k * k
    shelf = (
        [float((high + band * k / _SHELF_Q + k * k) / norm), float(2 * (k * k - high) / norm), float((high - band * k / _SHELF_Q + k * k) / norm)],
        [1.0, float(2 * (k * k - 1) / norm), float((1 - k / _SHELF_Q + k * k) / norm)],
    )
    k = np.tan(np.pi * _HIGHPASS_HZ / rate)
    norm = 1 + k / _HIGHPASS_Q + k * k
    highpass = ([1.0, -2.0, 1.0], [1.0, float(2 * (k * k - 1) / norm), float((1 - k / _HIGHPASS_Q + k * k) / norm)])
    return shelf, highpass


@dataclass(frozen=True)
class Loudness:
    integrated: float  # LUFS
    true_peak: float  # dBTP
    lra: float = 0.0  # LU


def _filtered(samples: np.ndarray, biquads: tuple[tuple[list[float], list[float]], ...], rate: int) -> np.ndarray:
    """`samples` through the biquads (b, a), as a recursive filter from rest would give them:
    applied in the frequency domain, over zeros long enough for the filters to ring out.
    (NumPy alone: the speech stage runs in every build, and SciPy's signal package takes
    longer to import than a beat takes to speak.)"""
    size = 1 << (len(samples) + rate // 2 - 1).bit_length()
    # Single precision: a gated mean over 400 ms blocks does not notice 1e-7, and it halves the time.
    spectrum = np.fft.rfft(samples.astype(np.float32), size)
    return np.fft.irfft(spectrum * _response(tuple((tuple(b), tuple(a)) for b, a in biquads), size), size)[: len(samples)].astype(np.float64)


@lru_cache(maxsize=8)
def _response(biquads: tuple[tuple[tuple[float, ...], tuple[float, ...]], ...], size: int) -> np.ndarray:
    """The biquads' frequency response at the bins of an FFT of `size` (a normalisation
    measures it three times per beat, mostly at a few sizes)."""
    z = np.exp(-1j * np.linspace(0.0, np.pi, size // 2 + 1))
    response = np.ones_like(z)
    for b, a in biquads:
        response *= (b[0] + b[1] * z + b[2] * z * z) / (a[0] + a[1] * z + a[2] * z * z)
    response = response.astype(np.complex64)
    response.flags.writeable = False
    return response


def integrated_loudness(samples: np.ndarray, rate: int = RATE) -> float:
    """Gated integrated loudness of a mono signal, LUFS (-inf for silence)."""
    weighted = _filtered(samples, k_weighting(rate), rate)
    block, step = round(0.4 * rate), round(0.1 * rate)  # 400 ms blocks, overlapping by 75%
    if len(weighted) < block:
        blocks = np.array([np.mean(weighted**2)]) if len(weighted) else np.array([])
    else:
        squares = np.concatenate([[0.0], np.cumsum(weighted**2)])
        starts = np.arange(0, len(weighted) - block + 1, step)
        blocks = (squares[starts + block] - squares[starts]) / block
    blocks = blocks[blocks > 0]
    if len(blocks) == 0:
        return float("-inf")
    loudness = -0.691 + 10 * np.log10(blocks)
    above_absolute = blocks[loudness > -70.0]
    if len(above_absolute) == 0:
        return float("-inf")
    relative_gate = -0.691 + 10 * np.log10(np.mean(above_absolute)) - 10.0
    gated = above_absolute[-0.691 + 10 * np.log10(above_absolute) > relative_gate]
    return float(-0.691 + 10 * np.log10(np.mean(gated)))


TRUE_PEAK_MARGIN = 256  # samples of context on each side of a block
TRUE_PEAK_BLOCK = (1 << 15) - 2 * TRUE_PEAK_MARGIN  # samples oversampled at once: with its context, a power of two


def true_peak(samples: np.ndarray) -> float:
    """Peak of the signal oversampled 4x (band-limited interpolation), dBTP."""
    if len(samples) == 0:
        return float("-inf")
    peak = float(np.max(true_peak_envelope(samples)))
    return 20 * np.log10(peak) if peak > 0 else float("-inf")


def true_peak_envelope(samples: np.ndarray) -> np.ndarray:
    """For each sample, the largest magnitude of the signal oversampled 4x (band-limited
    interpolation) from it to the next. Block by block, each with some context around it, so
    that a long track's FFTs stay small."""
    signal = np.concatenate([np.zeros(TRUE_PEAK_MARGIN, np.float32), samples.astype(np.float32), np.zeros(TRUE_PEAK_MARGIN, np.float32)])
    envelope = []
    for start in range(TRUE_PEAK_MARGIN, len(signal) - TRUE_PEAK_MARGIN, TRUE_PEAK_BLOCK):
        piece = signal[start - TRUE_PEAK_MARGIN : start + TRUE_PEAK_BLOCK + TRUE_PEAK_MARGIN]
        size = 1 << (len(piece) - 1).bit_length()
        fine = np.fft.irfft(np.fft.rfft(piece, size), 4 * size) * 4
        inner = fine[4 * TRUE_PEAK_MARGIN : 4 * (len(piece) - TRUE_PEAK_MARGIN)]
        envelope.append(np.abs(inner).reshape(-1, 4).max(axis=1))
    return np.concatenate(envelope) if envelope else np.zeros(0, np.float32)


def true_peak_near(samples: np.ndarray, centres: np.ndarray, reach: int) -> float:
    """The true peak (dBTP) of `samples` within `reach` samples of each of `centres`. Each
    stretch is oversampled with TRUE_PEAK_MARGIN samples of context on both sides, and only
    its middle kept: a stretch cut out of a loud signal rings at its cut edges, not in its middle."""
    span = reach + TRUE_PEAK_MARGIN
    padded = np.pad(samples.astype(np.float32), span)
    peak = max((float(np.max(true_peak_envelope(padded[centre : centre + 2 * span])[TRUE_PEAK_MARGIN:-TRUE_PEAK_MARGIN])) for centre in centres), default=0.0)
    return 20 * np.log10(peak) if peak > 0 else float("-inf")


def running_max(values: np.ndarray, size: int) -> np.ndarray:
    """The maximum over a window of `size` samples centred on each sample (van Herk's
    method: block-wise running maxima forwards and backwards, O(n))."""
    half = size // 2
    padded = np.concatenate([np.full(half, -np.inf), values, np.full(size - half - 1 + (-(len(values) + size - 1) % size), -np.inf)])
    blocks = padded.reshape(-1, size)
    forward = np.maximum.accumulate(blocks, axis=1).ravel()
    backward = np.maximum.accumulate(blocks[:, ::-1], axis=1)[:, ::-1].ravel()
    count = len(values)
    return np.maximum(backward[:count], forward[size - 1 : size - 1 + count])


def running_mean(values: np.ndarray, size: int) -> np.ndarray:
    """The mean over a window of `size` samples centred on each sample (edges held)."""
    padded = np.concatenate([np.full(size // 2, values[0]), values, np.full(size - size // 2 - 1, values[-1])])
    sums = np.concatenate([[0.0], np.cumsum(padded, dtype=np.float64)])
    return (sums[size:] - sums[:-size]) / size


def limit_peaks(samples: np.ndarray, ceiling_db: float, rate: int = RATE, guide: np.ndarray | None = None) -> np.ndarray:
    """A look-ahead peak limiter: gain dips smoothly (over ~5 ms) around each peak. `guide`
    (as long as `samples`) says where the peaks are and how high, instead of the samples."""
    ceiling = 10 ** (ceiling_db / 20)
    width = max(3, int(0.005 * rate))
    envelope = running_max(np.abs(samples if guide is None else guide).astype(np.float64), 2 * width + 1)
    gain = np.minimum(1.0, ceiling / np.maximum(envelope, 1e-12))
    # The max filter is twice the smoothing window, so the smoothed gain still covers each peak.
    return (samples * running_mean(gain, width)).astype(np.float32)


def normalize_speech(samples: np.ndarray, rate: int = RATE) -> np.ndarray:
    """`samples` at TARGET_LUFS (within a few hundredths of a LU), true peaks at most LIMIT_DBTP.

    Loudness scales with gain, so it is measured once before and once after limiting; the
    limiter aims a little under the ceiling, by how much the loudness it takes away will be
    given back, so one pass usually does. (Measuring is most of the speech stage's own time.)"""
    loudness = integrated_loudness(samples, rate)
    if loudness == float("-inf"):
        return samples
    out = (samples * 10 ** ((TARGET_LUFS - loudness) / 20)).astype(np.float32)
    lost = 0.0  # dB of loudness the last limiting took away
    for _ in range(3):
        peak = true_peak(out)
        if peak <= LIMIT_DBTP:
            return out
        overshoot = peak - 20 * np.log10(np.max(np.abs(out)) + 1e-12)  # between samples, above the highest
        limited = limit_peaks(out, LIMIT_DBTP - overshoot - lost - 0.1, rate)
        lost = TARGET_LUFS - integrated_loudness(limited, rate)
        out = (limited * 10 ** (lost / 20)).astype(np.float32)
    peak = true_peak(out)
    if peak > LIMIT_DBTP:  # a last pass without re-raising the gain: peaks win over a tenth of a LU
        out = limit_peaks(out, LIMIT_DBTP - (peak - 20 * np.log10(np.max(np.abs(out)) + 1e-12)) - 0.2, rate)
    return out


def measure_loudness(path: Path) -> Loudness:
    """Loudness of a media file as ffmpeg's EBU R128 scanner reports it."""
    from vidgen.media.ffmpeg import run_ffmpeg

    log = run_ffmpeg(["-i", str(path), "-af", "ebur128=peak=true", "-f", "null", "-"], what="measuring loudness")
    summary = log[log.rfind("Summary:") :]

    def number(pattern: str) -> float:
        match = re.search(pattern, summary)
        return float(match.group(1)) if match and match.group(1) != "-inf" else float("-inf")

    return Loudness(number(r"I:\s+(-?[\d.]+|-inf)"), number(r"True peak:\s+Peak:\s+(-?[\d.]+|-inf)"), number(r"LRA:\s+(-?[\d.]+|-inf)"))
