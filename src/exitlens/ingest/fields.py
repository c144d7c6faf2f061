"""Metadata to Document fields: names people use for columns and keys, dates, media."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from exitlens.records import MEDIA, SOURCE_FIELDS, Document

#: Everyday names of media, stored as the vocabulary's term (DOMAIN.md's account_medium).
MEDIUM_ALIASES = {
    "newspaper": "news", "magazine": "news", "wire": "news", "broadcast": "news",
    "online_news": "news", "press": "news", "social": "social_media", "twitter": "social_media",
    "x": "social_media", "facebook": "social_media", "telegram": "social_media",
    "blog": "social_media", "podcast": "radio", "tv": "video_transcript",
    "television": "video_transcript", "video": "video_transcript", "youtube": "video_transcript",
    "book": "memoir", "trial": "court", "court_record": "court", "ngo": "ngo_report",
    "report": "ngo_report",
}

ALIASES: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article", "full_text", "fulltext", "transcript"),
    "title": ("title", "headline", "heading"),
    "url": ("url", "link", "source_url", "permalink"),
    "outlet": ("outlet", "publication", "publisher", "source", "site", "sitename", "channel",
               "newspaper"),
    "author": ("author", "byline", "authors", "writer"),
    "published": ("published", "date", "published_at", "publication_date", "pub_date",
                  "created", "created_at"),
    "language": ("language", "lang"),
    "medium": ("medium", "media", "genre_medium", "type"),
}
DATE_FORMATS = ("%d %B %Y", "%B %d, %Y", "%d %b %Y", "%b %d, %Y", "%Y/%m/%d")
ISO_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def find_column(columns: list[str], field: str, explicit: str | None = None) -> str | None:
    """The column that holds a field: the one named explicitly, else a known alias."""
    if explicit is not None:
        return explicit if explicit in columns else None
    lowered = {c.strip().lower(): c for c in columns}
    return next((lowered[a] for a in ALIASES[field] if a in lowered), None)


def normalise_date(value: Any) -> str | None:
    """'2015-08-02', '2015-08', '2015', datetimes and '2 August 2015' to ISO; None if unreadable."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, int) and 1000 <= value <= 9999:
        return str(value)
    text = str(value).strip()
    match = ISO_DATE.match(text)
    if match:
        year, month, day = match.groups()
        try:
            if day:
                return date(int(year), int(month), int(day)).isoformat()
            if month:
                return f"{year}-{date(int(year), int(month), 1):%m}"
            return year
        except ValueError:
            return None
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).strftime("%Y-%m-%d")
        except ValueError:
            continue
    return None


def build_document(text: str, origin: str, fmt: str, meta: Mapping[str, Any],
                   locator: str | None = None) -> tuple[Document, list[str]]:
    """Split metadata into known source fields and free metadata; returns warnings too."""
    fields: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    warnings: list[str] = []
    for key, value in meta.items():
        name = str(key).strip().lower()
        target = next((f for f in SOURCE_FIELDS if name in ALIASES[f]), None)
        if target is None or target in fields or value in (None, ""):
            if value not in (None, ""):
                extra[str(key)] = _jsonable(value)
            continue
        fields[target] = value
    if "published" in fields:
        raw = fields["published"]
        fields["published"] = normalise_date(raw)
        if fields["published"] is None:
            warnings.append(f"'{raw}' is not a date (use YYYY-MM-DD); kept as published_raw")
            extra["published_raw"] = str(raw)
    if "medium" in fields:
        medium = str(fields["medium"]).strip().lower().replace(" ", "_").replace("-", "_")
        medium = MEDIUM_ALIASES.get(medium, medium)
        if medium not in MEDIA:
            warnings.append(f"medium '{fields['medium']}' is not one of {', '.join(MEDIA)}; "
                            "stored as 'other'")
            extra["medium_raw"] = str(fields["medium"])
            medium = "other"
        fields["medium"] = medium
    if "language" in fields:
        fields["language"] = str(fields["language"]).strip().lower()
    for key in ("title", "url", "outlet", "author"):
        if key in fields:
            fields[key] = str(fields[key]).strip()
    return Document(text=text, origin=origin, format=fmt, locator=locator, extra=extra,
                    **fields), warnings


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return str(value)
