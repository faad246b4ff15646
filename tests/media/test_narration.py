"""The narration track: every beat at its sample, loud enough, never clipped."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.media.conftest import tone
from vidgen.media.loudness import integrated_loudness, measure_loudness, normalize_speech, true_peak
from vidgen.media.narration import assemble_narration, encode_aac, encode_in_pieces, loudest_peak
from vidgen.identity import read_identity
from vidgen.media.probe import probe
from vidgen.speech.audio import RATE, read_audio, write_wav


def test_beats_land_on_their_samples_and_the_track_has_the_exact_length(tmp_path: Path, speech_wav: Path) -> None:
    out = assemble_narration([(speech_wav, 0.5), (speech_wav, 1.25)], 2.5, tmp_path / "n.wav")
    samples = read_audio(out)
    assert len(samples) == int(2.5 * RATE)
    onsets = np.nonzero(np.abs(samples) > 0.01)[0]
    assert abs(onsets[0] / RATE - 0.5) < 0.001
    second = onsets[onsets > int(1.1 * RATE)][0]
    assert abs(second / RATE - 1.25) < 0.001


def test_the_numpy_meter_agrees_with_ffmpeg(tmp_path: Path) -> None:
    rng = np.random.default_rng(1)
    speechy = (tone(3.0, 0.2, 180) * (0.5 + 0.5 * np.sin(np.arange(3 * RATE) / RATE * 2 * np.pi * 3)) + rng.normal(0, 0.01, 3 * RATE)).astype(np.float32)
    path = write_wav(tmp_path / "s.wav", speechy)
    reference = measure_loudness(path)
    assert integrated_loudness(read_audio(path)) == pytest.approx(reference.integrated, abs=0.2)


def test_speech_is_normalised_to_minus_16_lufs_under_minus_1_dbtp(tmp_path: Path) -> None:
    loud = np.clip(tone(4.0, 0.9, 200) + tone(4.0, 0.5, 3000), -1, 1)  # hot and peaky
    quiet = tone(4.0, 0.01, 300)
    for signal in (loud, quiet):
        normalised = normalize_speech(signal)
        path = write_wav(tmp_path / "n.wav", normalised)
        measured = measure_loudness(path)
        assert measured.integrated == pytest.approx(-16.0, abs=1.0)
        # Limiting takes loudness away; what it took is given back without new peaks.
        assert integrated_loudness(normalised) == pytest.approx(-16.0, abs=0.1)
        assert measured.true_peak <= -1.0
        assert np.max(np.abs(normalised)) < 1.0
        assert true_peak(normalised) <= -1.0


def _speechy(rate: int, seconds: float = 6.0) -> np.ndarray:
    """Voiced speech, roughly: harmonics of 140 Hz shaped by formants near 800 and 1200 Hz
    (where a K-weighting made for the wrong rate errs most) and a little breath noise, in
    syllables at ~4 Hz, with loud, quiet and silent phrases (so both gates matter)."""
    rng = np.random.default_rng(rate)
    t = np.arange(int(seconds * rate)) / rate
    voiced = sum(
        (np.exp(-(((140 * k - 800) / 300) ** 2)) + 0.7 * np.exp(-(((140 * k - 1200) / 300) ** 2)) + 0.02) * np.sin(2 * np.pi * 140 * k * t + k)
        for k in range(1, int(rate / 2 / 140))
    )
    signal = voiced + 0.05 * rng.normal(0, 1, len(t))
    syllables = np.sin(np.pi * 4 * t) ** 2
    phrases = np.where(t < seconds / 3, 1.0, np.where(t < seconds / 2, 0.0, 0.2))
    signal = signal * syllables * phrases
    return (0.3 * signal / np.max(np.abs(signal))).astype(np.float32)


@pytest.mark.parametrize("rate", [22_050, 24_000, 44_100, 48_000])
def test_the_numpy_meter_agrees_with_ffmpeg_at_any_sample_rate(tmp_path: Path, rate: int) -> None:
    """BS.1770's K-weighting derived for the rate, not the 48 kHz table: within 0.15 LU of
    ffmpeg's ebur128 (imageio-ffmpeg's binary, which prints one decimal) at each rate. (The
    48 kHz table used at 22.05 kHz reads this signal 2.2 LU too loud, at 44.1 kHz 0.23.)"""
    from scipy.io import wavfile

    samples = _speechy(rate)
    path = tmp_path / f"speech-{rate}.wav"
    wavfile.write(path, rate, samples)
    reference = measure_loudness(path)
    assert -40 < reference.integrated < -10
    assert integrated_loudness(samples, rate) == pytest.approx(reference.integrated, abs=0.15)


def test_the_encoded_narration_keeps_under_the_true_peak_ceiling(tmp_path: Path) -> None:
    # Square-ish bursts overshoot when encoded; this track's samples already reach -0.5 dBFS.
    rng = np.random.default_rng(7)
    track = np.zeros(RATE * 4, np.float32)
    for start in range(0, len(track) - RATE // 4, RATE // 2):
        burst = np.sign(np.sin(np.linspace(0, 400 * np.pi, RATE // 4))) * 0.94 + rng.normal(0, 0.01, RATE // 4)
        track[start : start + RATE // 4] = burst
    wav = write_wav(tmp_path / "narration.wav", track)
    assert loudest_peak(read_audio(wav)) > -1.0
    encoded = encode_aac(wav, tmp_path / "narration.m4a")
    reported = measure_loudness(encoded).true_peak
    assert reported <= -1.0
    assert loudest_peak(read_audio(encoded)) >= reported - 0.2  # our meter is never the more lenient


def test_the_long_track_meter_agrees_with_the_whole_track_meter() -> None:
    # Speech-like: loud voiced stretches, each cut off mid-wave. Looking near the loudest
    # samples must find the whole track's true peak, not ringing from where it cut them out.
    rng = np.random.default_rng(3)
    time = np.arange(RATE * 6) / RATE
    voiced = np.sin(2 * np.pi * 180 * time) * 0.5 + np.sin(2 * np.pi * 2300 * time + 1.0) * 0.25 + rng.normal(0, 0.02, len(time))
    track = (voiced * (np.sin(2 * np.pi * 1.7 * time) > 0.2)).astype(np.float32)
    whole = true_peak(track)
    assert len(track) > 2 * 256 * 64  # long enough for the short cut
    assert loudest_peak(track) == pytest.approx(whole, abs=0.05)


def test_an_overshoot_is_limited_where_it_happens_not_by_turning_the_narration_down(tmp_path: Path) -> None:
    # A speech-like tone for seconds, then the same with one short square burst that goes over
    # the ceiling: only the burst may come down, not the loudness of the rest.
    time = np.arange(RATE * 6) / RATE
    track = (0.6 * np.sin(2 * np.pi * 220 * time) * (np.sin(2 * np.pi * 2 * time) > 0)).astype(np.float32)
    plain = measure_loudness(encode_aac(write_wav(tmp_path / "plain.wav", track), tmp_path / "plain.m4a"))
    burst = slice(RATE * 3, RATE * 3 + RATE // 50)
    track[burst] = np.sign(np.sin(2 * np.pi * 400 * time[burst])) * 0.94
    with_burst = measure_loudness(encode_aac(write_wav(tmp_path / "burst.wav", track), tmp_path / "burst.m4a"))
    assert plain.true_peak <= -1.0 and with_burst.true_peak <= -1.0
    assert with_burst.integrated == pytest.approx(plain.integrated, abs=0.3)


def _phrase(seconds: float, frequency: float) -> np.ndarray:
    """A phrase of `seconds`: a tone starting at once, its last 0.3 s silent (a beat's pause)."""
    samples = tone(seconds, 0.3, frequency)
    samples[-int(0.3 * RATE) :] = 0.0
    return samples


def _onset(samples: np.ndarray, after: int) -> int:
    return after + int(np.nonzero(np.abs(samples[after:]) > 0.05)[0][0])


def _ends_with_the_video(track: Path, decoded: np.ndarray, total: int) -> None:
    """The track says it lasts `total` samples (to the millisecond of MP4's edit list, as
    ffmpeg's own AAC files do); a decoder that plays its last, shorter packet whole adds less
    than a packet of silence."""
    assert probe(track).audio[0].duration == pytest.approx(total / RATE, abs=0.001)
    assert total <= len(decoded) < total + 1024 and not np.any(decoded[total:])


def test_scene_pieces_joined_by_packet_start_on_time_join_in_silence_and_end_with_the_video(tmp_path: Path) -> None:
    # Scene lengths in whole 15 fps frames (3200 samples), none a whole number of AAC packets.
    lengths = [3200 * 19, 3200 * 13, 3200 * 22]
    starts = [0, lengths[0], lengths[0] + lengths[1]]
    pieces = [(_phrase(n / RATE, f), start) for n, f, start in zip(lengths, (300, 500, 700), starts)]
    joined = encode_in_pieces(pieces, sum(lengths), tmp_path / "n.m4a", tmp_path / "cache")
    assert joined is not None
    decoded = read_audio(joined)
    _ends_with_the_video(joined, decoded, sum(lengths))
    for start in starts:  # each scene's sound within half a packet of its start, never drifting
        assert abs(_onset(decoded, max(0, start - 1500)) - start) <= 512
    for join in starts[1:]:  # the joins fall in the scenes' pauses: no click
        assert np.max(np.abs(decoded[join - 6000 : join - 1100])) < 10 ** (-50 / 20)
    # Within each scene, the sound is the piece's own, as well encoded as the track made whole.
    whole = read_audio(encode_aac(write_wav(tmp_path / "whole.wav", np.concatenate([p for p, _ in pieces])), tmp_path / "whole.m4a"))
    for start, length in zip(starts, lengths):
        shift = _onset(decoded, max(0, start - 1500)) - _onset(whole, max(0, start - 1500))
        ours, theirs = decoded[start + 2048 + shift : start + length - 8000 + shift], whole[start + 2048 : start + length - 8000]
        assert np.sum((ours - theirs) ** 2) < np.sum(theirs**2) / 1000  # within 30 dB


def test_an_edit_encodes_only_the_scene_whose_sound_changed(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    lengths = [3200 * 19, 3200 * 13, 3200 * 22]
    phrases = [_phrase(n / RATE, f) for n, f in zip(lengths, (300, 500, 700))]
    encode_in_pieces(list(zip(phrases, [0, lengths[0], lengths[0] + lengths[1]])), sum(lengths), tmp_path / "a.m4a", cache)
    assert len(list(cache.glob("*.m4a"))) == 3
    described = [read_identity(entry) for entry in cache.glob("*.m4a")]  # `vidgen cache info --entry` shows them
    assert sorted(d["identity"]["seconds"] for d in described if d) == sorted(round(n / RATE, 3) for n in lengths)
    # The first scene says more: it grows by 8 frames, and the scenes after it move.
    longer = _phrase((lengths[0] + 3200 * 8) / RATE, 300)
    edited = [(longer, 0), (phrases[1], len(longer)), (phrases[2], len(longer) + lengths[1])]
    joined = encode_in_pieces(edited, len(longer) + lengths[1] + lengths[2], tmp_path / "b.m4a", cache)
    assert joined is not None and len(list(cache.glob("*.m4a"))) == 4
    decoded = read_audio(joined)
    _ends_with_the_video(joined, decoded, len(longer) + lengths[1] + lengths[2])
    assert abs(_onset(decoded, len(longer) - 1500) - len(longer)) <= 512


def test_a_scene_that_ends_in_speech_sends_the_track_to_be_encoded_whole(tmp_path: Path) -> None:
    speaking_to_the_end = tone(1.2, 0.3, 300)
    pieces = [(speaking_to_the_end, 0), (_phrase(0.8, 500), len(speaking_to_the_end))]
    assert encode_in_pieces(pieces, len(speaking_to_the_end) + int(0.8 * RATE), tmp_path / "n.m4a", tmp_path / "cache") is None
    assert not (tmp_path / "cache").exists() or not list((tmp_path / "cache").iterdir())
