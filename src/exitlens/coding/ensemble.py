"""ensemble.v1: combines member coders per code with a small logistic model, and chooses each
code's threshold by cross-validation on the training documents.

Fitting: the training documents are split into folds; members are fitted on the other folds and
score the held-out one, so the combiner learns from scores of documents the members did not
see. Per code, a logistic regression over the members' segment scores (and each member's best
score in the document), the keyword coder's matches that a cue cancelled, and how the segment
is framed (first-person or quoted voice, talk of leaving or of a reason in it or next to it)
gives a probability per segment; the code's threshold is the one that maximises the mean of
document-level F1 and Krippendorff's alpha on held-out combiner predictions. Members are then
refitted on all the training documents.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from typing import Any, ClassVar

import numpy as np

from exitlens.codebook import Codebook
from exitlens.coding.base import Coder
from exitlens.coding.scoring import SegmentScorer, segment_labels, target_codes
from exitlens.records import CodingInput, Hit, TrainingDocument

DEFAULT_MEMBERS = ("keyword.v1", "embedding.v1", "classifier.v1")
MIN_THRESHOLD = 0.02


def member_scores(coder: Coder, documents: Sequence[CodingInput], codes: list[str],
                  codebook: Codebook) -> list[np.ndarray]:
    """Per document, a (segments x codes) matrix of one member's scores."""
    if isinstance(coder, SegmentScorer):
        return coder.score_segments(documents)
    return scores_from_hits(coder.predict(documents), documents, codes, codebook)


def scores_from_hits(hits: Sequence[Hit], documents: Sequence[CodingInput], codes: list[str],
                     codebook: Codebook) -> list[np.ndarray]:
    """Per document, a (segments x codes) matrix of the best hit confidence on each segment."""
    column = {code: i for i, code in enumerate(codes)}
    out = [np.zeros((len(d.segments), len(codes))) for d in documents]
    index = {d.key: i for i, d in enumerate(documents)}
    for hit in hits:
        top = codebook.top_level_of(hit.code)
        if top not in column:
            continue
        doc = documents[index[hit.key]]
        matrix = out[index[hit.key]]
        for row, seg in enumerate(doc.segments):
            if seg.start < hit.end and hit.start < seg.end:
                matrix[row, column[top]] = max(matrix[row, column[top]], hit.confidence)
    return out


def ensemble_inputs(members: Sequence[Coder], documents: Sequence[CodingInput],
                    codes: list[str], codebook: Codebook) -> list[list[np.ndarray]]:
    """Each member's segment scores, then, for a keyword member, its cancelled matches
    (negated, denied, hypothetical): the combiner learns how far they count against a code
    that the other members' scores favour ("boredom did not make her leave")."""
    from exitlens.coding.keyword import KeywordCoder

    out, cancelled = [], []
    for coder in members:
        if isinstance(coder, KeywordCoder):
            kept, cut = coder.segment_scores(documents, codes)
            out.append(kept)
            cancelled.append(cut)
        else:
            out.append(member_scores(coder, documents, codes, codebook))
    out += cancelled
    framing = [reason_framing(d) for d in documents]
    for k in range(len(FRAMING)):
        out.append([np.repeat(f[:, k:k + 1], len(codes), axis=1) for f in framing])
    return out


FIRST_PERSON = re.compile(r"\b(?:I|me|my|we|us|our)\b|[\"“”«»]")
CAUSAL = re.compile(r"\b(?:because|why|reason|made (?:me|him|her|us|them)|decided|decision"
                    r"|the (?:last|final) straw|that was when|the moment|could(?:n['’]t| not) "
                    r"(?:stay|take|bear|stand)|enough|left|leave|quit|escaped?|fled|defected"
                    r"|walked away|turned (?:my|his|her) back)\b", re.IGNORECASE)
FRAMING = ("voice", "causal_here", "causal_near")


