"""Writing one narration back into a storyboard: that scalar changes, nothing else does."""

from __future__ import annotations

import textwrap

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from vidgen.studio.editing import EditRefused, replace_narration

BOARD = textwrap.dedent(
    """\
    # A storyboard with every way of writing narration.
    title: Styles   # the title
    voice: fake
    scenes:
      - id: one
        title: One
        elements:
          box: &shared {text: Hi}
        beats:
          - say: Plain words on one line.   # a comment after it
            do: [show: box]
          - say: 'Single quoted: it''s here.'
          - say: "Double \\"quoted\\"."
          - say: >
              Folded text that a writer wrapped
              over two lines.

          - say: |-
              Literal text.
          - {say: In a flow mapping, pause: 1}
          - say: A plain scalar that goes on
              over a second line.
      - id: two
        title: Two
        beats:
          - say: &words Shared words.
          - say: *words
          - <<: {say: Merged in.}
          - say: {en: English words., pl: Polskie słowa.}
    """
)


def _diff_inside(old: str, new: str) -> tuple[str, str]:
    """The changed middle of old and new (common prefix and suffix removed)."""
    start = 0
    while start < min(len(old), len(new)) and old[start] == new[start]:
        start += 1
    end = 0
    while end < min(len(old), len(new)) - start and old[-1 - end] == new[-1 - end]:
        end += 1
    return old[start : len(old) - end], new[start : len(new) - end]


def _say(text: str, scene: int, beat: int) -> object:
    return yaml.safe_load(text)["scenes"][scene]["beats"][beat]["say"]


@pytest.mark.parametrize("beat", range(7))
def test_each_style_keeps_its_style_and_the_rest_of_the_file(beat: int) -> None:
    edited = replace_narration(BOARD, "one", beat, "New words, and more words to say here.")
    assert " ".join(str(_say(edited, 0, beat)).split()) == "New words, and more words to say here."
    old_lines, new_lines = BOARD.splitlines(), edited.splitlines()
    data_before, data_after = yaml.safe_load(BOARD), yaml.safe_load(edited)
    data_before["scenes"][0]["beats"][beat]["say"] = data_after["scenes"][0]["beats"][beat]["say"]
    assert data_before == data_after  # only that value changed
    assert old_lines[:9] == new_lines[:9] and old_lines[-7:] == new_lines[-7:]  # comments, anchors, the other scene: as they were


def test_styles_as_written() -> None:
    plain = replace_narration(BOARD, "one", 0, "Other words.")
    assert "    - say: Other words.   # a comment after it\n" in plain
    single = replace_narration(BOARD, "one", 1, "Quoted: still.")
    assert "    - say: 'Quoted: still.'\n" in single
    double = replace_narration(BOARD, "one", 2, 'Say "this".')
    assert '    - say: "Say \\"this\\"."\n' in double
    folded = replace_narration(BOARD, "one", 3, "Shorter.")
    assert "    - say: >\n          Shorter.\n\n      - say: |-\n" in folded
    flow = replace_narration(BOARD, "one", 5, "Still in the flow mapping")
    assert "- {say: Still in the flow mapping, pause: 1}" in flow
    wrapped = replace_narration(BOARD, "one", 6, "Plain again across two lines of text, longer than before so that it wraps for sure.")
    assert _say(wrapped, 0, 6) == "Plain again across two lines of text, longer than before so that it wraps for sure."


def test_text_a_plain_scalar_cannot_hold_is_quoted() -> None:
    for text in ("A colon: here.", "# not a comment", "- a dash", "[brackets]", "ends with a colon:"):
        edited = replace_narration(BOARD, "one", 0, text)
        assert _say(edited, 0, 0) == text
        assert "# a comment after it" in edited
    flow = replace_narration(BOARD, "one", 5, "Commas, in a flow mapping")
    assert _say(flow, 0, 5) == "Commas, in a flow mapping"


def test_an_empty_narration_is_written_as_empty_text() -> None:
    assert _say(replace_narration(BOARD, "one", 0, "  "), 0, 0) == ""
    assert _say(replace_narration(BOARD, "one", 3, ""), 0, 3) == ""


def test_shared_and_merged_narration_is_refused() -> None:
    for beat in (0, 1):
        with pytest.raises(EditRefused, match="shared through a YAML anchor"):
            replace_narration(BOARD, "two", beat, "Changed.")
    with pytest.raises(EditRefused, match="<<"):
        replace_narration(BOARD, "two", 2, "Changed.")
    with pytest.raises(EditRefused, match="no scene 'three'"):
        replace_narration(BOARD, "three", 0, "Changed.")
    with pytest.raises(EditRefused, match="there is no beat 9"):
        replace_narration(BOARD, "one", 8, "Changed.")
    with pytest.raises(EditRefused, match="not valid YAML"):
        replace_narration(BOARD + "  bad: [\n", "one", 0, "Changed.")


def test_inline_translations_edit_the_language_entry_or_are_refused() -> None:
    edited = replace_narration(BOARD, "two", 3, "Nowe słowa.", language="pl")
    assert _say(edited, 1, 3) == {"en": "English words.", "pl": "Nowe słowa."}
    with pytest.raises(EditRefused, match="per language"):
        replace_narration(BOARD, "two", 3, "Words.", language="de")


def test_windows_line_ends_stay() -> None:
    crlf = BOARD.replace("\n", "\r\n")
    edited = replace_narration(crlf, "one", 3, "A folded narration long enough to need two lines when it is wrapped at this width.")
    assert "\n" not in edited.replace("\r\n", "")
    assert " ".join(_say(edited, 0, 3).split()) == "A folded narration long enough to need two lines when it is wrapped at this width."


narrations = st.text(st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")) | st.sampled_from(list(":#'\"-[]{},&*!|>%@`? \t\n")), max_size=80)


@settings(max_examples=120, deadline=None)
@given(beat=st.sampled_from(range(7)), narration=narrations)
def test_any_text_round_trips_and_only_its_scalar_changes(beat: int, narration: str) -> None:
    edited = replace_narration(BOARD, "one", beat, narration)
    assert " ".join(_say(edited, 0, beat).split()) == " ".join(narration.split())
    removed, added = _diff_inside(BOARD, edited)
    assert "#" not in removed or "#" in added  # no comment lost
    assert BOARD.count("\n") - removed.count("\n") + added.count("\n") == edited.count("\n")
