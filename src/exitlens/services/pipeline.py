"""The analysis pipeline as pure functions: training a model and analysing a batch.

``train_model`` fits the chosen coders (an ensemble, or one coder alone) and the relevance
screener on labelled documents. ``analyse_batch`` runs screening, coding, case detection and
attribution on a batch of documents; it touches no database, so executors can run it anywhere.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import numpy as np

from exitlens.cases import attribute_hits, detect_cases
from exitlens.codebook import Codebook
from exitlens.coding import Coder, make_coder
from exitlens.coding.ensemble import DEFAULT_MEMBERS, EnsembleCoder, scores_from_hits
from exitlens.coding.scoring import SegmentScorer
from exitlens.coding.screening import RelevanceScreener
from exitlens.errors import ExitLensError
from exitlens.records import (
    Analysis,
    AttributedHit,
    CodingInput,
    DetectedCase,
    Hit,
    TrainingDocument,
)
from exitlens.segment import segment_document

SUPPORTED_LANGUAGES = ("en", "fr", "de")
EMBEDDING_CODERS = ("embedding.v1", "classifier.v1")
FALLBACK_CASE_LABEL = "unnamed person who left"


@dataclass
class Model:
    """What analysis needs, fitted: codebook, coder, screener, and what they learnt from."""

    codebook: Codebook
    coders: tuple[str, ...]
    coder: Coder
    screener: RelevanceScreener
    trained_on: frozenset[str] = frozenset()
    created_at: str = field(default_factory=lambda: datetime.now(UTC).isoformat(
        timespec="seconds"))

    @property
    def name(self) -> str:
        return self.coder.name if len(self.coders) > 1 else self.coders[0]

    def describe(self) -> dict[str, object]:
        return {"coder": self.name, "members": list(self.coders),
                "codebook": f"{self.codebook.id} {self.codebook.version}",
                "trained_on_documents": len(self.trained_on), "created_at": self.created_at}


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def prepare(key: str, text: str, language: str | None,
            published: str | None = None) -> CodingInput:
    """Segment a document; ``published`` (its date, when known) dates "last year" in it."""
    document = segment_document(key, text, language)
    return replace(document, published=published) if published else document


def train_model(codebook: Codebook, training: Sequence[TrainingDocument],
                coders: Sequence[str] = DEFAULT_MEMBERS) -> Model:
    """Fit the coders and the screener. One coder is used alone; several form an ensemble."""
    names = tuple(coders)
    if not names:
        raise ExitLensError("name at least one coder, e.g. --coders keyword.v1")
    uses_embeddings = any(n in EMBEDDING_CODERS for n in names)
    english = [t for t in training if t.document.language in (None, "en")]
    if len(names) == 1:
        coder = make_coder(names[0]).fit(codebook, english)
        evidence = _evidence(coder, codebook, [t.document for t in training])
    else:
        ensemble = EnsembleCoder(members=names).fit(codebook, english)
        coder = ensemble
        # held-out evidence where the ensemble has it; predictions for the other documents
        held_out = ensemble.oof_evidence()[:, :len(codebook.reason_ids)]
        rows = {t.document.key: i for i, t in enumerate(english)}
        others = [i for i, t in enumerate(training) if t.document.key not in rows]
        evidence = np.zeros((len(training), held_out.shape[1]))
        if others:
            evidence[others] = _evidence(ensemble, codebook,
                                         [training[i].document for i in others])
        for i, t in enumerate(training):
            if t.document.key in rows:
                evidence[i] = held_out[rows[t.document.key]]
    screener = RelevanceScreener(use_embeddings=uses_embeddings).fit(training, evidence)
    return Model(codebook=codebook, coders=names, coder=coder, screener=screener,
                 trained_on=frozenset(text_key(t.document.text) for t in training))


def _evidence(coder: Coder, codebook: Codebook, documents: Sequence[CodingInput]
              ) -> np.ndarray:
    """Per document and reason code: the coder's best score over its threshold."""
    return _scored(coder, codebook, documents)[2]


