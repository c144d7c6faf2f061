"""Coreference by simple rules: mentions in text order join entities.

Names join the entity with the same name (or a name that contains it: "K." and "Merve K.");
a description right after a name (", a 31-year-old from ...") joins it; definite descriptions
("the man", "the Egyptian") and third-person pronouns join the most recent compatible entity;
"I" is the speaker of a transcript turn, the person a quotation is attributed to, or the
narrator of a first-person text; "her son" is the same person each time it recurs.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from exitlens.cases.document import Prepared
from exitlens.cases.lexicon import TITLES
from exitlens.cases.mentions import Mention
from exitlens.cases.names import given_name_gender
from exitlens.cases.speakers import Speaker, analyse_speakers

PRONOUN_REACH = 8
DEFINITE_REACH = 5
FIRST_PERSON_SHARE = 0.12
NAME_VOTE = 0.4  # a given name's usual gender: enough to keep "he" off "Zainab", no more


@dataclass
class Entity:
    index: int
    mentions: list[Mention] = field(default_factory=list)
    collective: bool = False
    speaker: Speaker | None = None
    narrator: bool = False
    relation: tuple[int | None, str] | None = None
    votes: defaultdict[str, float] = field(default_factory=lambda: defaultdict(float))
    cues: list[tuple[float, int]] = field(default_factory=list)

    @property
    def gender(self) -> str | None:
        male, female = self.votes["male"], self.votes["female"]
        if male == female:
            return None
        return "male" if male > female else "female"

    @property
    def interviewer(self) -> bool:
        return self.speaker is not None and self.speaker.interviewer

    @property
    def role(self) -> bool:
        named = [m for m in self.mentions if m.kind == "name"]
        return any(m.role for m in named) and not any(m.pseudonym for m in named)

    @property
    def personal(self) -> bool:
        return self.speaker is not None or self.narrator or any(m.personal for m in self.mentions)

    @property
    def last(self) -> int:
        return self.mentions[-1].start if self.mentions else -1

    @property
    def last_sentence(self) -> int:
        return self.mentions[-1].sentence if self.mentions else -1

    def names(self) -> list[Mention]:
        return [m for m in self.mentions if m.kind in ("name", "code", "handle")]

    def add(self, mention: Mention, weight: float = 1.0) -> None:
        mention.entity = self.index
        self.mentions.append(mention)
        if mention.gender in ("male", "female") and not self.collective and mention.vote:
            self.votes[mention.gender] += weight

    @property
    def last_subject(self) -> int:
        subjects = [m.sentence for m in self.mentions if m.subject and m.kind != "pron"]
        return subjects[-1] if subjects else -100


def name_key(text: str) -> frozenset[str]:
    text = re.sub(r"['’]s\b", "", text)
    words = [w for w in re.split(r"[\s\"“”]+", text) if (w and w not in TITLES) or w in
             ("Abu", "Umm", "Abou", "Oum")]
    return frozenset(w.lower().strip(",") for w in words if w)


def same_name(a: frozenset[str], b: frozenset[str]) -> bool:
    if not a or not b:
        return False
    if a <= b or b <= a:
        small, large = (a, b) if len(a) <= len(b) else (b, a)
        kunya = {"abu", "umm", "abou", "oum"}
        return not (small <= kunya or (large & kunya and not small & kunya))
    return False


@dataclass
class _State:
    prep: Prepared
    entities: list[Entity] = field(default_factory=list)
    speakers: dict[str, Speaker] = field(default_factory=dict)
    narrator: Entity | None = None
    deferred: list[Mention] = field(default_factory=list)

    def new(self, **extra: Any) -> Entity:
        entity = Entity(len(self.entities), **extra)
        self.entities.append(entity)
        return entity


def resolve(prep: Prepared, mentions: list[Mention]) -> list[Entity]:
    """Group ``mentions`` into entities (people and groups of people)."""
    state = _State(prep, speakers=analyse_speakers(prep))
    if _first_person_text(prep, mentions):
        state.narrator = state.new(narrator=True)
    previous: Mention | None = None
    for mention in mentions:
        _place(state, mention, previous)
        if mention.kind != "pron" or mention.entity >= 0:
            previous = mention
    for mention in state.deferred:
        _attribute_quote(state, mention, mentions)
    _merge_anonymous(state, mentions)
    return state.entities


def _place(state: _State, m: Mention, previous: Mention | None) -> None:
    if m.kind == "speaker":
        _speaker(state, m)
    elif m.kind in ("name", "code", "handle"):
        _name(state, m, previous)
    elif m.kind == "desc":
        _description(state, m, previous)
    elif m.kind == "group":
        _group(state, m)
    elif m.person == "first":
        _first_person(state, m)
    elif m.person == "second":
        _second_person(state, m)
    elif m.plural:
        _plural(state, m)
    else:
        entity = _recent(state, m, PRONOUN_REACH)
        if entity is not None:
            entity.add(m)


def _speaker(state: _State, m: Mention) -> None:
    label = state.prep.sentence_at(m.start).speaker or m.text
    info = state.speakers.get(label)
    entity = _speaker_entity(state, label, info)
    entity.add(m)
    if info is not None and info.gender:
        entity.votes[info.gender] += 3


def _speaker_entity(state: _State, label: str, info: Speaker | None) -> Entity:
    for entity in state.entities:
        if entity.speaker is not None and (entity.speaker.label == label or (info is not None and
                                           entity.speaker.key == info.key)):
            return entity
    key = name_key(info.name) if info is not None and info.name else frozenset()
    for entity in reversed(state.entities):
        if key and any(same_name(key, name_key(n.text)) for n in entity.names()):
            entity.speaker = info
            return entity
    return state.new(speaker=info)


def _name(state: _State, m: Mention, previous: Mention | None) -> None:
    key = name_key(m.text)
    for entity in reversed(state.entities):
        names = [name_key(n.text) for n in entity.names()]
        if entity.speaker is not None and entity.speaker.name:
            names.append(name_key(entity.speaker.name))
        if any(same_name(key, other) for other in names):
            entity.add(m, 3.0)
            return
    if previous is not None and _apposed(state.prep.text, previous, m) and \
            previous.kind == "desc" and not state.entities[previous.entity].names():
        state.entities[previous.entity].add(m, 3.0)
        return
    introduced = _introducer(state, m)
    if introduced is not None:
        introduced.add(m, 3.0)
        return
    entity = state.new()
    entity.add(m, 3.0)
    guess = given_name_gender(m.text) if m.kind == "name" and m.gender is None else None
    if guess is not None:
        entity.votes[guess] += NAME_VOTE


def _introducer(state: _State, m: Mention) -> Entity | None:
    """"My guest tonight asked us to call him Bekzod", "the speaker, who asked to be called
    Marwan", "my guest this evening is Hamza": the description and the name are one person."""
    before = state.prep.text[max(0, m.start - 12):m.start]
    if not m.pseudonym and not re.search(r"\b(?:is|was)\s+$", before):
        return None
    if m.pseudonym:
        for entity in reversed(state.entities):
            pronoun = [x for x in entity.mentions if x.kind == "pron" and x.sentence == m.sentence
                       and x.person == "third" and not x.plural]
            if pronoun and not entity.names() and not entity.collective and \
                    entity.relation is None and entity.speaker is None:
                return entity
    for entity in reversed(state.entities):
        first = entity.mentions[0] if entity.mentions else None
        if first is None or first.sentence != m.sentence or entity.names() or entity.collective:
            continue
        if first.kind == "desc" and first.relation is None and not entity.interviewer:
            return entity
    return None


