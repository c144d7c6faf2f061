"""Mentions of people in a prepared document: names, pseudonyms and codes, handles,
descriptions ("a 26-year-old from Deir Ezzor"), groups of people ("43 men"), pronouns and
speaker labels."""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache, partial
from typing import Any

from exitlens.cases.document import Prepared
from exitlens.cases.gazetteer import find_places, lexicon
from exitlens.cases.lexicon import (
    BYLINE,
    EXIT_NOUNS,
    GROUPS,
    KIN_NOUNS,
    NUMBER_WORDS,
    PERSON_HEADS,
    PLURAL_HEADS,
    PRONOUNS,
    ROLE_TITLES,
    ROLE_WORDS,
    TITLES,
    fast_finditer,
    group_matches,
    matches_at,
)
from exitlens.cases.nlp import NOT_PEOPLE, Parse


@dataclass
class Mention:
    start: int
    end: int
    text: str
    kind: str  # speaker, name, code, handle, desc, group, pron
    sentence: int
    gender: str | None = None
    plural: bool = False
    definite: bool = False
    relation: str | None = None
    owner: str | None = None
    person: str = "third"
    exit_noun: bool = False
    country: str | None = None
    number: int | None = None
    role: bool = False
    pseudonym: bool = False
    personal: bool = False
    subject: bool = False
    vote: bool = True
    label_end: int = -1
    entity: int = -1


CAP = r"[A-ZÀ-ÖØ-ÞĀ-Ž][a-zà-öø-ÿā-ž'’]+(?:-[A-Za-zà-öø-ÿ'’]+)*"
CONNECTORS = frozenset({"bin", "ibn", "bint", "van", "von", "der", "de", "da", "al", "el"})
CONNECT = r"(?:bin|ibn|bint|van|von|der|de|da|al|el)"
TITLE = "|".join(re.escape(t) for t in sorted(TITLES, key=len, reverse=True))
NAME = re.compile(
    rf"(?<![\w@.])(?:[A-Z]\.[ \t]+)?(?:(?:{TITLE})[ \t]+)?{CAP}"
    rf"(?:[ \t]+(?:{CONNECT}[ \t]+)?{CAP}){{0,3}}(?:[ \t]+[A-Z]\.(?![\w.]))?")
INITIALS = re.compile(r"(?<![\w.])(?:[A-Z]\.){2,4}(?![\w])")
INITIAL = re.compile(r"(?<![\w.’'])[A-Z]\.(?=\s*[,(]|\s+(?:[a-z]|is\b|was\b|says\b|said\b))")
CODE = re.compile(
    r"\b(?:(?:Respondent|Interviewee|Participant|Informant|Subject|Client|Defector|Source"
    r"|Witness|Person|Case)"
    r"\s+(?:[A-Z]-?\d{1,3}|[A-Z]|\d{1,3})(?![\w-])"
    r"|[A-Z]{1,3}-[A-Z]?\d{1,3})\b")
NOT_CODES = frozenset({"AK", "COVID", "MH", "RPG", "PKM", "SU", "MIG", "F", "T", "B", "M", "A",
                       "G", "C", "UH", "CH", "MQ", "S", "V", "E", "N", "H", "K", "L"})
NOT_INITIALS = frozenset({"U.S.", "U.K.", "U.N.", "E.U.", "A.M.", "P.M.", "D.C.", "N.B.",
                          "P.S.", "E.G.", "I.E.", "Q.C.", "K.C."})
HANDLE = re.compile(r"(?<![\w@])@[A-Za-z0-9_][A-Za-z0-9_.]{2,}[A-Za-z0-9_]"
                    r"|(?m:^[a-z0-9_]+(?:\.[a-z0-9_]+)+(?=\s+·))")
