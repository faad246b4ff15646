"""`vidgen say` speaks a beat into the cache without Manim; `vidgen check` gives pronunciation
hints without failing; narration full of < > & builds and its subtitles show it as written."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from tests.helpers import FAKE_VOICE
from vidgen.build import BuildOptions, build
from vidgen.media.subtitles import parse_srt
from vidgen.quality import QUALITIES
from vidgen.speech.audio import read_audio
from vidgen.speech.engines.fake import FakeEngine

TRICKY = 'If x < y and y > z, then R&D pays for "tags" like a<b & co. Zażółć gęślą jaźń.'
BOARD = f"""title: Say
voice: fake
lexicon:
  NCF: en see eff
  Unused: never said
  ReLU: {{say: ray loo, phonemes: {{piper: "ɹˈeɪluːQ"}}}}
scenes:
  - id: intro
    title: Intro
    elements:
      v: {{vector: [1, 2]}}
    beats:
      - say: {json.dumps(TRICKY)}
        do:
          - show: v
      - say: The NCF model beats tfidf and the MLP.
"""


def project(tmp_path: Path) -> Path:
    for folder in ("storyboards", "voices"):
        (tmp_path / folder).mkdir()
    # espeak-ng and Piper after the fake voice: never used to speak here, but they tell check what they would spell
    (tmp_path / "voices" / "fake.yaml").write_text(FAKE_VOICE + "  - engine: espeak-ng\n    voice: en-us\n  - engine: piper\n    voice: en_US-joe-medium\n")
    board = tmp_path / "storyboards" / "say.yaml"
    board.write_text(BOARD)
    return board


def vidgen(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "vidgen", *args], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_say_speaks_one_beat_into_the_cache_and_prints_its_wav(tmp_path: Path) -> None:
    board = project(tmp_path)
    started = time.perf_counter()
    first = vidgen(tmp_path, "say", str(board), "intro.2")
    assert first.returncode == 0, first.stderr
    wav = tmp_path / first.stdout.strip()
    assert wav.parent == tmp_path / "output" / ".cache" / "speech" and len(read_audio(wav)) > 48_000
    assert "fake (spoken): The en see eff model beats tfidf and the MLP." in first.stderr
    again = vidgen(tmp_path, "say", str(board), "intro.2")
    assert again.stdout == first.stdout and "fake (cached)" in again.stderr
    assert time.perf_counter() - started < 30
    text = vidgen(tmp_path, "say", str(board), "--text", "Say NCF <say as=\"twice\">2×</say>.")
    assert text.returncode == 0 and "Say en see eff twice." in text.stderr
    wrong = vidgen(tmp_path, "say", str(board), "intro.9")
    assert wrong.returncode == 2 and "no beat 9" in wrong.stderr and "Traceback" not in wrong.stderr


def test_say_does_not_import_manim(tmp_path: Path) -> None:
    board = project(tmp_path)
    code = (
        "import sys; from pathlib import Path; from vidgen.pronounce.say import say_beat; from vidgen.speech.engines.fake import FakeEngine; "
        f"print(say_beat(Path({str(board)!r}), 'intro', 0, engines={{'fake': FakeEngine}}).is_file(), 'manim' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.stdout.split() == ["True", "False"], result.stderr


def test_check_hints_at_unused_entries_and_spelled_words_and_exits_0(tmp_path: Path) -> None:
    board = project(tmp_path)
    result = vidgen(tmp_path, "check", str(board))
    assert result.returncode == 0, result.stderr
    hints = [line for line in result.stderr.splitlines() if line.startswith("hint:")]
    assert any("lexicon entry 'Unused' matches no narration" in h and "say.yaml:5:3" in h for h in hints)
    assert any("'tfidf'" in h and "unpronounceable to espeak-ng" in h for h in hints)
    assert any("'MLP'" in h and "no vowel" in h for h in hints)
    assert not any("'NCF'" in h for h in hints)  # the lexicon says it
    assert any("'ReLU': Piper's voice en_US-joe-medium has no phoneme(s) Q" in h for h in hints)


def test_narration_with_comparisons_and_ampersands_builds_and_shows_as_written(tmp_path: Path) -> None:
    board = project(tmp_path)
    result = build(board, BuildOptions(quality=QUALITIES["low"], out_dir=tmp_path / "output", jobs=1, engines={"fake": FakeEngine}))
    cues = parse_srt(result.video.with_suffix(".srt"))
    shown = " ".join(cue.text.replace("\n", " ") for cue in cues)
    assert shown.startswith(TRICKY)
    assert result.plan.scenes[0].beats[0].speech.spoken.startswith("If x is less than y and y is greater than z")
