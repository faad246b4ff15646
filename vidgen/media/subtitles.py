"""Subtitles timed to the speech: at most two lines of 42 characters per cue, broken at
phrase boundaries, each cue starting on its first word when word timings exist."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from pathlib import Path

from vidgen.paths import write_atomic
from vidgen.speech.base import Cue, WordTiming

MAX_LINE = 42
MAX_LINES = 2
MIN_CUE = 0.5  # seconds: shorter cues flash by unread
# Words a line may start with (a phrase begins there), by language.
CONJUNCTIONS = {
    "en": {"and", "but", "or", "which", "that", "while", "because", "so", "then", "where", "when", "until"},
    "pl": {"i", "a", "ale", "oraz", "lub", "albo", "czyli", "który", "która", "które", "bo", "więc", "gdy", "aby", "że"},
}


def _break_cost(words: Sequence[str], index: int, target: float, language: str) -> float:
    """How bad it is to break before words[index]: prefer punctuation, then conjunctions, then balance."""
    left = " ".join(words[:index])
    cost = abs(len(left) - target) / max(target, 1)
    if re.search(r"[,;:—–)]$", words[index - 1]):
        cost -= 1.0
    elif words[index].lower().strip("(") in CONJUNCTIONS.get(language.split("-")[0], set()):
        cost -= 0.6
    return cost


def _split(words: Sequence[str], limit: int, language: str = "en") -> list[list[str]]:
    """Words into pieces of at most `limit` characters, breaking where phrases end."""
    text = " ".join(words)
    if len(text) <= limit or len(words) == 1:
        return [list(words)]
    pieces_needed = -(-len(text) // limit)
    target = len(text) / pieces_needed
    candidates = [i for i in range(1, len(words)) if len(" ".join(words[:i])) <= limit]
    if not candidates:
        candidates = [1]
    best = min(candidates, key=lambda i: _break_cost(words, i, target, language))
    return [list(words[:best])] + _split(words[best:], limit, language)


def _cue_groups(words: Sequence[str], language: str) -> list[list[list[str]]]:
    """A sentence's words as cues of at most two lines: lines first (each at most
    MAX_LINE characters, broken where phrases end), then paired into cues."""
    lines = _split(words, MAX_LINE, language)
    return [lines[i : i + MAX_LINES] for i in range(0, len(lines), MAX_LINES)]


def make_cues(sentences: Sequence[Cue], words: Sequence[WordTiming] = (), language: str = "en") -> list[Cue]:
    """Cues from timed sentences (and words, when known), in order and never overlapping."""
    cues: list[Cue] = []
    for sentence in sentences:
        tokens = sentence.text.split()
        timed = [w for w in words if sentence.start - 0.01 <= w.start <= sentence.end + 0.01]
        use_words = len(timed) == len(tokens)
        position = 0
        for group in _cue_groups(tokens, language):
            count = sum(len(line) for line in group)
            if use_words:
                start, end = timed[position].start, timed[position + count - 1].end
            else:
                total = len(sentence.text) or 1
                before = len(" ".join(tokens[:position]))
                after = len(" ".join(tokens[: position + count]))
                start = sentence.start + (sentence.end - sentence.start) * before / total
                end = sentence.start + (sentence.end - sentence.start) * after / total
            cues.append(Cue("\n".join(" ".join(line) for line in group), start, min(end, sentence.end)))
            position += count
    for index, cue in enumerate(cues):  # hold each cue until the next one (or at least MIN_CUE)
        limit = cues[index + 1].start if index + 1 < len(cues) else cue.end + MIN_CUE
        end = min(max(cue.end, cue.start + MIN_CUE), limit)
        cues[index] = Cue(cue.text, cue.start, max(end, cue.start + 0.01))
    return cues


def _stamp(seconds: float, separator: str) -> str:
    millis = max(0, round(seconds * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def _lines(text: str) -> str:
    """A cue's text as its lines, none of them blank: a blank line ends a cue in both
    formats, so the rest of the text would be lost (or read as a cue of its own)."""
    return "\n".join(line.strip() for line in text.splitlines() if line.strip())


def srt_text(text: str) -> str:
    """Cue text for SubRip, which has no escapes: players show `<`, `>` and `&` as
    written (only whole tags such as `<i>` style the text), so the text goes in as it is."""
    return _lines(text)


def vtt_text(text: str) -> str:
    """Cue text for WebVTT, escaped as the format requires: `&` and `<` would start a
    character reference or a tag, and with `>` escaped `-->` cannot appear either."""
    return html.escape(_lines(text), quote=False)


def write_srt(cues: Sequence[Cue], path: Path) -> Path:
    blocks = [f"{i}\n{_stamp(c.start, ',')} --> {_stamp(c.end, ',')}\n{srt_text(c.text)}\n" for i, c in enumerate(cues, start=1)]
    return write_atomic(path, "\n".join(blocks))


def write_vtt(cues: Sequence[Cue], path: Path) -> Path:
    blocks = [f"{_stamp(c.start, '.')} --> {_stamp(c.end, '.')}\n{vtt_text(c.text)}\n" for c in cues]
    return write_atomic(path, "WEBVTT\n\n" + "\n".join(blocks))


def _seconds(stamp: str) -> float:
    hours, minutes, rest = stamp.replace(",", ".").split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(rest)


def parse_srt(path: Path) -> list[Cue]:
    cues = []
    for block in path.read_text(encoding="utf-8").strip().split("\n\n"):
        lines = block.splitlines()
        start, end = (part.strip() for part in lines[1].split("-->"))
        cues.append(Cue("\n".join(lines[2:]), _seconds(start), _seconds(end)))
    return cues


def check_cues(cues: Sequence[Cue]) -> list[str]:
    """Every rule a cue breaks: line length, line count, order, overlap, empty time."""
    problems = []
    for index, cue in enumerate(cues, start=1):
        lines = cue.text.split("\n")
        if len(lines) > MAX_LINES:
            problems.append(f"cue {index} has {len(lines)} lines")
        problems += [f"cue {index} has a line of {len(line)} characters" for line in lines if len(line) > MAX_LINE]
        if cue.end <= cue.start:
            problems.append(f"cue {index} ends before it starts")
        if index > 1:
            previous = cues[index - 2]
            if cue.start < previous.start:
                problems.append(f"cue {index} starts before cue {index - 1}")
            elif cue.start < previous.end - 1e-6:
                problems.append(f"cue {index} overlaps cue {index - 1}")
    return problems
