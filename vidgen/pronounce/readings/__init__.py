"""Built-in readings per language: a registry of vocabularies (language code → words).

To add a language: one module with its `Vocabulary`, listed here."""

from __future__ import annotations

from vidgen.pronounce.readings import en, pl
from vidgen.pronounce.readings.common import Reading, Vocabulary, standard_readings

VOCABULARIES: dict[str, Vocabulary] = {"en": en.VOCABULARY, "pl": pl.VOCABULARY}


def readings_for(language: str) -> list[Reading]:
    """The readings for a narration language (none for a language without a vocabulary)."""
    vocabulary = VOCABULARIES.get(language.split("-")[0].lower())
    return standard_readings(vocabulary) if vocabulary else []


__all__ = ["VOCABULARIES", "Reading", "readings_for"]