def _apposed(text: str, first: Mention, second: Mention) -> bool:
    """"Khaled, a 26-year-old", "a 26-year-old, Khaled,", "my brother J.", "Ratna (24)"."""
    between = text[max(first.end, first.label_end):second.start]
    pattern = (r"[ \t]*,[ \t]*(?:(?:now[ \t]+|aged[ \t]+)?\d{1,2}[ \t]*,[ \t]*)?|[ \t]*\([ \t]*"
               if first.kind != "desc" else r"[ \t]*,?[ \t]*")
    return first.entity >= 0 and bool(re.fullmatch(pattern, between))


ORDINAL = re.compile(r"(?:the|le|la|der|die)\s+(?:second|third|fourth|fifth|sixth|deuxième"
                     r"|troisième|zweite|dritte)\b", re.IGNORECASE)


def _description(state: _State, m: Mention, previous: Mention | None) -> None:
    if m.relation is not None:
        _relation(state, m)
        return
    apposition = previous is not None and (previous.kind in ("name", "code", "speaker")
                                           or (previous.kind == "desc" and previous.definite))
    if apposition and previous is not None and _apposed(state.prep.text, previous, m) \
            and not m.plural and (previous.kind != "desc" or ", " in state.prep.text[
                previous.end:m.start]):
        state.entities[previous.entity].add(m, 3.0)
        return
    if ORDINAL.match(m.text):  # "the second man", "the third woman": one more person
        state.new().add(m, 3.0)
        return
    if re.search(r"\b(?:author|narrator|writer|auteur|autrice|Autorin|Autor)$", m.text) and \
            state.narrator is not None and m.definite:
        state.narrator.add(m, 3.0)
        return
    if re.search(r"\b(?:client|cliente|Mandant(?:in)?)$", m.text):
        entity = _recent(state, m, DEFINITE_REACH * 3, skip_roles=True)
        if entity is not None:
            entity.add(m, 3.0)
            return
    specific = re.match(r"\s+(?:of|from|who|whose|de|du|des|aus|der|des)\b",
                        state.prep.text[m.end:m.end + 8])
    predicate = re.search(r"\b(?:am|is|was|are|were|became|becomes|remains|suis|est|bin|ist|war)\s+"
                          r"(?:already\s+|still\s+|now\s+|not\s+|\w+ly\s+)?$",
                          state.prep.text[max(0, m.start - 20):m.start])
    if predicate and re.search(r"\b(?:I|je|ich)\s+(?:am|was|suis|bin|war)\s+$",
                               state.prep.text[max(0, m.start - 12):m.start]):
        _first_person(state, m)
        if m.entity >= 0:
            return
    if (m.definite and not specific) or predicate:
        entity = _recent(state, m, DEFINITE_REACH)
        if entity is not None:
            entity.add(m, 3.0)
            return
    label = state.prep.text[m.start:max(m.end, m.label_end)].lower()
    for entity in state.entities:
        if any(x.kind == "desc" and not x.definite and label == state.prep.text[
                x.start:max(x.end, x.label_end)].lower() for x in entity.mentions[:3]):
            entity.add(m, 3.0)
            return
    state.new().add(m, 3.0)


