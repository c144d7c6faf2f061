"""Case attributes: gender, country of origin and the group left.

Country evidence is weighed: an origin phrase ("from Zarqa", "born in Lyon", "a Sfax native",
"Moroccan-born") or a demonym attached to the person ("the Egyptian", "a Swedish convert")
counts most; going home to a country ("returned to Belgium") next; a stray demonym least.
Places that people travelled to (Syria, Iraq) never beat a foreign origin.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from functools import cache

from exitlens.cases.coref import Entity
from exitlens.cases.document import Prepared
from exitlens.cases.gazetteer import PlaceMatch, find_places, find_towns, is_conflict_zone
from exitlens.cases.lexicon import FAR_RIGHT_NAME, GROUP_WORDS, group_matches
from exitlens.cases.mentions import Mention
from exitlens.cases.names import given_name_gender

#: parts of a town or its surroundings that a home is placed in ("the old quarter of ...")
TOWN_PARTS = r"district|village|area|countryside|outskirts|quarter|neighbou?rhood|township|town"
#: "a village (just) north-east of ..."
DIRECTION = r"(?:(?:just\s+|some\s+\w+\s+\w+\s+)?(?:north|south|east|west)(?:-?(?:east|west))?\s+)?"
ORIGIN_BEFORE = re.compile(
    r"(?:\bfrom\s+(?:the\s+|a\s+|an\s+)?(?:[\w'’-]+\s+){0,5}"
    r"|\b(?:man|woman|boy|girl|native|city|region|province|state|county|suburb|"
    + TOWN_PARTS + r")\s+" + DIRECTION + r"(?:of|in|near|outside)\s+(?:the\s+)?"
    r"|\b(?:his|her|my|their)\s+(?:home\s*town|village|town|home|district|neighbourhood)\s+"
    r"(?:\w+\s+){0,2}?(?:in|of|near|outside)\s+(?:the\s+)?"
    r"|\b(?:born|grew up|grown up|raised|brought up|native of|hails? from|originally from"
    r"|stammt|stammen|stammte|originaire|née?|natif|native|aus dem|aus der|aus)\b[^.;]{0,45}"
    r"|\b(?:is|was|am|are)\s+(?:a\s+|an\s+)?)$", re.IGNORECASE)
#: "sells vegetables from a cart in Gaziantep", "spoke from prison in Tripoli": "from" and a
#: thing or an institution that is somewhere, not where someone comes from
FROM_A_THING_IN = re.compile(
    r"\bfrom\s+(?:the\s+|a\s+|an\s+|his\s+|her\s+|my\s+|their\s+|our\s+)?(?:[\w'’-]+\s+)?"
    r"(?:cart|car|truck|lorry|bus|van|boat|office|camp|prison|jail|cell|stall|kiosk|shop"
    r"|market|window|hospital|clinic|phone|balcony|hotel|tent|studio|desk|bench|courtroom"
    r"|court|dock|base|checkpoint|detention|custody|exile|hiding)s?\s+(?:in|at|near|outside"
    r"|of)\s+(?:the\s+)?$", re.IGNORECASE)
MOVED_FROM = re.compile(
    r"\b(?:fled|escaped|crossed|travel+ed|travel|went|moved|flew|returned|return|came|come"
    r"|back|arrived|sent|deported|released|transferred|smuggled|walked|drove|news|messages?"
    r"|calls?|called|letters?|money|phone|relatives?|left|coming|withdr\w+|repatriated"
    r"|recruited|brought|driven|expelled|rescued|freed|taken|kidnapped|abducted|out)\b"
    r"[^.;]{0,30}\b(?:from|of)\s+(?:the\s+)?(?:[\w'’-]+\s+){0,5}$", re.IGNORECASE)
HOME_BEFORE = re.compile(
    r"\b(?:return(?:ed|ing|s)?|came back|come back|go back|went back|back|home|repatriated"
    r"|deported|sent back|extradited|rentrée?|revenue?|rentrer|zurückgeholt|zurück\w*"
    r"|heimgekehrt|reached)\s+(?:\w+\s+){0,3}?(?:to|in|en|au|nach|à)\s+(?:the\s+)?$"
    r"|\b(?:reached|rentrée en|rentré en)\s+$", re.IGNORECASE)
BRACKET_BEFORE = re.compile(r"[A-Z][\w.'’-]*\s*\((?:[^()]{0,25},\s*)?(?:\w+\s+)?$")
LEFT_PLACE = re.compile(r"\b(?:left|leaving|leave|quitté|verließ|verlassen)\s+"
                        r"(?:(?:the|a|an|her|his)\s+)?(?:[\w-]+\s+){0,3}?(?:of\s+)?$")
HERITAGE_AFTER = re.compile(r"\s+(?:origin|descent|background|heritage|parents|roots)\b")
RESIDED_BEFORE = re.compile(
    r"\b(?:lived|living|lives|live|stayed|staying|settled|based|resides?|resided|moved|works?"
    r"|worked|working|studied|studying|spent|travell?ed|went|fought|held|controlled)\b"
    r"[^.;]{0,45}$", re.IGNORECASE)
BIRTH_BEFORE = re.compile(r"\b(?:born|grew up|raised|native|hails?|originally)\b", re.IGNORECASE)
BORN_AFTER = re.compile(r"-born\b|\s+native\b|-stämmig")
PART_OF_TOWN = (r"(?:(?:the|a|an|his|her|their|its)\s+)?(?:[\w-]+\s+){0,2}(?:suburbs?|centre"
                r"|center|part|edge|slums?|" + TOWN_PARTS + r")\s+" + DIRECTION
                + r"(?:of|in|near|outside)\s+(?:the\s+)?")
DATE_AFTER = re.compile(r"\s+\d")  # "from March 2015"
TOWN_ORIGIN_BEFORE = re.compile(
    r"\b(?:(?<!news )(?<!calls )(?<!messages )(?<!letters )from|born in|grew up in|raised in"
    r"|native of|hails from|originally from|home ?town(?: of)?|home town(?: of)?|a native of"
    r"|originaire de|né à|née à|stammt aus|geboren in)\s+(?:" + PART_OF_TOWN + r")?$",
    re.IGNORECASE)
#: "Juma, 34, Tanga": a place right after a name and an age, as headings and captions give
#: a person's home
NAME_AGE_BEFORE = re.compile(r"[A-Z][\w'’.)-]*,\s*\d{1,2},\s*(?:from\s+)?$")
#: "SHAMEER (English):" - the language of a speaker's turn, not a nationality
TURN_LANGUAGE_AFTER = re.compile(r"[^()\n]{0,30}\)\s*:")
TRANSIT = frozenset({"TR"})
NATIONALITY = 3.5  # a nationality said of the person outweighs a city they grew up or live in
#: "a second-generation Briton", "a British-born"
GENERATION = r"(?:(?:second|third|first)-generation\s+)?"
APPOSED_DEMONYM = re.compile(r"(?:\b(?:a|an|the)\s+(?:\d+-year-old\s+|young\s+|former\s+)?"
                             + GENERATION + r"|,\s*)$", re.IGNORECASE)
#: "he is a (second-generation) Tunisian"
COPULA_BEFORE = re.compile(r"\b(?:is|was|am|are|est|ist)\s+(?:a\s+|an\s+|un\s+|une\s+|ein\s+"
                           r"|eine\s+)?" + GENERATION + "$", re.IGNORECASE)
#: what may follow an apposed demonym: "Amina, a Malian, ...", "a Briton of Somali descent"
APPOSITION_ENDS = re.compile(r"\s*(?:[,;.)]|who\b|of\s+\w+\s+(?:descent|origin|heritage"
                             r"|background))")
#: "born in Rotterdam to parents who emigrated from the Rif": the parents' origin
PARENTS_FROM = re.compile(r"\b(?:parents?|father|mother|grandparents?|family)\s+(?:who\s+|had\s+"
                          r"|\w+\s+){0,3}?(?:emigrated|migrated|came|moved|fled|originally)?\s*"
                          r"from\s+(?:the\s+)?(?:[\w'’-]+\s+){0,5}$", re.IGNORECASE)
#: where someone grew up outweighs where they were born ("born in Tangier ... grew up in
#: Molenbeek"): the field's convention for country of origin
GREW_UP_BEFORE = re.compile(r"\b(?:grew up|grown up|raised|brought up)\b[^.;]{0,45}$",
                            re.IGNORECASE)
GREW_UP = 3.5
PERSON_NOUN_AFTER = re.compile(
    r"\s+(?:man|woman|boy|girl|national|citizen|convert|fighter|returnee|defector|mother"
    r"|father|teenager|youth|recruit|jihadist|militant|member|widow)\b", re.IGNORECASE)


INTRO_GENDER = re.compile(r"\b(?:respondent|interviewee|speaker|participant|befragte[r]?"
                          r"|interlocut\w+)\s*[:,]\s*(male|female|man|woman|männlich|weiblich)\b",
                          re.IGNORECASE)


def intro_gender(prep: Prepared) -> str | None:
    """"Respondent: male, born 1986" in a transcript's header."""
    m = INTRO_GENDER.search(prep.text[:2000])
    if m is None:
        return None
    return "male" if m.group(1).lower() in ("male", "man", "männlich") else "female"


