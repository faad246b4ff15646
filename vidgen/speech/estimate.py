"""A stand-in for speech when nothing may be spoken (`vidgen check`, planning tests):
a beat's length from its word count, marks and sentences pro rata."""

from __future__ import annotations

from pathlib import Path

from vidgen.speech.base import BeatSpeech, Cue
from vidgen.storyboard.narration import parse_narration, split_sentences

WORDS_PER_SECOND = 2.5  # a calm narrator: 150 words per minute


def estimate_speech(say: str, words_per_second: float = WORDS_PER_SECOND) -> BeatSpeech:
    narration = parse_narration(say)
    seconds = max(0.8, len(narration.text.split()) / words_per_second)
    chars = max(1, len(narration.text))
    marks = {name: seconds * offset / chars for name, offset in narration.marks}
    sentences, start = [], 0.0
    for sentence in split_sentences(narration.text):
        length = seconds * len(sentence) / chars
        sentences.append(Cue(sentence, start, start + length))
        start += length
    return BeatSpeech(Path("estimate.wav"), seconds, "estimate", "", narration.text, tuple(sentences), (), marks)
