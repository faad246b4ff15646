"""Speaking beats: the engine chain, sentence- and mark-level timing, and the cache.

A video never switches voice half-way: an engine must speak every beat, or the next one
in the profile speaks them all. Engines that report word timings speak a beat in one go;
the others speak it sentence by sentence (and piece by piece at marks), so sentence and
mark times are measurements, not guesses.

Engines speak an `Utterance`'s spoken text (after `<say as>`, the lexicon and the built-in
readings); its links carry their word timings back to the shown words. A cache entry holds
what depends on the audio alone (the spoken words and their times), keyed by everything the
audio depends on (`speech_identity`), so a lexicon edit re-speaks exactly the beats whose
spoken text changed, and a subtitle-only change re-speaks none.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
import tempfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import asdict
from functools import partial
from pathlib import Path
from typing import Any

import numpy as np

from vidgen.cache import entry_lock, touch
from vidgen.errors import SpeechError
from vidgen.executors import Workers
from vidgen.media.loudness import normalize_speech
from vidgen.paths import write_json
from vidgen.speech.audio import check_speech, join, read_audio, silence, speech_bounds, trim_silence, write_wav
from vidgen.speech.base import BeatSpeech, SpeechEngine, VoiceSettings, WordTiming
from vidgen.speech.engines import ENGINES
from vidgen.speech.guard import call_engine
from vidgen.speech.utterance import Pronounced, Utterance
from vidgen.speech.voices import VoiceProfile

# Beats spoken by the build's own process when no worker has started yet (an edit): a worker
# takes seconds to start and load the voice, longer than speaking one beat; it starts
# meanwhile, for the renders.
SPOKEN_HERE = 3
SPEECH_FORMAT = 3  # bump when the audio a cached entry holds, or its description, would change
LEAD = 0.08  # silence before each beat's first word
SENTENCE_GAP = 0.30
MARK_GAP = 0.06


def _stderr(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


def _pronounced(beat: str | Pronounced, language: str) -> Pronounced:
    if isinstance(beat, Pronounced):
        return beat
    from vidgen.pronounce.pieces import pronounced  # imported here: vidgen.pronounce builds on this package

    return pronounced(beat, language=language)


def speak_beats(
    beats: Sequence[str | Pronounced],
    profile: VoiceProfile,
    *,
    cache_dir: Path,
    offline: bool = False,
    warn: Callable[[str], None] = _stderr,
    engines: Mapping[str, Callable[[], SpeechEngine]] | None = None,
    workers: Workers | None = None,
) -> list[BeatSpeech]:
    """Speech for each beat (narration with marks, or already pronounced), all from one
    engine of the profile; beats not yet in the cache are spoken on `workers` when given."""
    registry = engines or ENGINES
    lines = [_pronounced(beat, profile.language) for beat in beats]
    usable = [c for c in profile.engines if not (offline and registry[c.engine]().online)]
    failures: list[str] = []
    for index, choice in enumerate(usable):
        engine = registry[choice.engine]()
        following = usable[index + 1].engine if index + 1 < len(usable) else None
        reason = engine.unavailable_reason()
        if reason is None:
            try:
                utterances = [line.for_engine(engine.name) for line in lines]
                return _speak_all(utterances, engine, choice.settings(profile.language), cache_dir, workers)
            except SpeechError as error:
                reason = str(error)
        failures.append(f"{engine.name}: {reason}")
        warn(f"{engine.name} failed: {reason}" + (f"; falling back to {following}" if following else ""))
    skipped = " (network engines skipped: --offline)" if offline and len(usable) < len(profile.engines) else ""
    raise SpeechError(f"no engine of voice {profile.name!r} could speak{skipped}: " + "; ".join(failures or ["none usable"]))


def _speak_all(utterances: Sequence[Utterance], engine: SpeechEngine, settings: VoiceSettings, cache_dir: Path, workers: Workers | None) -> list[BeatSpeech]:
    if workers is None or workers.executor is None:
        return [speak_beat(utterance, engine, settings, cache_dir) for utterance in utterances]
    found = {index: cached for index, u in enumerate(utterances) if (cached := cached_beat(u, engine, settings, cache_dir))}
    missing = [index for index in range(len(utterances)) if index not in found]
    if 0 < len(missing) <= SPOKEN_HERE and workers.start_early():
        # The worker imports Manim meanwhile, at the lowest priority (vidgen.executors): the
        # build may put the edited beats together without it (vidgen.render.assembly).
        found.update((index, speak_beat(utterances[index], engine, settings, cache_dir)) for index in missing)
        return [found[index] for index in range(len(utterances))]
    if workers.shared_cache:
        spoken = workers.executor.map(partial(speak_one, engine, settings, cache_dir), [utterances[i] for i in missing])
    else:
        from vidgen.remote import speak_remote, store_speech

        remote = workers.executor.map(partial(speak_remote, engine, settings), [utterances[i] for i in missing])
        spoken = (store_speech(result, cache_dir) for result in remote)
    found.update(zip(missing, spoken))
    return [found[index] for index in range(len(utterances))]


def speak_one(engine: SpeechEngine, settings: VoiceSettings, cache_dir: Path, utterance: Utterance) -> BeatSpeech:
    """speak_beat with the utterance last, for executor.map."""
    return speak_beat(utterance, engine, settings, cache_dir)


def speech_identity(utterance: Utterance, engine: SpeechEngine, settings: VoiceSettings) -> dict[str, Any]:
    """Everything a beat's audio depends on: the engine, its version, the voice model, the
    settings, the text actually spoken, and (for engines spoken piece by piece) where it is cut."""
    identity: dict[str, Any] = {**_voice_identity(engine, settings), "spoken": utterance.spoken}
    if not engine.word_timings:
        identity["breaks"] = [[index, new_sentence] for index, new_sentence in utterance.breaks()]
    return identity


def _voice_identity(engine: SpeechEngine, settings: VoiceSettings) -> dict[str, Any]:
    """What any speech depends on besides its text: the engine, its version, the voice model and the settings."""
    return {"format": SPEECH_FORMAT, "engine": engine.name, "version": engine.version(), "model": engine.model_identity(settings), "settings": asdict(settings)}


def cache_key(utterance: Utterance, engine: SpeechEngine, settings: VoiceSettings) -> str:
    return _key(speech_identity(utterance, engine, settings))


def _key(identity: Mapping[str, Any]) -> str:
    return hashlib.sha256(json.dumps(identity, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def speech_entry(utterance: Utterance, engine: SpeechEngine, settings: VoiceSettings, cache_dir: Path) -> tuple[Path, Path, dict[str, Any]]:
    """The cache entry's WAV and its description (a .json sidecar), and its identity."""
    identity = speech_identity(utterance, engine, settings)
    wav = cache_dir / "speech" / f"{_slug(utterance.spoken)}-{_key(identity)[:16]}.wav"
    return wav, wav.with_suffix(".json"), identity


