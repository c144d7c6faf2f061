"""Word lists for the case stage, by language (en, fr, de): exit cues, person nouns, pronouns,
titles, roles and the names of extremist groups."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache


@dataclass(frozen=True, slots=True)
class ExitCue:
    """A pattern that says someone left; ``leave`` cues need a look at their object."""

    pattern: re.Pattern[str]
    strength: float
    leave: bool = False


def _cues(*rows: tuple[str, float] | tuple[str, float, bool]) -> tuple[ExitCue, ...]:
    return tuple(ExitCue(re.compile(rf"\b(?:{row[0]})\b", re.IGNORECASE), row[1],
                         bool(row[2]) if len(row) > 2 else False) for row in rows)


_SELF = r"(?:him|her|them|my|your|our)sel(?:f|ves)"

EXIT_CUES: dict[str, tuple[ExitCue, ...]] = {
    "en": _cues(
        (r"defect(?:ed|s|ing)?", 1.0),
        (r"desert(?:ed|ing)", 1.0),
        (r"escap(?:ed|es|ing)", 0.9),
        (r"fled|flee(?:s|ing)?", 0.6, True),
        (r"ran away|run(?:s|ning)? away|ran from", 0.8),
        (r"walk(?:ed|s|ing)? (?:away|out)", 1.0),
        (r"quit(?:s|ting)?", 0.8, True),
        (r"(?:came|come|comes|coming) out (?:of|under|through|from)", 1.0),
        (r"(?:came|come|comes|coming) down from", 0.8),
        (r"surrender(?:ed|s|ing)?", 1.0),
        (rf"turn(?:ed|s|ing)? {_SELF} in|(?:gave|give|gives|giving|given) {_SELF} up", 1.0),
        (rf"hand(?:ed|s|ing)? {_SELF} (?:in|over)|present(?:ed|s)? {_SELF}", 1.0),
        (r"return(?:ed|s|ing)? (?:home|from|to (?:his|her|their|my) (?:family|home|village))",
         0.8),
        (r"(?:came|come|comes|coming) (?:back|home)|went home|got back|made it (?:out|home)",
         0.6),
        (r"got out|get(?:s|ting)? out|made it out", 0.7),
        (r"broke (?:away )?(?:with|from)|break(?:s|ing)? (?:with|away from)", 0.8),
        (r"disengag(?:ed|ing)|turned away from|split from|ceased all contact with", 0.8),
        (r"abandon(?:ed|ing)", 0.6, True),
        (r"left|leave|leaves|leaving", 0.5, True),
        (r"(?:am|is|was|i'm|he's|she's) out|stopped attending", 0.4),
        (r"(?<=his )exit|(?<=her )exit|(?<=their )exit|(?<=my )exit|departure from", 0.8),
        (r"reported to (?:the )?police|under (?:the |an |a )?(?:\w+'s )?amnesty", 0.8),
        (r"(?:laid|lay|lays|laying|put|puts|putting) down (?:(?:their|his|her|my|our) )?"
         r"(?:arms|weapons|guns)|(?:gave|give|gives|giving|handed|hand|hands) (?:up|over|in)"
         r" (?:their|his|her|my|our) (?:arms|weapons?|guns?|rifles?)", 1.0),
        (r"repatriat(?:ed|ion)", 0.8),
        (r"broke ranks|break(?:s|ing)? ranks|renounc(?:ed|es|ing)", 0.8),
        (r"ended (?:his|her|their|my|our) (?:involvement|membership|ties|association|time)",
         0.9),
        (r"walk(?:ed|s|ing)? (?:in)?to (?:an? |the )?(?:\w+ ){0,2}?(?:checkpoint|police station"
         r"|army post|military post|army base|base|camp)", 0.8),
        (r"return(?:ed|s|ing)? to (?=[A-Z])", 0.6),
        (r"(?:deradicali[sz]ation|rehabilitation|reintegration|disengagement|exit)"
         r" (?:programme|program|course|centre|center)", 0.5),
    ),
    "fr": _cues(
        (r"quitt(?:é|ée|és|er|e|ent|ait)", 0.6, True),
        (r"(?:enfui|enfuie|échappée?|évadée?)s?", 0.8),
        (r"(?:s'est|se sont|me suis|s'était|je me suis) rendue?s?", 1.0),
        (r"fui|fuite", 0.6, True),
        (r"désert(?:é|ée|er)|déserteur|défection", 1.0),
        (r"sortie?s?|sortir", 0.6),
        (r"rentrée?s?|revenue?s?|revenir|rentrer|retour", 0.5),
        (r"abandonn(?:é|ée|er)", 0.6, True),
    ),
    "de": _cues(
        (r"verlassen|verließ|verliess", 0.6, True),
        (r"abgewandt|abgekehrt|Abkehr|den Rücken gekehrt|losgesagt", 0.8),
        (r"setzte (?:er|sie) sich ab|abgesetzt", 1.0),
        (r"ausgestiegen|Ausstieg|ausgetreten|Aussteiger(?:in)?", 1.0),
        (r"geflohen|geflüchtet|floh|Flucht", 0.6, True),
        (r"zurückgekehrt|zurückgekommen|Rückkehrer(?:in)?|zurückgeholt", 0.6),
        (r"gelöst|Rückzug", 0.6),
        (r"desertiert|Deserteur(?:in)?|übergelaufen|gestellt", 0.8),
        (r"gegangen|raus", 0.4),
        (r"(?<=ihr )Ausstieg|(?<=sein )Ausstieg|(?<=ihrer )Flucht|(?<=seiner )Flucht", 0.8),
    ),
}

# Description heads that already say the person left.
EXIT_NOUNS = re.compile(
    r"\b(?:defectors?|deserters?|returnees?|leavers?|surrenderers?|escapees?|repentants?"
    r"|former (?:[\w'’-]+ ){0,2}?(?:members?|fighters?|militants?|jihadists?|combatants?"
    r"|recruits?|insurgents?|neo-nazis?)|ex-(?:members?|fighters?|militants?|jihadists?)"
    r"|surrendered \w+"
    r"|transfuges?|revenant(?:e|es|s)?|repentie?s?|anciens? combattants?"
    r"|Rückkehrer(?:in|innen)?|Aussteiger(?:in|innen)?|Heimkehrer(?:in)?)\b",
    re.IGNORECASE)

# Words before a cue (same clause) that make it negated, hypothetical or an attempt.
BLOCKERS: dict[str, re.Pattern[str]] = {
    "en": re.compile(
        r"\b(?:not|never|no|none|n't|nobody|cannot|can't|won't|wouldn't|couldn't|if|unless"
        r"|whether|would|could|might|should|want|wants|wanted|wanting|try|tries|tried|trying"
        r"|attempt|attempted|attempting|hope|hopes|hoped|plan|plans|planned|planning|wish"
        r"|afraid to|refused|refuse|dream|dreams|urg\w+|asking|asked (?:him|her|them) to"
        r"|begged?|how to|ready to|dare|didnt|dont|doesnt|wont|cant|couldnt|wouldnt"
        r"|hasnt|havent)\b|n't\b", re.IGNORECASE),
    "fr": re.compile(r"\b(?:ne|n'|pas|jamais|si|voulu|veut|voulait|veux|essay\w+|tent\w+"
                     r"|pourrait|aurait)\b", re.IGNORECASE),
    "de": re.compile(r"\b(?:nicht|nie|niemals|kein\w*|wenn|falls|würde|wollte|will|versuch\w*"
                     r"|könnte|hätte)\b", re.IGNORECASE),
}

# Objects of "left"/"quit"/"fled" that make it travel or an ordinary life change, not an exit.
NOT_GROUP_OBJECTS = re.compile(
    r"\b(?:home|house|school|university|college|job|work|wife|husband|family|children|kids"
    r"|party|team|club|army|reserve|military|police|post office|country|town|city|village"
    r"|the war|war|violence|fighting|bombing|regime|government|islam|politics|office"
    r"|maison|pays|famille|Heimat|Familie|Land|Schule|Partei|Armee)\b", re.IGNORECASE)

GROUP_OBJECTS = re.compile(
    r"\b(?:the (?:group|organi[sz]ation|movement|network|cell|militia|outfit|scene|crew"
    r"|brotherhood|caliphate|khilafa|dawla|camp|bush|ranks|brigade|unit|katiba|territory"
    r"|jihadists?|militants?)|them|their ranks|groupe|organisation|Gruppe|Szene|Organisation"
    r"|Kameradschaft|IS-Gebiet)\b", re.IGNORECASE)

PERSON_HEADS: dict[str, dict[str, str | None]] = {
    "en": {
        "man": "male", "woman": "female", "boy": "male", "girl": "female", "lady": "female",
        "gentleman": "male", "fighter": None, "member": None, "defector": None,
        "deserter": None, "returnee": None, "militant": None, "jihadist": None, "convert": None,
        "teenager": None, "youth": None, "widow": "female", "widower": "male",
        "mother": "female", "father": "male", "son": "male", "daughter": "female",
        "brother": "male", "sister": "female", "husband": "male", "wife": "female",
        "cousin": None, "uncle": "male", "aunt": "female", "nephew": "male", "niece": "female",
        "respondent": None, "interviewee": None, "recruit": None, "leaver": None,
        "accused": None, "defendant": None, "offender": None, "mum": "female",
        "mom": "female", "dad": "male",
        "grandmother": "female", "grandfather": "male", "surrenderer": None, "caller": None,
        "guest": None, "speaker": None, "narrator": None, "author": None, "client": None,
        "veteran": None, "insurgent": None, "combatant": None, "jihadi": None,
        "neo-nazi": None, "skinhead": None, "mujahid": None,
        # occupations: news stories introduce people by their former trade
        "teacher": None, "student": None, "nurse": None, "farmer": None, "shepherd": None,
        "herder": None, "driver": None, "mechanic": None, "welder": None, "engineer": None,
        "trader": None, "shopkeeper": None, "labourer": None, "laborer": None,
        "tailor": None, "carpenter": None, "medic": None, "fisherman": "male",
        "baker": None, "electrician": None, "accountant": None, "builder": None,
    },
    "fr": {
        "homme": "male", "femme": "female", "jeune": None, "combattant": "male",
        "combattante": "female", "membre": None, "déserteur": "male", "transfuge": None,
        "revenant": "male", "revenante": "female", "rapatriée": "female", "rapatrié": "male",
        "veuve": "female", "mère": "female", "père": "male", "fils": "male", "fille": "female",
        "frère": "male", "sœur": "female", "soeur": "female", "mari": "male",
        "épouse": "female", "garçon": "male", "auditeur": "male", "auditrice": "female",
    },
    "de": {
        "Mann": "male", "Frau": "female", "Kämpfer": "male", "Kämpferin": "female",
        "Mitglied": None, "Rückkehrer": "male", "Rückkehrerin": "female",
        "Aussteiger": "male", "Aussteigerin": "female", "Witwe": "female",
        "Mutter": "female", "Vater": "male", "Sohn": "male", "Tochter": "female",
        "Bruder": "male", "Schwester": "female", "Ehemann": "male", "Ehefrau": "female",
        "Junge": "male", "Mädchen": "female", "Angeklagte": "female", "Angeklagter": "male",
        "Jährige": "female", "Jähriger": "male", "Dschihadist": "male",
        "Dschihadistin": "female", "Tschetschene": "male",
    },
}

KIN_NOUNS = frozenset({
    "mother", "father", "son", "daughter", "brother", "sister", "husband", "wife", "cousin",
    "uncle", "aunt", "nephew", "niece", "mum", "mom", "dad", "grandmother", "grandfather",
    "mère", "père", "fils", "fille", "frère", "sœur", "soeur", "mari", "épouse",
    "Mutter", "Vater", "Sohn", "Tochter", "Bruder", "Schwester", "Ehemann", "Ehefrau",
})

PLURAL_HEADS: dict[str, frozenset[str]] = {
    "en": frozenset({
        "men", "women", "boys", "girls", "fighters", "members", "defectors", "deserters",
        "returnees", "militants", "jihadists", "people", "youths", "teenagers", "recruits",
        "leavers", "clients", "respondents", "surrenderers", "combatants", "insurgents",
        "former members", "former fighters", "interviewees", "widows", "mothers", "converts",
        "foreigners", "escapees", "extremists", "neo-nazis", "jihadis", "mujahideen",
    }),
    "fr": frozenset({"hommes", "femmes", "jeunes", "combattants", "membres", "déserteurs",
                     "transfuges", "revenants", "revenantes", "rapatriés", "repentis"}),
    "de": frozenset({"Männer", "Frauen", "Kämpfer", "Mitglieder", "Rückkehrer",
                     "Rückkehrerinnen", "Aussteiger", "Jugendliche"}),
}

NUMBER_WORDS = {
    "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
    "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
    "ninety": 90, "hundred": 100, "dozen": 12, "dozens": 24, "hundreds": 200, "scores": 40,
    "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "dix": 10, "vingt": 20, "trente": 30,
    "zwei": 2, "drei": 3, "vier": 4, "fünf": 5, "zehn": 10, "zwanzig": 20, "dreißig": 30,
}

PRONOUNS: dict[str, dict[str, str]] = {
    "en": {"he": "male", "him": "male", "his": "male", "himself": "male",
           "she": "female", "her": "female", "hers": "female", "herself": "female",
           "i": "first", "me": "first", "my": "first", "myself": "first", "i'm": "first",
           "i've": "first", "i'd": "first", "i'll": "first", "mine": "first",
           "they": "plural", "them": "plural", "their": "plural", "themselves": "plural",
           "you": "second", "your": "second"},
    "fr": {"il": "male", "lui": "male", "elle": "female", "je": "first", "j'": "first",
           "moi": "first", "me": "first", "m'": "first", "mon": "first", "ma": "first",
           "mes": "first", "ils": "plural", "elles": "plural", "vous": "second"},
    "de": {"er": "male", "ihn": "male", "ihm": "male", "sein": "male", "seine": "male",
           "seinen": "male", "seinem": "male", "seiner": "male", "sie": "female",
           "ihre": "female", "ihren": "female", "ihrem": "female", "ihrer": "female",
           "ich": "first", "mich": "first", "mir": "first", "mein": "first",
           "meine": "first", "meinen": "first", "meinem": "first", "meiner": "first"},
}

TITLES: dict[str, str] = {
    "Mr": "male", "Mr.": "male", "Mrs": "female", "Mrs.": "female", "Ms": "female",
    "Ms.": "female", "Miss": "female", "Madame": "female", "Mme": "female",
    "Monsieur": "male", "M.": "male", "Frau": "female", "Herr": "male", "Abu": "male",
    "Abou": "male", "Umm": "female", "Oum": "female", "Sheikh": "male", "Maulvi": "male",
    "Mullah": "male", "Sister": "female", "Brother": "male",
}

# People named with one of these near the name are reporters, officials or professionals.
ROLE_TITLES = frozenset({"Sheikh", "Dr", "Dr.", "Governor", "Colonel", "General", "Judge",
                         "Imam", "Professor", "Prof.", "Senator", "Minister", "President"})
ROLE_WORDS = re.compile(
    r"\b(?:reporter|journalist|correspondent|editor|presenter|host|interviewer|researcher"
    r"|analyst|lawyer|barrister|solicitor|attorney|counsel|advocate|prosecutor|judge"
    r"|magistrate|spokes(?:person|man|woman)|official|officer|governor|minister|senator"
    r"|councillor|colonel|general|commander|commissioner|director|coordinator|mentor"
    r"|psychologist|psychiatrist|sociologist|professor|dr|imam|sheikh|fellow|author of"
    r"|translator|interpreter|doctor|nurse at|worker|avocat|avocate|Richterin|Richter"
    r"|Verteidiger|Beraterin|Berater|Anwalt|Anwältin|Sprecher|animateur)\b\.?",
    re.IGNORECASE)
BYLINE = re.compile(r"(?:\bBy|\bPar|\bVon|\bMe|\b(?i:reporting|editing|translated|written"
                    r"|edited|compiled|transcribed|interviewed|photographed|traduit|übersetzt)"
                    r"(?:\s+\w+){0,3}?\s+(?i:by|par|von))\s+$")

INTERVIEWER_LABELS = frozenset({
    "q", "i", "interviewer", "presenter", "host", "reporter", "animateur", "animatrice",
    "moderator", "journalist", "researcher", "question",
})

GROUPS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), name) for pattern, name in (
        (r"\bIslamic State West Africa(?: Province)?\b|\bISWAP\b", "ISWAP"),
        (r"\bal-Qaeda in the Arabian Peninsula\b|\bAQAP\b", "AQAP"),
        (r"\bal-Qaeda in the Islamic Maghreb\b|\bAQIM\b", "AQIM"),
        (r"\bal-Qaeda in the Indian Subcontinent\b|\bAQIS\b", "AQIS"),
        (r"\bJNIM\b|\bJama'?at Nusrat al-Islam\b", "JNIM"),
        (r"\bDawlah Islamiyah\b", "Dawlah Islamiyah"),
        (r"\b(?:Jabhat al-Nusra|al-Nusra|Nusra(?:-| )Front|Nusra)\b", "Jabhat al-Nusra"),
        (r"\bHay'?at Tahrir al-Sham\b|\bHTS\b", "Hayat Tahrir al-Sham"),
        (r"\bIslamic State\b|\bISIS\b|\bISIL\b|\bDaesh\b|\bDa'?ish\b|\bDaech\b|\bDaech\b"
         r"|\b[ÉE]tat islamique\b|\bIslamische[nr]? Staat(?:es)?\b|\bIS(?=[\s,.;:)'’-])"
         r"|\bEI\b|\b[Tt]he [Dd]awlah?\b", "Islamic State"),
        (r"\b(?:al-|Al-)?Shabaa?b\b", "al-Shabaab"),
        (r"\bBoko Haram\b|\bJAS\b", "Boko Haram"),
        (r"\bal-Qa'?[ei]da\b|\bal Qa'?[ei]da\b|\bAl-Qa'?[ei]da\b", "al-Qaeda"),
        (r"\bTaliban\b|\bTTP\b", "Taliban"),
        (r"\bAbu Sayyaf\b", "Abu Sayyaf"),
        (r"\bMaute\b", "Maute group"),
        (r"\bJemaah Islamiyah\b|\bJamaah Ansharut Daulah\b|\bJAD\b", "Jemaah Islamiyah"),
        (r"\bkatiba (?:du )?Macina\b|\bMacina Liberation Front\b", "JNIM"),
    ))

EXTREMIST_CONTEXT = re.compile(
    r"\b(?:jihad\w*|mujahid\w*|caliphate|khilafa|kalifat\w*|califat|emir|amir|neo-nazi\w*"
    r"|neonazi\w*|far-right|far right|extreme right|white[- ](?:supremac\w+|nationalis\w+)"
    r"|militia|kameradschaft|rechtsextrem\w*|extr[eé]mis\w+|terroris\w+|skinhead\w*"
    r"|radicali[sz]\w+|apostates?|murtadd?\w*|hijra|kuffar|kafir|maqar|madafa|mahram|dawlah?"
    r"|returnees?|deradicali[sz]\w+|disengage\w*|Baghuz|Raqqa|Rakka|Mosul|Sambisa|the bush"
    r"|hisba|amni|amniyat|takfir\w*|khawarij|brousse|Dschihad\w*|IS-Gebiet)\b", re.IGNORECASE)
NOT_EXTREMISM = re.compile(
    r"\b(?:councillor|election|elections|senator|parliament|party|parties|striker|footballer"
    r"|goalkeeper|keeper|club|transfer|fans|colonel|officers|armed forces|régime|regime"
    r"|Pyongyang|nord-coréen|Parti|Partei|Bundestag)\b", re.IGNORECASE)
POLITICS = re.compile(r"\b(?:party|parties|club|team|senate|senator|parliament|ruling|opposition"
                      r"|political|politician|councillor|election|coach|striker|footballer"
                      r"|colonel|officers|army|régime|regime|Pyongyang|nord-coréen|partido|parti"
                      r"|Partei)\b", re.IGNORECASE)

FAR_RIGHT_NAME = re.compile(
    r"(?:calling itself|called itself|calls itself|referred to itself as|known as|called)"
    r"\s+(?:the\s+)?((?:[A-Z][\w'’-]+\s+){0,4}[A-Z][\w'’-]+)"
    r"|[\"“„«]\s*((?:[A-ZÄÖÜ][\w'’-]+\s+){0,3}[A-ZÄÖÜ][\w'’-]+)\s*[\"”“»]"
    r"|\b((?:[A-Z][\w'’-]+\s+){1,3}(?:Front|Force|Brotherhood|Vanguard|Watch|League"
    r"|Movement|Resistance|Legion|Division|Order|Guard|Patrol|Alliance|Sons|Frontlinje"
    r"|Bewegung|Kameradschaft|Defence League|Defense League|Nationalists))\b")

GROUP_WORDS = re.compile(
    r"\b(?:group|network|militia|crew|organi[sz]ation|movement|outfit|cell|gang|brotherhood"
    r"|Kameradschaft|Gruppe|neo-Nazi|far-right|white-supremacist|white-nationalist)\b",
    re.IGNORECASE)


@lru_cache(maxsize=256)
def group_matches(text: str) -> tuple[tuple[int, int, str], ...]:
    """(start, end, name) of every match of every pattern in ``GROUPS`` (pattern by pattern,
    in order), shared by the rules that look for group names in a whole document."""
    starts = [m.start() for m in _ANY_GROUP.finditer(text)]
    return tuple((m.start(), m.end(), name) for pattern, name in GROUPS
                 for m in matches_at(pattern, text, starts))


def any_of(patterns: Sequence[re.Pattern[str]]) -> re.Pattern[str]:
    """A zero-width pattern that matches wherever one of ``patterns`` (which must share their
    flags) matches: run once, it gives the positions worth trying each of them at."""
    flags = patterns[0].flags if patterns else 0
    if any(p.flags != flags for p in patterns):
        raise ValueError("patterns combined with any_of must share their flags")
    return re.compile("(?=" + "|".join(f"(?:{p.pattern})" for p in patterns) + ")", flags)


def matches_at(pattern: re.Pattern[str], text: str,
               starts: Sequence[int]) -> Iterator[re.Match[str]]:
    """What ``pattern.finditer(text)`` yields, given (in order) every position where
    ``pattern`` can match, among others: the leftmost match, then the next from its end."""
    position = 0
    for start in starts:
        if start < position:
            continue
        m = pattern.match(text, start)
        if m is not None:
            position = max(m.end(), start + 1)
            yield m


#: letters that case-insensitive patterns match as "i" and "s" but that lower() keeps
_FOLDED_APART = str.maketrans({"ı": "i", "ſ": "s"})


def lower_text(text: str) -> str:
    """``text`` lower-cased character by character, so that every offset still points at the
    same character, and with the letters that ignoring case matches as "i" and "s" written so
    ("İ", whose full lower case is "i" and a combining dot, dotless "ı", long "ſ"), as the
    regular expression engine's own case folding has it."""
    lowered = text.lower()
    if len(lowered) != len(text):
        lowered = "".join(c.lower()[0] for c in text)
    return lowered.translate(_FOLDED_APART)


