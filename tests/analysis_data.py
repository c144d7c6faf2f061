"""Example-corpus documents prepared for coders, shared by the analysis tests."""

from __future__ import annotations

from functools import cache

from tests.conftest import CORPUS, EXAMPLES

from exitlens.codebook import Codebook, load_default_codebook
from exitlens.records import TrainingDocument
from exitlens.services.models import gold_training


@cache
def codebook() -> Codebook:
    return load_default_codebook()


@cache
def examples() -> tuple[TrainingDocument, ...]:
    return tuple(gold_training(EXAMPLES / "gold.jsonl", CORPUS))


def english(n: int) -> list[TrainingDocument]:
    """The first n English training documents, relevant and not, in a stable order."""
    return [t for t in examples() if t.document.language == "en"][:n]