STOP = frozenset("""
    the a an this that these those and or but if of to in on at by for with from as into onto
    over under after before when while where what who whom whose which why how than then so
    not no nor yes is was are were be been being am has have had do does did will would can
    could should may might must shall i you he she it we they me him her us them my your his
    its our their mine yours there here also only even still just very too now today again
    le la les un une des et ou mais donc car ne pas de du au aux en dans par pour sur avec
    der die das den dem des ein eine und oder aber nicht mit von zu im am auf aus bei nach
    said says told asked added
""".split())
MONTHS_DAYS = frozenset("""
    January February March April May June July August September October November December
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday Ramadan Eid God Allah Islam Quran
    Qur'an Muslim Muslims Christian Christians Sunni Sunnis Shia Arab Arabs Western Europe
    Africa Asia Janvier Février Mars Avril Mai Juin Juillet Août Septembre Octobre Novembre
    Décembre Januar Februar März Juni Juli Oktober Dezember Dieu Gott Arabic English Fulfulde
    Fula Hausa Kanuri Pashto Urdu Dari Malay Bahasa Swahili Bambara Wolof Tamasheq Kurdish
    Amharic Tigrinya Oromo Javanese Tagalog Maranao Shuwa Songhai Dogon Peul Persian Farsi
""".split())
SENTENCE_OPENERS = frozenset("""
    None Asked Thank Thanks Please Yes Okay Sorry Honestly Maybe Perhaps Later Today Still Instead
    Since Although Because Normally Eventually Finally First Second Third Next Last Many Several
    Most Some Both Each Every Write Tell Let Look Listen Note Sometimes Often Never Always
    Everyone Everybody Nobody Someone Somebody Anyone Nothing Everything Something Why How What
    Who When Where Whatever Whoever Outside Inside Back Before After Afterwards Then Now Once
    Twice Meanwhile Otherwise Anyway Actually Really Only Even Just Also Yet Again Here There
    Correction Update Source Photo Caption Summary Background Method Findings Recommendations
    Introduction Discussion Conclusion Conclusions Appendix Chapter Part Section Table Figure
""".split())
DE_ARTICLES = re.compile(
    r"\b(?i:der|die|das|den|dem|des|ein|eine|einen|einem|einer|eines|kein\w*|sein\w*|ihr\w*"
    r"|mein\w*|unser\w*|dies\w*|jede\w*|zum|zur|im|am|vom|beim|ins|von|mit|nach|in|aus|bei"
    r"|unter|über|vor|für|gegen|ohne|um|durch|seit|bis|zu|an|auf|als|wie|und|oder)\s+"
    r"(?:[a-zäöüß\d][\w-]*\s+){0,2}([A-ZÄÖÜ][\w-]+)"
    r"|\b[a-zäöüß]{3,}(?:e|en|er|es|em)\s+([A-ZÄÖÜ][\w-]+)")
DESC_STOP = STOP - {"former"}
THE_BEFORE = re.compile(r"\b(?i:the)\s+$")
AS_BEFORE = re.compile(r"\b(?:as|like|comme|als|wie)\s+$")
QUANT = (r"(?:\d[\d,]*|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)"
         r"(?:-(?:one|two|three|four|five|six|seven|eight|nine))?|two|three|four|five|six"
         r"|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen"
         r"|eighteen|nineteen|dozens|hundreds|scores|a dozen|several dozen|a hundred"
         r"|a few hundred|deux|trois|quatre|cinq|dix|vingt|trente|zwei|drei|vier|fünf|zehn)")
QUANT_LEAD = (r"(?:(?:around|about|some|nearly|almost|more than|over|at least|roughly"
              r"|approximately|the|these|those|all|another|environ|près de|etwa|rund)\s+)?")


PERSON_CONTEXT = re.compile(
    r"[\"”’]?[ \t]*(?:,[ \t]*(?:\d{1,2}|who|whose|a|an|the|aged?|qui|der|die|il|elle)\b"
    r"|\([^)]{0,40}\d"
    r"|,? (?:says|said|told|recalls|recalled|adds|added|explains|remembers|insists|admits"
    r"|writes|wrote|describes|asked|sagt|sagte|dit|raconte|explique)\b|,? (?:is|was) \d{1,2}\b"
    r"|,[ \t]*now[ \t]+\d{1,2}\b|[ \t]+(?:was born|grew up|was raised)\b)")
SAID_BEFORE = re.compile(r"\b(?:says|said|told|asks|asked|recalls|adds|dit|sagt|sagte)[ \t]+$")


