"""Near-duplicate detection: MinHash signatures over word shingles, banded for LSH lookups."""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from typing import Any

import numpy as np

NUM_PERM = 128
BANDS = 16
ROWS = NUM_PERM // BANDS
SHINGLE = 5
SCHEME = "affine32"  # datasketch 2 hashing scheme; stored signatures depend on it
WORD = re.compile(r"\w+", re.UNICODE)


def shingles(text: str, size: int = SHINGLE) -> set[bytes]:
    words = WORD.findall(text.lower())
    if len(words) < size:
        return {" ".join(words).encode()} if words else set()
    return {" ".join(words[i:i + size]).encode() for i in range(len(words) - size + 1)}


@lru_cache(maxsize=1)
def _permutations() -> Any:
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=1, scheme=SCHEME).permutations


def minhash_signature(text: str) -> np.ndarray:
    from datasketch import MinHash

    mh = MinHash(num_perm=NUM_PERM, seed=1, permutations=_permutations(), scheme=SCHEME)
    mh.update_batch(list(shingles(text)))
    return np.asarray(mh.hashvalues, dtype=np.uint64)


def signature_bytes(signature: np.ndarray) -> bytes:
    return signature.astype("<u8").tobytes()


def signature_from_bytes(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<u8")


def lsh_buckets(signature: np.ndarray) -> list[tuple[int, int]]:
    """(band, bucket) pairs; two texts sharing one are near-duplicate candidates."""
    out = []
    for band in range(BANDS):
        chunk = signature[band * ROWS:(band + 1) * ROWS].astype("<u8").tobytes()
        digest = hashlib.blake2b(chunk, digest_size=8).digest()
        out.append((band, int.from_bytes(digest, "little", signed=True)))
    return out


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.count_nonzero(a == b)) / len(a)