def reason_framing(document: CodingInput) -> np.ndarray:
    """Per segment, whether it is told in a first-person or quoted voice, whether it speaks of
    leaving or of a reason, and whether a neighbouring segment does: what separates a reason
    someone gives from a journalist's background on the same violence or hardship. English
    only (zeros otherwise)."""
    n = len(document.segments)
    out = np.zeros((n, len(FRAMING)))
    if (document.language or "en").split("-")[0].lower() != "en" or not n:
        return out
    causal = np.array([bool(CAUSAL.search(s.text)) for s in document.segments], dtype=float)
    out[:, 0] = [bool(FIRST_PERSON.search(s.text)) for s in document.segments]
    out[:, 1] = causal
    near = np.zeros(n)
    near[1:] = np.maximum(near[1:], causal[:-1])
    near[:-1] = np.maximum(near[:-1], causal[1:])
    out[:, 2] = near
    return out


def _features(scores: list[list[np.ndarray]], col: int) -> list[np.ndarray]:
    """Per document, the combiner's features for one code: each member's segment score, each
    member's highest score in the document, and each member's highest score for any other
    code in the segment (a segment about violence against outsiders scores for
    other_brutality too: the rival tells the two apart)."""
    out = []
    for per_member in zip(*scores, strict=True):
        own = np.column_stack([m[:, col] for m in per_member])
        best = own.max(axis=0, keepdims=True) if len(own) else np.zeros((1, own.shape[1]))
        rival = np.column_stack([np.delete(m, col, axis=1).max(axis=1) if m.shape[1] > 1
                                 else np.zeros(len(m)) for m in per_member])
        out.append(np.hstack([own, np.repeat(best, len(own), axis=0), rival]))
    return out


def presence_alpha(disagreements: int, ones: int, pooled: int) -> float:
    """Krippendorff's nominal alpha of two coders over binary units, from the number of
    units they disagree on, the number of 1s among all ``pooled`` values (2 x units):
    1 - D_o / D_e = 1 - disagreements * (pooled - 1) / (ones * zeros)."""
    zeros = pooled - ones
    if not ones or not zeros:
        return 1.0 if not disagreements else 0.0
    return 1.0 - disagreements * (pooled - 1) / (ones * zeros)


def _folds(n: int, k: int, seed: int) -> list[np.ndarray]:
    order = np.random.RandomState(seed).permutation(n)
    return [order[i::k] for i in range(k)]


def best_threshold(doc_scores: np.ndarray, doc_truth: np.ndarray,
                   floor: float = MIN_THRESHOLD) -> float:
    """The document-level threshold with the best mean of F1 and Krippendorff's alpha
    (presence, machine against truth; both are what users are told about a code), ties to the
    higher threshold, set midway down to the next lower score; never below ``floor``, and
    above 1 (never fire) when nothing scores."""
    candidates = np.unique(doc_scores[doc_scores >= floor])[::-1]
    best, best_value = 1.01, 0.0
    pooled = 2 * len(doc_truth)
    for threshold in candidates:
        predicted = doc_scores >= threshold
        tp = int((predicted & doc_truth).sum())
        fp = int((predicted & ~doc_truth).sum())
        fn = int((~predicted & doc_truth).sum())
        f1 = 2 * tp / max(2 * tp + fp + fn, 1)
        value = (f1 + presence_alpha(fp + fn, int(predicted.sum() + doc_truth.sum()),
                                     pooled)) / 2
        if value > best_value:
            best, best_value = float(threshold), value
    if best > 1:
        return best
    below = doc_scores[doc_scores < best]
    return max(floor, (best + float(below.max())) / 2) if len(below) else best


