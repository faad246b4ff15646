"""Speaking beats: the engine chain, sentence- and mark-level timing, and the cache.

A video never switches voice half-way: an engine must speak every beat, or the next one
in the profile speaks them all. Engines that report word timings speak a beat in one go;
the others speak it sentence by sentence (and piece by piece at marks), so sentence and
mark times are measurements, not guesses.
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

import numpy as np

from vidgen.cache import entry_lock, touch
from vidgen.errors import SpeechError
from vidgen.executors import Workers
from vidgen.media.loudness import normalize_speech
from vidgen.paths import write_json
from vidgen.speech.audio import check_speech, join, read_audio, silence, speech_bounds, trim_silence, write_wav
from vidgen.speech.base import BeatSpeech, Cue, SpeechEngine, VoiceSettings, WordTiming
from vidgen.speech.engines import ENGINES
from vidgen.speech.guard import call_engine
from vidgen.speech.voices import EngineChoice, VoiceProfile
from vidgen.storyboard.narration import Narration, parse_narration, split_sentences

SPEECH_FORMAT = 2  # bump when the audio a cached entry holds would change
LEAD = 0.08  # silence before each beat's first word
SENTENCE_GAP = 0.30
MARK_GAP = 0.06


def _stderr(message: str) -> None:
    print(f"warning: {message}", file=sys.stderr)


def speak_beats(
    narrations: Sequence[str],
    profile: VoiceProfile,
    *,
    cache_dir: Path,
    offline: bool = False,
    warn: Callable[[str], None] = _stderr,
    engines: Mapping[str, Callable[[], SpeechEngine]] | None = None,
    workers: Workers | None = None,
) -> list[BeatSpeech]:
    """Speech for each narration (marks allowed), all from one engine of the profile;
    beats not yet in the cache are spoken on `workers` when given."""
    registry = engines or ENGINES
    usable = [c for c in profile.engines if not (offline and registry[c.engine]().online)]
    failures: list[str] = []
    for index, choice in enumerate(usable):
        engine = registry[choice.engine]()
        following = usable[index + 1].engine if index + 1 < len(usable) else None
        reason = engine.unavailable_reason()
        if reason is None:
            try:
                return _speak_all(narrations, engine, choice.settings(profile.language), cache_dir, workers)
            except SpeechError as error:
                reason = str(error)
        failures.append(f"{engine.name}: {reason}")
        warn(f"{engine.name} failed: {reason}" + (f"; falling back to {following}" if following else ""))
    skipped = " (network engines skipped: --offline)" if offline and len(usable) < len(profile.engines) else ""
    raise SpeechError(f"no engine of voice {profile.name!r} could speak{skipped}: " + "; ".join(failures or ["none usable"]))


def _speak_all(narrations: Sequence[str], engine: SpeechEngine, settings: VoiceSettings, cache_dir: Path, workers: Workers | None) -> list[BeatSpeech]:
    if workers is None or workers.executor is None:
        return [speak_beat(text, engine, settings, cache_dir) for text in narrations]
    found = {index: cached for index, text in enumerate(narrations) if (cached := cached_beat(text, engine, settings, cache_dir))}
    missing = [index for index in range(len(narrations)) if index not in found]
    if workers.shared_cache:
        spoken = workers.executor.map(partial(speak_one, engine, settings, cache_dir), [narrations[i] for i in missing])
    else:
        from vidgen.remote import speak_remote, store_speech

        remote = workers.executor.map(partial(speak_remote, engine, settings), [narrations[i] for i in missing])
        spoken = (store_speech(result, cache_dir) for result in remote)
    found.update(zip(missing, spoken))
    return [found[index] for index in range(len(narrations))]


def speak_one(engine: SpeechEngine, settings: VoiceSettings, cache_dir: Path, raw: str) -> BeatSpeech:
    """speak_beat with the text last, for executor.map."""
    return speak_beat(raw, engine, settings, cache_dir)


def _entry(raw: str, engine: SpeechEngine, settings: VoiceSettings, cache_dir: Path) -> tuple[Path, Path]:
    wav = cache_dir / "speech" / f"{_slug(raw)}-{cache_key(raw, engine, settings)[:16]}.wav"
    return wav, wav.with_suffix(".json")


def cached_beat(raw: str, engine: SpeechEngine, settings: VoiceSettings, cache_dir: Path) -> BeatSpeech | None:
    """The beat's speech from the cache, or None."""
    wav, meta = _entry(raw, engine, settings, cache_dir)
    cached = _from_cache(wav, meta)
    if cached is not None:
        touch(wav)
        touch(meta)
    return cached


