"""Frozen records passed between stages. No behaviour beyond small derived values."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

SOURCE_FIELDS = ("title", "url", "outlet", "author", "published", "language", "medium")
MEDIA = ("news", "interview", "social_media", "court", "ngo_report", "memoir",
         "video_transcript", "research_interview", "radio", "other")
#: the coder whose codings are the team's reconciled decisions; on a source it has decided
#: on, its codings are the ones counted
CONSENSUS = "consensus"


def text_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class Document:
    """One account as read from a file or a table row, before it is stored."""

    text: str
    origin: str
    format: str
    locator: str | None = None
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None
    language: str | None = None
    medium: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def sha256(self) -> str:
        return text_sha256(self.text)


Severity = Literal["error", "warning", "skipped"]


@dataclass(frozen=True, slots=True)
class Problem:
    """Something about one input that the person importing it should hear about."""

    origin: str
    reason: str
    severity: Severity = "error"
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.origin}:{self.line}" if self.line is not None else self.origin
        return f"{where}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Source:
    """A stored account."""

    id: int
    sha256: str
    text: str
    origin: str
    format: str
    imported_at: str
    locator: str | None = None
    title: str | None = None
    url: str | None = None
    outlet: str | None = None
    author: str | None = None
    published: str | None = None
    language: str | None = None
    language_confidence: float | None = None
    medium: str | None = None
    near_duplicate_of: int | None = None
    near_duplicate_score: float | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    relevance: float | None = None
    relevant: bool | None = None
    analysis_note: str | None = None


# -- analysis: segments, hits, cases -------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Segment:
    """A sentence (or sentence-like line) of a document, with exact character offsets.

    ``text == document_text[start:end]``. ``paragraph`` numbers paragraphs from 0; ``speaker``
    is the transcript label that introduces the line ("Q", "A", "Mahad", "R"), if any.
    """

    index: int
    start: int
    end: int
    text: str
    paragraph: int
    speaker: str | None = None


@dataclass(frozen=True, slots=True)
class CodingInput:
    """A document ready for coders: its text, language and segments; ``published`` (its
    publication date, YYYY-MM-DD, YYYY-MM or YYYY, when known) dates "last year" in it."""

    key: str
    text: str
    language: str | None
    segments: tuple[Segment, ...]
    published: str | None = None


@dataclass(frozen=True, slots=True)
class LabelledSpan:
    """A span that a person (or a gold file) coded with a code."""

    start: int
    end: int
    code: str


@dataclass(frozen=True, slots=True)
class TrainingDocument:
    """A document with the spans people coded in it, and whether it is relevant at all."""

    document: CodingInput
    spans: tuple[LabelledSpan, ...]
    relevant: bool


@dataclass(frozen=True, slots=True)
class Hit:
    """A coder's claim that ``text[start:end]`` of document ``key`` carries ``code``."""

    key: str
    start: int
    end: int
    code: str
    confidence: float
    coder: str
    evidence: str
    rationale: str | None = None


@dataclass(frozen=True, slots=True)
class DetectedCase:
    """A person (or a group, when ``collective``) whose leaving a document describes."""

    key: str
    case: str
    label: str
    collective: bool
    gender: str | None
    country: str | None
    mentions: tuple[tuple[int, int], ...]
    group_left: str | None = None
    confidence: float = 1.0
    exit_year: int | None = None


@dataclass(frozen=True, slots=True)
class GoldCase:
    """A case as a gold file labels it: attributes, reason spans and context spans."""

    label: str
    gender: str | None
    country: str | None
    collective: bool
    codes: tuple[LabelledSpan, ...]
    context: tuple[LabelledSpan, ...] = ()
    group_left: str | None = None
    exit_year: int | None = None


@dataclass(frozen=True, slots=True)
class GoldDocument:
    """The gold labels of one source: relevant or not, and its cases."""

    source: str
    relevant: bool
    language: str | None
    cases: tuple[GoldCase, ...]
    genre: str | None = None
    notes: str | None = None


@dataclass(frozen=True, slots=True)
class AttributedHit:
    """A hit and the case (``DetectedCase.case``) it was attributed to, if any."""

    hit: Hit
    case: str | None


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything the pipeline found in one document."""

    key: str
    language: str | None
    relevance: float | None
    relevant: bool
    analysed: bool
    note: str | None
    cases: tuple[DetectedCase, ...] = ()
    hits: tuple[AttributedHit, ...] = ()