class EnsembleCoder(SegmentScorer):
    name: ClassVar[str] = "ensemble.v1"
    capabilities: ClassVar[frozenset[str]] = frozenset({"trainable", "calibrated"})

    def __init__(self, members: Sequence[str] = DEFAULT_MEMBERS, folds: int = 3,
                 seed: int = 2015, min_confidence: float = 0.5) -> None:
        self.members = tuple(members)
        self.folds = folds
        self.seed = seed
        self.min_confidence = min_confidence

    def _new_members(self) -> list[Coder]:
        """Fresh members, configured the same for the held-out folds and the final fit (the
        classifier uncalibrated: the combiner calibrates)."""
        from exitlens.coding import make_coder

        return [make_coder(name, **({"calibrate": False} if name == "classifier.v1" else {}))
                for name in self.members]

    def _fit(self, codebook: Codebook, training: Sequence[TrainingDocument]) -> None:
        from sklearn.linear_model import LogisticRegression

        self.codes_ = target_codes(codebook)
        documents = [t.document for t in training]
        labels = segment_labels(training, codebook)
        trainable = len(training) >= 2 * self.folds
        oof: list[list[np.ndarray]] = []
        if trainable:
            for fold in _folds(len(training), self.folds, self.seed):
                held = sorted(set(fold.tolist()))
                rest = [t for i, t in enumerate(training) if i not in set(held)]
                members = [coder.fit(codebook, rest) for coder in self._new_members()]
                inputs = ensemble_inputs(members, [documents[i] for i in held], self.codes_,
                                         codebook)
                if not oof:
                    oof = [[np.zeros(0)] * len(training) for _ in inputs]
                for m, scores in enumerate(inputs):
                    for i, matrix in zip(held, scores, strict=True):
                        oof[m][i] = matrix
        self.members_ = [c.fit(codebook, training) for c in self._new_members()]
        self.combiners_: list[Any | None] = []
        self.thresholds_ = np.full(len(self.codes_), 0.5)
        self.oof_document_scores_ = np.zeros((len(training), len(self.codes_)))
        if not trainable:
            self.combiners_ = [None] * len(self.codes_)
            return
        for col in range(len(self.codes_)):
            features = _features(oof, col)
            y = np.concatenate([lab[:, col] for lab in labels]) if labels else np.zeros(0)
            if y.sum() < 3:
                self.combiners_.append(None)
                continue
            self.combiners_.append(self._combiner(LogisticRegression, features, y))
            self.thresholds_[col] = self._threshold(LogisticRegression, features, labels, col)

    @staticmethod
    def _combiner(model_type: Any, features: list[np.ndarray], y: np.ndarray) -> Any:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return model_type(C=1.0, max_iter=1000).fit(np.vstack(features), y)

    def _threshold(self, model_type: Any, features: list[np.ndarray],
                   labels: list[np.ndarray], col: int) -> float:
        """Held-out combiner predictions per document -> the best document threshold."""
        doc_scores = np.zeros(len(features))
        for fold in _folds(len(features), self.folds, self.seed + 1):
            held = set(fold.tolist())
            train_idx = [i for i in range(len(features)) if i not in held]
            y = np.concatenate([labels[i][:, col] for i in train_idx])
            if y.sum() < 2 or y.sum() == len(y):
                continue
            model = self._combiner(model_type, [features[i] for i in train_idx], y)
            for i in held:
                if len(features[i]):
                    doc_scores[i] = model.predict_proba(features[i])[:, 1].max()
        truth = np.array([bool(lab[:, col].any()) if len(lab) else False for lab in labels])
        self.oof_document_scores_[:, col] = doc_scores
        return best_threshold(doc_scores, truth)

    def _scores(self, documents: Sequence[CodingInput]) -> list[np.ndarray]:
        member = ensemble_inputs(self.members_, documents, self.codes_, self.codebook_)
        out = [np.zeros((len(d.segments), len(self.codes_))) for d in documents]
        for col, combiner in enumerate(self.combiners_):
            features = _features(member, col)
            for i, matrix in enumerate(features):
                if not len(matrix):
                    continue
                if combiner is None:
                    out[i][:, col] = np.mean([m[i][:, col] for m in
                                              member[:len(self.members_)]], axis=0)
                else:
                    out[i][:, col] = combiner.predict_proba(matrix)[:, 1]
        return out

    def oof_evidence(self) -> np.ndarray:
        """Per training document and code, the best held-out segment probability over the
        code's threshold (>= 1: the code would have been found)."""
        return self.oof_document_scores_ / np.maximum(self.thresholds_, 1e-6)

    def _cutoffs(self) -> np.ndarray:
        return self.thresholds_
