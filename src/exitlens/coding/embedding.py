"""embedding.v1: similarity of each segment (with its context) to each code's definition,
inclusion rules and indicator examples, in the space of all-MiniLM-L6-v2."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

import numpy as np

from exitlens.codebook import Codebook, CodeSpec
from exitlens.coding.embedder import DIMENSIONS, embed, segment_vectors
from exitlens.coding.scoring import SegmentScorer, segment_labels, target_codes
from exitlens.records import CodingInput, TrainingDocument


def _descendants(spec: CodeSpec) -> list[CodeSpec]:
    out = [spec]
    for child in spec.children:
        out += _descendants(child)
    return out


def code_prototypes(codebook: Codebook) -> dict[str, list[str]]:
    """The sentences that describe each target code: examples, definitions, inclusion rules."""
    out: dict[str, list[str]] = {}
    for code in target_codes(codebook):
        spec = codebook.find(code)
        assert spec is not None
        texts: list[str] = []
        for part in _descendants(spec):
            texts += [*part.examples, part.definition, *part.include]
        out[code] = [t for t in texts if t.strip()]
    return out


class EmbeddingCoder(SegmentScorer):
    """Unsupervised by default; given training documents it calibrates its similarities."""

    name: ClassVar[str] = "embedding.v1"
    capabilities: ClassVar[frozenset[str]] = frozenset({"trainable", "calibrated"})

    def __init__(self, context_weight: float = 0.25, min_confidence: float = 0.5) -> None:
        self.context_weight = context_weight
        self.min_confidence = min_confidence

    def _fit(self, codebook: Codebook, training: Sequence[TrainingDocument]) -> None:
        prototypes = code_prototypes(codebook)
        self.codes_ = list(prototypes)
        self.prototypes_ = [embed(texts) for texts in prototypes.values()]
        # without training data: similarity 0.25 -> 0, 0.65 -> 1
        self.scale_ = np.full(len(self.codes_), 1 / 0.4)
        self.shift_ = np.full(len(self.codes_), -0.25 / 0.4)
        self.logistic_ = False
        if training:
            self._calibrate(codebook, training)

    def _similarities(self, documents: Sequence[CodingInput]) -> list[np.ndarray]:
        out = []
        for matrix in segment_vectors(documents):
            own, context = matrix[:, :DIMENSIONS], matrix[:, DIMENSIONS:]
            mixed = (1 - self.context_weight) * own + self.context_weight * context
            norms = np.linalg.norm(mixed, axis=1, keepdims=True)
            mixed = mixed / np.where(norms == 0, 1, norms)
            sims = np.column_stack([(mixed @ p.T).max(axis=1) if len(mixed) else
                                    np.zeros(0) for p in self.prototypes_]) \
                if len(mixed) else np.zeros((0, len(self.codes_)))
            out.append(sims)
        return out

    def _calibrate(self, codebook: Codebook, training: Sequence[TrainingDocument]) -> None:
        from sklearn.linear_model import LogisticRegression

        sims = np.vstack(self._similarities([t.document for t in training]))
        labels = np.vstack(segment_labels(training, codebook))
        for col in range(len(self.codes_)):
            y = labels[:, col]
            if y.sum() < 3 or y.sum() == len(y):
                continue
            model = LogisticRegression(C=1.0).fit(sims[:, [col]], y)
            self.scale_[col] = model.coef_[0, 0]
            self.shift_[col] = model.intercept_[0]
        self.logistic_ = True

    def _scores(self, documents: Sequence[CodingInput]) -> list[np.ndarray]:
        out = []
        for sims in self._similarities(documents):
            z = sims * self.scale_ + self.shift_
            out.append(1 / (1 + np.exp(-z)) if self.logistic_ else np.clip(z, 0, 1))
        return out