INVERSE = {"son": ("mother", "father"), "daughter": ("mother", "father"),
           "brother": ("brother", "sister"), "sister": ("brother", "sister"),
           "husband": ("wife",), "wife": ("husband",), "mother": ("son", "daughter"),
           "father": ("son", "daughter"), "frère": ("sœur", "frère"), "fils": ("mère", "père"),
           "Sohn": ("Mutter", "Vater"), "Tochter": ("Mutter", "Vater")}


def _relation(state: _State, m: Mention) -> None:
    owner = _owner(state, m)
    assert m.relation is not None
    if owner is not None and state.entities[owner].relation is not None:
        other, kind = state.entities[owner].relation  # type: ignore[misc]
        if other is not None and kind in INVERSE.get(m.relation, ()):
            state.entities[other].add(m, 3.0)
            return
    for entity in reversed(state.entities):
        if entity.relation == (owner, m.relation) and \
                m.sentence - entity.last_sentence <= 40:
            entity.add(m, 3.0)
            return
    if owner is not None and m.relation in ("husband", "wife", "mari", "épouse", "Ehemann",
                                            "Ehefrau"):
        state.entities[owner].votes["female" if m.relation in (
            "husband", "mari", "Ehemann") else "male"] += 2
    state.new(relation=(owner, m.relation)).add(m, 3.0)