def find_mentions(prep: Prepared, parse: Parse | None = None) -> list[Mention]:
    """All person mentions, ordered by position, without overlaps (earlier finders win)."""
    found: list[Mention] = []
    finders: tuple[Callable[[Prepared], list[Mention]], ...] = (
        _speaker_mentions, _handles, _codes, _initials, partial(_names, parse=parse),
        _collectives, _descriptions, _pronouns)
    for finder in finders:
        taken = _Spans([(m.start, m.end) for m in found])
        found.extend(m for m in finder(prep) if not taken.overlaps(m.start, m.end))
    places = _place_like(prep)
    found = [m for m in found if _keep_with_parse(prep, m, parse) and not (
        m.kind == "name" and m.gender is None and not m.pseudonym
        and (_bare(m.text) in places or ORGANISATION.search(m.text)))]
    for start, end in pseudonym_spans(prep):
        hits = [m for m in found if m.start < end and start < m.end]
        for m in hits:
            m.pseudonym = m.kind in ("name", "code")
        if not hits:
            found.append(_mention(prep, start, end, "name", pseudonym=True))
    _mark_subjects(prep, found, parse)
    for m in found:
        m.personal = m.kind != "name" or m.pseudonym or m.gender is not None or bool(
            re.search(r"\b[A-Z]\.$", m.text)) or bool(
            PERSON_CONTEXT.match(prep.text, m.end) or SAID_BEFORE.search(
                prep.text[max(0, m.start - 12):m.start])) or _person_entity(m, parse)
    personal = {_bare(m.text) for m in found if m.kind == "name" and m.personal}
    for m in found:
        if m.kind == "name" and _bare(m.text) in personal:
            m.personal = True
    return sorted(found, key=lambda m: m.start)


LOCATIVE = re.compile(r"(?<![\w'’-])(?:in|near|outside|into|across|around|(?:city|town|village"
                      r"|region|province|district) of)\s+((?:[A-Z][\w'’-]+\s+){0,2}"
                      r"[A-Z][\w-]+)(?!['’\w-])")
ORGANISATION = re.compile(
    r"\b(?:Partnership|Centre|Center|Foundation|Institute|Network|Programme|Program"
    r"|Association|Organi[sz]ation|Ministry|University|College|Council|Committee|Agency"
    r"|Corridor|Initiative|Trust|Society|Project|Court|Police|Army|Forces)$|^(?:Operation"
    r"|About)\b")


def _place_like(prep: Prepared) -> set[str]:
    """Capitalised words that follow "in", "near", "outside": places the gazetteer does not
    know ("born in Sumqayit"), not people."""
    return {m.group(1) for m in LOCATIVE.finditer(prep.text)}


def _bare(name: str) -> str:
    return re.sub(r"['’]s$", "", name)


PREPOSITION_BEFORE = re.compile(
    r"\b(?:with|to|for|of|from|by|about|at|on|in|into|towards?|against|avec|à|de|pour|par|sur"
    r"|chez|mit|für|von|zu|bei|an|gegen|über)\s+$", re.IGNORECASE)


def _mark_subjects(prep: Prepared, mentions: list[Mention], parse: Parse | None) -> None:
    """Subjects of their clause: by the parse, else the first mention of a sentence that no
    preposition governs."""
    if parse is not None:
        for m in mentions:
            token = parse.token_at(m.start)
            while token is not None and token.i + 1 < len(token.doc) and \
                    token.head.i != token.i and m.start <= token.head.idx < m.end:
                token = token.head
            m.subject = token is not None and token.dep_ in ("nsubj", "nsubjpass")
        return
    seen: set[int] = set()
    for m in mentions:
        if m.sentence in seen or m.kind == "speaker":
            continue
        seen.add(m.sentence)
        m.subject = not PREPOSITION_BEFORE.search(prep.text[max(0, m.start - 12):m.start])


def _keep_with_parse(prep: Prepared, m: Mention, parse: Parse | None) -> bool:
    """Drop multi-word "names" that spaCy takes for organisations, places or works, unless
    what follows says person ("Jamal Hussain, 33,", "..., who")."""
    if parse is None or m.kind != "name" or " " not in m.text:
        return True
    if m.gender is not None or PERSON_CONTEXT.match(prep.text, m.end):
        return True
    return parse.entity_label(m.start, m.end) not in NOT_PEOPLE


def _person_entity(m: Mention, parse: Parse | None) -> bool:
    return parse is not None and m.kind == "name" and parse.entity_label(m.start,
                                                                        m.end) == "PERSON"


def _overlaps(start: int, end: int, taken: list[tuple[int, int]]) -> bool:
    return any(start < b and a < end for a, b in taken)


