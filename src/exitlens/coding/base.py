"""The Coder interface, shared by every machine coder, and its conformance check.

A coder is made with keyword hyper-parameters (stored as given), learns in ``fit`` (state in
attributes ending in ``_``) and returns Hits in ``predict``::

    coder = KeywordCoder().fit(codebook, training)
    hits = coder.predict(documents)          # Hits for every document, in any order

``name`` is versioned (``keyword.v1``): a changed behaviour gets a new version so that stored
codings keep saying what produced them. ``capabilities`` tags what a coder can do:
``trainable`` (learns from TrainingDocuments), ``spans`` (evidence narrower than a sentence),
``multilingual``, ``network`` (calls a service), ``calibrated`` (confidences are
probabilities).
"""

from __future__ import annotations

import pickle
import re
from collections.abc import Sequence
from typing import ClassVar, Self

from exitlens.codebook import Codebook
from exitlens.errors import ExitLensError
from exitlens.records import CodingInput, Hit, Segment, TrainingDocument

NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]*\.v\d+$")
CAPABILITIES = frozenset({"trainable", "spans", "multilingual", "network", "calibrated"})


class NotFittedError(ExitLensError):
    pass


class Coder:
    """Base class: subclasses set ``name`` and ``capabilities`` and implement the two hooks."""

    name: ClassVar[str] = ""
    capabilities: ClassVar[frozenset[str]] = frozenset()

    def fit(self, codebook: Codebook, training: Sequence[TrainingDocument] = ()) -> Self:
        self.codebook_ = codebook
        self._fit(codebook, training)
        return self

    def predict(self, documents: Sequence[CodingInput]) -> list[Hit]:
        if not hasattr(self, "codebook_"):
            raise NotFittedError(f"{self.name}: call fit(codebook, training) before predict")
        return self._predict(documents)

    def _fit(self, codebook: Codebook, training: Sequence[TrainingDocument]) -> None:
        """Learn from the codebook and training documents (nothing, by default)."""

    def _predict(self, documents: Sequence[CodingInput]) -> list[Hit]:
        raise NotImplementedError


def make_hit(document: CodingInput, start: int, end: int, code: str, confidence: float,
             coder: str, rationale: str | None = None) -> Hit:
    return Hit(key=document.key, start=start, end=end, code=code,
               confidence=min(1.0, max(0.0, float(confidence))), coder=coder,
               evidence=document.text[start:end], rationale=rationale)


def check_coder(coder: Coder, codebook: Codebook, training: Sequence[TrainingDocument],
                documents: Sequence[CodingInput]) -> None:
    """Raise AssertionError unless ``coder`` keeps the Coder contract on these inputs."""
    assert NAME_PATTERN.match(coder.name), f"name {coder.name!r} must look like 'keyword.v1'"
    assert coder.capabilities <= CAPABILITIES, f"unknown capabilities {coder.capabilities}"
    fresh = type(coder)(**_params(coder))
    try:
        fresh.predict(documents)
    except NotFittedError:
        pass
    else:
        raise AssertionError(f"{coder.name}: predict before fit must raise NotFittedError")
    assert coder.fit(codebook, training) is coder, f"{coder.name}: fit must return self"
    assert coder.predict([]) == [], f"{coder.name}: no documents, no hits"
    empty = CodingInput(key="empty", text="", language="en", segments=())
    assert coder.predict([empty]) == [], f"{coder.name}: an empty document has no hits"
    hits = coder.predict(documents)
    valid = {c.id for c in codebook.flat_codes()}
    texts = {d.key: d.text for d in documents}
    for hit in hits:
        assert hit.key in texts, f"{coder.name}: hit for unknown document {hit.key}"
        text = texts[hit.key]
        assert 0 <= hit.start < hit.end <= len(text), f"{coder.name}: bad span {hit}"
        assert hit.evidence == text[hit.start:hit.end], f"{coder.name}: evidence != text"
        assert hit.code in valid, f"{coder.name}: {hit.code} is not in the codebook"
        assert 0.0 <= hit.confidence <= 1.0, f"{coder.name}: confidence {hit.confidence}"
        assert hit.coder == coder.name, f"{coder.name}: hit.coder is {hit.coder}"
    assert _sorted(coder.predict(documents)) == _sorted(hits), f"{coder.name}: not repeatable"
    one_by_one = [h for d in documents for h in coder.predict([d])]
    assert _sorted(one_by_one) == _sorted(hits), f"{coder.name}: batching changes results"
    clone = pickle.loads(pickle.dumps(coder))
    assert _sorted(clone.predict(documents)) == _sorted(hits), f"{coder.name}: not picklable"
    shifted = [CodingInput(d.key, "\n\n" + d.text, d.language,
                           tuple(Segment(s.index, s.start + 2, s.end + 2, s.text, s.paragraph,
                                         s.speaker) for s in d.segments)) for d in documents]
    for hit in coder.predict(shifted):
        text = "\n\n" + texts[hit.key]
        assert hit.evidence == text[hit.start:hit.end], f"{coder.name}: offsets not absolute"


def _params(coder: Coder) -> dict[str, object]:
    return {k: v for k, v in vars(coder).items() if not k.endswith("_") and not k.startswith("_")}


def _sorted(hits: Sequence[Hit]) -> list[tuple[object, ...]]:
    return sorted((h.key, h.start, h.end, h.code, round(h.confidence, 6)) for h in hits)
