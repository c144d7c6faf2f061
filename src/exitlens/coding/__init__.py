"""Coding: machine coders behind one interface (see base.py), their ensemble, and screening.

Coders are found by versioned name; the classes load lazily so that importing this package
stays cheap.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from exitlens.coding.base import Coder, NotFittedError, check_coder
from exitlens.errors import ExitLensError

CODERS = {
    "keyword.v1": "exitlens.coding.keyword:KeywordCoder",
    "embedding.v1": "exitlens.coding.embedding:EmbeddingCoder",
    "classifier.v1": "exitlens.coding.classifier:ClassifierCoder",
    "ensemble.v1": "exitlens.coding.ensemble:EnsembleCoder",
    "llm.v1": "exitlens.coding.llm:LLMCoder",
}


def coder_class(name: str) -> type[Coder]:
    if name not in CODERS:
        raise ExitLensError(f"there is no coder '{name}'; choose from {', '.join(CODERS)}")
    module, attribute = CODERS[name].split(":")
    cls: type[Coder] = getattr(import_module(module), attribute)
    return cls


def make_coder(name: str, **options: Any) -> Coder:
    return coder_class(name)(**options)


__all__ = ["CODERS", "Coder", "NotFittedError", "check_coder", "coder_class", "make_coder"]
