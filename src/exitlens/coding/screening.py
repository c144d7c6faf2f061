"""Screening: does a document describe someone leaving a violent extremist group?

A small logistic model over features that separate exit accounts from their look-alikes:
exit verbs near extremist-group words, cues of other kinds of "defection" (sport, party
politics, states, business), of joining rather than leaving, and the document's similarity to
short descriptions of exit accounts and of the look-alikes. Trained on documents labelled
relevant or not (a gold file, or reviewed sources); without training it uses fixed weights.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Sequence
from typing import Any, ClassVar, Self

import numpy as np

from exitlens.errors import ExitLensError
from exitlens.records import CodingInput, TrainingDocument


def _rx(*alternatives: str) -> re.Pattern[str]:
    """Lower-case alternatives, matched against lower-cased text (twice as fast as
    IGNORECASE, same matches)."""
    assert all(a == a.lower() for a in alternatives), alternatives
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")")


EXIT = _rx(r"left\b", r"leav(?:e|es|ing)\b", r"defect(?:ed|ing|ion|or|ors)?\b", r"desert",
           r"escap", r"fled\b", r"flee", r"walk(?:ed)? away", r"quit", r"came out of",
           r"surrender", r"turned (?:him|her|them)sel(?:f|ves) in", r"broke (?:away|with)",
           r"got out", r"disengag", r"exit(?:ed)?\b", r"returnee", r"came (?:back|home)",
           r"repentan", r"amnesty", r"former (?:member|fighter|militant|jihadist|recruit)",
           r"ex-(?:member|fighter|militant|jihadist|neo-nazi|extremist)",
           r"quitt(?:é|er|ait)", r"fui", r"s'est rendu", r"déserté", r"sorti", r"repenti",
           r"ausgestiegen", r"ausstieg", r"verlassen", r"geflohen", r"abgesprungen",
           r"rückkehrer")
GROUP = _rx(r"islamic state", r"\bis\b", r"isis", r"isil", r"daesh", r"dawla", r"caliphate",
            r"shabaab", r"boko haram", r"iswap", r"al-qaeda", r"al qaeda", r"aqap", r"jnim",
            r"nusra", r"jihad", r"mujahid", r"militan", r"extremis", r"insurgen", r"terror",
            r"neo-?nazi", r"far-right", r"white power", r"militia", r"the group\b",
            r"the movement\b", r"the organisation\b", r"the organization\b", r"the scene\b",
            r"fighters?\b", r"état islamique", r"djihad", r"islamischer staat", r"szene")
SPORT = _rx(r"striker", r"midfielder", r"goalkeeper", r"keeper", r"transfer", r"club\b",
            r"league", r"season", r"coach", r"signed", r"fans?\b", r"derby", r"stadium")
POLITICS = _rx(r"councillor", r"\bmp\b", r"senator", r"parliament", r"crossed the floor",
               r"party\b", r"election", r"ballot", r"constituency", r"opposition", r"cabinet")
STATE = _rx(r"north korea", r"pyongyang", r"embassy", r"diplomat", r"asylum", r"spy\b",
            r"intelligence officer", r"colonel", r"army officer", r"kremlin")
BUSINESS = _rx(r"chief executive", r"engineer", r"competitor", r"rival firm", r"company",
               r"shareholders?", r"start-up")
JOINING = _rx(r"tried to (?:join|travel)", r"attempt(?:ed|ing)? to (?:join|travel)",
              r"recruit", r"radicali[sz]ed", r"joined\b", r"pledged allegiance",
              r"plotting", r"preparing acts")

POSITIVE_PROTOTYPES = (
    "He left the militant group and told reporters why he quit.",
    "She escaped from the Islamic State and came home with her children.",
    "Former fighters who defected described what made them walk away.",
    "After two years in the neo-Nazi scene he broke with the movement.",
    "The men surrendered under the amnesty and explained why they left the insurgents.",
)
NEGATIVE_PROTOTYPES = (
    "The striker signed for the rival club in a record transfer.",
    "The councillor crossed the floor to join another party.",
    "The soldier defected across the border and asked for asylum.",
    "He was convicted of trying to travel abroad to join the group.",
    "The attack killed several people and the group claimed responsibility.",
    "The engineer left the company to work for a competitor.",
)
FEATURES = ("exit_near_group", "exit", "group", "sport", "politics", "state", "business",
            "joining", "similar_exit", "similar_other", "reasons_found", "strongest_reason")
DEFAULT_WEIGHTS = np.array([4.0, 0.5, 0.5, -1.5, -1.5, -1.5, -1.5, -0.8, 6.0, -6.0, 0.3, 0.5])
DEFAULT_BIAS = -1.0


def _rate(pattern: re.Pattern[str], lowered: str, document: CodingInput) -> float:
    return len(pattern.findall(lowered)) / max(1, len(document.segments))


def _similarities(documents: Sequence[CodingInput]) -> list[tuple[float, float]]:
    from exitlens.coding.embedder import DIMENSIONS, embed, segment_vectors

    positive, negative = embed(list(POSITIVE_PROTOTYPES)), embed(list(NEGATIVE_PROTOTYPES))
    out = []
    for vectors in segment_vectors(documents):
        own = vectors[:, :DIMENSIONS]
        out.append((float((own @ positive.T).max()) if len(own) else 0.0,
                    float((own @ negative.T).max()) if len(own) else 0.0))
    return out


def document_features(documents: Sequence[CodingInput], evidence: np.ndarray | None = None,
                      use_embeddings: bool = True) -> np.ndarray:
    """One row per document. ``evidence`` (documents x reason codes) holds a coder's best
    score per code divided by the code's threshold (>= 1: the code was found)."""
    similarities = (_similarities(documents) if use_embeddings
                    else [(0.0, 0.0)] * len(documents))
    rows = []
    for document, (sim_pos, sim_neg) in zip(documents, similarities, strict=True):
        lowered = document.text.lower()
        near = sum(1 for s in document.segments
                   if EXIT.search(low := s.text.lower()) and GROUP.search(low))
        rows.append([near / max(1, len(document.segments)) * 10,
                     *(_rate(p, lowered, document) for p in
                       (EXIT, GROUP, SPORT, POLITICS, STATE, BUSINESS, JOINING)),
                     sim_pos, sim_neg])
    if evidence is None:
        evidence = np.zeros((len(documents), 1))
    found = (evidence >= 1).sum(axis=1, keepdims=True)
    strongest = np.minimum(evidence.max(axis=1, keepdims=True), 3.0) if evidence.size else \
        np.zeros((len(documents), 1))
    return np.hstack([np.array(rows, dtype=float).reshape(len(documents), 10), found,
                      strongest])