class _Spans:
    """Spans, for asking fast whether a span overlaps any of them (as ``_overlaps`` does)."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        ordered = sorted(spans)
        self.starts = [a for a, _ in ordered]
        self.reach: list[int] = []  # the furthest end among the spans up to each one
        furthest = -1
        for _, b in ordered:
            furthest = max(furthest, b)
            self.reach.append(furthest)

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect.bisect_left(self.starts, end)  # the spans that begin before ``end``
        return index > 0 and self.reach[index - 1] > start


def _mention(prep: Prepared, start: int, end: int, kind: str, **extra: Any) -> Mention:
    return Mention(start, end, prep.text[start:end], kind, prep.sentence_at(start).index,
                   **extra)


def _speaker_mentions(prep: Prepared) -> list[Mention]:
    return [_mention(prep, start, end, "speaker")
            for start, end in prep.label_spans.values()]


def _handles(prep: Prepared) -> list[Mention]:
    return [_mention(prep, m.start(), m.end(), "handle") for m in HANDLE.finditer(prep.text)]


def _codes(prep: Prepared) -> list[Mention]:
    out = []
    for m in CODE.finditer(prep.text):
        prefix = m.group().split("-")[0]
        if prefix in NOT_CODES or lexicon().get(prefix, ("", ""))[1] == "country":
            continue
        out.append(_mention(prep, m.start(), m.end(), "code"))
    return out


def _initials(prep: Prepared) -> list[Mention]:
    out = []
    for m in INITIALS.finditer(prep.text):
        if m.group() not in NOT_INITIALS and m.group().rstrip(".") not in lexicon():
            out.append(_mention(prep, m.start(), m.end(), "name"))
    for m in INITIAL.finditer(prep.text):
        before = prep.text[max(0, m.start() - 2):m.start()]
        if not before.strip() or (before.endswith((" ", "\n", "(")) and not re.search(
                rf"{CAP}\s$", prep.text[max(0, m.start() - 30):m.start()])):
            out.append(_mention(prep, m.start(), m.end(), "name"))
    return out


def _names(prep: Prepared, parse: Parse | None = None) -> list[Mention]:
    nouns = ({m.group(1) or m.group(2) for m in DE_ARTICLES.finditer(prep.text)}
             if prep.language == "de" else set())
    blocked = [(p.start, p.end) for p in find_places(prep.text)]
    blocked += [(start, end) for start, end, _ in group_matches(prep.text)]
    blocked_spans = _Spans(blocked)
    inside = _inside_counts(prep)
    out = []
    for m in NAME.finditer(prep.text):
        tokens = list(re.finditer(r"\S+", m.group()))
        nouns_here = set() if re.search(r"\s[A-Z]\.$", m.group()) else nouns
        role = bool(tokens) and ROLE_WORDS.fullmatch(tokens[0].group()) is not None
        tokens = _trim_name(prep, tokens, nouns_here)
        if not tokens or all(t.group() in TITLES for t in tokens):
            continue
        start, end = m.start() + tokens[0].start(), m.start() + tokens[-1].end()
        person = parse is not None and parse.entity_label(start, end) == "PERSON"
        if blocked_spans.overlaps(start, end) or not (
                person or _name_like(prep, start, end, inside)):
            continue
        if prep.language == "en" and THE_BEFORE.search(prep.text[max(0, start - 5):start]):
            continue
        out.append(_mention(prep, start, end, "name", gender=TITLES.get(tokens[0].group()),
                            role=role or _has_role(prep, start, end)))
    return out


def _trim_name(prep: Prepared, tokens: list[re.Match[str]],
               nouns: set[str]) -> list[re.Match[str]]:
    """Drop common words around a name and cut it at the first one inside; the word after a
    title is a name whatever it is ("Mr Said")."""
    def common(i: int) -> bool:
        after_title = i > 0 and tokens[i - 1].group() in TITLES
        return not after_title and _common(prep, tokens[i].group(), nouns)

    while tokens and _common(prep, tokens[0].group(), nouns):
        tokens.pop(0)
    while tokens and common(len(tokens) - 1):
        tokens.pop()
    cut = next((i for i, t in enumerate(tokens) if t.group() not in CONNECTORS and common(i)),
               None)
    return tokens[:cut] if cut is not None else tokens


def _inside_counts(prep: Prepared) -> set[str]:
    """Capitalised words that occur somewhere other than at the start of a sentence."""
    starts = {s.start for s in prep.sentences} | {b + 2 for _, b in prep.label_spans.values()}
    starts |= {b + 1 for _, b in prep.label_spans.values()}
    seen = set()
    for m in re.finditer(rf"{CAP}", prep.text):
        before = prep.text[max(0, m.start() - 3):m.start()]
        if m.start() not in starts and not re.search(r"[\n\"“‘«„(\[*#]\s*$|^\s*$", before):
            seen.add(m.group())
    return seen


KIN_BEFORE = re.compile(r"\b(?:son|daughter|brother|sister|husband|wife|cousin|nephew|niece"
                        r"|friend|named|called)[ \t]*,?[ \t]*$")


def _name_like(prep: Prepared, start: int, end: int, inside: set[str]) -> bool:
    """A single word counts as a name if it recurs, at least once inside a sentence, or is
    followed by what follows names (an age, a bracket, an apposition). In German, where
    every noun is capitalised, a name needs an initial, a title or that context."""
    text = prep.text[start:end]
    context = re.match(r"[\"”’]?[ \t]*(?:,[ \t]*(?:\d{1,2}\b|(?:a|an)[ \t])|\("
                       r"|,[ \t]*(?:who|qui)\b)|[ \t]+(?:was born|grew up|was raised)\b",
                       prep.text[end:]) or KIN_BEFORE.search(
                           prep.text[max(0, start - 20):start])
    if text.endswith(".") or (" " in text and prep.language != "de") or context:
        return True
    if " " in text:
        return text.split()[0] in TITLES
    if (text not in inside and text in SENTENCE_OPENERS) or prep.language == "de":
        return False
    return _occurs_twice(prep.text, text)


WORD_OR_HYPHEN = re.compile(r"[\w-]")


def _occurs_twice(text: str, word: str) -> bool:
    """``word`` stands on its own (no word character or hyphen either side) at least twice
    in ``text``: what ``re.findall`` with those lookarounds counts, without compiling a
    pattern per word."""
    count = 0
    pos = text.find(word)
    while pos >= 0:
        end = pos + len(word)
        if (pos == 0 or WORD_OR_HYPHEN.match(text, pos - 1) is None) and \
                WORD_OR_HYPHEN.match(text, end) is None:
            count += 1
            if count >= 2:
                return True
            pos = text.find(word, end)
        else:
            pos = text.find(word, pos + 1)
    return False


def _common(prep: Prepared, token: str, nouns: set[str]) -> bool:
    word = re.split(r"['’]", token.strip(".,;:'’"))[0]
    if word in TITLES:
        return False
    if (word.isupper() and len(word) > 1) or word in MONTHS_DAYS or word in nouns:
        return True
    if word.lower() in STOP or word.lower() in prep.lower_words or word in lexicon():
        return True
    return _group_name(word)


@lru_cache(maxsize=4096)
def _group_name(word: str) -> bool:
    return any(pattern.fullmatch(word) for pattern, _ in GROUPS)


def _has_role(prep: Prepared, start: int, end: int) -> bool:
    """A reporter, official or professional: the role right before the name ("Our reporter
    Tom K.", "the director, Xasan M.", "Dr. Solheim") or in apposition after it."""
    before = prep.text[max(0, start - 40):start]
    after = prep.text[end:end + 45]
    first = prep.text[start:end].split()[0]
    role_before = re.compile(rf"(?:{ROLE_WORDS.pattern}),?\s+(?-i:[A-Z][\w.]*\s+)?$",
                             re.IGNORECASE)
    if first in ROLE_TITLES or role_before.search(before) or BYLINE.search(before):
        return True
    return bool(re.match(r",?\s+(?:(?:is|was)\s+)?(?:a|an|the|our|their|his|her)\s+"
                         r"(?:[\w-]+\s+){0,3}?" + ROLE_WORDS.pattern, after, re.IGNORECASE))


ADJECTIVE_USE = (r"\s+(?i:group|network|organi[sz]ation|movement|cell|faction|outfit|militia"
                 r"|wing|commanders?|leaders?|camps?|attacks?|activit(?:y|ies)|ideology"
                 r"|propaganda|violence|stronghold|territory|ranks)\b")


@cache
def _description_pattern(language: str) -> re.Pattern[str]:
    heads = PERSON_HEADS[language]
    det = {"en": r"a|an|the|one|another|this|that|his|her|my|their|our|your|[A-Z][a-z]+'s",
           "fr": r"un|une|le|la|l'|son|sa|mon|ma|leur|cet|cette|ce",
           "de": r"ein|eine|einen|einer|einem|der|die|den|dem|des|sein\w*|ihr\w*|mein\w*"}
    head_words = sorted(heads, key=len, reverse=True)
    flags = 0 if language == "de" else re.IGNORECASE
    return re.compile(
        rf"\b(?P<det>(?i:{det[language]}))\s+(?P<mods>(?:[\w'’-]+\s+){{0,3}}?)"
        rf"(?P<head>(?:\d+-)?(?:{'|'.join(map(re.escape, head_words))})|\d+-year-old"
        rf"|\d+-[Jj]ährige[rn]?)(?![\w-])(?!{ADJECTIVE_USE})", flags)


def _descriptions(prep: Prepared) -> list[Mention]:
    heads = PERSON_HEADS[prep.language]
    pattern = _description_pattern(prep.language)
    out = []
    for m in fast_finditer(pattern, prep.text, prep.lower):
        mods = m.group("mods").split()
        if m.group("head").lower() == "member" and "former" not in m.group("mods").lower():
            continue
        if any(w.lower() in DESC_STOP for w in mods) or "\n" in m.group() or \
                m.group().isupper() or prep.text.startswith(("'s", "’s"), m.end()) or \
                AS_BEFORE.search(prep.text[max(0, m.start() - 6):m.start()]):
            continue
        mention = _description(prep, m, heads)
        noun = re.match(r"[ \t]+(man|woman|boy|girl|mother|father|widow|convert|fighter)\b",
                        prep.text[mention.end:mention.end + 12])
        if noun and "year-old" in mention.text:
            mention.end += noun.end()
            mention.text = prep.text[mention.start:mention.end]
            mention.gender = heads.get(noun.group(1))
            mention.label_end = _label_end(prep.text, mention.end)
        out.append(mention)
    out.extend(_demonym_heads(prep))
    return out


def _description(prep: Prepared, m: re.Match[str], heads: dict[str, str | None]) -> Mention:
    det = m.group("det")
    head = m.group("head")
    key = re.sub(r"^\d+-", "", head)
    key = next((h for h in heads if h.lower() == key.lower()), key)
    possessive = det.lower() in {"his", "her", "my", "their", "our", "your", "son", "sa",
                                 "mon", "ma", "leur"} or det.endswith("'s") or \
        det.lower().startswith(("sein", "ihr", "mein"))
    relation = key if key in KIN_NOUNS else None
    country = next((lexicon()[w][0] for w in m.group("mods").split()
                    if w.strip(",") in lexicon() and lexicon()[w.strip(",")][1] == "demonym"),
                   None)
    mention = _mention(prep, m.start(), m.end(), "desc", gender=heads.get(key),
                       definite=det.lower() in {"the", "this", "that", "le", "la", "l'",
                                                "der", "die", "den", "dem", "des"} or possessive,
                       relation=relation, owner=det if relation and possessive else None,
                       exit_noun=bool(EXIT_NOUNS.search(m.group())), country=country)
    mention.label_end = _label_end(prep.text, m.end())
    return mention


def _label_end(text: str, end: int) -> int:
    """Extend a description over a following origin phrase ("from the Manbij countryside")."""
    tail = re.match(r",?\s+(?:from|of|in (?:his|her) (?:\w+ )?(?:teens|twenties|thirties"
                    r"|forties|fifties|sixties))(?:\s+[\w'’-]+){0,5}?(?=[,.;:)!?]|\s+(?:who|and"
                    r"|,|which|had|has|was|is|said|says|told|whom|in|on|at|to|after|before)\b)",
                    text[end:end + 80])
    return end + tail.end() if tail else end


def _demonym_heads(prep: Prepared) -> list[Mention]:
    """"the Egyptian", "a Tunisian": a demonym used as a noun."""
    det = {"en": r"an?|the|one", "fr": r"un|une|le|la|l'", "de": r"ein|eine|der|die"}
    pattern = re.compile(rf"\b(?i:{det[prep.language]})\s+([A-ZÀ-Ý][\w-]+)(?=\s*[,.;:)]|\s+(?:who"
                         r"|is|was|says|said|asked|told|has|had|from|left|joined|went|qui"
                         r"|est|a)\b)")
    out = []
    for m in pattern.finditer(prep.text):
        entry = lexicon().get(m.group(1))
        if entry and entry[1] == "demonym" and not m.group(1).endswith("s"):
            out.append(_mention(prep, m.start(), m.end(), "desc", country=entry[0],
                                definite=m.group().lower().startswith(("the", "le", "la",
                                                                       "l'", "der", "die"))))
    return out


@cache
def _collective_patterns(language: str) -> tuple[re.Pattern[str], re.Pattern[str]]:
    plural = sorted(PLURAL_HEADS[language], key=len, reverse=True)
    heads = "|".join(map(re.escape, plural)) + r"|(?-i:[A-Z][a-z]+(?:is|ns|es|s))"
    flags = 0 if language == "de" else re.IGNORECASE
    counted = re.compile(
        rf"(?<![.\d])\b{QUANT_LEAD}(?P<n>{QUANT})\s+(?:of\s+(?:them|these|those|the\s+\w+)"
        rf"\s+(?:are|were)?\s*|of\s+(?:the\s+)?)?(?P<mods>(?:[\w'’-]+\s+){{0,2}}?)"
        rf"(?P<head>{heads})\b", flags)
    located = re.compile(rf"\b(?:the|les|die)\s+(?P<mods>(?:[\w-]+\s+)?)(?P<head>{heads})\s+"
                         r"(?:in|at|of|from|dans|de|im|in der)\s+(?:the|la|le|der|dem)\s+"
                         r"[\w-]+", flags)
    return counted, located


def _collectives(prep: Prepared) -> list[Mention]:
    counted, located = _collective_patterns(prep.language)
    out = []
    for m in [*fast_finditer(counted, prep.text, prep.lower),
              *fast_finditer(located, prep.text, prep.lower)]:
        mods = m.group("mods").split()
        if any(w.lower() in STOP or w.endswith("ing") for w in mods) or "\n" in m.group():
            continue
        number = _number(m.groupdict().get("n") or "")
        if number is not None and number < 2:
            continue
        head = m.group("head")
        if head[0].isupper() and head.lower() not in PLURAL_HEADS[prep.language] and (
                lexicon().get(head, ("", ""))[1] != "demonym"):
            continue
        mention = _mention(prep, m.start(), m.end(), "group", plural=True, number=number,
                           definite=m.group().lower().startswith(("the", "les", "die")),
                           exit_noun=bool(EXIT_NOUNS.search(m.group())))
        mention.label_end = _label_end(prep.text, m.end())
        out.append(mention)
    return out


def _number(text: str) -> int | None:
    text = text.lower().replace(",", "").strip()
    if not text:
        return None
    if text.isdigit():
        return int(text)
    parts = re.split(r"[-\s]", text)
    values = [NUMBER_WORDS.get(p) for p in parts]
    if all(v is None for v in values):
        return None
    if "dozen" in text:
        return 12 if text in {"a dozen"} else 24
    units = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
             "eight": 8, "nine": 9}
    return sum(v if v is not None else units.get(p, 0) for v, p in zip(values, parts,
                                                                          strict=True))