def _owner(state: _State, m: Mention) -> int | None:
    det = (m.owner or "").lower()
    if det.endswith(("'s", "’s")):
        key = name_key(det[:-2])
        for entity in reversed(state.entities):
            if any(same_name(key, name_key(n.text)) for n in entity.names()):
                return entity.index
        return None
    probe = Mention(m.start, m.start + len(det), det, "pron", m.sentence)
    if det in ("my", "mon", "ma", "mein", "meine", "meinen", "meinem", "meiner"):
        return _first_person_owner(state, probe)
    gender = {"his": "male", "her": "female", "son": None, "sa": None}.get(det)
    if det.startswith("sein"):
        gender = "male"
    elif det.startswith("ihr"):
        gender = "female"
    probe.gender = gender
    found = _recent(state, probe, PRONOUN_REACH)
    return found.index if found is not None else None


def _group(state: _State, m: Mention) -> None:
    head = m.text.split()[-1].lower()
    if m.definite:
        for entity in reversed(state.entities):
            if entity.collective and entity.mentions[0].text.split()[-1].lower() == head and \
                    (m.number is None or entity.mentions[0].number in (None, m.number)):
                entity.add(m)
                return
    state.new(collective=True).add(m)


def _first_person(state: _State, m: Mention) -> None:
    sentence = state.prep.sentence_at(m.start)
    if sentence.speaker is not None and state.prep.in_quote(m.start) and m.kind == "pron":
        state.deferred.append(m)
    elif sentence.speaker is not None:
        entity = _speaker_entity(state, sentence.speaker, state.speakers.get(sentence.speaker))
        entity.add(m)
    elif state.prep.in_quote(m.start):
        state.deferred.append(m)
    elif state.narrator is not None:
        state.narrator.add(m)


def _first_person_owner(state: _State, m: Mention) -> int | None:
    sentence = state.prep.sentence_at(m.start)
    if sentence.speaker is not None:
        info = state.speakers.get(sentence.speaker)
        return _speaker_entity(state, sentence.speaker, info).index
    if state.prep.in_quote(m.start):
        return None
    return state.narrator.index if state.narrator is not None else None


def _second_person(state: _State, m: Mention) -> None:
    speaker = state.prep.sentence_at(m.start).speaker
    info = state.speakers.get(speaker or "")
    if info is None or not info.interviewer:
        return
    guests = [e for e in state.entities if e.speaker is not None and not e.interviewer]
    if len({e.index for e in guests}) == 1 and len(guests[0].mentions) > 0:
        guests[0].add(m)
    elif not guests and state.narrator is not None:
        state.narrator.add(m)


def _plural(state: _State, m: Mention) -> None:
    for entity in reversed(state.entities):
        if entity.collective and m.sentence - entity.last_sentence <= 3:
            entity.add(m)
            return


def _recent(state: _State, m: Mention, reach: int, skip_roles: bool = False) -> Entity | None:
    """The entity mentioned most recently before ``m`` that ``m`` could refer to."""
    speaker = state.prep.sentence_at(m.start).speaker
    candidates = [e for e in state.entities if e.mentions and e.last < m.start
                  and m.sentence - e.last_sentence <= reach and not e.collective]
    quoted = state.prep.in_quote(m.start) is not None
    compatible = [e for e in sorted(candidates, key=lambda e: e.last, reverse=True)
                  if _compatible(state, m, e, speaker, quoted) and not (skip_roles and e.role)]
    fresh = [e for e in compatible if 0 <= m.sentence - e.mentions[0].sentence <= 1
             and not e.names() and e.relation is None and len(e.mentions) == 1
             and e.mentions[0].exit_noun]
    if fresh and m.kind == "pron" and m.subject:
        return fresh[0]
    if not compatible:
        return None
    return max(compatible, key=lambda e: (_salience(e, m.sentence), e.last))