def cache_key(text: str, engine: SpeechEngine, settings: VoiceSettings) -> str:
    payload = {"text": text, "engine": engine.name, "version": engine.version(), "settings": asdict(settings), "format": SPEECH_FORMAT}
    return hashlib.sha256(json.dumps(payload, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def _slug(text: str) -> str:
    words = re.sub(r"[^a-z0-9]+", "-", parse_narration(text).text.lower()).strip("-")
    return words[:32].strip("-") or "beat"


def _from_cache(wav: Path, meta: Path) -> BeatSpeech | None:
    try:
        data = json.loads(meta.read_text())
        if not wav.is_file():
            return None
        return BeatSpeech(
            wav=wav,
            duration=float(data["duration"]),
            engine=data["engine"],
            voice=data["voice"],
            text=data["text"],
            sentences=tuple(Cue(*c) for c in data["sentences"]),
            words=tuple(WordTiming(*w) for w in data["words"]),
            marks={k: float(v) for k, v in data["marks"].items()},
            cached=True,
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None  # a damaged entry is a miss; it is rewritten below


def speak_beat(raw: str, engine: SpeechEngine, settings: VoiceSettings, cache_dir: Path) -> BeatSpeech:
    cached = cached_beat(raw, engine, settings, cache_dir)
    if cached is not None:
        return cached
    wav, meta = _entry(raw, engine, settings, cache_dir)
    with entry_lock(wav):  # another build may be speaking this very beat: take turns
        return _from_cache(wav, meta) or _speak_into(raw, engine, settings, wav, meta)


def _speak_into(raw: str, engine: SpeechEngine, settings: VoiceSettings, wav: Path, meta: Path) -> BeatSpeech:
    narration = parse_narration(raw)
    wav.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=wav.parent, prefix=".scratch-", suffix=".tmp") as scratch:  # prune knows the name
        speak = _speak_whole if engine.word_timings else _speak_in_pieces
        samples, sentences, words, marks = speak(narration, engine, settings, Path(scratch))
    check_speech(samples, f"{engine.name} on {narration.text[:40]!r}")
    samples = normalize_speech(samples)
    write_wav(wav, samples)  # the WAV first, its description last: no description, no entry
    speech = BeatSpeech(wav, len(samples) / 48_000, engine.name, settings.voice, narration.text, tuple(sentences), tuple(words), marks)
    write_json(meta, {
        "duration": speech.duration, "engine": speech.engine, "voice": speech.voice, "text": speech.text,
        "sentences": [[c.text, c.start, c.end] for c in sentences],
        "words": [[w.text, w.start, w.end] for w in words],
        "marks": marks,
    })  # fmt: skip
    return speech


Spoken = tuple[np.ndarray, list[Cue], list[WordTiming], dict[str, float]]


def _word_starts(text: str) -> list[int]:
    return [match.start() for match in re.finditer(r"\S+", text)]


def _align(text: str, reported: Sequence[WordTiming]) -> list[WordTiming]:
    """Our words (as written) timed by the engine's words, which may split or drop punctuation."""
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


def _sentences_from_words(text: str, words: Sequence[WordTiming]) -> list[Cue]:
    cues, index = [], 0
    for sentence in split_sentences(text):
        count = len(sentence.split())
        span = words[index : index + count]
        if span:
            cues.append(Cue(sentence, span[0].start, span[-1].end))
        index += count
    return cues


def _marks_from_words(narration: Narration, words: Sequence[WordTiming]) -> dict[str, float]:
    starts = _word_starts(narration.text)
    marks = {}
    for name, offset in narration.marks:
        index = next((i for i, start in enumerate(starts) if start >= offset), len(words) - 1)
        marks[name] = words[index].start
    return marks


def _speak_whole(narration: Narration, engine: SpeechEngine, settings: VoiceSettings, scratch: Path) -> Spoken:
    output = call_engine(engine, narration.text, settings, scratch / "beat.wav")
    samples = read_audio(output.wav)
    check_speech(samples, engine.name)
    start, end = speech_bounds(samples)
    trimmed = samples[start:end]
    shift = LEAD - start / 48_000
    words = [WordTiming(w.text, max(0.0, w.start + shift), max(0.0, w.end + shift)) for w in _align(narration.text, output.words)]
    audio = np.concatenate([silence(LEAD), trimmed])
    return audio, _sentences_from_words(narration.text, words), words, _marks_from_words(narration, words)


def _pieces(narration: Narration) -> list[tuple[int, int, bool]]:
    """(start, end, starts_a_sentence) spans of text: split at sentence ends and at marks."""
    text = narration.text
    cuts = {0}
    position = 0
    for sentence in split_sentences(text):
        position = text.index(sentence, position)
        cuts.add(position)
        position += len(sentence)
    sentence_starts = set(cuts)
    cuts.update(offset for _, offset in narration.marks if 0 < offset < len(text))
    ordered = sorted(cuts) + [len(text)]
    return [(a, b, a in sentence_starts) for a, b in zip(ordered, ordered[1:]) if text[a:b].strip()]


def _speak_in_pieces(narration: Narration, engine: SpeechEngine, settings: VoiceSettings, scratch: Path) -> Spoken:
    text = narration.text
    pieces = _pieces(narration)
    audio, gaps = [], []
    for index, (start, end, new_sentence) in enumerate(pieces):
        output = call_engine(engine, text[start:end].strip(), settings, scratch / f"piece-{index}.wav")
        samples = trim_silence(read_audio(output.wav))
        check_speech(samples, f"{engine.name} on {text[start:end].strip()[:40]!r}")
        audio.append(samples)
        if index:
            gaps.append(SENTENCE_GAP if new_sentence else MARK_GAP)
    joined, spans = join(audio, gaps)
    spans = [(a + LEAD, b + LEAD) for a, b in spans]
    words: list[WordTiming] = []
    for (start, end, _), (t0, t1) in zip(pieces, spans):
        chunk = text[start:end].split()
        total = sum(len(w) + 1 for w in chunk) or 1
        position = t0
        for word in chunk:  # no word timings from this engine: spread by letters
            length = (t1 - t0) * (len(word) + 1) / total
            words.append(WordTiming(word, position, position + length))
            position += length
    sentences, index = [], 0
    for sentence in split_sentences(text):
        members = []
        while index < len(pieces) and (not members or not pieces[index][2]):
            members.append(spans[index])
            index += 1
        if members:
            sentences.append(Cue(sentence, members[0][0], members[-1][1]))
    piece_starts = [start for start, _, _ in pieces]
    marks = {}
    for name, offset in narration.marks:
        following = next((i for i, start in enumerate(piece_starts) if start >= offset), len(pieces) - 1)
        marks[name] = spans[following][0]
    return np.concatenate([silence(LEAD), joined]), sentences, words, marks