def _letters(source: str) -> bool:
    """Whether a pattern's source has a literal letter (outside escapes like ``\\w``)."""
    return any(c.isalpha() for c in re.sub(r"\\.", "", source))


def _negative_lookarounds(source: str) -> Iterator[str]:
    """The sources of a pattern's negative lookaheads and lookbehinds."""
    for opening in re.finditer(r"(?<!\\)\(\?<?!", source):
        depth, i = 1, opening.end()
        while i < len(source) and depth:
            depth += {"(": 1, ")": -1}.get(source[i], 0)
            i += 2 if source[i] == "\\" else 1
        yield source[opening.end():i - 1]


def _lowerable(pattern: re.Pattern[str]) -> bool:
    """Whether matching lower-cased text case-sensitively finds every place ``pattern`` can
    match: the pattern ignores case, and any case-sensitive part (``(?-i:...)``) does not sit
    beside a negative lookaround that tests letters (which lower case could then fail)."""
    if not pattern.flags & re.IGNORECASE:
        return False
    return "(?-i" not in pattern.pattern or not any(
        _letters(part) for part in _negative_lookarounds(pattern.pattern))


def _lower_source(source: str) -> str:
    """A pattern's source with its literal letters in lower case; escapes (``\\b``, ``\\W``,
    ``\\S``) are kept as they are."""
    out, i = [], 0
    while i < len(source):
        if source[i] == "\\":
            out.append(source[i:i + 2])
            i += 2
        elif source.startswith("(?P", i):  # a named group keeps its syntax
            out.append("(?P")
            i += 3
        else:
            out.append(source[i].lower())
            i += 1
    return "".join(out)