def _salience(entity: Entity, sentence: int) -> float:
    """Recent mentions count, halved for every sentence back; subjects and names count more
    (after Lappin and Leass)."""
    total = 0.0
    named = bool(entity.names()) or entity.speaker is not None
    for mention in reversed(entity.mentions):
        distance = sentence - mention.sentence
        if distance > PRONOUN_REACH:
            break
        weight = 100.0 + 80.0 * mention.subject + (50.0 if mention.kind != "pron" else 0.0)
        total += weight * 0.5 ** max(0, distance)
    return total * (1.5 if named else 1.0) * (0.6 if entity.relation is not None else 1.0)


def _compatible(state: _State, m: Mention, entity: Entity, speaker: str | None,
                quoted: bool) -> bool:
    own_turn = entity.speaker is not None and entity.speaker.label == speaker
    if entity.interviewer or own_turn or not entity.personal:
        return False
    if (entity.role and m.kind == "desc") or (m.kind == "desc" and entity.relation is not None):
        return False
    if not quoted and all(state.prep.in_quote(x.start) for x in entity.mentions):
        return False
    if m.gender and entity.gender and m.gender != entity.gender:
        return False
    return not (m.country and _country_of(entity) not in (None, m.country))


def _country_of(entity: Entity) -> str | None:
    return next((m.country for m in entity.mentions if m.country), None)


def _attribute_quote(state: _State, m: Mention, mentions: list[Mention]) -> None:
    """"I" inside a quotation: the person the quotation is attributed to."""
    quote = state.prep.in_quote(m.start)
    paragraph = state.prep.sentence_at(m.start).paragraph
    if quote is None:
        return
    outside = [c for c in mentions if c.entity >= 0 and not state.prep.in_quote(c.start)
               and state.prep.sentence_at(c.start).paragraph == paragraph
               and c.person == "third" and not c.plural
               and not state.entities[c.entity].collective]
    after = [c for c in outside if quote[1] <= c.start <= quote[1] + 60]
    before = [c for c in outside if c.end <= quote[0]]
    chosen = after[0] if after else before[-1] if before else None
    if chosen is None:
        earlier = [c for c in mentions if c.entity >= 0 and c.end <= quote[0]
                   and not state.prep.in_quote(c.start) and c.person == "third"
                   and not state.entities[c.entity].collective]
        chosen = earlier[-1] if earlier else None
    if chosen is not None:
        state.entities[chosen.entity].add(m)


def _merge_anonymous(state: _State, mentions: list[Mention]) -> None:
    """The anonymous interviewee ("A", "R") or narrator takes the pseudonym or code that the
    introduction gives."""
    targets = [e for e in state.entities if e.narrator or (e.speaker is not None
               and not e.interviewer and not e.speaker.name)]
    if len(targets) != 1:
        return
    target = targets[0]
    intro = [m for m in mentions if m.kind in ("name", "code", "handle") and m.entity >= 0
             and m.entity != target.index and state.prep.sentence_at(m.start).speaker is None]
    chosen = next((m for m in intro if m.pseudonym), None)
    chosen = chosen or next((m for m in intro if m.kind in ("code", "handle")
                             and m.start < len(state.prep.text) // 3), None)
    if chosen is None and target.narrator:
        first = intro[0] if intro else None
        if first is not None and first.sentence <= 3 and not first.role:
            chosen = first
    if chosen is None:
        return
    source = state.entities[chosen.entity]
    if source.speaker is not None or source.narrator or source.collective:
        return
    for mention in source.mentions:
        target.add(mention, 3.0 if mention.kind != "pron" else 1.0)
    target.mentions.sort(key=lambda x: x.start)
    source.mentions = []


def _first_person_text(prep: Prepared, mentions: list[Mention]) -> bool:
    """Enough "I" outside quotations and outside labelled transcript turns."""
    free = [s for s in prep.sentences if s.speaker is None]
    first = [m for m in mentions if m.kind == "pron" and m.person == "first"
             and not prep.in_quote(m.start) and prep.sentence_at(m.start).speaker is None]
    return len(first) >= 5 and len(first) >= FIRST_PERSON_SHARE * max(1, len(free))

