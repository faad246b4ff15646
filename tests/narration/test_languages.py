"""Language cuts: a translation file makes the other language's video, or lists what it lacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.conftest import vidgen
from tests.helpers import FAKE_VOICE
from vidgen.media import parse_srt, probe

POLISH = """
language: pl
voice: fake_pl
title: Maleńki film
strings:
  Ratings: Oceny
  A caption: Podpis
  Network: Sieć
scenes:
  first:
    title: Pierwsza scena
    say:
      - Oto wektor trzech ocen.
      - Środkowa to <mark name="zero"/>zero. Nie została oceniona.
  second:
    title: Druga scena
    say:
      - Mała sieć i impuls przez nią.
"""


def speaker_of(project: Path, language: str) -> str:
    """A test-tone voice profile for `language`: a cut must be spoken by a voice of its language."""
    name = f"fake_{language}"
    (project / "voices" / f"{name}.yaml").write_text(FAKE_VOICE.replace("name: fake", f"name: {name}").replace("language: en", f"language: {language}"))
    return name


def test_a_polish_cut_speaks_shows_and_subtitles_polish(project: Path) -> None:
    speaker_of(project, "pl")
    (project / "storyboards" / "translations").mkdir()
    (project / "storyboards" / "translations" / "tiny.pl.yaml").write_text(POLISH)
    result = vidgen("build", "storyboards/tiny.yaml", "--lang", "pl", "--quality", "low", cwd=project)
    assert result.returncode == 0, result.stderr
    folder = project / "output" / "tiny-pl"
    info = probe(folder / "tiny-pl.mp4")
    assert [c.title for c in info.chapters] == ["Pierwsza scena", "Druga scena"]
    cues = " ".join(c.text.replace("\n", " ") for c in parse_srt(folder / "tiny-pl.srt"))
    assert cues == "Oto wektor trzech ocen. Środkowa to zero. Nie została oceniona. Mała sieć i impuls przez nią."
    report = json.loads((folder / "build.json").read_text())
    assert report["language"] == "pl" and report["title"] == "Maleńki film"


def test_a_cut_spoken_by_a_voice_of_another_language_is_refused(project: Path) -> None:
    (project / "storyboards" / "translations").mkdir()
    (project / "storyboards" / "translations" / "tiny.pl.yaml").write_text(POLISH.replace("voice: fake_pl", "voice: fake"))
    result = vidgen("check", "storyboards/tiny.yaml", cwd=project)
    assert result.returncode == 0, result.stderr  # the storyboard itself is fine
    result = vidgen("build", "storyboards/tiny.yaml", "--lang", "pl", "--quality", "low", cwd=project)
    assert result.returncode == 2 and "voice 'fake' speaks 'en', but the narration is in 'pl'" in result.stderr


def test_a_missing_translation_lists_everything_missing(project: Path) -> None:
    speaker_of(project, "pl")
    (project / "storyboards" / "translations").mkdir()
    incomplete = POLISH.replace("  Network: Sieć\n", "").replace("      - Środkowa to <mark name=\"zero\"/>zero. Nie została oceniona.\n", "      - Środkowa to zero.\n")
    (project / "storyboards" / "translations" / "tiny.pl.yaml").write_text(incomplete)
    result = vidgen("build", "storyboards/tiny.yaml", "--lang", "pl", "--quality", "low", cwd=project)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "the 'pl' translation is missing" in result.stderr
    assert "scene 'first', beat 2: the narration lacks mark(s) zero" in result.stderr
    assert "on-screen text 'Network'" in result.stderr


def test_no_translation_file_is_a_clear_error(project: Path) -> None:
    result = vidgen("build", "storyboards/tiny.yaml", "--lang", "de", cwd=project)
    assert result.returncode == 2 and "no 'de' translation of tiny.yaml" in result.stderr


def test_translate_writes_a_skeleton_that_builds_as_it_is(project: Path) -> None:
    assert vidgen("translate", "storyboards/tiny.yaml", "--lang", "fr", "--voice", speaker_of(project, "fr"), cwd=project).returncode == 0
    skeleton = project / "storyboards" / "translations" / "tiny.fr.yaml"
    assert "Here is a vector of three ratings." in skeleton.read_text()
    assert vidgen("check", "storyboards/tiny.yaml", cwd=project).returncode == 0
    built = vidgen("build", "storyboards/tiny.yaml", "--lang", "fr", "--quality", "low", cwd=project)
    assert built.returncode == 0, built.stderr


@pytest.mark.e2e
def test_the_autoencoder_has_a_complete_polish_cut() -> None:
    from vidgen.storyboard.loader import load_storyboard
    from vidgen.translate import language_cut

    root = Path(__file__).resolve().parents[2]
    cut = language_cut(load_storyboard(root / "storyboards" / "autoencoder.yaml"), "pl")
    assert cut.storyboard.language == "pl" and cut.storyboard.voice == "narrator_pl"
    assert cut.storyboard.scenes[3].beats[1].narration.mark_names == ("five", "three")
