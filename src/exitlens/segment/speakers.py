"""Transcript speaker labels at the start of a line: "Q:", "MAHAD:", "[00:14:32] Host:", "141 R:".

A line is read as ``[line number] [timestamp] NAME [(note)] :`` and the label is kept when it
looks like a speaker: a short code ("Q", "M7"), a role ("Interviewer", "Presenter (Hodan)") or a
capitalised name after a timestamp or line number anywhere; a name in capitals ("MAHAD") or a
capitalised name that recurs ("Mahad") only in a dialogue of two speakers or more. Field names
("Court:", "Outcome:") and ordinary sentences with a colon are not speakers.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

LABEL = re.compile(r"""
    [ \t]*
    (?:(?P<number>\d{1,5})[ \t]+)?
    (?P<time>[\[(]?\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?[\])]?[ \t]+(?:[-–—][ \t]+)?)?
    (?P<name>[^\W\d_][\w'’.&-]*(?:[ \t]+[^\W\d_][\w'’.&-]*){0,3})
    (?P<note>[ \t]*\([^()\n]{1,60}\))?
    [ \t\u00a0\u202f]*:(?=\s|$)
""", re.VERBOSE)

LINE_NUMBER = re.compile(r"[ \t]*(\d{1,5})[ \t]+\S")

ROLES = frozenset("""
    q a interviewer interviewee respondent participant host co-host presenter reporter
    correspondent anchor guest caller moderator narrator speaker journalist translator interpreter
    question answer researcher witness judge prosecutor counsel defendant lawyer voice producer
    animateur animatrice auditeur auditrice journaliste intervieweur enquêteur enquêtrice invité
    invitée présentateur présentatrice interprète traducteur traductrice frage antwort
    moderatorin interviewerin sprecher sprecherin befragter befragte gast reporterin
    dolmetscher dolmetscherin richter richterin zeuge zeugin
""".split())

NOT_SPEAKERS = frozenset("""
    note notes nb ps update edit correction source sources photo caption warning ndlr remarque
    hinweis anmerkung quelle transcript summary background context disclaimer tw cw tldr re
    subject from to date sent cc bcc time location place venue title author url tags keywords
    charge charges court outcome plea sentence verdict disposition offence offense breaking
    exclusive watch live related see also example result reason yes no ok okay
""".split())

PARTICLES = frozenset("de du des la le van von der den al el bin ibn di da y".split())
CODE = re.compile(r"[A-Z]{1,2}\d{0,3}\Z|[A-Z]{1,3}-?\d{1,3}\Z|[A-Z][a-z]?\d{1,3}\Z")


@dataclass(frozen=True, slots=True)
class Label:
    """A candidate label on one line: the raw name (and note), and what stands before it."""

    name: str
    note: str
    number: int | None
    timed: bool


def read_label(line: str) -> Label | None:
    """The label candidate at the start of ``line``, if the line has the label shape."""
    m = LABEL.match(line)
    if m is None:
        return None
    number = m.group("number")
    return Label(m.group("name"), (m.group("note") or "").strip(), int(number) if number else None,
                 m.group("time") is not None)


def line_number(line: str) -> int | None:
    m = LINE_NUMBER.match(line)
    return int(m.group(1)) if m else None


def _key(name: str) -> str:
    return " ".join(name.split()).lower()


def _field_name(key: str) -> bool:
    words = key.split()
    return key in NOT_SPEAKERS or words[0] in NOT_SPEAKERS or words[-1] in NOT_SPEAKERS


def _capitalised(name: str) -> bool:
    return all(word[0].isupper() for word in name.split())


def _strong(label: Label) -> bool:
    """A code ("Q", "M7"), a role ("Interviewer"), or a capitalised name after a timestamp or
    line number: a speaker wherever it stands."""
    name = label.name
    if CODE.match(name):
        return True
    if not _capitalised(name):
        return False
    return label.timed or label.number is not None or name.split()[0].lower() in ROLES


def _in_capitals(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return len(letters) >= 2 and not any(c.islower() for c in letters)


def accepted_names(labels: list[Label]) -> set[str]:
    """Keys of the candidate names in a document that are speakers. Names in capitals and
    recurring capitalised names count only in a dialogue (two speakers or more), so that a
    dateline ("KABUL: ...") or a repeated field name is not taken for a speaker."""
    counts = Counter(_key(label.name) for label in labels)
    strong: set[str] = set()
    weak: set[str] = set()
    for label in labels:
        key = _key(label.name)
        if _field_name(key):
            continue
        if _strong(label):
            strong.add(key)
        elif _in_capitals(label.name) or (_capitalised(label.name) and counts[key] >= 2):
            weak.add(key)
    return strong | weak if len(strong | weak) >= 2 else strong


def _tidy_word(word: str, inner: bool) -> str:
    if any(c.isdigit() for c in word) or sum(c.isalpha() for c in word) < 2:
        return word
    if any(c.islower() for c in word):
        return word
    if inner and word.lower() in PARTICLES:
        return word.lower()
    return "-".join(part[:1] + part[1:].lower() for part in word.split("-"))


def _tidy(words: list[str]) -> str:
    return " ".join(_tidy_word(word, i > 0) for i, word in enumerate(words))


def speaker_name(label: Label) -> str:
    """The label as stored: no colon, brackets or timestamp; names in capitals capitalised."""
    name = _tidy(label.name.split())
    return f"{name} ({_tidy(label.note[1:-1].split())})" if label.note else name


def is_speaker(label: Label, accepted: set[str]) -> bool:
    return _key(label.name) in accepted
