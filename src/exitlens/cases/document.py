"""A document prepared for the case rules: sentences, paragraphs, speaker turns and quotes."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cached_property
from itertools import pairwise

from exitlens.cases.lexicon import lower_text
from exitlens.records import CodingInput, Segment

LANGUAGES = ("en", "fr", "de")
LABEL_AT_START = re.compile(
    r"(?:\d{1,5}[ \t]+)?(?:[\[(]?\d{1,2}:\d{2}(?::\d{2})?[\])]?[ \t]+)?"
    r"([^\W\d_][\w'’.&-]*(?:[ \t]+[^\W\d_][\w'’.&-]*){0,3}(?:[ \t]*\([^()\n]{1,60}\))?)"
    r"[ \t\u00a0\u202f]*:")
SENTENCE_END = re.compile(r"(?<=[.!?…])[\"”’»)\]]*\s+(?=[\"“‘«(\[]*[A-ZÀ-Ý0-9])|\n+")
QUOTE_PAIRS = (("“", "”"), ("«", "»"), ("„", "“"), ("‘", "’"))
QUOTED_NAME = re.compile(r"[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,2}")  # "Abdulaziz", not speech
WORD = re.compile(r"[^\W\d_][\w'’-]*")


@dataclass(frozen=True, slots=True)
class Sentence:
    index: int
    start: int
    end: int
    paragraph: int
    speaker: str | None


@dataclass
class Prepared:
    key: str
    text: str
    language: str
    sentences: list[Sentence]
    quotes: list[tuple[int, int]] = field(default_factory=list)
    label_spans: dict[int, tuple[int, int]] = field(default_factory=dict)
    lower_words: set[str] = field(default_factory=set)
    _starts: list[int] = field(default_factory=list)
    _quoted: dict[int, tuple[int, int] | None] = field(default_factory=dict)

    @cached_property
    def lower(self) -> str:
        """The text lower-cased with every offset kept (``lower_text``)."""
        return lower_text(self.text)

    def sentence_at(self, pos: int) -> Sentence:
        if not self._starts:
            self._starts = [s.start for s in self.sentences]
        index = max(0, bisect.bisect_right(self._starts, pos) - 1)
        return self.sentences[index]

    def in_quote(self, pos: int) -> tuple[int, int] | None:
        if pos in self._quoted:
            return self._quoted[pos]
        found = next(((start, end) for start, end in self.quotes if start <= pos < end), None)
        self._quoted[pos] = found
        return found


def language_of(document: CodingInput) -> str:
    code = (document.language or "en").lower()[:2]
    return code if code in LANGUAGES else "en"


def prepare(document: CodingInput) -> Prepared:
    segments = document.segments or _fallback_segments(document.text)
    sentences = [Sentence(i, s.start, s.end, s.paragraph, s.speaker)
                 for i, s in enumerate(segments)]
    prepared = Prepared(document.key, document.text, language_of(document), sentences)
    prepared.quotes = find_quotes(document.text, sentences)
    prepared.label_spans = _label_spans(document.text, sentences)
    prepared.lower_words = {w for w in WORD.findall(document.text) if w[0].islower()}
    return prepared


def _fallback_segments(text: str) -> tuple[Segment, ...]:
    """Sentences by punctuation and line ends, paragraphs by blank lines (when no segmenter
    ran)."""
    segments: list[Segment] = []
    blocks = re.finditer(r"\S[^\n]*(?:\n(?![ \t]*\n)[^\n]*)*", text)
    for paragraph, block in enumerate(blocks):
        cuts = [block.start(), *(block.start() + m.end()
                                 for m in SENTENCE_END.finditer(block.group())), block.end()]
        for a, b in pairwise(cuts):
            body = text[a:b].strip()
            if not body:
                continue
            start = a + len(text[a:b]) - len(text[a:b].lstrip())
            label = LABEL_AT_START.match(body)
            speaker = (label.group(1).title() if label and len(label.group(1)) <= 40
                       and label.group(1).isupper() else None)
            segments.append(Segment(len(segments), start, start + len(body), body, paragraph,
                                    speaker))
    return tuple(segments)


def _label_spans(text: str, sentences: list[Sentence]) -> dict[int, tuple[int, int]]:
    """Sentence index -> span of the speaker label that opens it, for turns' first sentences."""
    spans: dict[int, tuple[int, int]] = {}
    for sentence in sentences:
        if sentence.speaker is None:
            continue
        match = LABEL_AT_START.match(text, sentence.start, sentence.end)
        if match and _same_label(match.group(1), sentence.speaker):
            spans[sentence.index] = (match.start(1), match.end(1))
    return spans


def _same_label(raw: str, speaker: str) -> bool:
    def key(value: str) -> str:
        return re.sub(r"\W+", " ", value).strip().lower()
    return key(raw) == key(speaker) or key(raw).split(" ")[0] == key(speaker).split(" ")[0]


def find_quotes(text: str, sentences: list[Sentence]) -> list[tuple[int, int]]:
    """Spans of quoted speech: curly, guillemet and low-high quotes, and straight double quotes
    paired within a paragraph."""
    spans: list[tuple[int, int]] = []
    for opener, closer in QUOTE_PAIRS:
        pattern = re.compile(rf"{re.escape(opener)}[^{re.escape(closer)}\n]{{8,}}?"
                             rf"{re.escape(closer)}")
        if opener == "‘":
            pattern = re.compile(r"(?<!\w)‘[^’\n]{8,}?’(?!\w)")
        spans.extend((m.start(), m.end()) for m in pattern.finditer(text))
    paragraphs: dict[int, tuple[int, int]] = {}
    for s in sentences:
        start, end = paragraphs.get(s.paragraph, (s.start, s.end))
        paragraphs[s.paragraph] = (min(start, s.start), max(end, s.end))
    for start, end in paragraphs.values():
        marks = [m.start() for m in re.finditer('"', text[start:end])]
        spans.extend((start + a, start + b + 1) for a, b in zip(marks[::2], marks[1::2],
                                                                strict=False))
    return sorted(span for span in spans if not QUOTED_NAME.fullmatch(text, span[0] + 1,
                                                                         span[1] - 1))
