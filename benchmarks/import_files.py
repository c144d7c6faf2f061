"""Benchmark: import N generated text files into a fresh SQLite project.

Prints files per second and peak memory of `import`, and its ratio against two baselines
measured in the same run: reading, decoding and hashing the same files with nothing else (the
floor any importer pays), and that plus language identification and MinHash signatures (the
analysis every import does). Each phase runs in its own process, so its peak memory is its own.

    .venv/bin/python benchmarks/import_files.py [--files 10000] [--words 400] [--db URL]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

WORDS = ("she he they left the group after months of waiting for salaries that never came "
         "commanders took the best houses while fighters shared one room and the promises "
         "made online about dignity turned into guard duty checkpoints and fear his mother "
         "called every week asking him to come home her brother was arrested by the group's "
         "police for smoking a cigarette and beaten in front of the whole street").split()


def generate(folder: Path, count: int, words: int) -> None:
    rng = random.Random(2015)
    for i in range(count):
        body = " ".join(rng.choice(WORDS) for _ in range(words))
        (folder / f"{i:06d}.txt").write_text(
            f"---\ntitle: Generated account {i}\nfictional: true\n---\n"
            f"Fictional generated account {i}. {body}\n", encoding="utf-8")


def baseline(folder: str) -> None:
    for path in sorted(Path(folder).iterdir()):
        text = path.read_bytes().decode("utf-8")
        hashlib.sha256(text.encode("utf-8")).hexdigest()


def analysis(folder: str) -> None:
    from exitlens.ingest.dedupe import lsh_buckets, minhash_signature
    from exitlens.ingest.language import detect_languages

    paths = sorted(Path(folder).iterdir())
    for start in range(0, len(paths), 500):
        texts = [p.read_bytes().decode("utf-8") for p in paths[start:start + 500]]
        detect_languages(texts)
        for text in texts:
            lsh_buckets(minhash_signature(text))


def exitlens_import(folder: str, db_url: str) -> None:
    from exitlens.ingest import ReadOptions
    from exitlens.services.imports import import_paths
    from exitlens.storage import Store

    with Store(db_url) as store:
        store.ensure_schema()
        report = import_paths(store, [folder], actor="benchmark", options=ReadOptions())
    assert len(report.added) == len(os.listdir(folder)), report.counts()


def run_phase(name: str, *args: str) -> tuple[float, float]:
    """Seconds and peak resident memory (MB) of one phase run in a child process."""
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, __file__, "--phase", name, *args])
    _, status, usage = os.wait4(child.pid, 0)
    seconds = time.perf_counter() - start
    if status != 0:
        raise SystemExit(f"phase {name} failed with status {status}")
    return seconds, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--words", type=int, default=400)
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--phase", help=argparse.SUPPRESS)
    parser.add_argument("rest", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase == "baseline":
        baseline(args.rest[0])
        return
    if args.phase == "analysis":
        analysis(args.rest[0])
        return
    if args.phase == "import":
        exitlens_import(args.rest[0], args.rest[1])
        return
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "accounts"
        folder.mkdir()
        generate(folder, args.files, args.words)
        db_url = args.db or f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        base_s, base_mb = run_phase("baseline", str(folder))
        ana_s, ana_mb = run_phase("analysis", str(folder))
        imp_s, imp_mb = run_phase("import", str(folder), db_url)
    n = args.files
    print(f"files: {n} generated texts of {args.words} words")
    print(f"baseline (read + decode + sha256):    {n / base_s:,.0f} files/s, peak {base_mb:.0f} MB")
    print(f"analysis floor (+ language, MinHash): {n / ana_s:,.0f} files/s, peak {ana_mb:.0f} MB")
    print(f"exitlens import:                      {n / imp_s:,.0f} files/s, peak {imp_mb:.0f} MB")
    print(f"ratio: import takes {imp_s / base_s:.1f}x the baseline's time "
          f"({imp_s:.1f} s against {base_s:.1f} s), {imp_s / ana_s:.2f}x the analysis floor's "
          f"({ana_s:.1f} s): parsing, storage and bookkeeping add {imp_s / ana_s - 1:.0%}")


if __name__ == "__main__":
    main()
