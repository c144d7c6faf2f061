"""Paragraphs of a text: blank lines, headings, bullet items, transcript turns and numbered lines.

A paragraph also knows its speaker and the line ends inside it that break a sentence. A line
end is "soft" (the sentence runs on) only in hard-wrapped text, where most lines fill a common
width; elsewhere every line is a sentence-like unit of its own (social posts, lists, tables).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from exitlens.segment.speakers import (
    Label,
    accepted_names,
    is_speaker,
    line_number,
    read_label,
    speaker_name,
)

HEADING = re.compile(r"[ \t]{0,3}#{1,6}(?:[ \t]|$)")
BULLET = re.compile(r"""[ \t]*(?:[-*•◦▪‣+–—] | \d{1,3}[.)] | [A-Za-z]\) | [ivx]{1,5}\)
                        | \((?:\d{1,3}|[A-Za-z]|[ivxIVX]{1,5})\))[ \t]+\S""", re.VERBOSE)
WRAP_SHARE = 0.7
"""In hard-wrapped text, a line at least this share of the usual width runs on."""


@dataclass(frozen=True, slots=True)
class Paragraph:
    """``text[start:end]`` without outer whitespace; ``breaks`` are line ends that end a
    sentence."""

    start: int
    end: int
    speaker: str | None
    breaks: tuple[int, ...] = ()


@dataclass(slots=True)
class _Line:
    start: int
    end: int
    after_blank: bool
    heading: bool
    bullet: bool
    label: Label | None
    number: int | None
    numbered: bool = False


def _scan(text: str) -> list[_Line]:
    lines: list[_Line] = []
    pos = 0
    after_blank = True
    for raw in text.split("\n"):
        body = raw.strip()
        if body:
            start = pos + len(raw) - len(raw.lstrip())
            first = body[0]
            head = first == "#" and HEADING.match(raw) is not None
            bullet = not head and BULLET.match(raw) is not None
            label = read_label(raw) if first.isalnum() or first in "[(" else None
            number = line_number(raw) if first.isdigit() else None
            lines.append(_Line(start, start + len(body), after_blank, head, bullet, label, number))
            after_blank = False
        else:
            after_blank = True
        pos += len(raw) + 1
    return lines


def _mark_numbered(lines: list[_Line]) -> None:
    """Lines whose number follows on from a neighbour's belong to a line-numbered transcript."""
    for before, after in pairwise(lines):
        if before.number is not None and after.number == before.number + 1:
            before.numbered = after.numbered = True


def _speakers(lines: list[_Line]) -> list[str | None]:
    for line in lines:
        if line.label is not None and line.label.number is not None and not line.numbered:
            line.label = None
    accepted = accepted_names([line.label for line in lines if line.label is not None])
    return [speaker_name(line.label) if line.label is not None and is_speaker(line.label, accepted)
            else None for line in lines]


def _wrap_width(groups: list[list[_Line]]) -> float | None:
    """The usual line width if the text is hard-wrapped (most lines that run on to another
    nearly fill it), else None."""
    inner = sorted(line.end - line.start for group in groups for line in group[:-1])
    if len(inner) < 4:
        return None
    width = inner[min(len(inner) - 1, int(len(inner) * 0.9))]
    full = sum(length >= 0.8 * width for length in inner)
    return float(width) if width >= 40 and full >= 0.6 * len(inner) else None


def split_paragraphs(text: str) -> list[Paragraph]:
    """The paragraphs of ``text`` in order, each with its speaker and sentence-breaking line
    ends."""
    lines = _scan(text)
    _mark_numbered(lines)
    speakers = _speakers(lines)
    groups: list[list[_Line]] = []
    owners: list[str | None] = []
    previous: _Line | None = None
    numbered_speaker: str | None = None
    for line, speaker in zip(lines, speakers, strict=True):
        if line.numbered:
            follows = previous is not None and previous.numbered and previous.number is not None \
                and line.number == previous.number + 1
            if speaker is None and follows:
                speaker = numbered_speaker
            numbered_speaker = speaker
        new = (previous is None or line.after_blank or line.heading or line.bullet
               or line.numbered or previous.heading or speaker is not None)
        if new:
            if speaker is None and not line.after_blank and not line.heading and owners:
                speaker = owners[-1]
            groups.append([line])
            owners.append(speaker)
        else:
            groups[-1].append(line)
        previous = line
    width = _wrap_width(groups)
    limit = WRAP_SHARE * width if width is not None else None
    return [Paragraph(group[0].start, group[-1].end, owner,
                      tuple(line.end for line in group[:-1]
                            if limit is None or line.end - line.start < limit))
            for group, owner in zip(groups, owners, strict=True)]


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of every paragraph, outer whitespace excluded."""
    return [(p.start, p.end) for p in split_paragraphs(text)]
