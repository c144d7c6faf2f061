"""A source's text cut into pieces at every coding boundary, for highlighting overlaps."""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any


@dataclass
class Piece:
    start: int
    end: int
    text: str
    codings: list[dict[str, Any]] = field(default_factory=list)


def text_pieces(text: str, codings: list[dict[str, Any]]) -> list[Piece]:
    """Consecutive pieces of ``text``; each carries the codings that cover all of it, so
    overlapping spans show as pieces with several codings."""
    cuts = {0, len(text)}
    for c in codings:
        cuts.update((max(0, min(c["start"], len(text))), max(0, min(c["end"], len(text)))))
    bounds = sorted(cuts)
    pieces = []
    for start, end in pairwise(bounds):
        if end > start:
            covering = [c for c in codings if c["start"] <= start and c["end"] >= end]
            pieces.append(Piece(start, end, text[start:end], covering))
    return pieces