def cached_beat(utterance: Utterance, engine: SpeechEngine, settings: VoiceSettings, cache_dir: Path) -> BeatSpeech | None:
    """The beat's speech from the cache, or None."""
    wav, meta, _ = speech_entry(utterance, engine, settings, cache_dir)
    cached = _from_cache(utterance, wav, meta)
    if cached is not None:
        touch(wav)
        touch(meta)
    return cached


def _slug(text: str) -> str:
    words = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return words[:32].strip("-") or "beat"


def describe(utterance: Utterance, wav: Path, duration: float, engine: str, voice: str, spoken: Sequence[WordTiming], cached: bool = False) -> BeatSpeech:
    """A beat's speech as the rest of the build sees it: shown words and sentences, timed
    from the spoken words through the utterance's links."""
    shown = utterance.shown_timings(spoken)
    return BeatSpeech(
        wav, duration, engine, voice, utterance.shown, tuple(utterance.sentences(shown)), tuple(shown),
        utterance.mark_times(spoken), cached, utterance.spoken,
    )  # fmt: skip


def _from_cache(utterance: Utterance, wav: Path, meta: Path) -> BeatSpeech | None:
    try:
        data = json.loads(meta.read_text())
        if not wav.is_file():
            return None
        words = [WordTiming(*w) for w in data["words"]]
        if data["spoken"] != utterance.spoken or len(words) != len(utterance.spoken_words):
            return None
        return describe(utterance, wav, float(data["duration"]), data["engine"], data["voice"], words, cached=True)
    except (OSError, ValueError, KeyError, TypeError):
        return None  # a damaged entry is a miss; it is rewritten below


def speak_beat(utterance: Utterance, engine: SpeechEngine, settings: VoiceSettings, cache_dir: Path) -> BeatSpeech:
    cached = cached_beat(utterance, engine, settings, cache_dir)
    if cached is not None:
        return cached
    wav, meta, identity = speech_entry(utterance, engine, settings, cache_dir)
    with entry_lock(wav):  # another build may be speaking this very beat: take turns
        return _from_cache(utterance, wav, meta) or _speak_into(utterance, engine, settings, wav, meta, identity)


