"""exit_year_of: the year a case left its group.

The dates a document gives are found once: years ("in March 2015", "mid-2016", "2003-2012"),
dates counted from the one given before ("two years later", "later that year"), and, when the
document's publication date is known, expressions dated from it ("last year", "two years
ago", "this spring", "in July", "on Tuesday").

A case's exit year is the date nearest its exit cues: one in a cue's own sentence first, then
one in the sentences right before and after, then (with a weight that falls with every
sentence) the nearest one further away, up to ``REACH`` sentences. A date that an exit cue
governs ("left in 2015", "in 2015 he fled", "until 2016") counts twice; one governed by
coming home ("came back in 2019") or by the reasons for leaving ("what made her leave was the
illness in 2017") less. Dates of joining, birth, the account itself and later events
("joined in 2014", "born in 1994", "told us in 2019", "since 2019", "arrested in 2018") never
count. Ties go to the earlier year: the exit comes before what follows it.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from exitlens.cases.coref import Entity
from exitlens.cases.document import Prepared, Sentence
from exitlens.cases.lexicon import NUMBER_WORDS

FIRST_YEAR, LAST_YEAR = 1970, 2030
WINDOW = 70  # characters either side of a date in which the word governing it is looked for
NEAR = 45  # characters before a date that say it is a birth or the start of a range
ADJACENT = 0.3  # a date in the sentence before or after a cue, against one in the cue's own
REACH = 20  # sentences either side of a cue in which a date is looked for at all
DECAY = 0.85  # the share of its weight a date keeps for each further sentence from a cue
GOVERNED = 2.0  # a date an exit cue governs, against one that merely shares its sentence
FOLLOWING = 0.75  # a cue after its date ("in 2015 he fled"), against one before it
RETURN = 0.5  # coming home follows the exit, often by years: "left in 2017, came back in 2019"

#: a year (1970-2039; ``_is_year`` checks what surrounds it)
YEAR = re.compile(r"(?:19[7-9]|20[0-3])\d")
NOT_AFTER_YEAR = re.compile(r"\d|/|[.,]\d|['’]?s\b")
#: words that every relative expression holds ("last year", "on Tuesday", "il y a deux ans",
#: "vor drei Monaten"): the patterns are tried only around them, which is much faster than
#: scanning whole texts
HEADS = {language: tuple(re.compile(word) for word in ("year", "month", "week", "day", *words))
         for language, words in (("en", ()), ("fr", ("ann", "l'an", "ans", "mois", "dernier")),
                                 ("de", ("jahr", "monat", "tag", "woche")))}
LEAD, TAIL = 24, 14  # characters before and after a head word that its expression may span
COUNT = r"(?:a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2})"
COUNTS = {"a": 1, "an": 1, "one": 1, "un": 1, "une": 1, "ein": 1, "einem": 1, "einen": 1,
          **NUMBER_WORDS, "sept": 7, "huit": 8, "neuf": 9, "sechs": 6, "sieben": 7,
          "acht": 8, "neun": 9}
#: relative expressions, one named group for each way of dating them; matched in lower-cased
#: text, case-sensitively (twice as fast as ignoring case)
RELATIVE_WORDS = re.compile(
    # counted from the date given last
    rf"\b(?:(?P<later>(?P<years>{COUNT}) years? later\b|(?:the|a) (?P<next>following|next) year\b"
    r"|(?:that|the same|that same) year\b|(?:\w+ )?(?:days|weeks|months) later\b"
    r"|the (?:following|next) (?:day|week|month)\b)"
    # counted back from publication
    rf"|(?P<ago>(?P<count>{COUNT}) (?P<unit>years?|months?) ago\b"
    r"|il y a (?P<count_fr>\w+) (?P<unit_fr>ans?|mois)\b"
    r"|vor (?P<count_de>\w+) (?P<unit_de>jahren|jahr|monaten|monat)\b)"
    r"|(?P<last_year>(?:last|past) year\b|l'(?:année|an) (?:dernière?|passée?)\b"
    r"|(?:letztes|vergangenes|im vergangenen|im letzten) jahr(?:es)?\b)"
    r"|(?P<last_month>(?:last|past) month\b|le mois dernier\b|letzten monat\b)"
    r"|(?P<this_year>(?:this|current) year\b|cette année\b"
    r"|(?:dieses|diesen|in diesem) jahr(?:es)?\b"
    r"|(?:on|last|this|next) (?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b"
    r"|(?:last|this|past) (?:week|weekend)\b|this month\b|yesterday\b"
    r"|(?:days|weeks) ago\b|in the (?:past|last) (?:few |\w+ )?(?:days|weeks)\b"
    r"|(?:lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche) dernier\b"
    r"|(?:am|letzten) (?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag)\b))")
MONTHS = {
    "January": 1, "February": 2, "March": 3, "April": 4, "May": 5, "June": 6, "July": 7,
    "August": 8, "September": 9, "October": 10, "November": 11, "December": 12,
    "Jan": 1, "Feb": 2, "Mar": 3, "Apr": 4, "Jun": 6, "Jul": 7, "Aug": 8, "Sept": 9,
    "Sep": 9, "Oct": 10, "Nov": 11, "Dec": 12,
    "janvier": 1, "février": 2, "mars": 3, "avril": 4, "mai": 5, "juin": 6, "juillet": 7,
    "août": 8, "septembre": 9, "octobre": 10, "novembre": 11, "décembre": 12,
    "Januar": 1, "Februar": 2, "März": 3, "Juni": 6, "Juli": 7, "Oktober": 10,
    "Dezember": 12,
    "spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 1, "printemps": 3, "été": 6,
    "automne": 9, "hiver": 1, "Frühjahr": 3, "Frühling": 3, "Sommer": 6, "Herbst": 9,
    "Winter": 1,
}
_MONTH_NAMES = "|".join(sorted((m for m in MONTHS if m[0].isupper() or m in (
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre")), key=len, reverse=True))
#: seasons ("the fall of Mosul" is not one)
_SEASONS = r"spring|summer|autumn|fall(?!\s+of\b)|winter|printemps|été|automne|hiver"
#: where a month or season may be named, found fast: capitalised names in the text, the
#: lower-case ones (seasons; French months) in the lower-cased text
MONTH_NAMES = re.compile("(?:" + "|".join(sorted((m for m in MONTHS if m[0].isupper()),
                                                 key=len, reverse=True)) + r")\b")
MONTH_WORDS = {language: tuple(re.compile(word) for word in ("spring", "summer", "autumn", "fall",
                                                             "winter", *words))
               for language, words in (("en", ()), ("de", ()), ("fr", (
                   "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                   "septembre", "octobre", "novembre", "décembre", "printemps", "été",
                   "automne", "hiver")))}
#: a month or season without its year: "in March", "since June", "last summer", "im Herbst"
MONTH = re.compile(
    r"(?:\b(?P<lead>(?i:in|since|by|until|till|from|during|of|last|this|early|late|mid"
    r"|en|au|depuis|im|seit|Anfang|Ende|Mitte))\s+(?:(?i:the|early|late|mid|end of|start of"
    r"|beginning of|middle of|first week of|last week of)\s+)*"
    rf"|(?<=[Mm]id-))(?P<name>{_MONTH_NAMES}|(?i:{_SEASONS}))\b"
    r"(?!\s*(?:\d{1,2}(?:st|nd|rd|th)?,?\s+)?(?:of\s+|de\s+)?(?:(?:19|20)\d\d|(?i:this|last|next)"
    r"\s+year|(?i:that)\s+year|de l'année))"
    rf"|\b(?P<dated>{_MONTH_NAMES})\s+\d{{1,2}}\b(?!,?\s+(?:19|20)\d\d|\d)")

#: what makes a date not the exit's, just before it: a birth, the start of a stretch of time
BIRTH = re.compile(r"\b(?:born|b\.|n[ée]e?|geboren|Jahrgang)\b[^.;]{0,25}$", re.IGNORECASE)
#: words that govern a date that is not the exit's: joining, the account, later events
#: (matched in lower-cased text)
OTHER = re.compile(
    r"\b(?:join(?:ed|s|ing)?|recruit(?:ed)?|enlist(?:ed)?|signed up|pledged|travell?ed"
    r"|went|arrived|moved|radicali[sz]ed|converted|rejoint|partie?|beigetreten|ausgereist"
    r"|gereist|told|tells|interview(?:ed)?|spoke|speaking|wrote|testified|posted|recalled"
    r"|recounted|since|depuis|seit|arrested|sentenced|convicted|charged|released)\b")
RANGE_START = re.compile(r"\b(?:from|between|since|depuis|seit|von)\s+(?:(?:about|around|late"
                         r"|early|mid|the end of|the start of)[\s-]+)?$", re.IGNORECASE)
#: what dates the exit less well than leaving: the reasons for it, coming home
REASON = re.compile(r"\b(?:(?:made|make|makes|making) (?:me|him|her|them|us)|why (?:\w+ ){0,3}"
                    r"|reasons? (?:for|to)|decid\w+ to|decision to|thinking about|think about)"
                    r"\s+$", re.IGNORECASE)
RETURNING = re.compile(r"(?:came|come|comes|coming|went|got|made it) (?:back|home)|return"
                       r"|repatriat|rentr|reven|zurück|heimgekehrt", re.IGNORECASE)
#: the end of a stretch of time: "until 2016", "2003-2012", "from 2013 to 2015"
UNTIL = re.compile(r"(?:\b(?:until|till|up to|jusqu'(?:en|à)|bis)|(?:19|20)\d\d\s*(?:-|–|to))"
                   r"\s*(?:(?:early|late|mid|the|end of|summer of|spring of|autumn of|winter of)"
                   r"[\s-]+)*(?:\w+\s+)?$", re.IGNORECASE)
PUBLISHED = re.compile(r"((?:19|20)\d\d)(?:-(\d\d))?")


@dataclass(frozen=True, slots=True)
class Dated:
    """A date the text gives: ``text[start:end]`` is in ``year``."""

    start: int
    end: int
    year: int


def exit_year_of(prep: Prepared, entity: Entity, sentences: set[int],
                 published: str | None = None) -> int | None:
    """The year the entity left its group, from the dates nearest its exit cues (in
    ``sentences``); None when nothing fits."""
    if not entity.cues:
        return None
    dates = dates_in(prep.text, prep.lower, prep.language, published)
    if not dates:
        return None
    strength: dict[int, float] = defaultdict(float)
    for s, pos in entity.cues:
        index = prep.sentence_at(pos).index
        strength[index] = max(strength[index], s)
    cues = sorted(entity.cues, key=lambda cue: cue[1])
    cued = sorted(strength)
    votes: dict[int, float] = defaultdict(float)
    for date in dates:
        sentence = prep.sentence_at(date.start)
        index = sentence.index
        at = bisect.bisect_left(cued, index)
        distance, base = min((abs(i - index), -strength[i]) for i in cued[max(0, at - 1):at + 1])
        if distance > REACH:
            continue
        tier, base = _tier(distance), -base
        governing = _governing(prep, sentence, date, cues)
        if governing is None:
            continue
        weight = tier * (GOVERNED * governing if governing > 0 else base)
        votes[date.year] += weight
    if not votes:
        return None
    return max(votes.items(), key=lambda item: (item[1], -item[0]))[0]


def _tier(distance: int) -> float:
    """The weight of a date ``distance`` sentences from a cue."""
    return 1.0 if distance == 0 else ADJACENT * DECAY ** (distance - 1)


def _governing(prep: Prepared, sentence: Sentence, date: Dated,
               cues: list[tuple[float, int]]) -> float | None:
    """The strength of the exit cue that governs ``date`` ("left in 2015", "in 2015 he
    fled"), 0.0 when none does, None when a word of joining, birth, the account or a later
    event does ("joined in 2014", "born in 1994", "told us in 2019", "since 2019")."""
    start = max(sentence.start, date.start - WINDOW)
    near = max(start, date.start - NEAR)
    text, lower = prep.text, prep.lower
    if BIRTH.search(text, near, date.start) or RANGE_START.search(text, near, date.start):
        return None
    if UNTIL.search(text, near, date.start):
        return 1.0
    cue = max(((s, p) for s, p in cues if start <= p < date.start), key=lambda c: c[1],
              default=None)
    other = max((m.start() for m in OTHER.finditer(lower, start, date.start)), default=-1)
    if cue is not None and cue[1] > other:
        return _strength(prep, cue)
    if other >= 0:
        return None
    end = min(sentence.end, date.end + WINDOW)
    after = next(((s, p) for s, p in cues if date.end <= p < end), None)
    if OTHER.search(lower, date.end, after[1] if after else end) is not None:
        return None
    return FOLLOWING * _strength(prep, after) if after is not None else 0.0


def _strength(prep: Prepared, cue: tuple[float, int]) -> float:
    """A cue's strength for dating: coming home and the reasons for leaving ("what made her
    leave was her daughter's illness in 2017") date the exit less well than the leaving."""
    weight = RETURN if RETURNING.match(prep.text, cue[1]) else 1.0
    if REASON.search(prep.text, max(0, cue[1] - 30), cue[1]):
        weight *= RETURN
    return cue[0] * weight


@lru_cache(maxsize=16)
def dates_in(text: str, lower: str, language: str = "en",
             published: str | None = None) -> tuple[Dated, ...]:
    """Every date ``text`` (lower-cased: ``lower``; in ``language``: en, fr or de) gives, in
    text order; relative ones only where ``published`` (YYYY, YYYY-MM or YYYY-MM-DD) is
    known."""
    found = [Dated(m.start(), m.end(), int(m.group())) for m in YEAR.finditer(text)
             if _is_year(text, m.start(), m.end())]
    heads = [m for head in HEADS.get(language, HEADS["en"]) for m in head.finditer(lower)]
    relative = list(_within(RELATIVE_WORDS, lower, _windows(heads, len(text))))
    pub = PUBLISHED.match(published or "")
    if pub is not None:
        year, month = int(pub.group(1)), int(pub.group(2) or 0)
        found.extend(_relative(relative, year, month))
        names = [*MONTH_NAMES.finditer(text), *(
            m for name in MONTH_WORDS.get(language, MONTH_WORDS["en"])
            for m in name.finditer(lower))]
        found.extend(_months(text, _windows(names, len(text)), year, month))
    found.sort(key=lambda d: d.start)
    found.extend(_counted(relative, found))
    return tuple(sorted((d for d in found if FIRST_YEAR <= d.year <= LAST_YEAR),
                        key=lambda d: d.start))


def _is_year(text: str, start: int, end: int) -> bool:
    """Not part of a longer number, a date written with slashes or a decade ("the 1990s")."""
    return not (start and text[start - 1] in "0123456789/.,") and not NOT_AFTER_YEAR.match(
        text, end)


def _windows(heads: list[re.Match[str]], size: int) -> list[tuple[int, int]]:
    """The stretches of text around ``heads`` (merged where they overlap) where the patterns
    that contain them are tried, instead of over the whole text."""
    spans = sorted((max(0, m.start() - LEAD), min(size, m.end() + TAIL)) for m in heads)
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


def _within(pattern: re.Pattern[str], text: str,
            windows: list[tuple[int, int]]) -> Iterator[re.Match[str]]:
    """What ``pattern.finditer(text)`` yields inside ``windows`` (a match must end before
    its window does, where the window ends before the text)."""
    for start, end in windows:
        for m in pattern.finditer(text, start, end):
            if m.end() < end or end == len(text):
                yield m


def _counted(matches: list[re.Match[str]], dates: list[Dated]) -> Iterator[Dated]:
    """"two years later", "the following month", "later that year": counted from the date
    given last."""
    for m in matches:
        if m.lastgroup != "later":
            continue
        anchor = next((d for d in reversed(dates) if d.end <= m.start()), None)
        step = (COUNTS.get(m.group("years").lower()) if m.group("years") else
                1 if m.group("next") else 0)
        if anchor is not None and step is not None:
            yield Dated(m.start(), m.end(), anchor.year + step)


def _relative(matches: list[re.Match[str]], year: int, month: int) -> Iterator[Dated]:
    """"last year", "this week", "on Tuesday", "two years ago", dated from publication."""
    for m in matches:
        kind = m.lastgroup
        if kind == "last_year":
            yield Dated(m.start(), m.end(), year - 1)
        elif kind == "last_month":
            yield Dated(m.start(), m.end(), year - (month == 1))
        elif kind == "this_year":
            yield Dated(m.start(), m.end(), year)
        elif kind == "ago":
            count = m.group("count") or m.group("count_fr") or m.group("count_de")
            unit = (m.group("unit") or m.group("unit_fr") or m.group("unit_de")).lower()
            n = COUNTS.get(count.lower()) or (int(count) if count.isdigit() else None)
            if n is not None and unit.startswith(("year", "an", "jahr")):
                yield Dated(m.start(), m.end(), year - n)
            elif n is not None and month:
                yield Dated(m.start(), m.end(), year + (month - 1 - n) // 12)


def _months(text: str, windows: list[tuple[int, int]], year: int,
            month: int) -> Iterator[Dated]:
    """A month or season without its year ("in July", "last summer"): the last one before
    publication."""
    for m in _within(MONTH, text, windows):
        name = m.group("name") or m.group("dated")
        value = MONTHS.get(name) or MONTHS.get(name.lower(), 0)
        lead = (m.group("lead") or "").lower()
        back = month and (value > month or (lead == "last" and value >= month))
        yield Dated(m.start(), m.end(), year - 1 if back else year)
