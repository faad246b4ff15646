"""`vidgen check`: validate, plan with estimated speech lengths, and check the layout —
without speaking or rendering anything."""

from __future__ import annotations

from pathlib import Path

from vidgen.plan import make_plan
from vidgen.quality import QUALITIES
from vidgen.speech.base import BeatSpeech, Cue
from vidgen.storyboard import load_storyboard
from vidgen.storyboard.narration import parse_narration, split_sentences

WORDS_PER_SECOND = 2.5  # a calm narrator: 150 words per minute


def estimate_speech(say: str) -> BeatSpeech:
    """A stand-in for a beat's speech: its length from its word count, marks pro rata."""
    narration = parse_narration(say)
    seconds = max(0.8, len(narration.text.split()) / WORDS_PER_SECOND)
    chars = max(1, len(narration.text))
    marks = {name: seconds * offset / chars for name, offset in narration.marks}
    sentences, start = [], 0.0
    for sentence in split_sentences(narration.text):
        length = seconds * len(sentence) / chars
        sentences.append(Cue(sentence, start, start + length))
        start += length
    return BeatSpeech(Path("estimate.wav"), seconds, "estimate", "", narration.text, tuple(sentences), (), marks)


def check_storyboard_file(path: Path) -> str:
    """Raise StoryboardError listing every problem, or describe the storyboard in one line."""
    from vidgen.build import check_layout

    loaded = load_storyboard(path)
    storyboard = loaded.storyboard
    speech = [[estimate_speech(beat.say) for beat in scene.beats] for scene in storyboard.scenes]
    plan = make_plan(loaded.name, storyboard, speech, QUALITIES["low"])
    check_layout(loaded, plan)
    beats = sum(len(scene.beats) for scene in storyboard.scenes)
    minutes, seconds = divmod(round(plan.seconds), 60)
    return f"{path}: ok · {len(storyboard.scenes)} scenes, {beats} beats, about {minutes}:{seconds:02d}"