def _speak_into(utterance: Utterance, engine: SpeechEngine, settings: VoiceSettings, wav: Path, meta: Path, identity: dict[str, Any]) -> BeatSpeech:
    wav.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=wav.parent, prefix=".scratch-", suffix=".tmp") as scratch:  # prune knows the name
        speak = _speak_whole if engine.word_timings else partial(_speak_in_pieces, kept=wav.parent / "pieces")
        samples, words = speak(utterance, engine, settings, Path(scratch))
    check_speech(samples, f"{engine.name} on {utterance.spoken[:40]!r}")
    samples = normalize_speech(samples)
    write_wav(wav, samples)  # the WAV first, its description last: no description, no entry
    duration = len(samples) / 48_000
    write_json(meta, {
        "duration": duration, "engine": engine.name, "voice": settings.voice, "spoken": utterance.spoken,
        "words": [[w.text, w.start, w.end] for w in words],
        "identity": identity,
    })  # fmt: skip
    return describe(utterance, wav, duration, engine.name, settings.voice, words)


def _align(text: str, reported: Sequence[WordTiming]) -> list[WordTiming]:
    """Our words (as spoken) timed by the engine's words, which may split or drop punctuation."""
    ours = text.split()
    norm = [re.sub(r"\W", "", w.lower()) for w in ours]
    theirs = [re.sub(r"\W", "", w.text.lower()) for w in reported]
    timed, j = [], 0
    for i, word in enumerate(ours):
        k = next((k for k in range(j, min(j + 4, len(theirs))) if theirs[k] and (theirs[k] in norm[i] or norm[i] in theirs[k])), None)
        if k is None:
            previous = timed[-1].end if timed else 0.0
            timed.append(WordTiming(word, previous, previous))
            continue
        timed.append(WordTiming(word, reported[k].start, reported[k].end))
        j = k + 1
    return timed


Spoken = tuple[np.ndarray, list[WordTiming]]


def _speak_whole(utterance: Utterance, engine: SpeechEngine, settings: VoiceSettings, scratch: Path) -> Spoken:
    output = call_engine(engine, utterance.spoken, settings, scratch / "beat.wav")
    samples = read_audio(output.wav)
    check_speech(samples, engine.name)
    start, end = speech_bounds(samples)
    trimmed = samples[start:end]
    shift = LEAD - start / 48_000
    words = [WordTiming(w.text, max(0.0, w.start + shift), max(0.0, w.end + shift)) for w in _align(utterance.spoken, output.words)]
    return np.concatenate([silence(LEAD), trimmed]), words


def _spoken_piece(engine: SpeechEngine, settings: VoiceSettings, text: str, scratch: Path, kept: Path) -> np.ndarray:
    """One stretch of a beat spoken, its silences trimmed, and kept by what it depends on: a
    sentence added to a beat speaks that sentence, not the beat (the voice model's first
    use in a process costs more than a sentence). Kept as 16-bit samples, and used as read
    back, so a beat is the same from kept stretches as from new ones."""
    identity = {**_voice_identity(engine, settings), "piece": text}
    entry = kept / f"{_key(identity)[:32]}.wav"
    if entry.is_file():
        try:
            kept_samples = read_audio(entry)
            if len(kept_samples):
                touch(entry)
                touch(entry.with_suffix(".json"))
                return kept_samples
        except (OSError, ValueError, SpeechError):
            pass  # a damaged piece is spoken again
    output = call_engine(engine, text, settings, scratch)
    samples = trim_silence(read_audio(output.wav))
    check_speech(samples, f"{engine.name} on {text[:40]!r}")
    kept.mkdir(parents=True, exist_ok=True)
    samples = read_audio(write_wav(entry, samples))
    write_json(entry.with_suffix(".json"), {"identity": {"kind": "sentence", **identity}})  # for `vidgen cache info --entry`
    return samples


def _speak_in_pieces(utterance: Utterance, engine: SpeechEngine, settings: VoiceSettings, scratch: Path, kept: Path) -> Spoken:
    """Each stretch between sentence starts and marks spoken on its own and measured; the
    words inside a stretch share its time by their letters."""
    words = utterance.spoken_words
    breaks = utterance.breaks()
    bounds = [index for index, _ in breaks] + [len(words)]
    audio, gaps = [], []
    for number, (start, end) in enumerate(zip(bounds, bounds[1:])):
        text = " ".join(words[start:end])
        audio.append(_spoken_piece(engine, settings, text, scratch / f"piece-{number}.wav", kept))
        if number:
            gaps.append(SENTENCE_GAP if breaks[number][1] else MARK_GAP)
    joined, spans = join(audio, gaps)
    timed: list[WordTiming] = []
    for (start, end), (t0, t1) in zip(zip(bounds, bounds[1:]), spans):
        chunk = words[start:end]
        total = sum(len(w) + 1 for w in chunk) or 1
        position = t0 + LEAD
        for word in chunk:  # no word timings from this engine: spread by letters
            length = (t1 - t0) * (len(word) + 1) / total
            timed.append(WordTiming(word, position, position + length))
            position += length
    return np.concatenate([silence(LEAD), joined]), timed
