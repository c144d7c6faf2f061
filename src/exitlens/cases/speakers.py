"""Who speaks in a transcript: interviewers and the people they talk to.

A speaker is an interviewer when the label says so ("Q", "Presenter", "Reporter (Tom K.)"),
when the transcript's legend says so ("R = researcher"), or when most of their turns are
questions. Labels such as "Caller (Mahad, Diinsoor)" give a name and a place.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from exitlens.cases.document import Prepared
from exitlens.cases.lexicon import INTERVIEWER_LABELS, PERSON_HEADS

LEGEND = re.compile(r"\b([A-Z][A-Za-z0-9]{0,3})\s*=\s*(?:the\s+)?([A-Za-z]+)")
INTERVIEWER_WORDS = frozenset({"interviewer", "researcher", "question", "questions",
                               "reporter", "journalist", "presenter", "host", "interviewers"})
GUEST_WORDS = frozenset({"caller", "guest", "auditeur", "auditrice", "invité", "invitée",
                         "speaker", "respondent", "interviewee", "answer", "answers"})
FEMALE_ROLES = frozenset({"auditrice", "invitée", "animatrice", "anruferin", "gästin"})
CODE_LABEL = re.compile(r"[A-Z][A-Z0-9]?\Z|[A-Z]\d+\Z")


@dataclass(frozen=True, slots=True)
class Speaker:
    label: str
    key: str
    name: str | None
    interviewer: bool
    gender: str | None = None
    note: str | None = None


def analyse_speakers(prep: Prepared) -> dict[str, Speaker]:
    labels = [s.speaker for s in prep.sentences if s.speaker]
    if not labels:
        return {}
    legend = {code: word.lower() for code, word in LEGEND.findall(prep.text[:1500])}
    questions = _question_share(prep)
    guests = {_key(label) for label in labels if _split(label)[0].lower() in GUEST_WORDS}
    out: dict[str, Speaker] = {}
    for label in dict.fromkeys(labels):
        head, note = _split(label)
        name, place = _name_and_place(head, note)
        key = _key(label)
        word = legend.get(head.strip())
        interviewer = (head.lower() in INTERVIEWER_LABELS or word in INTERVIEWER_WORDS
                       or (word not in GUEST_WORDS and questions.get(key, 0.0) >= 0.5
                       and key not in guests))
        relation = PERSON_HEADS["en"].get(head.lower())
        gender = "female" if head.lower() in FEMALE_ROLES else relation
        if relation is not None and head.lower() not in GUEST_WORDS:
            name = None
        out[label] = Speaker(label, key, name, interviewer, gender, place)
    return _interviewer_surnames(out)


def _key(label: str) -> str:
    head, note = _split(label)
    name, _ = _name_and_place(head, note)
    return (name or head).split()[-1].lower()


def _split(label: str) -> tuple[str, str | None]:
    m = re.match(r"(.*?)\s*\((.*)\)\s*$", label)
    return (m.group(1).strip(), m.group(2).strip()) if m else (label.strip(), None)


def _name_and_place(head: str, note: str | None) -> tuple[str | None, str | None]:
    """"Caller (Mahad, Diinsoor)" -> ("Mahad", "Diinsoor"); "Emre (voiced by ...)" -> Emre."""
    lowered = head.lower()
    if note and (lowered in GUEST_WORDS or lowered in INTERVIEWER_LABELS):
        parts = [p.strip() for p in note.split(",")]
        return parts[0].title() if parts[0].isupper() else parts[0], (
            parts[1] if len(parts) > 1 else None)
    if lowered in GUEST_WORDS or lowered in INTERVIEWER_LABELS or CODE_LABEL.match(head):
        return None, None
    return head, None


def _question_share(prep: Prepared) -> dict[str, float]:
    turns: dict[str, list[bool]] = defaultdict(list)
    current: tuple[str, int] | None = None
    asked = False  # whether the turn's last sentence is a question
    for sentence in prep.sentences:
        if sentence.speaker is None:
            continue
        turn = (_key(sentence.speaker), sentence.paragraph)
        if turn != current:
            if current is not None:
                turns[current[0]].append(asked)
            current = turn
        asked = prep.text[sentence.start:sentence.end].rstrip().endswith("?")
    if current is not None:
        turns[current[0]].append(asked)
    return {key: sum(flags) / len(flags) for key, flags in turns.items() if len(flags) >= 2}


def _interviewer_surnames(speakers: dict[str, Speaker]) -> dict[str, Speaker]:
    """"KESSLER:" is the reporter introduced as "REPORTER (TOM KESSLER)"."""
    interviewers = {s.key for s in speakers.values() if s.interviewer}
    return {label: Speaker(s.label, s.key, s.name, s.interviewer or s.key in interviewers,
                           s.gender, s.note) for label, s in speakers.items()}
