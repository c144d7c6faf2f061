"""Language identification with lingua (offline, models ship in the package)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

MIN_CHARS = 20
SAMPLE_CHARS = 1000


@lru_cache(maxsize=1)
def _detector() -> Any:
    from lingua import LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_all_languages().build()


def detect_language(text: str) -> tuple[str | None, float | None]:
    """ISO 639-1 code and confidence of the most likely language; (None, None) if too short."""
    return detect_languages([text])[0]


def detect_languages(texts: list[str]) -> list[tuple[str | None, float | None]]:
    """Like detect_language for many texts, using every core."""
    samples = [text[:SAMPLE_CHARS] for text in texts]
    wanted = [i for i, sample in enumerate(samples) if len(sample.strip()) >= MIN_CHARS]
    out: list[tuple[str | None, float | None]] = [(None, None)] * len(texts)
    if not wanted:
        return out
    results = _detector().compute_language_confidence_values_in_parallel(
        [samples[i] for i in wanted])
    for index, values in zip(wanted, results, strict=True):
        if values:
            best = values[0]
            out[index] = (best.language.iso_code_639_1.name.lower(), round(float(best.value), 4))
    return out
