"""Benchmark: the reconcile page's work on a large double-coded project.

Generates a SQLite store (not timed) of fictional sources, each coded by two people ("ana"
and "bo") with a few spans per source, of which a share differ (one coder leaves a span out
or picks another case), plus a single coder's codings on as many other sources. Then
measures, against a baseline measured in the same run (reading the two coders' codings, the
least any comparison must do):

- `consensus.units`: every unit of the two coders, first page of the open ones with text;
- `consensus.adopt`: taking every agreed unit into the consensus (one transaction);
- `build_findings` afterwards, when the consensus supersedes the coders on every source.

    .venv/bin/python benchmarks/reconcile_speed.py [--sources 5000] [--spans 8]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from exitlens.codebook import default_codebook_text, parse_codebook
from exitlens.records import text_sha256
from exitlens.services import consensus
from exitlens.services.findings import build_findings
from exitlens.services.project import store_codebook
from exitlens.services.users import User
from exitlens.storage import Store

LEAD = User(0, "lead", "admin")
SENTENCE = ("Fictional benchmark account {i}, part {k}: he said the commanders kept the "
            "salaries while the fighters went hungry, and that is why he left. ")


def generate(store: Store, sources: int, spans: int, seed: int = 3) -> int:
    rng = np.random.default_rng(seed)
    content = default_codebook_text()
    book = parse_codebook(content, file="default")
    codes = list(book.reason_ids)
    rows = []
    with store.session() as tx:
        version = store_codebook(tx, book, content, "bench")
        texts = ["".join(SENTENCE.format(i=i, k=k) for k in range(spans))
                 for i in range(2 * sources)]
        ids = tx.add_sources([{"sha256": text_sha256(t), "text": t, "origin": f"b/{i}.txt",
                               "format": "txt", "chars": len(t), "language": "en"}
                              for i, t in enumerate(texts)])
        made = tx.add_cases([{"created_by": "coder:bench", "source_id": s} for s in ids])
        step = len(SENTENCE.format(i=0, k=0))
        for n, (source_id, (case_id, _)) in enumerate(zip(ids, made, strict=True)):
            coders = ("ana", "bo") if n < sources else ("ana",)
            for k in range(spans):
                code = codes[int(rng.integers(len(codes)))]
                start = k * step + int(rng.integers(0, 10))
                for coder in coders:
                    roll = rng.random()
                    if coder == "bo" and roll < 0.1:
                        continue  # bo leaves it out
                    rows.append({"source_id": source_id, "start": start, "end": start + 60,
                                 "code": code, "codebook_version_id": version,
                                 "case_id": None if coder == "bo" and roll < 0.15 else case_id,
                                 "coder": coder, "coder_kind": "human",
                                 "status": "accepted"})
        tx.add_codings(rows)
    return len(rows)


def timed(function, *args, **kwargs):  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    result = function(*args, **kwargs)
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sources", type=int, default=5000)
    parser.add_argument("--spans", type=int, default=8)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="exitlens-reconcile-"))
    with Store(f"sqlite:///{folder / 'bench.sqlite'}") as store:
        store.ensure_schema()
        codings = generate(store, args.sources, args.spans)
        print(f"{args.sources:,} double-coded sources and {args.sources:,} single-coded, "
              f"{codings:,} codings ({folder})")

        def read() -> int:
            with store.session() as tx:
                return len(tx.coding_table(["accepted"], coders=["ana", "bo"]).rows)

        baseline, _ = timed(read)
        print(f"baseline, reading the two coders' codings: {baseline:.2f} s")
        seconds, found = timed(consensus.units, store, LEAD, coders=["ana", "bo"], limit=20)
        print(f"units: {found['counts']['units']:,} ({found['counts']['open']:,} open), "
              f"{seconds:.2f} s ({seconds / baseline:.1f}x the baseline)")
        seconds, done = timed(consensus.adopt, store, LEAD, coders=["ana", "bo"])
        print(f"adopt {done['adopted']:,} agreed units: {seconds:.2f} s "
              f"({seconds / baseline:.1f}x the baseline)")
        seconds, found = timed(build_findings, store, "accepted")
        print(f"build_findings with the consensus counted: {seconds:.2f} s "
              f"({seconds / baseline:.1f}x the baseline)")


if __name__ == "__main__":
    main()