class RelevanceScreener:
    """``fit(training)`` then ``score(documents)`` -> probability that each is relevant."""

    name: ClassVar[str] = "screen.v1"

    def __init__(self, threshold: float = 0.5, regularisation: float = 1.0,
                 use_embeddings: bool = True) -> None:
        self.threshold = threshold
        self.regularisation = regularisation
        self.use_embeddings = use_embeddings

    def fit(self, training: Sequence[TrainingDocument] = (),
            evidence: np.ndarray | None = None) -> Self:
        from sklearn.linear_model import LogisticRegression
        from sklearn.preprocessing import StandardScaler

        labels = np.array([t.relevant for t in training], dtype=int)
        self.model_: Any = None
        if len(training) >= 8 and 0 < labels.sum() < len(labels):
            features = document_features([t.document for t in training], evidence,
                                         self.use_embeddings)
            self.scaler_ = StandardScaler().fit(features)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self.model_ = LogisticRegression(C=self.regularisation, class_weight="balanced",
                                                 max_iter=1000).fit(
                    self.scaler_.transform(features), labels)
        self.fitted_ = True
        return self

    def score(self, documents: Sequence[CodingInput],
              evidence: np.ndarray | None = None) -> list[float]:
        if not getattr(self, "fitted_", False):
            raise ExitLensError(f"{self.name}: call fit() before score()")
        if not documents:
            return []
        features = document_features(documents, evidence, self.use_embeddings)
        if self.model_ is None:
            z = features @ DEFAULT_WEIGHTS + DEFAULT_BIAS
            return [float(v) for v in 1 / (1 + np.exp(-z))]
        probabilities = self.model_.predict_proba(self.scaler_.transform(features))[:, 1]
        return [float(v) for v in probabilities]