TOKEN = re.compile(r"(?<![\w'’])(?:[jm]'|[^\W\d_]+(?:['’][a-z]+)?)")


@cache
def _pronoun_scout(language: str) -> re.Pattern[str]:
    """Where, in lower-cased text, a ``TOKEN`` that is one of the language's pronouns can
    start (and a few other places): trying ``TOKEN`` only there finds the same pronouns as
    reading every word."""
    forms = []
    for key in sorted(PRONOUNS[language], key=len, reverse=True):
        form = re.escape(key).replace("'", "['’]")
        forms.append(form if "'" in key else form + r"(?![^\W\d_])")
    return re.compile(rf"(?<![\w'’])(?:{'|'.join(forms)})")


def _pronouns(prep: Prepared) -> list[Mention]:
    table = PRONOUNS[prep.language]
    out = []
    starts = [m.start() for m in _pronoun_scout(prep.language).finditer(prep.lower)]
    for m in matches_at(TOKEN, prep.text, starts):
        word = m.group()
        key = word.lower().replace("’", "'")
        value = table.get(key)
        if value is None or not _pronoun_ok(prep, m, word, value):
            continue
        person = {"first": "first", "second": "second"}.get(value, "third")
        gender = value if value in ("male", "female") else None
        vote = not (prep.language == "de" and key.startswith(("sie", "ihr")))
        out.append(_mention(prep, m.start(), m.end(), "pron", gender=gender,
                            plural=value == "plural", person=person, vote=vote))
    return out