def entity_gender(entity: Entity, prep: Prepared | None = None) -> str | None:
    if entity.collective:
        return None
    if entity.gender is not None:
        return entity.gender
    anonymous = entity.narrator or (entity.speaker is not None and not entity.interviewer)
    if anonymous and prep is not None and intro_gender(prep):
        return intro_gender(prep)
    for mention in entity.names():
        gender = given_name_gender(mention.text)
        if gender is not None:
            return gender
    return None


Evidence = dict[str, float]


def country_scores(prep: Prepared, mentions: list[Mention],
                   entities: list[Entity]) -> dict[int, Evidence]:
    """Entity index -> country code -> weight of the evidence for it as country of origin."""
    scores: dict[int, Evidence] = defaultdict(lambda: defaultdict(float))
    people = [m for m in mentions if m.entity >= 0 and entities[m.entity].mentions]
    for m in people:
        if m.country:
            scores[m.entity][m.country] += NATIONALITY
    places = sorted(_places(prep.text) + find_towns(prep.text), key=lambda p: p.start)
    for previous, place in zip([None, *places], places, strict=False):
        weight = _weight(prep, place)
        if weight <= 0 or _names_its_town(prep.text, previous, place):
            continue
        owner = _owner(prep, place, people)
        if owner is not None and not (m_inside(place, owner)):
            scores[owner.entity][place.code] += weight
    for entity in entities:
        note = entity.speaker.note if entity.speaker is not None else None
        for place in _places(note or ""):
            scores[entity.index][place.code] += 3
    return scores


