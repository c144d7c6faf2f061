"""Benchmark: how many sentences per second the keyword coder (keyword.v1) codes on one core.

Codes the example corpus's sentences (segmented with exitlens.segment when it is there, else a
simple splitter), repeated to --sentences, with the default codebook, and prints sentences per
second and the ratio against a baseline measured in the same run: iterating the same segments
and lower-casing them, the floor any text coder pays. Best of --repeat runs each.

    .venv/bin/python benchmarks/keyword_speed.py [--sentences 100000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Callable
from pathlib import Path

from exitlens.codebook import load_default_codebook
from exitlens.coding.keyword import KeywordCoder
from exitlens.ingest import ReadOptions, read_file
from exitlens.records import CodingInput, Segment

CORPUS = Path(__file__).resolve().parent.parent / "examples" / "corpus"
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")


def split_sentences(text: str) -> tuple[Segment, ...]:
    segments: list[Segment] = []
    start = 0
    for end, following in [(m.start(), m.end()) for m in SENTENCE_END.finditer(text)] + [
            (len(text), len(text))]:
        piece = text[start:end]
        if piece.strip():
            a = start + len(piece) - len(piece.lstrip())
            b = start + len(piece.rstrip())
            segments.append(Segment(len(segments), a, b, text[a:b], 0))
        start = following
    return tuple(segments)


def segmenter() -> Callable[[str], tuple[Segment, ...]]:
    try:
        from exitlens.segment import segment_text
    except ImportError:
        return split_sentences
    return segment_text


def corpus_documents() -> list[CodingInput]:
    segment = segmenter()
    documents = []
    for path in sorted(CORPUS.iterdir()):
        [doc] = read_file(path.name, path, ReadOptions()).documents
        documents.append(CodingInput(path.name, doc.text, doc.language, segment(doc.text)))
    return documents


def best_of(repeat: int, run: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    corpus = corpus_documents()
    per_round = sum(len(d.segments) for d in corpus)
    rounds = max(1, args.sentences // per_round)
    documents = [CodingInput(f"{i}:{d.key}", d.text, d.language, d.segments)
                 for i in range(rounds) for d in corpus]
    n = per_round * rounds
    coder = KeywordCoder().fit(load_default_codebook())

    def baseline() -> None:
        for document in documents:
            for segment in document.segments:
                segment.text.lower()

    base_s = best_of(args.repeat, baseline)
    hits: list[object] = []
    code_s = best_of(args.repeat, lambda: hits.extend(coder.predict(documents)))
    languages = sorted({d.language or "?" for d in corpus})
    print(f"sentences: {n:,} ({len(corpus)} example documents x {rounds}; "
          f"languages {', '.join(languages)})")
    print(f"baseline (iterate + lower-case):  {n / base_s:,.0f} sentences/s")
    print(f"keyword.v1:                       {n / code_s:,.0f} sentences/s, "
          f"{len(hits) // args.repeat:,} hits")
    print(f"ratio: keyword.v1 takes {code_s / base_s:.0f}x the baseline's time "
          f"({code_s:.2f} s against {base_s:.3f} s)")


if __name__ == "__main__":
    main()
