"""classifier.v1: one logistic regression per code over segment embeddings (the segment and its
context), trained on accepted codings or a gold file. Its probabilities are calibrated by Platt
scaling on cross-validated predictions; ``calibrate=False`` skips that (the ensemble calibrates
its own combination and only needs a ranking)."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np

from exitlens.codebook import Codebook
from exitlens.coding.embedder import segment_vectors
from exitlens.coding.scoring import SegmentScorer, segment_labels, target_codes
from exitlens.errors import ExitLensError
from exitlens.records import CodingInput, TrainingDocument

MIN_POSITIVES = 4


class ClassifierCoder(SegmentScorer):
    """Supervised: needs training documents; codes with too few examples are left out."""

    name: ClassVar[str] = "classifier.v1"
    capabilities: ClassVar[frozenset[str]] = frozenset({"trainable", "calibrated"})

    def __init__(self, regularisation: float = 1.0, min_confidence: float = 0.5,
                 calibration_folds: int = 3, calibrate: bool = True) -> None:
        self.regularisation = regularisation
        self.min_confidence = min_confidence
        self.calibration_folds = calibration_folds
        self.calibrate = calibrate

    def _fit(self, codebook: Codebook, training: Sequence[TrainingDocument]) -> None:
        from sklearn.calibration import CalibratedClassifierCV
        from sklearn.linear_model import LogisticRegression

        if not training:
            raise ExitLensError("classifier.v1 learns from coded examples: train it on accepted "
                                "codings or a gold file (exitlens train)")
        self.codes_ = target_codes(codebook)
        features = np.vstack(segment_vectors([t.document for t in training]))
        labels = np.vstack(segment_labels(training, codebook))
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