def _pronoun_ok(prep: Prepared, m: re.Match[str], word: str, value: str) -> bool:
    if prep.language == "en" and value == "first" and word[0] == "i":
        return word != "i" or not re.match(r"[.)]", prep.text[m.end():m.end() + 1])
    if prep.language == "en" and word == "I":
        after = prep.text[m.end():m.end() + 2]
        return not (after.startswith(".") and m.start() > 0 and
                    prep.text[m.start() - 1] in "*\n#")
    if prep.language == "de" and word in {"Sie", "Ihr", "Ihre", "Ihren", "Ihrem", "Ihrer"}:
        sentence = prep.sentence_at(m.start())
        bold = prep.text[max(0, m.start() - 2):m.start()] == "**"
        return m.start() == sentence.start and prep.text[sentence.end - 1] != "?" and not bold
    return True


PSEUDONYM = re.compile(
    r"(?:asked|asks|agreed|wants?|wished|chose|prefers?)\s+(?:us\s+|me\s+)?(?:to\s+be\s+|that\s+"
    r"(?:we|I)\s+)?(?:to\s+)?(?:called|call\s+(?:him|her)|identified\s+(?:only\s+)?as|named"
    r"|referred\s+to\s+as|known\s+as|identify\s+(?:him|her)\s+(?:only\s+)?as)\s+"
    r"|(?:we\s+are|we're|we\s+will\s+be|we'll\s+be|we\s+are\s+going\s+to\s+be)\s+calling\s+"
    r"(?:him|her)\s+"
    r"|(?:chose|chosen|choose|uses?|used|gave|under)\s+(?:the\s+|a\s+)?(?:name|pseudonym"
    r"|pen\s+name|kunya|first\s+name)\s+"
    r"|(?:write|call)\s+me\s+(?:as\s+)?"
    r"|(?:only\s+)?(?:his|her)\s+(?:first|given)\s+name,?\s+"
    r"|(?:pseudonym|pen\s+name|nom\s+d'emprunt|prénom\s+d'emprunt)[:,]?\s+"
    r"|(?:identified|named|referred\s+to)(?:\s+\w+){0,3}?\s+only\s+(?:as|by)\s+"
    r"|appellerons\s+|l'appellerons\s+|nennen\s+(?:ihn|sie)\s+|by\s+the\s+kunya\s+"
    r"(?:he|she)\s+used\s+in\s+\w+,\s+", re.IGNORECASE)
