"""detect_cases: the people (and groups of people) whose leaving of an extremist group a
document describes.

Per document: person mentions are found and chained into entities (``coref``); every exit cue
("defected", "walked away", "came out under the amnesty") is tied to the person it is about,
by the spaCy parse where there is one (the subject of the cue's verb), else by the nearest
mention before it in the sentence; entities with enough exit evidence become cases, and get
a label, gender, country of origin, the group they left and the year they left it (``exits``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from exitlens.cases.attributes import (
    choose_country,
    country_scores,
    entity_gender,
    group_of,
    setting_country,
)
from exitlens.cases.coref import Entity, resolve
from exitlens.cases.cues import Cue, find_cues
from exitlens.cases.document import Prepared, prepare
from exitlens.cases.exits import exit_year_of
from exitlens.cases.lexicon import (
    EXTREMIST_CONTEXT,
    GROUPS,
    NOT_EXTREMISM,
    POLITICS,
    group_matches,
)
from exitlens.cases.mentions import PREPOSITION_BEFORE, Mention, find_mentions
from exitlens.cases.nlp import Parse, parse_english
from exitlens.records import CodingInput, DetectedCase

NOT_POLITICS = re.compile(r"\b(?:army|military|police)\s+(?:checkpoint|post|base|camp|patrol"
                          r"|barracks|screening|custody|station)s?\b|\b(?:to|at|by)\s+(?:the\s+)?"
                          r"(?:[\w-]+\s+)?(?:army|military|police)\b", re.IGNORECASE)
CASE_THRESHOLD = 0.9
COLLECTIVE_THRESHOLD = 0.8  # "the 12 women repatriated": groups are rarely told at length
PROMINENT_THRESHOLD = 0.5
PROMINENT = 4
SMALL_GROUP = 6  # smaller groups are usually the individual cases a story goes on to tell
POSSESSIVES = frozenset({"his", "her", "my", "their", "our", "your", "its", "mon", "ma", "mes",
                         "son", "sa", "ses", "leur", "sein", "seine", "seinen", "seinem",
                         "seiner", "ihre", "ihren", "ihrem", "ihrer", "mein", "meine"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "csubj", "expl"})
CLIMB_DEPS = frozenset({"xcomp", "advcl", "conj", "pcomp", "prep", "pobj", "ccomp", "acomp",
                        "dobj", "npadvmod", "oprd", "advmod", "aux", "auxpass", "prt", "neg"})


def detect_cases(documents: Sequence[CodingInput], *, parser: bool = True) -> list[DetectedCase]:
    """The cases each document describes, in document order, keys "c1", "c2", ... per
    document. ``parser=False`` skips spaCy (the rules then work from patterns alone)."""
    cases: list[DetectedCase] = []
    for document in documents:
        cases.extend(document_cases(document, parser=parser))
    return cases


def document_cases(document: CodingInput, *, parser: bool = True) -> list[DetectedCase]:
    if not document.text.strip() or not is_about_extremism(document.text):
        return []
    prep = prepare(document)
    parse = parse_english(prep.text, parser and prep.language == "en")
    mentions = find_mentions(prep, parse)
    entities = resolve(prep, mentions)
    for cue in find_cues(prep):
        if _political(prep, cue.start):
            continue
        subject = cue_subject(prep, cue, mentions, parse)
        if subject is not None and subject.entity >= 0:
            entities[subject.entity].cues.append((cue.strength, cue.start))
        for other in _coordinated(prep, cue, mentions, entities, subject):
            entities[other.entity].cues.append((cue.strength, cue.start))
    for mention in mentions:
        if mention.exit_noun and mention.entity >= 0 and not _political(prep, mention.start):
            entities[mention.entity].cues.append((1.0, mention.start))
    _members_of_groups(prep, mentions, entities)
    _merge_lede(prep, entities)
    chosen = [e for e in entities if is_case(e)]
    return _build(prep, mentions, entities, chosen, document.published)


def is_about_extremism(text: str) -> bool:
    """A group's name or the vocabulary of extremism; or, failing both, at least nothing
    that says party politics, sport or a state's army."""
    if group_matches(text) or EXTREMIST_CONTEXT.search(text):
        return True
    return len(NOT_EXTREMISM.findall(text)) < 2


