"""Compare detected cases with gold cases: one-to-one alignment by label similarity, then
case detection precision and recall, and accuracy of gender, country and the collective flag
over aligned pairs, and of the exit year over aligned pairs whose gold gives one."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from exitlens.cases.lexicon import NUMBER_WORDS
from exitlens.records import DetectedCase, GoldCase, GoldDocument

BOILERPLATE = frozenset("""
    a an the of in and or as by to for with from on at his her their its who whom
    pseudonym pseudonyms name names named used use source published first chosen changed
    unnamed research initials initial pen account online handle caller interview given
    not real le la les de du des d l un une prénom emprunt der die das und geändert
    name changed was were is are aged about around some approx per
""".split())
UNITS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
         "eight": 8, "nine": 9}


@dataclass(frozen=True, slots=True)
class CaseScores:
    """Case detection and attribute accuracy over a set of documents."""

    gold: int
    detected: int
    matched: int
    precision: float
    recall: float
    gender_accuracy: float
    country_accuracy: float
    collective_accuracy: float
    individual_pairs: int
    pairs: int
    exit_year_accuracy: float
    exit_year_pairs: int

    def as_dict(self) -> dict[str, float | int]:
        return {name: getattr(self, name) for name in self.__slots__}


def label_tokens(label: str) -> dict[str, float]:
    """Tokens of a label with weights: names 3, numbers 2, other words 1."""
    weights: dict[str, float] = {}
    text = re.sub(r"['’]s\b", "", label)
    for raw in re.findall(r"[\w.-]+", text):
        word = raw.strip(".-")
        if not word:
            continue
        number = _number(word)
        if number is not None:
            weights[str(number)] = 2.0
            continue
        lower = word.lower()
        if lower in BOILERPLATE:
            continue
        weight = 3.0 if word[0].isupper() or re.search(r"\d", word) else 1.0
        weights[lower] = max(weights.get(lower, 0.0), weight)
    return weights


def _number(word: str) -> int | None:
    if word.isdigit():
        return int(word)
    parts = word.lower().split("-")
    if all(p in NUMBER_WORDS or p in UNITS for p in parts):
        return sum(NUMBER_WORDS.get(p, UNITS.get(p, 0)) for p in parts)
    return None


def label_similarity(detected: str, gold: str) -> float:
    a, b = label_tokens(detected), label_tokens(gold)
    return sum(min(a[t], b[t]) for t in a.keys() & b.keys())


def align_cases(detected: Sequence[DetectedCase],
                gold: Sequence[GoldCase]) -> list[tuple[int | None, int | None]]:
    """Pairs of indices (detected, gold), one-to-one, best label similarity first; every index
    appears once, unmatched ones paired with None. One detected and one gold case in a
    document are paired whatever their labels."""
    if len(detected) == 1 and len(gold) == 1:
        return [(0, 0)]
    scored = []
    for i, case in enumerate(detected):
        for j, truth in enumerate(gold):
            score = label_similarity(case.label, truth.label)
            if score > 0:
                bonus = 0.5 if case.collective == truth.collective else 0.0
                scored.append((score + bonus, i, j))
    pairs: list[tuple[int | None, int | None]] = []
    used_d: set[int] = set()
    used_g: set[int] = set()
    for _, i, j in sorted(scored, key=lambda s: (-s[0], s[1], s[2])):
        if i not in used_d and j not in used_g:
            pairs.append((i, j))
            used_d.add(i)
            used_g.add(j)
    pairs.extend((i, None) for i in range(len(detected)) if i not in used_d)
    pairs.extend((None, j) for j in range(len(gold)) if j not in used_g)
    return pairs


def case_scores(detected: Sequence[DetectedCase],
                gold: Sequence[GoldDocument]) -> CaseScores:
    """Scores over the gold documents; detected cases of documents without gold are left
    out."""
    by_key: dict[str, list[DetectedCase]] = {}
    for case in detected:
        by_key.setdefault(case.key, []).append(case)
    n_gold = n_detected = matched = 0
    gender = country = collective = individual = pairs = exit_year = dated = 0
    for document in gold:
        found = by_key.get(document.source, [])
        n_gold += len(document.cases)
        n_detected += len(found)
        for i, j in align_cases(found, document.cases):
            if i is None or j is None:
                continue
            case, truth = found[i], document.cases[j]
            matched += 1
            pairs += 1
            collective += case.collective == truth.collective
            if truth.exit_year is not None:
                dated += 1
                exit_year += case.exit_year == truth.exit_year
            if not truth.collective:
                individual += 1
                gender += case.gender == truth.gender
                country += case.country == truth.country
    return CaseScores(
        gold=n_gold, detected=n_detected, matched=matched,
        precision=_ratio(matched, n_detected), recall=_ratio(matched, n_gold),
        gender_accuracy=_ratio(gender, individual), country_accuracy=_ratio(country, individual),
        collective_accuracy=_ratio(collective, pairs), individual_pairs=individual, pairs=pairs,
        exit_year_accuracy=_ratio(exit_year, dated), exit_year_pairs=dated)


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0
