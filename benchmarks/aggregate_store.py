"""Benchmark: aggregate a large store (default 100,000 cases and 1,000,000 codings).

Generates a SQLite store of fictional cases and accepted codings (not timed), then, in a fresh
process each, measures:

- the baseline: the one query the aggregation cannot do without, each case's distinct codes
  among the counted codings, read from the store into Python tuples;
- `build_findings`: reading cases, codings and sources and computing the case x code matrix,
  counts with intervals, five crosstabs with their tests, co-occurrence.

Prints seconds, the ratio against the baseline and each process's peak memory (aim: under 5 s
and under 1 GB).

    .venv/bin/python benchmarks/aggregate_store.py [--cases 100000] [--codings 1000000]
"""

from __future__ import annotations

import argparse
import multiprocessing
import resource
import tempfile
import time
from pathlib import Path

import numpy as np

from exitlens.codebook import default_codebook_text, parse_codebook
from exitlens.records import text_sha256
from exitlens.services.project import store_codebook
from exitlens.storage import Store

COUNTRIES = ["SY", "IQ", "TN", "MA", "FR", "GB", "DE", "BE", "RU", "TJ", "SO", "KE", "NG",
             "PH", "ID", "PK", "US", "CA", "AU", "SE", None]
GROUPS = ["Islamic State", "al-Shabaab", "Boko Haram", "JNIM", "Abu Sayyaf", None]
CHUNK = 20_000


def generate(url: str, cases: int, codings: int, seed: int = 7) -> None:
    rng = np.random.default_rng(seed)
    store = Store(url)
    store.ensure_schema()
    content = default_codebook_text()
    book = parse_codebook(content, file="default")
    codes = [c.id for c in book.flat_codes()]
    n_sources = max(1, cases // 3)
    with store.session() as tx:
        version = store_codebook(tx, book, content, "bench")
        texts = [f"Fictional benchmark account {i}: he left the group." for i in range(n_sources)]
        source_ids = []
        for start in range(0, n_sources, CHUNK):
            source_ids += tx.add_sources([
                {"sha256": text_sha256(t), "text": t, "origin": f"bench/{i}.txt",
                 "format": "txt", "chars": len(t), "outlet": f"Outlet {i % 150}",
                 "published": f"{2014 + i % 10}-0{1 + i % 9}-1{i % 10}", "medium": "news",
                 "language": "en"}
                for i, t in enumerate(texts[start:start + CHUNK], start=start)])
    case_ids: list[int] = []
    for start in range(0, cases, CHUNK):
        with store.session() as tx:
            size = min(CHUNK, cases - start)
            made = tx.add_cases([
                {"gender": str(rng.choice(["female", "male", "male", "male", "unknown"])),
                 "country_of_origin": COUNTRIES[int(rng.integers(len(COUNTRIES)))],
                 "group_left": GROUPS[int(rng.integers(len(GROUPS)))],
                 "collective": bool(rng.random() < 0.05),
                 "exit_date": str(int(rng.integers(2013, 2025))), "exit_date_precision": "year",
                 "created_by": "coder:bench",
                 "source_id": source_ids[int(rng.integers(len(source_ids)))]}
                for _ in range(size)])
            case_ids += [case_id for case_id, _ in made]
    weights = np.linspace(3, 1, len(codes))
    weights /= weights.sum()
    for start in range(0, codings, 5 * CHUNK):
        size = min(5 * CHUNK, codings - start)
        which = rng.integers(len(case_ids), size=size)
        picked = rng.choice(len(codes), size=size, p=weights)
        with store.session() as tx:
            tx.add_codings([
                {"source_id": source_ids[int(w) % len(source_ids)], "start": 0, "end": 20,
                 "code": codes[int(c)], "codebook_version_id": version,
                 "case_id": case_ids[int(w)], "coder": "bench", "coder_kind": "human",
                 "status": "accepted"}
                for w, c in zip(which, picked, strict=True)])
    store.close()


def _baseline(url: str, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    started = time.perf_counter()
    with Store(url) as store, store.session() as tx:
        rows = len(tx.case_code_table(["accepted"]).rows)
    queue.put((time.perf_counter() - started, _peak_mb(), rows))


def _findings(url: str, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    from exitlens.services.findings import build_findings

    started = time.perf_counter()
    with Store(url) as store:
        found = build_findings(store, "accepted")
    queue.put((time.perf_counter() - started, _peak_mb(), len(found.cases)))


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _run(target: object, url: str) -> tuple[float, float, int]:
    spawn = multiprocessing.get_context("spawn")
    queue = spawn.Queue()
    process = spawn.Process(target=target, args=(url, queue))
    process.start()
    result = queue.get()
    process.join()
    return result  # type: ignore[no-any-return]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--codings", type=int, default=1_000_000)
    parser.add_argument("--store", type=Path, help="Reuse (or create) this SQLite file.")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="exitlens-bench-"))
    path = args.store or folder / "bench.sqlite"
    url = f"sqlite:///{path}"
    if not path.exists():
        started = time.perf_counter()
        generate(url, args.cases, args.codings)
        print(f"generated {args.cases:,} cases and {args.codings:,} codings in "
              f"{time.perf_counter() - started:.0f} s ({path})")
    _run(_baseline, url)  # once untimed, so both measurements find the file in the OS cache
    base_s, base_mb, rows = _run(_baseline, url)
    agg_s, agg_mb, cases = _run(_findings, url)
    print(f"baseline, reading the {rows:,} distinct case and code pairs: {base_s:.2f} s, "
          f"peak {base_mb:.0f} MB")
    print(f"build_findings, {cases:,} cases (imports included): {agg_s:.2f} s, peak "
          f"{agg_mb:.0f} MB (aim: under 5 s and 1,024 MB)")
    print(f"ratio to the baseline: {agg_s / base_s:.2f}x time, {agg_mb / base_mb:.2f}x memory")


if __name__ == "__main__":
    main()