def _political(prep: Prepared, position: int) -> bool:
    """Leaving a party, a team or a club: a sentence about politics or sport without a
    group's name."""
    sentence = prep.sentence_at(position)
    text = NOT_POLITICS.sub("", prep.text[sentence.start:sentence.end])
    return bool(POLITICS.search(text)) and not any(p.search(text) for p, _ in GROUPS)


def is_case(entity: Entity) -> bool:
    if not entity.mentions or entity.interviewer or entity.role:
        return False
    if entity.collective and (entity.mentions[0].number or SMALL_GROUP) < SMALL_GROUP:
        return False
    if all(m.kind == "pron" for m in entity.mentions) and not entity.narrator:
        return False
    strengths = sorted((s for s, _ in entity.cues), reverse=True)
    score = sum(strengths[:3])
    prominent = (len(entity.mentions) >= PROMINENT or entity.narrator or entity.speaker is not None
                 or any(m.pseudonym for m in entity.mentions)) and entity.relation is None
    threshold = COLLECTIVE_THRESHOLD if entity.collective else CASE_THRESHOLD
    return score >= threshold or (prominent and score >= PROMINENT_THRESHOLD)


def cue_subject(prep: Prepared, cue: Cue, mentions: list[Mention],
                parse: Parse | None) -> Mention | None:
    owner = next((m for m in mentions if m.kind == "pron" and m.text.lower() in POSSESSIVES
                  and re.fullmatch(r"\s+", prep.text[m.end:cue.start] or "x")), None)
    if owner is not None:
        return owner
    if parse is not None:
        token = parse.token_at(cue.start)
        if token is not None:
            found, subject = _parse_subject(token)
            if found:
                return _covering(mentions, subject) if subject is not None else None
    return _window_subject(prep, cue, mentions)


def _parse_subject(token: Any) -> tuple[bool, Any | None]:
    """Climb from the cue's word to a verb with a subject; a relative pronoun stands for the
    noun its clause modifies."""
    verb = token
    for _ in range(6):
        subjects = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
        if subjects:
            subject = min(subjects, key=lambda c: abs(c.i - verb.i))
            if subject.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":
                return True, verb.head
            return True, subject
        if verb.dep_ in ("relcl", "acl"):
            return True, verb.head
        if verb.dep_ in CLIMB_DEPS and verb.head is not verb:
            verb = verb.head
            continue
        break
    return False, None


def _covering(mentions: list[Mention], token: Any) -> Mention | None:
    start, end = token.idx, token.idx + len(token.text)
    for mention in mentions:
        if mention.start <= start and end <= mention.end:
            return mention if mention.kind != "speaker" else None
    left, right = token.left_edge.idx, token.right_edge.idx + len(token.right_edge.text)
    inside = [m for m in mentions if left <= m.start and m.end <= right
              and m.text.lower() not in POSSESSIVES and not m.text.endswith(("'s", "’s"))]
    return inside[0] if inside else None


def _window_subject(prep: Prepared, cue: Cue, mentions: list[Mention]) -> Mention | None:
    sentence = prep.sentence_at(cue.start)
    same = [m for m in mentions if sentence.start <= m.start < sentence.end
            and m.text.lower() not in POSSESSIVES and m.kind != "speaker"]
    before = [m for m in same if m.end <= cue.start and not PREPOSITION_BEFORE.search(
        prep.text[max(0, m.start - 12):m.start])]
    if before:
        return before[-1]
    after = [m for m in same if cue.start <= m.start <= cue.end + 25]
    return after[0] if after else None


MEMBER_OF = re.compile(r"\b(?:[Aa]mong (?:them|those|the \w+)|[Oo]ne of (?:them|those|the \w+)"
                       r"|(?:was|were|is|are) among)\b[^.;:]{0,25}$")


def _members_of_groups(prep: Prepared, mentions: list[Mention],
                       entities: list[Entity]) -> None:
    """"Among them was Musa", "Ms Okafor was among 12 women repatriated": a person said to
    be one of a group that left left too."""
    for mention in mentions:
        if mention.kind == "pron" or mention.entity < 0 or entities[mention.entity].collective:
            continue
        sentence = prep.sentence_at(mention.start)
        before = prep.text[sentence.start:mention.start]
        after = prep.text[mention.end:sentence.end]
        among = MEMBER_OF.search(before)
        if among is None and not re.match(r"[^.;:]{0,40}\b(?:was|were|is) among\b", after):
            continue
        groups = [e for e in entities if e.collective and e.cues and any(
            0 <= mention.sentence - m.sentence <= 2 for m in e.mentions)]
        if groups:
            entities[mention.entity].cues.append((0.9, mention.start))


