"""Scanning lower-cased text to find where a case-insensitive pattern can match: the same
matches as the pattern's own ``finditer``, and a refusal where that cannot be promised."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exitlens.cases.cues import _cue_starts
from exitlens.cases.lexicon import (
    PRONOUNS,
    candidate_starts,
    fast_finditer,
    lower_text,
    lowered,
    matches_at,
)
from exitlens.cases.mentions import (
    PSEUDONYM,
    TOKEN,
    _collective_patterns,
    _description_pattern,
    _pronoun_scout,
)

PATTERNS = [PSEUDONYM, *_collective_patterns("en"), _description_pattern("en"),
            _cue_starts("en"), _cue_starts("fr"), _cue_starts("de"),
            re.compile(r"(?P<Who>Abu|Umm)\s+(?-i:[A-Z]\w+)(?P=Who)?", re.IGNORECASE)]
WORDS = ["He", "asked", "to", "be", "called", "Sami", "ABU", "umm", "Yusra", "Dozens", "of",
         "former", "fighters", "the", "defectors", "in", "Raqqa", "camp", "İstanbul", "a",
         "26-year-old", "woman", "from", "Mosul", "defected", "RETURNED", "to", "France",
         "Aussteiger", "ist", "ausgestiegen", "s'est", "rendu", "'", "’", ",", ".", "\n"]


def spans(matches: object) -> list[tuple[int, int]]:
    return [m.span() for m in matches]  # type: ignore[attr-defined]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=40))
def test_the_same_matches_as_finditer(words: list[str]) -> None:
    text = " ".join(words)
    for pattern in PATTERNS:
        assert spans(fast_finditer(pattern, text)) == spans(pattern.finditer(text))


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["I", "i'm", "I’ve", "he", "her", "HE", "here", "she's", "them",
                                 "j'ai", "m'appelle", "Je", "ich", "Sie", "sieben", "x", "3",
                                 "'", "’", ",", "\n", "İ"]), max_size=40))
def test_pronoun_scout_finds_every_pronoun(words: list[str]) -> None:
    text = " ".join(words)
    for language in ("en", "fr", "de"):
        starts = [m.start() for m in _pronoun_scout(language).finditer(lower_text(text))]
        assert pronouns(matches_at(TOKEN, text, starts), language) == pronouns(
            TOKEN.finditer(text), language)


def pronouns(matches: object, language: str) -> list[tuple[int, int]]:
    return [m.span() for m in matches  # type: ignore[attr-defined]
            if m.group().lower().replace("’", "'") in PRONOUNS[language]]


def test_lower_text_keeps_every_offset() -> None:
    text = "İstanbul, DEFECTED"
    assert len(text.lower()) != len(text)
    assert lower_text(text) == "istanbul, defected"
    # every letter that ignoring case matches as an ASCII letter is lower-cased to it
    assert lower_text("Kırıkkale ſoldiers") == "kirikkale soldiers"
    # a case-insensitive [A-Z] matches "İ": so must the scout on the lower-cased text
    returned = _cue_starts("en")
    assert spans(fast_finditer(returned, "RETURNED to İstanbul")) == spans(
        returned.finditer("RETURNED to İstanbul"))
    assert lower_text("ABC") == "abc"


def test_patterns_that_lower_case_could_break_are_scanned_as_they_are() -> None:
    # case-sensitive (no IGNORECASE): "Abu" must not match "abu"
    assert lowered(re.compile(r"Abu")) is None
    # a case-sensitive part beside a negative lookahead that tests letters
    risky = re.compile(r"(?-i:[A-Z]\w+)(?!Front)", re.IGNORECASE)
    assert lowered(risky) is None
    # such a pattern finds its own candidate positions in the original text
    assert candidate_starts(risky, "Wolf front") == [m.start() for m in
                                                     risky.finditer("Wolf front")]
    assert spans(fast_finditer(risky, "Wolf front")) == spans(risky.finditer("Wolf front"))
    # a negative lookbehind without letters is fine
    assert lowered(re.compile(r"(?<![.\d])(?-i:[A-Z])\w+", re.IGNORECASE)) is not None


@pytest.mark.parametrize("text", ["The 12 former fighters in the camp", "dozens of Somalis",
                                  "She asked to be called Amal (not her real name)."])
def test_scouting_finds_the_real_matches(text: str) -> None:
    for pattern in PATTERNS:
        assert spans(fast_finditer(pattern, text)) == spans(pattern.finditer(text))
