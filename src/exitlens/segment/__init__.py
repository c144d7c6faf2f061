"""Segment: documents to sentences and sentence-like lines with exact character offsets.

``segment_text(text)`` gives the Segments of a text, ``segment_document(key, text, language)``
a CodingInput, and ``paragraph_spans(text)`` the paragraphs. Pure functions, standard library
only.

A transcript turn's first segment starts at its label, so ``"141 R: Yeah."`` and
``"[00:14:32] Host: Welcome back."`` are segment texts whose ``speaker`` is "R" and "Host"; the
later sentences of the turn (and unlabelled continuation lines of a line-numbered transcript)
carry the same speaker. A turn ends at a blank line or the next label.
"""

from exitlens.segment.paragraphs import paragraph_spans
from exitlens.segment.runon import MAX_SEGMENT_CHARS
from exitlens.segment.segments import segment_document, segment_text

__all__ = ["MAX_SEGMENT_CHARS", "paragraph_spans", "segment_document", "segment_text"]
