"""attribute_hits: which case each coded span is about.

In order: the case whose speaker turn the hit is in (in interview transcripts, the answering
speaker's turns belong to the interviewee); the case mentioned in the same segment (the
nearest mention before the hit when several are); the case mentioned last before the hit in
the same paragraph; the document's only case; the case mentioned last in the two paragraphs
before; else None.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence

from exitlens.cases.document import Prepared, Sentence, prepare
from exitlens.records import CodingInput, DetectedCase, Hit

Mention = tuple[int, int, str]  # start, end, case key
PARAGRAPH_REACH = 2


def attribute_hits(hits: Sequence[Hit], cases: Sequence[DetectedCase],
                   documents: Sequence[CodingInput]) -> list[tuple[Hit, str | None]]:
    """Each hit with the key ("c1", ...) of the case it is about, or None, in input order."""
    by_key = {document.key: document for document in documents}
    cases_by_key: dict[str, list[DetectedCase]] = {}
    for case in cases:
        cases_by_key.setdefault(case.key, []).append(case)
    prepared: dict[str, _Index] = {}
    out: list[tuple[Hit, str | None]] = []
    for hit in hits:
        document = by_key.get(hit.key)
        found = cases_by_key.get(hit.key, [])
        if document is None or not found:
            out.append((hit, None))
            continue
        if hit.key not in prepared:
            prepared[hit.key] = _Index(prepare(document), found)
        out.append((hit, prepared[hit.key].case_for(hit.start, hit.end)))
    return out


class _Index:
    """A document's sentences, turns and case mentions, for looking hits up."""

    def __init__(self, prep: Prepared, cases: list[DetectedCase]) -> None:
        self.prep = prep
        self.only = cases[0].case if len(cases) == 1 else None
        self.mentions: list[Mention] = sorted(
            (start, end, case.case) for case in cases for start, end in case.mentions)
        self.starts = [m[0] for m in self.mentions]
        self.turns = self._turns()

    def _turns(self) -> dict[int, str]:
        """Sentence index -> case of the speaker whose turn it is."""
        turns: dict[int, str] = {}
        current: str | None = None
        previous: Sentence | None = None
        for sentence in self.prep.sentences:
            if sentence.speaker is None:
                current = None
            elif sentence.index in self.prep.label_spans:
                start, end = self.prep.label_spans[sentence.index]
                current = next((case for a, b, case in self.mentions if a < end and start < b),
                               None)
            elif previous is None or previous.speaker != sentence.speaker:
                current = None
            if current is not None:
                turns[sentence.index] = current
            previous = sentence
        return turns

    def case_for(self, start: int, end: int) -> str | None:
        sentences = [s for s in self.prep.sentences if s.start < max(end, start + 1)
                     and start < s.end] or [self.prep.sentence_at(start)]
        for sentence in sentences:
            if sentence.index in self.turns:
                return self.turns[sentence.index]
        inside = [m for s in sentences for m in self._within(s.start, s.end)]
        if inside:
            before = [m for m in inside if m[0] <= start]
            return (before[-1] if before else inside[0])[2]
        paragraph = sentences[0].paragraph
        first = next(s for s in self.prep.sentences if s.paragraph == paragraph)
        earlier = self._within(first.start, start)
        if earlier:
            return earlier[-1][2]
        if self.only is not None:
            return self.only
        reach = [s for s in self.prep.sentences if paragraph - PARAGRAPH_REACH <= s.paragraph]
        before = self._within(reach[0].start, start) if reach else []
        return before[-1][2] if before else None

    def _within(self, start: int, end: int) -> list[Mention]:
        index = bisect.bisect_left(self.starts, start)
        out = []
        while index < len(self.mentions) and self.mentions[index][0] < end:
            out.append(self.mentions[index])
            index += 1
        return out
