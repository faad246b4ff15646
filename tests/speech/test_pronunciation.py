"""Each engine says the spoken text while subtitles keep the written one; the cache re-speaks
exactly the beats whose spoken text changed; marks inside `<say as>` land on their word."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any, ClassVar

import pytest

from tests.narration.test_marks import word_onsets
from tests.speech.test_engines import chunks, communicator
from vidgen.media.subtitles import make_cues
from vidgen.narrate import speak_storyboard
from vidgen.pronounce.lexicon import Lexicon, LexiconEntry
from vidgen.pronounce.pieces import pronounced
from vidgen.speech.audio import read_audio
from vidgen.speech.base import BeatSpeech
from vidgen.speech.engines.edge import EdgeEngine
from vidgen.speech.engines.fake import FakeEngine
from vidgen.speech.synthesize import speak_beats
from vidgen.speech.voices import EngineChoice, VoiceProfile
from vidgen.storyboard.loader import load_storyboard

SHOWN = "The NCF model."
SAID = "neural collaborative filtering"


def profile(engine: str, voice: str) -> VoiceProfile:
    return VoiceProfile(name="test", language="en", engines=[EngineChoice(engine=engine, voice=voice)])


def subtitles(speech: BeatSpeech) -> str:
    return " ".join(cue.text.replace("\n", " ") for cue in make_cues(speech.sentences, speech.words))


def espeak_phonemes(text: str, *options: str) -> str:
    return subprocess.run(["espeak-ng", "-v", "en-us", "-q", *options, text], capture_output=True, text=True, check=True).stdout.strip()


@pytest.mark.parametrize(("engine", "voice", "option"), [("espeak-ng", "en-us", "-x"), ("piper", "en_US-joe-medium", "--ipa")])
def test_offline_engines_say_the_lexicon_and_its_phonemes_but_show_the_written_word(tmp_path: Path, engine: str, voice: str, option: str) -> None:
    phonemes = espeak_phonemes(SAID, option).replace("\n", " ")  # Piper's phonemes are espeak-ng's IPA
    respelled = Lexicon.merged(("test", {"NCF": SAID}))
    by_phonemes = Lexicon.merged(("test", {"NCF": LexiconEntry(say="en see eff", phonemes={engine: phonemes})}))
    plain, said, phoned = (
        speak_beats([pronounced(SHOWN, lexicon)], profile(engine, voice), cache_dir=tmp_path)[0]
        for lexicon in (None, respelled, by_phonemes)
    )
    assert said.spoken == f"The {SAID} model." and phoned.spoken == f"The [[{phonemes}]] model."
    # "neural collaborative filtering" takes far longer to say than "N C F"; said as phonemes,
    # as long as said in words (brackets read out as text would take much longer still).
    assert said.duration > plain.duration + 0.5
    assert abs(phoned.duration - said.duration) < 0.3 * said.duration
    for speech in (plain, said, phoned):
        assert speech.text == SHOWN and subtitles(speech) == SHOWN


def test_edge_tts_is_sent_the_spoken_text_and_subtitles_show_the_written_one(tmp_path: Path, mp3_bytes: bytes) -> None:
    communicate, made = communicator(chunks(mp3_bytes, words=5))
    engines: dict[str, Any] = {"edge-tts": lambda: EdgeEngine(communicate, sleep=lambda s: None)}
    [speech] = speak_beats([pronounced(SHOWN, Lexicon.merged(("test", {"NCF": SAID})))], profile("edge-tts", "en-US-AriaNeural"), cache_dir=tmp_path, engines=engines)
    assert made[0].text == f"The {SAID} model."
    assert speech.text == SHOWN and subtitles(speech) == SHOWN


class NoTimings(FakeEngine):
    word_timings: ClassVar[bool] = False


@pytest.mark.parametrize("engine", [FakeEngine, NoTimings], ids=["word-timings", "measured-pieces"])
def test_a_mark_inside_an_alias_lands_on_its_spoken_word(tmp_path: Path, engine: type) -> None:
    say = 'One two <say as="three four five six">3 4 <mark name="five"/>5 6</say> seven. <mark name="eight"/>Eight <say as="nine">9</say>.'
    [speech] = speak_beats([say], profile("fake", "tone"), cache_dir=tmp_path, engines={"fake": engine})
    onsets = word_onsets(read_audio(speech.wav))
    assert len(onsets) == 9  # the fake voice sounds one tone per spoken word
    assert abs(speech.marks["five"] - onsets[4]) <= 0.05 and abs(speech.marks["eight"] - onsets[7]) <= 0.05
    assert [w.text for w in speech.words] == "One two 3 4 5 6 seven. Eight 9.".split()
    assert subtitles(speech) == "One two 3 4 5 6 seven. Eight 9."


BOARD = """title: Lexicon
voice: fake
scenes:
  - id: s
    title: S
    beats:
      - say: Plain words here.
      - say: The NCF model.
      - say: The <say as="emm ell pee">MLP</say> and NCF again.
      - say: Other plain words.
"""


def spoken_beats(board: Path) -> list[BeatSpeech]:
    return speak_storyboard(load_storyboard(board), cache_dir=board.parent.parent / "cache", offline=True, warn=lambda m: None, engines={"fake": FakeEngine})[0]


def test_a_lexicon_edit_re_speaks_exactly_the_beats_that_use_the_word(tmp_path: Path) -> None:
    for folder in ("storyboards", "voices"):
        (tmp_path / folder).mkdir()
    (tmp_path / "voices" / "fake.yaml").write_text("name: fake\nengines:\n  - engine: fake\n    voice: tone\n")
    lexicon = tmp_path / "voices" / "lexicon.en.yaml"
    lexicon.write_text("language: en\nwords:\n  NCF: en see eff\n")
    board = tmp_path / "storyboards" / "b.yaml"
    board.write_text(BOARD)
    entries = lambda: sorted((tmp_path / "cache" / "speech").glob("*.wav"))  # noqa: E731

    first = spoken_beats(board)
    assert FakeEngine.calls == 4 and len(entries()) == 4
    assert [s.spoken for s in first[1:3]] == ["The en see eff model.", "The emm ell pee and en see eff again."]
    identity = json.loads(first[1].wav.with_suffix(".json").read_text())["identity"]
    assert identity["spoken"] == "The en see eff model." and identity["engine"] == "fake" and identity["model"] == {"voice": "tone"}

    assert not any(s.cached is False for s in spoken_beats(board)) and FakeEngine.calls == 4
    lexicon.write_text("language: en\nwords:\n  NCF: neural collaborative filtering\n")
    edited = spoken_beats(board)
    assert [s.cached for s in edited] == [True, False, False, True] and FakeEngine.calls == 6 and len(entries()) == 6

    # What is shown may change without a word said differently: nothing is spoken again.
    board.write_text(BOARD.replace(">MLP</say>", ">M.L.P.</say>"))
    shown_only = spoken_beats(board)
    assert all(s.cached for s in shown_only) and FakeEngine.calls == 6
    assert shown_only[2].text == "The M.L.P. and NCF again."
