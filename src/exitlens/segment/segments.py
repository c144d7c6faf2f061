"""Documents to segments: sentences and sentence-like lines with exact character offsets."""

from __future__ import annotations

from exitlens.records import CodingInput, Segment
from exitlens.segment.paragraphs import split_paragraphs
from exitlens.segment.runon import MAX_SEGMENT_CHARS, split_run_on
from exitlens.segment.sentences import sentence_spans


def segment_text(text: str) -> tuple[Segment, ...]:
    """The sentences of ``text`` in order, with ``segment.text == text[start:end]``.

    Outer whitespace is left out of every segment and every other character is in exactly one.
    A transcript turn's first segment starts at its label ("Q: Why?", "[00:14:32] Host: ..."),
    so the label stays in the text while ``speaker`` holds it without colon, brackets or
    timestamp.
    """
    segments: list[Segment] = []
    for number, paragraph in enumerate(split_paragraphs(text)):
        for start, end in sentence_spans(text, paragraph.start, paragraph.end, paragraph.breaks):
            spans = ([(start, end)] if end - start <= MAX_SEGMENT_CHARS
                     else split_run_on(text, start, end))
            for a, b in spans:
                segments.append(Segment(len(segments), a, b, text[a:b], number, paragraph.speaker))
    return tuple(segments)


def segment_document(key: str, text: str, language: str | None) -> CodingInput:
    """A document ready for coders. The rules cover English, French and German at once, so
    ``language`` is carried along, not needed."""
    return CodingInput(key, text, language, segment_text(text))
