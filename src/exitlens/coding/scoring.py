"""Coders that score every segment for every code, and the labels they learn from."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from exitlens.codebook import Codebook
from exitlens.coding.base import Coder, make_hit
from exitlens.records import CodingInput, Hit, TrainingDocument

MIN_OVERLAP = 0.3


def target_codes(codebook: Codebook) -> list[str]:
    """The codes machine coders predict: top-level reason codes, then context codes."""
    return [*codebook.reason_ids, *codebook.context_ids]


def segment_labels(training: Sequence[TrainingDocument], codebook: Codebook
                   ) -> list[np.ndarray]:
    """Per document, a (segments x codes) 0/1 matrix: a segment carries a code when a coded
    span of that code (or of a sub-code) covers at least 30% of it, or it covers 30% of the
    span."""
    codes = target_codes(codebook)
    column = {code: i for i, code in enumerate(codes)}
    out = []
    for item in training:
        segments = item.document.segments
        labels = np.zeros((len(segments), len(codes)), dtype=np.int8)
        for span in item.spans:
            top = codebook.top_level_of(span.code)
            if top is None or top not in column:
                continue
            for row, seg in enumerate(segments):
                overlap = min(seg.end, span.end) - max(seg.start, span.start)
                if overlap > 0 and (overlap >= MIN_OVERLAP * (seg.end - seg.start)
                                    or overlap >= MIN_OVERLAP * (span.end - span.start)):
                    labels[row, column[top]] = 1
        out.append(labels)
    return out


class SegmentScorer(Coder):
    """A coder whose core is ``score_segments``: a probability per segment and code.

    Hits are the segments whose score reaches ``min_confidence``; the ensemble reads the
    scores directly.
    """

    min_confidence: float = 0.5

    def score_segments(self, documents: Sequence[CodingInput]) -> list[np.ndarray]:
        self.predict([])  # raises NotFittedError when not fitted
        return self._scores(documents)

    def _scores(self, documents: Sequence[CodingInput]) -> list[np.ndarray]:
        raise NotImplementedError

    def _predict(self, documents: Sequence[CodingInput]) -> list[Hit]:
        if not documents:
            return []
        return self.hits_from_scores(documents, self._scores(documents))

    def _cutoffs(self) -> np.ndarray | float:
        return self.min_confidence

    def hits_from_scores(self, documents: Sequence[CodingInput],
                         scores: Sequence[np.ndarray]) -> list[Hit]:
        """The hits that ``predict`` would return, from scores already computed."""
        codes = target_codes(self.codebook_)
        hits = []
        for document, matrix in zip(documents, scores, strict=True):
            rows, cols = np.nonzero(matrix >= self._cutoffs())
            for row, col in zip(rows.tolist(), cols.tolist(), strict=True):
                seg = document.segments[row]
                hits.append(make_hit(document, seg.start, seg.end, codes[col],
                                     float(matrix[row, col]), self.name))
        return hits