def _scored(coder: Coder, codebook: Codebook, documents: Sequence[CodingInput]
            ) -> tuple[list[np.ndarray] | None, list[Hit], np.ndarray]:
    """Segment scores (segment scorers) or hits (other coders), either reused to make the
    batch's hits, and per document evidence."""
    reasons = len(codebook.reason_ids)
    codes = [*codebook.reason_ids, *codebook.context_ids]
    hits: list[Hit] = []
    if isinstance(coder, SegmentScorer):
        scores = coder.score_segments(documents)
    else:
        hits = coder.predict(documents)
        scores = scores_from_hits(hits, documents, codes, codebook)
    best = np.array([s.max(axis=0) if len(s) else np.zeros(len(codes)) for s in scores])
    best = best.reshape(len(documents), len(codes))
    if isinstance(coder, EnsembleCoder):
        evidence = best / np.maximum(coder.thresholds_, 1e-6)
    else:
        evidence = best / getattr(coder, "min_confidence", 0.5)
    return (scores if isinstance(coder, SegmentScorer) else None), hits, evidence[:, :reasons]


def analyse_batch(model: Model, documents: Sequence[CodingInput],
                  relevance_threshold: float = 0.5, parse: bool = False) -> list[Analysis]:
    """Screen, code and attribute a batch of segmented documents. ``parse`` lets case
    detection use spaCy's parser and entities (slower than the embedding model itself, and no
    better on the example corpus; off by default)."""
    supported = [d for d in documents if (d.language or "en") in SUPPORTED_LANGUAGES
                 and d.segments]
    results: dict[str, Analysis] = {}
    for d in documents:
        if d not in supported:
            note = ("no text to analyse" if not d.segments else
                    f"language '{d.language}' is not supported by the models (supported: "
                    f"{', '.join(SUPPORTED_LANGUAGES)}); not analysed")
            results[d.key] = Analysis(d.key, d.language, None, False, False, note)
    if supported:
        scores, all_hits, evidence = _scored(model.coder, model.codebook, supported)
        relevance = model.screener.score(supported, evidence)
        keep = [i for i, r in enumerate(relevance) if r >= relevance_threshold]
        relevant = [supported[i] for i in keep]
        if scores is not None and isinstance(model.coder, SegmentScorer):
            hits = model.coder.hits_from_scores(relevant, [scores[i] for i in keep])
        else:
            kept = {d.key for d in relevant}
            hits = [h for h in all_hits if h.key in kept]
        cases = detect_cases(relevant, parser=parse) if relevant else []
        by_doc = _attribute(hits, cases, relevant)
        for d, score in zip(supported, relevance, strict=True):
            doc_cases, doc_hits = by_doc.get(d.key, ((), ()))
            results[d.key] = Analysis(d.key, d.language, round(score, 4),
                                      score >= relevance_threshold, True, None,
                                      doc_cases, doc_hits)
    return [results[d.key] for d in documents]


def analyse_texts(model: Model, items: Sequence[tuple[str, str, str | None, str | None]],
                  parse: bool = False) -> list[Analysis]:
    """Segment and analyse ``(key, text, language, published)`` items: the unit of work that
    executors (a Dask worker, or the calling process) run."""
    return analyse_batch(model, [prepare(*item) for item in items], parse=parse)


def _attribute(hits: list, cases: list[DetectedCase], documents: Sequence[CodingInput]
               ) -> dict[str, tuple[tuple[DetectedCase, ...], tuple[AttributedHit, ...]]]:
    """Hits to cases; a relevant document whose people were not found gets one case."""
    cases = list(cases)
    with_cases = {c.key for c in cases}
    for d in documents:
        if d.key not in with_cases:
            cases.append(DetectedCase(key=d.key, case="c1", label=FALLBACK_CASE_LABEL,
                                      collective=False, gender=None, country=None,
                                      mentions=(), confidence=0.0))
    pairs = attribute_hits(hits, cases, documents)
    out: dict[str, tuple[list[DetectedCase], list[AttributedHit]]] = {
        d.key: ([], []) for d in documents}
    for case in cases:
        out[case.key][0].append(case)
    for hit, case_key in pairs:
        case_key = case_key or _only_case(out[hit.key][0])
        out[hit.key][1].append(AttributedHit(hit, case_key))
    return {k: (tuple(c), tuple(h)) for k, (c, h) in out.items()}


def _only_case(cases: list[DetectedCase]) -> str | None:
    individuals = [c for c in cases if not c.collective]
    if len(individuals) == 1:
        return individuals[0].case
    return cases[0].case if len(cases) == 1 else None