def _coordinated(prep: Prepared, cue: Cue, mentions: list[Mention], entities: list[Entity],
                 subject: Mention | None) -> list[Mention]:
    """"Modu, 38, and his wife Hauwa, 30, gave themselves up": a plural cue is about every
    person the sentence names before it."""
    if not re.search(r"\b(?:themselves|ourselves)\b", cue.text) and not (
            subject is not None and subject.kind == "pron" and subject.plural
            and (subject.entity < 0 or not entities[subject.entity].collective)):
        return []
    sentence = prep.sentence_at(cue.start)
    return [m for m in mentions if sentence.start <= m.start < cue.start and m.entity >= 0
            and m.kind in ("name", "code") and not entities[m.entity].collective
            and not entities[m.entity].role and m is not subject][:4]


def _merge_lede(prep: Prepared, entities: list[Entity]) -> None:
    """A description that opens a story ("A 24-year-old man who crossed into Somalia ...")
    is the person the story names next, when nothing about them disagrees."""
    named = [e for e in entities if e.names() and not e.collective and e.mentions]
    for entity in entities:
        if entity.collective or entity.names() or not entity.mentions or entity.relation:
            continue
        first = entity.mentions[0]
        if first.sentence > 3 or first.kind != "desc" or first.definite or \
                prep.in_quote(first.start):
            continue
        later = [e for e in named if e.mentions[0].start > first.start
                 and e.mentions[0].sentence - first.sentence <= 3]
        if not later:
            continue
        target = later[0]
        if _disagree(entity, target):
            continue
        for mention in entity.mentions:
            target.add(mention, 3.0 if mention.kind != "pron" else 1.0)
        target.cues.extend(entity.cues)
        target.mentions.sort(key=lambda m: m.start)
        entity.mentions, entity.cues = [], []


def _disagree(a: Entity, b: Entity) -> bool:
    if a.gender and b.gender and a.gender != b.gender:
        return True
    ca = {m.country for m in a.mentions if m.country}
    cb = {m.country for m in b.mentions if m.country}
    return bool(ca and cb and not ca & cb)


def _build(prep: Prepared, mentions: list[Mention], entities: list[Entity],
           chosen: list[Entity], published: str | None = None) -> list[DetectedCase]:
    scores = country_scores(prep, mentions, entities)
    fallback = setting_country(prep)
    cases = []
    chosen = sorted(chosen, key=lambda e: e.mentions[0].start)
    for number, entity in enumerate(chosen, start=1):
        sentences = {prep.sentence_at(pos).index for _, pos in entity.cues}
        country = choose_country(scores.get(entity.index, {}))
        if country is None and not entity.collective:
            country = fallback
        strengths = sorted((s for s, _ in entity.cues), reverse=True)
        confidence = min(1.0, 0.3 + 0.35 * sum(strengths[:3]) + 0.1 * bool(entity.names()))
        cases.append(DetectedCase(
            key=prep.key, case=f"c{number}", label=case_label(prep, entity),
            collective=entity.collective, gender=entity_gender(entity, prep), country=country,
            mentions=tuple((m.start, m.end) for m in entity.mentions),
            group_left=group_of(prep, entity, sentences), confidence=round(confidence, 3),
            exit_year=exit_year_of(prep, entity, sentences, published)))
    return cases


def case_label(prep: Prepared, entity: Entity) -> str:
    names = entity.names()
    if names:
        best = max(names[:6], key=lambda m: (len(m.text.split()), m.pseudonym, len(m.text)))
        return _clean(best.text)
    if entity.speaker is not None:
        if entity.speaker.name:
            return entity.speaker.name
        return "the respondent"
    described = [m for m in entity.mentions if m.kind in ("desc", "group")]
    if described:
        first = next((m for m in described if not m.definite), described[0])
        end = max(first.end, first.label_end)
        text = prep.text[first.start:end]
        clause = re.match(r"\s+who\s+[^,.;:\n]{3,70}", prep.text[end:end + 80])
        if entity.collective and clause:
            text += clause.group()
        return _clean(text)
    return "the author" if entity.narrator else "unnamed person"


def _clean(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip(" ,;:\"“”'‘’")
    if text.endswith(".") and not re.search(r"(?:^|[\s.])[A-Z]\.$", text):
        text = text.rstrip(".")
    return re.sub(r"['’]s$", "", text)