def _names_its_town(text: str, previous: PlaceMatch | None, place: PlaceMatch) -> bool:
    """"Tangier, Morocco": the country that follows a town only says where the town is; the
    town already counted."""
    return (previous is not None and place.kind == "country" and previous.code == place.code
            and text[previous.end:place.start] in (", ", ","))


@cache
def _places_cached(text: str) -> tuple[PlaceMatch, ...]:
    return tuple(find_places(text))


def _places(text: str) -> tuple[PlaceMatch, ...]:
    return _places_cached(text)


def m_inside(place: PlaceMatch, mention: Mention) -> bool:
    return mention.start <= place.start and place.end <= mention.end and mention.country is not None


def _weight(prep: Prepared, place: PlaceMatch) -> float:
    sentence = prep.sentence_at(place.start)
    before = prep.text[max(sentence.start, place.start - 60):place.start]
    after = prep.text[place.end:place.end + 25]
    if place.kind == "demonym" and TURN_LANGUAGE_AFTER.match(after):
        return 0.0
    if BORN_AFTER.match(after) or BRACKET_BEFORE.search(before) or NAME_AGE_BEFORE.search(
            before):
        return 3.0
    if place.kind == "town":
        # the long tail of towns counts only where the text says someone comes from there
        dated = DATE_AFTER.match(after)
        return 3.0 if TOWN_ORIGIN_BEFORE.search(before) and not dated else 0.0
    if place.kind != "demonym" and LEFT_PLACE.search(before) and not is_conflict_zone(place.code):
        return 2.5
    if place.kind == "demonym":
        if HERITAGE_AFTER.match(after):
            return 1.0
        apposed = APPOSED_DEMONYM.search(before) and APPOSITION_ENDS.match(after)
        if COPULA_BEFORE.search(before) or PERSON_NOUN_AFTER.match(after) or apposed:
            return NATIONALITY
        return 0.5 if not place.text.endswith("s") else 0.0
    if HOME_BEFORE.search(before):
        return 2.0
    resided = RESIDED_BEFORE.search(before)
    if resided and not BIRTH_BEFORE.search(before, resided.start()):
        return 0.0
    if ORIGIN_BEFORE.search(before) and not (MOVED_FROM.search(before)
                                             or FROM_A_THING_IN.search(before)):
        if PARENTS_FROM.search(before):
            return 1.0  # the parents' country is heritage, not the person's origin
        return GREW_UP if GREW_UP_BEFORE.search(before) else 3.0
    return 0.0


