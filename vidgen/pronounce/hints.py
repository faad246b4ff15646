"""Pronunciation hints for `vidgen check`: never errors, only what a writer may want to know.

- lexicon entries that match no narration (a typo in the key, or a word since rewritten);
- words the voice will likely spell out letter by letter: words with no vowel (NCF, MLP),
  and words espeak-ng finds unpronounceable (it also phonemizes for Piper), asked in one
  call for the whole storyboard and remembered in the cache, so `check` stays fast.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from vidgen.errors import Location
from vidgen.narrate import pronounced_beats, storyboard_lexicon
from vidgen.paths import write_json
from vidgen.pronounce.lexicon import LexiconFile, lexicon_files
from vidgen.speech.utterance import Pronounced
from vidgen.speech.voices import VoiceProfile, load_voice, voice_dirs
from vidgen.storyboard.loader import LoadedStoryboard
from vidgen.storyboard.source import read_yaml

_WORD_RE = re.compile(r"[^\W\d_][\w'’-]*")
_VOWELS = set("aeiouyąęóàáâäåæèéêëìíîïòôöøùúûüýÿ")
SPEAKS_LIKE_ESPEAK = ("espeak-ng", "piper")  # Piper phonemizes with espeak-ng


@dataclass(frozen=True)
class Hint:
    message: str
    location: Location | None = None

    def __str__(self) -> str:
        return f"{self.location}: {self.message}" if self.location else self.message


def pronunciation_hints(loaded: LoadedStoryboard, cache_dir: Path) -> list[Hint]:
    lines = pronounced_beats(loaded)
    used = {piece.key for scene in lines for line in scene for piece in line.pieces if piece.source == "lexicon"}
    hints = _unused_own_entries(loaded, used) + _unused_project_entries(loaded, used)
    return hints + _foreign_phonemes(loaded) + _hard_words(loaded, lines, cache_dir)


def _unused_own_entries(loaded: LoadedStoryboard, used: set[str]) -> list[Hint]:
    storyboard = loaded.storyboard
    return [
        Hint(f"lexicon entry {key!r} matches no narration (keys match whole words; in lower case, any case)", loaded.source.locate(("lexicon", key), prefer_key=True))
        for key in storyboard.lexicon
        if key not in used
    ]


def _project_text(lexicon_file: Path) -> str:
    """Every storyboard, translation and series of the project, as text: a project entry
    unused here may be used by another storyboard."""
    root = lexicon_file.parent.parent
    folder = root / "storyboards" if (root / "storyboards").is_dir() else root
    return "\n".join(path.read_text(encoding="utf-8", errors="replace") for path in sorted(folder.rglob("*.yaml"))[:500])


def _unused_project_entries(loaded: LoadedStoryboard, used: set[str]) -> list[Hint]:
    hints = []
    for path in lexicon_files(voice_dirs(loaded.path), loaded.storyboard.language):
        data, source = read_yaml(path)
        words = LexiconFile.model_validate(data).words
        unused = [key for key in words if key not in used]
        if not unused:
            continue
        text = _project_text(path)
        for key in unused:
            escaped = re.escape(key).replace(r"\ ", r"\s+")
            if not re.search(rf"(?<!\w){escaped}(?!\w)", text, 0 if key != key.lower() else re.IGNORECASE):
                hints.append(Hint(f"lexicon entry {key!r} matches no narration in the project", source.locate(("words", key), prefer_key=True)))
    return hints


def _piper_phonemes(model: str) -> set[str] | None:
    """The phonemes a Piper voice knows (its config's phoneme_id_map), or None."""
    from vidgen.speech.engines.piper import model_path

    try:
        config = json.loads(Path(f"{model_path(model)}.json").read_text(encoding="utf-8"))
        return set(config["phoneme_id_map"])
    except (OSError, ValueError, KeyError, TypeError, ImportError):
        return None


def _foreign_phonemes(loaded: LoadedStoryboard) -> list[Hint]:
    """Piper phonemes that the storyboard's Piper voices do not have: Piper skips them."""
    storyboard = loaded.storyboard
    models = set()
    for name in {storyboard.voice, *(scene.voice for scene in storyboard.scenes if scene.voice)}:
        try:
            models |= {c.voice for c in load_voice(name, voice_dirs(loaded.path)).engines if c.engine == "piper"}
        except Exception:  # a missing profile is reported by the checks before these
            continue
    lexicon = storyboard_lexicon(loaded)
    hints = []
    for model in sorted(models):
        known = _piper_phonemes(model)
        for key, entry in lexicon.entries.items():
            phonemes = entry.phonemes.get("piper")
            missing = sorted({c for c in unicodedata.normalize("NFD", phonemes or "") if known is not None and c not in known})
            if missing:
                origin = lexicon.origins[key]
                where = loaded.source.locate(("lexicon", key)) if origin == "storyboard" else Location(Path(origin))
                hints.append(Hint(f"lexicon entry {key!r}: Piper's voice {Path(model).name} has no phoneme(s) {' '.join(missing)} (it skips them)", where))
    return hints


def _plain_words(line: Pronounced) -> Iterable[str]:
    """Words said as written (not by a tag, the lexicon or a reading)."""
    for piece in line.pieces:
        if not piece.fixed:
            yield from _WORD_RE.findall(piece.shown)


def _no_vowel(word: str) -> bool:
    letters = [c for c in word.lower() if c.isalpha()]
    return len(letters) >= 2 and not _VOWELS.intersection(letters)


def _espeak_voice(profile: VoiceProfile) -> str | None:
    """The espeak-ng voice that predicts how this profile says words, if any does."""
    for choice in profile.engines:
        if choice.engine == "espeak-ng":
            return choice.voice
        if choice.engine == "piper":
            return _piper_espeak_voice(choice.voice)
    return None


def _piper_espeak_voice(model: str) -> str | None:
    from vidgen.speech.engines.piper import model_path

    try:
        config = json.loads(Path(f"{model_path(model)}.json").read_text(encoding="utf-8"))
        return str(config["espeak"]["voice"])
    except (OSError, ValueError, KeyError, TypeError, ImportError):
        return None


def unpronounceable(words: Sequence[str], voice: str, cache_dir: Path) -> set[str]:
    """The words espeak-ng cannot say as words (it spells them). Verdicts are kept in the
    cache per espeak-ng version and voice; only words not seen before are asked, in one call."""
    binary = shutil.which("espeak-ng")
    if binary is None or not words:
        return set()
    from vidgen.speech.engines.espeak import _version

    key = hashlib.sha256(json.dumps([_version(binary), voice]).encode()).hexdigest()
    entry = cache_dir / "layout" / f"words-{key[:24]}.json"
    try:
        known: dict[str, bool] = json.loads(entry.read_text())
    except (OSError, ValueError):
        known = {}
    new = sorted(set(words) - set(known))
    if new:
        try:
            result = subprocess.run([binary, "-v", voice, "-q", "-X", "--", " ".join(new)], capture_output=True, text=True, timeout=20)
        except (OSError, subprocess.TimeoutExpired):
            return set()
        spelled = _spelled(result.stdout)
        known.update({word: word.lower() in spelled for word in new})
        write_json(entry, known)
    return {word for word in set(words) if known.get(word)}


def _spelled(trace: str) -> set[str]:
    """Words espeak-ng's trace (-X) shows it spelling: it asks itself "Unpronouncable?" of
    every word, and when the answer is yes, the next line looks up a single letter."""
    lines = trace.splitlines()
    spelled = set()
    for line, following in zip(lines, lines[1:]):
        asked = re.match(r"Unpronouncable\? '([^']+)'", line)
        if asked and re.match(r"Found: '_?[^\W\d_]'", following):
            spelled.add(asked.group(1))
    return spelled


def _hard_words(loaded: LoadedStoryboard, lines: list[list[Pronounced]], cache_dir: Path) -> list[Hint]:
    storyboard = loaded.storyboard
    counts: Counter[str] = Counter()
    first: dict[str, tuple] = {}
    espeak_words: dict[str, list[str]] = {}
    for s, scene in enumerate(storyboard.scenes):
        try:
            voice = _espeak_voice(load_voice(scene.voice or storyboard.voice, voice_dirs(loaded.path)))
        except Exception:  # a missing profile is reported by the checks before these
            voice = None
        for b, line in enumerate(lines[s]):
            for word in _plain_words(line):
                counts[word] += 1
                first.setdefault(word, (*(loaded.scene_path(scene.id) or ("scenes", s)), "beats", b, "say"))
                if voice:
                    espeak_words.setdefault(voice, []).append(word)
    spelled = {word for voice, words in espeak_words.items() for word in unpronounceable(words, voice, cache_dir)}
    hints = []
    for word in counts:
        reason = "has no vowel" if _no_vowel(word) else "is unpronounceable to espeak-ng" if word in spelled else None
        if reason:
            times = f" ({counts[word]} times)" if counts[word] > 1 else ""
            hints.append(Hint(
                f"{word!r}{times} {reason}: the voice will likely spell it out letter by letter; if it should sound otherwise, "
                f"add it to voices/lexicon.{storyboard.language.split('-')[0]}.yaml or write <say as=\"…\">{word}</say>",
                loaded.source.locate(first[word]),
            ))  # fmt: skip
    return hints
