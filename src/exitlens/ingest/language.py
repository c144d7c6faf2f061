"""Language identification with lingua (offline, models ship in the package)."""

from __future__ import annotations

from functools import lru_cache
from typing import Any

MIN_CHARS = 20
SAMPLE_CHARS = 3000


@lru_cache(maxsize=1)
def _detector() -> Any:
    from lingua import LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_all_languages().build()


def detect_language(text: str) -> tuple[str | None, float | None]:
    """ISO 639-1 code and confidence of the most likely language; (None, None) if too short."""
    sample = text[:SAMPLE_CHARS]
    if len(sample.strip()) < MIN_CHARS:
        return None, None
    values = _detector().compute_language_confidence_values(sample)
    if not values:
        return None, None
    best = values[0]
    return best.language.iso_code_639_1.name.lower(), round(float(best.value), 4)
