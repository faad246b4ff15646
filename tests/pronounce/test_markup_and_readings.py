"""What is said for what is written: vidgen's tags, text that only looks like markup, the
lexicon's matching, and the built-in readings of numbers, units and inline math."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.helpers import one_scene
from vidgen.errors import StoryboardError
from vidgen.pronounce.lexicon import Lexicon, LexiconEntry, project_lexicon
from vidgen.pronounce.pieces import utter
from vidgen.storyboard.narration import NarrationError, parse_narration

TRICKY = 'If x < y and y > z, then R&D pays for "tags" like a<b & co. Zażółć gęślą jaźń.'


def spoken(text: str, language: str = "en", lexicon: Lexicon | None = None, engine: str = "piper") -> str:
    return utter(parse_narration(text), engine, lexicon, language).spoken


def test_comparisons_ampersands_and_quotes_are_text_shown_as_written() -> None:
    narration = parse_narration(TRICKY)
    assert narration.text == TRICKY and narration.marks == () and narration.aliases == ()
    board = one_scene("v: {vector: [1]}\n", "- say: " + json.dumps(TRICKY) + "\n")  # validates as a storyboard
    assert board.scenes[0].beats[0].narration.text == TRICKY
    assert spoken(TRICKY).startswith("If x is less than y and y is greater than z, then R&D pays for \"tags\" like a is less than b & co.")


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ('Hello <mark nme="x"/> there.', "is not a mark"),
        ("The <say>NCF</say> model.", "is not a say tag"),
        ('The <sya as="x">NCF</sya> model.', "did you mean <say>"),
        ('Wait <break time="1s"/> now.', "is not a vidgen tag"),
        ('The <say as="en see eff">NCF model.', "is not closed"),
        ("The NCF</say> model.", "closes no <say>"),
        ('<say as="a"><say as="b">x</say></say>', "inside another <say>"),
    ],
)
def test_near_misses_of_our_tags_are_errors(raw: str, message: str) -> None:
    with pytest.raises(NarrationError, match=message):
        parse_narration(raw)


def test_an_alias_is_spoken_and_its_written_text_shown() -> None:
    narration = parse_narration('The <say as="neural collaborative filtering">NCF</say> model <mark name="m"/>wins.')
    assert narration.text == "The NCF model wins."
    utterance = utter(narration, "espeak-ng")
    assert utterance.spoken == "The neural collaborative filtering model wins."
    assert utterance.spoken_words[dict(utterance.marks)["m"]] == "wins."


def test_lexicon_matches_whole_words_and_is_case_aware() -> None:
    lexicon = Lexicon.merged(("test", {"NCF": "en see eff", "netflix": "net flicks", "k means": "kay means"}))
    assert spoken("NCF, NCFs and ncf", lexicon=lexicon) == "en see eff, NCFs and ncf"  # capitals: only as written
    assert spoken("Netflix and NETFLIX", lexicon=lexicon) == "net flicks and net flicks"  # lower case: any case
    assert spoken("use k  means here", lexicon=lexicon) == "use kay means here"


def test_phonemes_go_only_to_the_engines_that_take_them() -> None:
    lexicon = Lexicon.merged(("test", {"ReLU": LexiconEntry(say="ray loo", phonemes={"espeak-ng": "r'eIlu:", "piper": "ɹˈeɪluː"})}))
    assert spoken("a ReLU layer", lexicon=lexicon, engine="espeak-ng") == "a [[r'eIlu:]] layer"
    assert spoken("a ReLU layer", lexicon=lexicon, engine="piper") == "a [[ɹˈeɪluː]] layer"
    assert spoken("a ReLU layer", lexicon=lexicon, engine="edge-tts") == "a ray loo layer"


def test_a_storyboard_entry_wins_over_the_project_file(tmp_path: Path) -> None:
    (tmp_path / "lexicon.en.yaml").write_text("language: en\nwords:\n  NCF: en see eff\n  SVD: ess vee dee\n")
    lexicon = project_lexicon([tmp_path], "en-US", {"NCF": "neural collaborative filtering"})
    assert spoken("NCF and SVD", lexicon=lexicon) == "neural collaborative filtering and ess vee dee"


def test_a_bad_lexicon_file_is_reported_at_its_line(tmp_path: Path) -> None:
    (tmp_path / "lexicon.en.yaml").write_text("language: en\nwords:\n  ReLU:\n    say: ray loo\n    phonemes: {espeak: x}\n")
    with pytest.raises(StoryboardError) as caught:
        project_lexicon([tmp_path], "en")
    assert f"{tmp_path / 'lexicon.en.yaml'}:5:" in str(caught.value) and "espeak-ng" in str(caught.value)


@pytest.mark.parametrize(
    ("language", "written", "said"),
    [
        ("en", "from -0.35 to 0.92", "from minus zero point three five to zero point nine two"),
        ("en", "a 3×3 matrix, 2 × 5", "a 3 by 3 matrix, 2 times 5"),
        ("en", "x² and 10⁻³ and Aᵀ", "x squared and 10 to the power of minus three and A transposed"),
        ("en", "r̂ᵤᵢ ≈ 4.5", "r hat u i is approximately four point five"),
        ("en", "a/b, and/or", "a over b, and/or"),
        ("en", "50% in 10 ms at 44 kHz, 1 GB", "fifty percent in ten milliseconds at forty-four kilohertz, one gigabyte"),
        ("en", "1,000 users, version 1.2.3, 2024", "one thousand users, version 1.2.3, 2024"),
        ("pl", "od -0,35 do 0.92", "od minus zero przecinek trzydzieści pięć do zero przecinek dziewięćdziesiąt dwa"),
        ("pl", "2 GB, 5 GB, 2,5 GB, 22 ms, 12 ms", "dwa gigabajty, pięć gigabajtów, dwa przecinek pięć gigabajta, dwadzieścia dwa milisekundy, dwanaście milisekund"),
        ("pl", "x², 3×3, R&D, a<b", "x do kwadratu, 3 na 3, R i D, a jest mniejsze od b"),
    ],
)
def test_built_in_readings_change_what_is_said_not_what_is_shown(language: str, written: str, said: str) -> None:
    utterance = utter(parse_narration(written), "piper", None, language)
    assert utterance.spoken == said and utterance.shown == written