PSEUDONYM_AFTER = re.compile(
    r"\s*\((?:not\s+(?:his|her)\s+real\s+name|pseudonym|name\s+changed|Name\s+geändert"
    r"|prénom\s+modifié|pen\s+name|a\s+pseudonym|chosen\s+name|research\s+pseudonym)"
    r"|[\"”’]?\s+is\s+a\s+pseudonym", re.IGNORECASE)
PSEUDONYM_MARKERS = ("real name", "pseudonym", "name changed", "name geändert", "prénom modifié",
                     "pen name", "chosen name")
QUOTED_NAME = re.compile(r"[\"“'‘«„]?\s?((?:[A-Z][\w'’-]+|[A-Z]{1,3}-[A-Z]?\d{1,3})"
                         r"(?:\s+[A-Z][\w'’-]+)?)")


def pseudonym_spans(prep: Prepared) -> list[tuple[int, int]]:
    """Spans of names the text introduces as pseudonyms or chosen names."""
    spans = []
    for m in fast_finditer(PSEUDONYM, prep.text, prep.lower):
        name = QUOTED_NAME.match(prep.text, m.end())
        if name and not _common(prep, name.group(1).split()[0], set()):
            spans.append((name.start(1), name.end(1)))
    lowered = prep.text.lower()
    if not any(marker in lowered for marker in PSEUDONYM_MARKERS):
        return spans
    for m in NAME.finditer(prep.text):
        if PSEUDONYM_AFTER.match(prep.text, m.end()):
            spans.append((m.start(), m.end()))
    return spans
