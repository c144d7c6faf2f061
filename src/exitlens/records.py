"""Frozen records passed between stages. No behaviour beyond small derived values."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

SOURCE_FIELDS = ("title", "url", "outlet", "author", "published", "language", "medium")
MEDIA = ("news", "interview", "social_media", "court", "ngo_report", "memoir",
         "video_transcript", "research_interview", "radio", "other")


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
