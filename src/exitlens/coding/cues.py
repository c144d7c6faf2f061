"""Cues that cancel a matched reason inside one segment: negation, hypotheticals, unbroken
promises and denials. Shared by coders that find evidence by matching text.

A coder finds a match at ``text[start:end]`` of a segment and asks::

    kind = find_cue(text, start, end, language="en", following=next_segment_text)

``kind`` is ``None`` when the match stands, else one of:

- ``negation``: a negation governs the match in its clause ("he never complained about
  money", "it wasn't the money", "not because of the bombing", "I was not afraid"), or the
  clause denies it afterwards ("money was never the issue", "... had nothing to do with it");
- ``hypothetical``: the match sits in a counterfactual or conditional clause ("if they had
  not paid us, I would have left", "had he been asked, ...");
- ``promise``: the match is something promised or advertised and nothing in the sentence (or
  the opening of the next one) says the promise was broken ("recruiters promised a house and
  a car"; but "they promised a house, which never came" stands);
- ``denial``: the sentence, or the one after it, denies that this was the reason ("the pay
  stopped, but that is not why I left").

The rules are deliberately shallow: clause boundaries are punctuation and a few conjunctions,
negation must come within a few words before the match. English has the full set; French and
German a smaller one; other languages get no cues (and no keyword patterns).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from typing import Literal

CueKind = Literal["negation", "hypothetical", "promise", "denial"]
ALL_CUES: frozenset[CueKind] = frozenset({"negation", "hypothetical", "promise", "denial"})
NEGATION_WINDOW = 4  # words allowed between a negation and the match it governs
PROMISE_REACH = 90  # characters before a match in which a promise word frames it

_F = re.IGNORECASE


@dataclass(frozen=True, slots=True)
class CueRules:
    """The compiled cue expressions of one language."""

    clause_break: re.Pattern[str]
    scope_break: re.Pattern[str]
    negation: re.Pattern[str]
    not_negation: re.Pattern[str]
    clause_negation: re.Pattern[str]
    denied_after: re.Pattern[str]
    denies_before: re.Pattern[str]
    denies_previous: re.Pattern[str]
    condition: re.Pattern[str]
    not_condition: re.Pattern[str]
    counterfactual: re.Pattern[str]
    irrealis: re.Pattern[str]
    promise: re.Pattern[str]
    broken: re.Pattern[str]


def _rules(**parts: str) -> CueRules:
    return CueRules(**{name: re.compile(rx, _F) for name, rx in parts.items()})


_NEVER = r"(?!x)x"  # matches nothing

_EN = dict(
    clause_break=r"[;:!?()\[\]\"“”]|,|\s[-–—]+\s|[–—]|\b(?:but|yet|although|though|whereas|"
                 r"however|instead|otherwise)\b",
    scope_break=r"\b(?:and|or|who|which|when|where|while|since|after|before|until|so)\b",
    negation=r"\b(?:not|never|no|nobody|nothing|neither|nor|hardly|barely|without)\b|n['’]t\b",
    not_negation=r"^(?:n['’]t|not|never|no)\s+(?:only|just|even|longer|more|once|again|one\s+"
                 r"(?:cared|asked|listened|helped)|forget|enough|end|choice|way|matter|doubt)\b|"
                 r"^(?:n['’]t|not|never)\s+(?:\w+\s+)?(?:stand|bear|accept|take|tolerate|"
                 r"stomach|watch|believe|forget|forgive|live\s+with|sleep|eat|want|wanted|"
                 r"understand|allowed|let|stop|stopped|survive|breathe|look)\b|"
                 r"^(?:nothing|no\s+one)\s+but\b|^no\s+longer\b|^without\s+(?:end|stop)",
    clause_negation=r"\W*(?:(?:and|but|so)\W+)?(?:none|neither)\s+of\b",
    denied_after=r"[^.;!?]{0,45}?\b(?:(?:was|is|were|are)(?:\s+not|n['’]t|\s+never)\s+"
                 r"(?:really\s+|ever\s+|even\s+)?(?:(?:the|an?|my|his|her|our|their)\s+)?"
                 r"(?:main\s+|real\s+|big\s+|biggest\s+|only\s+)?(?:issue|problem|reason|"
                 r"why|matter|concern|factor|motive|cause)\b|"
                 r"(?:had|has|have)\s+nothing\s+to\s+do\s+with|"
                 r"(?:did|does|do)(?:\s+not|n['’]t)\s+(?:really\s+)?(?:matter|bother|count|"
                 r"decide|drive|push)|played\s+no\s+(?:part|role)|"
                 r"(?:was|were)\s+(?:secondary|irrelevant|beside\s+the\s+point))",
    denies_before=r"\b(?:(?:that|this|it|which)(?:['’]s|\s+is|\s+was|\s+were)?(?:\s+not|"
                  r"n['’]t|\s+never)|none\s+of\s+(?:that|this|it)\s+(?:is|was|were)|neither\s+"
                  r"(?:is|was))\s+(?:\w+\s+){0,2}?"
                  r"(?:why\s+(?:i|he|she|we|they)\s+(?:left|quit|went|ran|fled|deserted)|"
                  r"the\s+(?:main\s+|real\s+)?reason|what\s+made\s+(?:me|him|her|us|them)\s+"
                  r"(?:leave|go|quit))",
    denies_previous=r"^\W*(?:(?:but|and|still|yet|though)\W+)?(?:(?:that|this|it|none\s+of\s+"
                    r"(?:that|this|it))(?:['’]s|\s+is|\s+was|\s+were)?(?:\s+not|n['’]t|"
                    r"\s+never)\s+(?:\w+\s+){0,2}?(?:why|the\s+(?:main\s+|real\s+)?reason|"
                    r"what\s+made|what\s+pushed)|(?:that|this|it)\s+(?:had|has)\s+nothing\s+"
                    r"to\s+do\s+with\s+(?:it|my|his|her|their|why))",
    condition=r"\b(?:even\s+)?(?:if|unless)\b|^\W*(?:(?:and|but|so)\W+)?(?:had|were)\s+(?:i|he|"
              r"she|we|they|you|it|there)\b|\bsuppos(?:e|ing)\b|\bimagine\b|\bwhat\s+if\b",
    not_condition=r"\b(?:as|ask\w*|wonder\w*|know|knew|see|saw|check\w*|sure|whether)\s+"
                  r"(?:\w+\s+)?if\b",
    counterfactual=r"^\W*(?:(?:and|but|so)\W+)?(?:had|were)\s+(?:i|he|she|we|they|you|it|"
                   r"there)\b",
    irrealis=r"\bwould\b|['’]d\b|\b(?:could|might|should)(?:\s+not|n['’]t)?\s+have\b",
    promise=r"\b(?:promis\w*|guarantee\w*|lured|tempted|offer(?:ed|s|ing)?\b(?!\s+to\b)|"
            r"recruiters?\b|propaganda|videos?\b|advert\w*|pitch(?:es)?\b|brochures?|"
            r"would\s+(?:get|receive|earn|be\s+(?:given|paid))|(?:were|was)\s+(?:to|going\s+to|"
            r"supposed\s+to)\s+(?:get|receive|earn|be\s+(?:given|paid)))",
    broken=r"\b(?:never|not|no|nothing|none|nobody|instead|lie|lies|lied|lying|empty|fake|"
           r"false|broken|reality|turned\s+out|where\s+(?:is|was|were|are)|still\s+waiting|"
           r"(?:i|we|he|she|they)\s+got|ended\s+up|only|disappeared|vanished|stopped)\b|"
           r"n['’]t\b",
)

_FR = dict(
    clause_break=r"[;:!?()\[\]\"«»“”]|,|\s[-–—]+\s|[–—]|\b(?:mais|pourtant|cependant|alors que|"
                 r"tandis que|sinon)\b",
    scope_break=r"\b(?:et|ou|qui|quand|où|depuis|après|avant)\b",
    negation=r"\b(?:pas|jamais|aucune?|rien|personne|sans|ni)\b",
    not_negation=r"^(?:pas|jamais)\s+(?:seulement|que)\b|^(?:pas|plus|jamais)\s+(?:\w+\s+)?"
                 r"(?:supporter|accepter|dormir|manger|vouloir|voulu|oublier)",
    clause_negation=r"\W*(?:(?:et|mais)\W+)?(?:aucune?|personne|ni)\s+(?:d['’]|de)",
    denied_after=r"[^.;!?]{0,45}?\b(?:(?:n['’]était|n['’]est|ne\s+fut)\s+pas\s+(?:la\s+"
                 r"(?:vraie\s+)?raison|le\s+problème|pour\s+ça)|(?:n['’]avait|n['’]a)\s+rien\s+"
                 r"à\s+voir)",
    denies_before=r"\b(?:ce\s+n['’](?:est|était)\s+pas\s+(?:pour\s+(?:ça|cela)|la\s+raison)|"
                  r"ce\s+n['’](?:est|était)\s+pas\s+ce\s+qui)",
    denies_previous=r"^\W*(?:mais\W+)?(?:ce\s+n['’](?:est|était)\s+pas\s+(?:pour\s+(?:ça|cela)|"
                    r"la\s+raison|ce\s+qui)|(?:ça|cela)\s+n['’]a(?:vait)?\s+rien\s+à\s+voir)",
    condition=r"\b(?:même\s+)?(?:si|s['’](?=ils?\b))",
    not_condition=r"\b(?:demand\w*|sai[st]|savai[st]|voir)\s+(?:\w+\s+)?si\b",
    counterfactual=_NEVER,
    irrealis=r"\b\w+(?:rais|rait|rions|riez|raient)\b",
    promise=r"\b(?:promi[st]\w*|promett\w*|promesses?|propagande|vidéos?|recruteurs?|"
            r"garanti\w*|offert|annonc\w*)",
    broken=r"\b(?:jamais|pas|rien|aucune?|personne|mensonges?|menti|faux|fausse|vide|"
           r"au\s+lieu|en\s+réalité|seulement)\b|\bn['’]",
)

_DE = dict(
    clause_break=r"[;:!?()\[\]\"„“”»«]|,|\s[-–—]+\s|[–—]|\b(?:aber|doch|jedoch|sondern|"
                 r"obwohl|während|stattdessen|sonst)\b",
    scope_break=r"\b(?:und|oder|der|die|das|wer|als|wo|seit|nachdem|bevor|bis)\b",
    negation=r"\b(?:nicht|nie|niemals|kein\w*|nichts|niemand|ohne|weder|noch\s+nie)\b",
    not_negation=r"^(?:nicht|nie)\s+(?:nur|mehr|einmal|genug)\b|^nicht\s+(?:\w+\s+)?"
                 r"(?:ertragen|aushalten|akzeptieren|schlafen|essen)",
    clause_negation=r"\W*(?:(?:und|aber)\W+)?(?:keine[rs]?|niemand)\s+(?:von|der|davon)\b",
    denied_after=r"[^.;!?]{0,45}?\b(?:(?:war|ist|waren)\s+nicht\s+(?:der\s+(?:eigentliche\s+)?"
                 r"Grund|das\s+Problem)|(?:hatte|hat)\s+(?:damit\s+)?nichts\s+(?:damit\s+)?"
                 r"zu\s+tun|spielte\s+keine\s+Rolle)",
    denies_before=r"\b(?:das|dies|es)\s+(?:war|ist)\s+nicht\s+(?:der\s+Grund|warum|weshalb)",
    denies_previous=r"^\W*(?:aber\W+)?(?:das|dies|es)\s+(?:war|ist)\s+(?:aber\s+)?nicht\s+"
                    r"(?:der\s+Grund|warum|weshalb|wegen)",
    condition=r"\b(?:wenn|falls|selbst\s+wenn)\b",
    not_condition=_NEVER,
    counterfactual=_NEVER,
    irrealis=r"\b(?:hätte\w*|wäre\w*|würde\w*|könnte\w*)\b",
    promise=r"\b(?:versproch\w*|versprech\w*|Versprechen|Propaganda|Videos?|Anwerber\w*|"
            r"garantiert\w*)",
    broken=r"\b(?:nie|niemals|nicht|kein\w*|nichts|Lüge\w*|gelogen|leer|stattdessen|"
           r"in\s+Wirklichkeit|nur)\b",
)

_SOURCES: dict[str, dict[str, str]] = {"en": _EN, "fr": _FR, "de": _DE}


@cache
def cue_rules(language: str | None) -> CueRules | None:
    """The cue rules for a language code ('en', 'fr', 'de'; None means English), else None."""
    source = _SOURCES.get(_base_language(language))
    return _rules(**source) if source is not None else None


def _base_language(language: str | None) -> str:
    return (language or "en").lower().replace("_", "-").split("-")[0]


def clause_bounds(text: str, start: int, end: int, rules: CueRules) -> tuple[int, int]:
    """The clause around ``text[start:end]``: from the last break before it to the next one."""
    left = 0
    for m in rules.clause_break.finditer(text, 0, start):
        left = m.end()
    after = rules.clause_break.search(text, end)
    return left, after.start() if after else len(text)


def find_cue(text: str, start: int, end: int, language: str | None = "en", following: str = "",
             kinds: frozenset[CueKind] = ALL_CUES) -> CueKind | None:
    """The first cue of ``kinds`` that cancels the match ``text[start:end]``, or None."""
    rules = cue_rules(language)
    if rules is None:
        return None
    left, right = clause_bounds(text, start, end, rules)
    if "denial" in kinds and _denied(text, end, following, rules):
        return "denial"
    if "negation" in kinds and _negated(text, left, start, end, right, rules):
        return "negation"
    if "hypothetical" in kinds and _hypothetical(text, left, right, rules):
        return "hypothetical"
    if "promise" in kinds and _unbroken_promise(text, start, end, following, rules):
        return "promise"
    return None


def _negated(text: str, left: int, start: int, end: int, right: int, rules: CueRules) -> bool:
    before = text[left:start]
    scope = 0
    for m in rules.scope_break.finditer(before):
        scope = m.end()
    if rules.clause_negation.match(text, left):
        return True
    for m in rules.negation.finditer(before, scope):
        tail = before[m.start():]
        if rules.not_negation.match(tail) or _not_because_only(tail):
            continue
        if len(before[m.end():].split()) <= NEGATION_WINDOW:
            return True
    return bool(rules.denied_after.match(text, end, right if right > end else len(text)))


def _not_because_only(tail: str) -> bool:
    return bool(re.match(r"not\s+(?:only|just|simply)\s+because\b", tail, _F))


def _denied(text: str, end: int, following: str, rules: CueRules) -> bool:
    if rules.denies_before.search(text, end):
        return True
    return bool(following) and bool(rules.denies_previous.match(following))


def _hypothetical(text: str, left: int, right: int, rules: CueRules) -> bool:
    clause = text[left:right]
    if rules.counterfactual.match(clause):
        return True
    condition = _condition_in(text, rules)
    if condition is None:
        return False
    if left <= condition < right:
        return bool(rules.irrealis.search(text))
    return bool(rules.irrealis.search(clause)) and bool(rules.irrealis.search(text))


def _condition_in(text: str, rules: CueRules) -> int | None:
    for m in rules.condition.finditer(text):
        window = text[max(0, m.start() - 30):m.end()]
        if not rules.not_condition.search(window):
            return m.start()
    return None


def _unbroken_promise(text: str, start: int, end: int, following: str,
                      rules: CueRules) -> bool:
    frame = None
    for m in rules.promise.finditer(text, max(0, start - PROMISE_REACH), end):
        if not re.search(r"[.;!?]", text[m.end():start]):
            frame = m
            break
    if frame is None:
        return False
    if rules.broken.search(text, frame.end()):
        return False
    return not (following and rules.broken.search(following[:100]))