@lru_cache(maxsize=256)
def lowered(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """A zero-width, case-sensitive pattern for lower-cased text (``lower_text``) that matches
    wherever ``pattern`` can match in the original text, and perhaps elsewhere; None where
    that cannot be promised (see ``_lowerable``). Scanning lower-cased text case-sensitively
    is several times faster than ignoring case."""
    if not _lowerable(pattern):
        return None
    return re.compile(f"(?=(?:{_lower_source(pattern.pattern)}))",
                      pattern.flags & ~re.IGNORECASE)


def fast_finditer(pattern: re.Pattern[str], text: str,
                  lower: str | None = None) -> Iterator[re.Match[str]]:
    """What ``pattern.finditer(text)`` yields, tried only where ``lowered(pattern)`` matches
    in ``lower`` (``lower_text(text)``, computed when not given)."""
    if lowered(pattern) is None:
        return pattern.finditer(text)
    return matches_at(pattern, text, candidate_starts(pattern, text, lower))


def candidate_starts(pattern: re.Pattern[str], text: str,
                     lower: str | None = None) -> list[int]:
    """Every position of ``text`` where ``pattern`` can match (and perhaps others): found in
    lower-cased text where ``lowered(pattern)`` allows, else by ``pattern`` itself."""
    scout = lowered(pattern)
    if scout is None:
        return [m.start() for m in pattern.finditer(text)]
    return [m.start() for m in scout.finditer(lower_text(text) if lower is None else lower)]


_ANY_GROUP = any_of([pattern for pattern, _ in GROUPS])