def _owner(prep: Prepared, place: PlaceMatch, people: list[Mention]) -> Mention | None:
    sentence = prep.sentence_at(place.start)
    same = [m for m in people if prep.sentence_at(m.start).index == sentence.index
            and not (m.start <= place.start and place.end <= m.end and m.kind == "name")]
    before = [m for m in same if m.start <= place.start]
    if before:
        return before[-1]
    after = [m for m in same if m.start > place.end]
    return after[0] if after else None


def choose_country(evidence: Evidence) -> str | None:
    if not evidence:
        return None
    ranked = sorted(evidence.items(), key=lambda item: -item[1])
    best, weight = ranked[0]
    if weight < 1.0:
        return None
    if is_conflict_zone(best):
        foreign = [(code, w) for code, w in ranked if not is_conflict_zone(code) and w >= 2.0]
        if foreign:
            return foreign[0][0]
    return best


def setting_country(prep: Prepared) -> str | None:
    """Where the story is set: its dateline ("DIFFA, Niger -") when the story's places name
    that country too (a dateline alone only says where the story was filed), else the country
    its places point to most often (destinations left out), when one clearly leads."""
    head = prep.text[:80]
    m = re.match(r"\s*([A-ZÀ-Ý][\wÀ-ÿ' -]{2,}(?:,\s*[A-Z][\w' -]+)?)\s*(?:,|\(|—|-|–|\.)",
                 head)
    skip = m.end() if m is not None else 0
    counts = Counter(p.code for p in _places(prep.text)
                     if not is_conflict_zone(p.code) and not p.text.endswith("s")
                     and p.code not in TRANSIT and p.start >= skip)
    if m is not None:
        for place in _places(m.group(1).title()) + _places(m.group(1)):
            if not is_conflict_zone(place.code) and place.code in counts:
                return place.code
    ranked = counts.most_common(2)
    if not ranked or (ranked[0][1] < 2 and len(ranked) > 1):
        return None
    if len(ranked) > 1 and ranked[1][1] * 2 > ranked[0][1]:
        return None
    return ranked[0][0]


def group_of(prep: Prepared, entity: Entity, sentences: set[int]) -> str | None:
    """The group named near the entity's exit cues, else near its first mention, else the
    document's most named group."""
    groups = _groups(prep)
    if not groups:
        return None
    near = [g for g in groups if prep.sentence_at(g[0]).index in sentences]
    if near:
        return Counter(name for _, name in near).most_common(1)[0][0]
    first = entity.mentions[0].start if entity.mentions else 0
    before = [g for g in groups if g[0] <= first]
    window = [g for g in before if first - g[0] < 600]
    if window:
        return window[-1][1]
    return Counter(name for _, name in groups).most_common(1)[0][0]


@cache
def _groups_cached(text: str) -> tuple[tuple[int, str], ...]:
    found = [(start, name) for start, _, name in group_matches(text)]
    if re.search(r"neo-?nazi|far[- ]right|white[- ](?:supremac|nationalis)|militia"
                 r"|kameradschaft|rechtsextrem|skinhead|extreme right", text, re.IGNORECASE):
        for m in FAR_RIGHT_NAME.finditer(text):
            name = next(g for g in m.groups() if g)
            if _far_right_name(text, m.start(), name):
                found.append((m.start(), name))
    return tuple(sorted(found))


def _groups(prep: Prepared) -> tuple[tuple[int, str], ...]:
    return _groups_cached(prep.text)


def _far_right_name(text: str, start: int, name: str) -> bool:
    words = name.split()
    if len(words) < 2 or any(w.lower() in ("the", "a") for w in words[:1]):
        return len(words) >= 2 and bool(GROUP_WORDS.search(text[max(0, start - 60):start + 80]))
    return bool(GROUP_WORDS.search(text[max(0, start - 80):start + len(name) + 80])) or bool(
        re.search(r"(?:Front|Force|Brotherhood|Vanguard|Watch|League|Movement|Frontlinje)$",
                  name))
