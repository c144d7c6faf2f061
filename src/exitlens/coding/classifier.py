"""classifier.v1: one logistic regression per code over segment embeddings (the segment and its
context), trained on accepted codings or a gold file (``codebook_examples=True`` adds the
codebook's indicator examples as labelled sentences; off by default, as it did not help in
cross-validation on the example corpus). Its probabilities are calibrated by Platt
scaling on cross-validated predictions; ``calibrate=False`` skips that (the ensemble calibrates
its own combination and only needs a ranking)."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np

from exitlens.codebook import Codebook
from exitlens.coding.embedder import DIMENSIONS, embed, segment_vectors
from exitlens.coding.scoring import SegmentScorer, segment_labels, target_codes
from exitlens.errors import ExitLensError
from exitlens.records import CodingInput, TrainingDocument

MIN_POSITIVES = 4


def _example_rows(codebook: Codebook, codes: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The codebook's indicator examples as extra labelled sentences (their own context)."""
    texts, rows = [], []
    for col, code in enumerate(codes):
        spec = codebook.find(code)
        stack = [spec] if spec is not None else []
        while stack:
            part = stack.pop()
            stack.extend(part.children)
            for example in part.examples:
                texts.append(example)
                rows.append(col)
    vectors = embed(texts) if texts else np.zeros((0, DIMENSIONS), dtype=np.float32)
    labels = np.zeros((len(texts), len(codes)), dtype=np.int8)
    labels[np.arange(len(texts)), rows] = 1
    return np.hstack([vectors, vectors]), labels


class ClassifierCoder(SegmentScorer):
    """Supervised: needs training documents; codes with too few examples are left out."""

    name: ClassVar[str] = "classifier.v1"
    capabilities: ClassVar[frozenset[str]] = frozenset({"trainable", "calibrated"})

    def __init__(self, regularisation: float = 1.0, min_confidence: float = 0.5,
                 calibration_folds: int = 3, calibrate: bool = True,
                 codebook_examples: bool = False) -> None:
        self.regularisation = regularisation
        self.min_confidence = min_confidence
        self.calibration_folds = calibration_folds
        self.calibrate = calibrate
        self.codebook_examples = codebook_examples

    def _fit(self, codebook: Codebook, training: Sequence[TrainingDocument]) -> None:
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.linear_model import LogisticRegression

        if not training:
            raise ExitLensError("classifier.v1 learns from coded examples: train it on accepted "
                                "codings or a gold file (exitlens train)")
        self.codes_ = target_codes(codebook)
        features = np.vstack(segment_vectors([t.document for t in training]))
        labels = np.vstack(segment_labels(training, codebook))
        if self.codebook_examples:
            extra_features, extra_labels = _example_rows(codebook, self.codes_)
            features = np.vstack([features, extra_features])
            labels = np.vstack([labels, extra_labels])
        self.models_: list[Any | None] = []
        self.positives_ = labels.sum(axis=0).tolist()
        for col in range(len(self.codes_)):
            y = labels[:, col]
            if y.sum() < MIN_POSITIVES or y.sum() == len(y):
                self.models_.append(None)
                continue
            base = LogisticRegression(C=self.regularisation, class_weight="balanced",
                                      max_iter=2000)
            model: Any = base
            if self.calibrate:
                folds = int(min(self.calibration_folds, y.sum()))
                model = CalibratedClassifierCV(base, method="sigmoid", cv=folds, ensemble=False)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                model.fit(features, y)
            self.models_.append(model)

    def _scores(self, documents: Sequence[CodingInput]) -> list[np.ndarray]:
        out = []
        for matrix in segment_vectors(documents):
            scores = np.zeros((len(matrix), len(self.codes_)))
            if len(matrix):
                for col, model in enumerate(self.models_):
                    if model is not None:
                        scores[:, col] = model.predict_proba(matrix)[:, 1]
            out.append(scores)
        return out
