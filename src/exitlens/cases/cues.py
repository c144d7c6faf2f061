"""Exit cues: words that say someone left a group ("defected", "walked away", "came out of
the bush", "s'est rendu", "ausgestiegen"), with negations, hypotheticals and the objects of
"left" that make it travel or an ordinary life change ruled out."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from exitlens.cases.document import Prepared
from exitlens.cases.gazetteer import find_places, is_conflict_zone
from exitlens.cases.lexicon import (
    BLOCKERS,
    EXIT_CUES,
    GROUP_OBJECTS,
    GROUP_WORDS,
    GROUPS,
    NOT_GROUP_OBJECTS,
    any_of,
    candidate_starts,
    matches_at,
)

CLAUSE_BREAK = re.compile(r"[,;:.!?()\[\]\"“”«»—–]|\b(?:and|but|because|so|et|mais|und|aber"
                          r"|weil|parce)\b", re.IGNORECASE)
NOT_AFTER_LEFT = re.compile(
    r"\s+(?:behind|over|alone|out|unanswered|untouched|side|hand|arm|leg|ear|eye|foot|wing"
    r"|him|her|me|us|you|for|to go|to join|to fight|with (?:his|her|my|their) (?:husband"
    r"|wife|friends?|brothers?|cousins?))\b", re.IGNORECASE)
TRAVEL_FOR = re.compile(r"\s+(?:[\w'’-]+\s+){0,5}?for\s+(?:Syria|Iraq|Sham|Somalia|the\s+"
                        r"(?:front|caliphate|jihad))\b", re.IGNORECASE)
ORIGIN_OBJECT = re.compile(r"\s+(?:the\s+)?(?:family\s+)?(?:home|house|flat|neighbourhood"
                           r"|suburb|village|town|city|country|school|job)\b", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Cue:
    start: int
    end: int
    text: str
    strength: float
    sentence: int


def find_cues(prep: Prepared) -> list[Cue]:
    """Exit cues in ``prep``, strongest first where they overlap."""
    found: list[Cue] = []
    starts = candidate_starts(_cue_starts(prep.language), prep.text, prep.lower)
    for pattern in EXIT_CUES[prep.language]:
        for m in matches_at(pattern.pattern, prep.text, starts):
            if _blocked(prep, m.start()) or (m.group().isupper() and len(m.group()) > 2):
                continue
            strength = (_leave_strength(prep, m, pattern.strength) if pattern.leave
                        else pattern.strength)
            if m.group().endswith(" to ") and m.group().lower().startswith("return"):
                strength = _return_strength(prep, m.end(), strength)
            if strength > 0:
                found.append(Cue(m.start(), m.end(), m.group(), strength,
                                 prep.sentence_at(m.start()).index))
    found.sort(key=lambda c: (-c.strength, c.start))
    kept: list[Cue] = []
    for cue in found:
        if not any(cue.start < k.end and k.start < cue.end for k in kept):
            kept.append(cue)
    return sorted(kept, key=lambda c: c.start)


@cache
def _cue_starts(language: str) -> re.Pattern[str]:
    """Every position where some exit cue of ``language`` matches, so that each cue is tried
    only there and not scanned for separately over the whole text."""
    return any_of([cue.pattern for cue in EXIT_CUES[language]])


def _blocked(prep: Prepared, start: int) -> bool:
    """A negation, condition, wish or attempt earlier in the same clause."""
    sentence = prep.sentence_at(start)
    before = prep.text[sentence.start:start]
    clause = CLAUSE_BREAK.split(before)[-1]
    words = clause.split()[-3:]
    imperative = not clause.strip() and re.match(
        r"(?:come|leave|get|walk|quit|return|surrender|go)\b", prep.text[start:start + 10],
        re.IGNORECASE)
    return bool(imperative) or bool(BLOCKERS[prep.language].search(" ".join(words)))


def _leave_strength(prep: Prepared, m: re.Match[str], base: float) -> float:
    """"left the group" is an exit, "left Copenhagen for Syria" and "left home" are not."""
    after = prep.text[m.end():m.end() + 70]
    head = re.split(r"[.;:!?\n]", after)[0]
    if NOT_AFTER_LEFT.match(after) or TRAVEL_FOR.match(head):
        return 0.0
    if _names_group(head[:45]) or GROUP_OBJECTS.match(head.lstrip()):
        return 1.0
    if ORIGIN_OBJECT.match(after) or NOT_GROUP_OBJECTS.match(head.lstrip()):
        return 0.0
    place = next((p for p in find_places(head[:30]) if p.kind != "demonym"), None)
    if place is not None and head[:place.start].strip() in ("", "the"):
        return 0.8 if is_conflict_zone(place.code) else 0.0
    return base


def _return_strength(prep: Prepared, end: int, base: float) -> float:
    """"returned to Indonesia" is going home; "returned to Syria" is going back to the war."""
    place = next(iter(find_places(prep.text[end:end + 30])), None)
    if place is None or place.start > 0 or place.kind == "demonym" or \
            is_conflict_zone(place.code):
        return 0.0
    return base


def _names_group(text: str) -> bool:
    if any(pattern.search(text) for pattern, _ in GROUPS):
        return re.match(r"\s*(?:the\s+|a\s+|an\s+)?(?:[\w'’-]+\s+){0,2}?\S*", text) is not None \
            and not re.match(r"\s*(?:for|to|with)\b", text)
    return bool(re.match(r"\s*(?:the|a|an|this|that|his|her|their)\s+(?:[\w'’-]+\s+){0,3}?"
                         + GROUP_WORDS.pattern, text, re.IGNORECASE))
