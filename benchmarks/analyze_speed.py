"""Benchmark: `analyze` end to end against the raw throughput of its embedding model.

Builds N documents of M sentences each from the example corpus's sentences, each made unique
(so that no embedding is served from a cache), then measures in the same run:

1. baseline: all-MiniLM-L6-v2 encoding the same sentences, nothing else (sentences/s);
2. `analyze` with the default ensemble: import, segmentation, screening, coding, case
   detection and attribution, and writing suggestions to a fresh SQLite project. Its time is
   compared with the model's own encoding time in the same process (which `analyze --json`
   reports), so that the ratio does not move with the machine's speed that hour: end to end
   (start-up included), and per further document (the run on half the documents has the same
   start-up, so the difference between the two runs is what documents cost on a large
   corpus); then with two Dask workers;
3. `analyze --coders keyword.v1` (no neural model) on the same documents;
4. the keyword-only analysis stages alone, in memory (segmentation, screening, coding, cases,
   attribution: no start-up, import or database), in one process and on two Dask workers;
5. peak memory of keyword-only `analyze` on --small and --large document counts, each in its
   own process, to show that batches keep memory flat.

The model is trained once before timing (training is not what is measured).

    .venv/bin/python benchmarks/analyze_speed.py [--docs 150] [--sentences 20]
        [--small 1000] [--large 10000]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def corpus_sentences() -> list[str]:
    from exitlens.ingest import ReadOptions, read_file
    from exitlens.segment import segment_text

    out = []
    for path in sorted((ROOT / "examples" / "corpus").iterdir()):
        [document] = read_file(path.name, path, ReadOptions()).documents
        if document.language == "en":
            out += [s.text for s in segment_text(document.text) if len(s.text) > 40]
    return out


def make_documents(folder: Path, count: int, sentences: int, seed: int = 1) -> int:
    """Writes the documents; returns their number of segments (what every rate counts: some
    corpus sentences hold more than one segment)."""
    pool = corpus_sentences()
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        picked = [f"{rng.choice(pool)} [{i}.{j}]" for j in range(sentences)]
        body = "\n\n".join(" ".join(picked[k:k + 4]) for k in range(0, len(picked), 4))
        (folder / f"doc{i:06d}.txt").write_text(f"Fictional benchmark text {i}.\n\n{body}\n",
                                                encoding="utf-8")
    return segments_in(folder)


def segments_in(folder: Path) -> int:
    from exitlens.segment import segment_text

    return sum(len(segment_text(p.read_text(encoding="utf-8"))) for p in folder.iterdir())


def run(command: list[str], **env: str) -> tuple[float, float]:
    """Seconds and peak resident memory (MB) of a child process."""
    seconds, peak, _ = run_json(command, **env)
    return seconds, peak


def run_json(command: list[str], **env: str) -> tuple[float, float, dict]:
    """Seconds, peak resident memory (MB) and the JSON summary (when the command was given
    --json) of a child process."""
    start = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        child = subprocess.Popen(command, env={**os.environ, **env}, stdout=out,
                                 stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - start
        if status:
            raise SystemExit(f"{' '.join(command)} failed ({status})")
        out.seek(0)
        text = out.read().decode("utf-8")
    summary = json.loads(text[text.index("{"):]) if "--json" in command else {}
    return seconds, usage.ru_maxrss / 1024, summary


def project_copy(project: Path, base: Path, name: str) -> Path:
    shutil.copytree(project, base / name)
    return base / name


def exitlens(project: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "exitlens", "--project", str(project), *args]


def embed_only(folder: str) -> None:
    from exitlens.coding.embedder import load_model
    from exitlens.segment import segment_text

    texts = [s.text for p in sorted(Path(folder).iterdir())
             for s in segment_text(p.read_text(encoding="utf-8"))]
    model = load_model()
    start = time.perf_counter()
    model.encode(texts, batch_size=64, normalize_embeddings=True, show_progress_bar=False)
    print(f"{len(texts) / (time.perf_counter() - start):.1f}")


def stages_only(folder: str, model_file: str, workers: str) -> None:
    """Keyword-only analysis in memory: segmentation, screening, coding, cases, attribution,
    in batches of 64 documents, in this process or on a local Dask cluster of N processes."""
    from exitlens.executors import make_executor
    from exitlens.segment import segment_text
    from exitlens.services.models import load_model
    from exitlens.services.pipeline import analyse_texts

    model = load_model(Path(model_file))
    texts = [p.read_text(encoding="utf-8") for p in sorted(Path(folder).iterdir())]
    segments = sum(len(segment_text(t)) for t in texts)
    batches = [[(f"d{j}", t, "en", None) for j, t in enumerate(texts[i:i + 64], i)]
               for i in range(0, len(texts), 64)]
    executor = make_executor(int(workers), None)
    try:
        list(executor.map_ordered(analyse_texts, model, batches[:2]))  # warm up every worker
        start = time.perf_counter()
        for _ in executor.map_ordered(analyse_texts, model, batches):
            pass
        print(f"{segments / (time.perf_counter() - start):.1f}")
    finally:
        executor.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=150)
    parser.add_argument("--sentences", type=int, default=20)
    parser.add_argument("--small", type=int, default=1000)
    parser.add_argument("--large", type=int, default=10000)
    parser.add_argument("--embed-only", help=argparse.SUPPRESS)
    parser.add_argument("--stages-only", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.embed_only:
        embed_only(args.embed_only)
        return
    if args.stages_only:
        stages_only(*args.stages_only)
        return
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        docs = base / "docs"
        sentences = make_documents(docs, args.docs, args.sentences)
        out = subprocess.run([sys.executable, __file__, "--embed-only", str(docs)],
                             capture_output=True, text=True, check=True)
        raw = float(out.stdout.strip().splitlines()[-1])
        project = base / "p"
        subprocess.run([sys.executable, "-m", "exitlens", "init", str(project)], check=True,
                       stdout=subprocess.DEVNULL)
        for coders in ("keyword.v1,embedding.v1,classifier.v1", "keyword.v1"):
            subprocess.run(exitlens(project, "train", "--coders", coders), check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        print(f"documents: {args.docs} x {args.sentences} corpus sentences ({sentences} "
              "segments; every rate counts segments)")
        print(f"baseline, all-MiniLM-L6-v2 encoding only: {raw:8.1f} sentences/s")
        full_s, full_mb, full = run_json(exitlens(project_copy(project, base, "p1"), "analyze",
                                                  str(docs), "--json"))
        model = full["embedding_model"]
        print(f"analyze (ensemble), end to end: {sentences / full_s:8.1f} sentences/s "
              f"(peak {full_mb:.0f} MB)")
        print(f"  in the same process the model took {model['load_seconds']:.1f} s to load and "
              f"{model['encode_seconds']:.1f} s to encode {model['sentences']} sentences "
              f"({model['sentences'] / model['encode_seconds']:.1f} sentences/s)")
        print(f"  ratio: analyze takes {full_s / model['encode_seconds']:.2f}x the model's own "
              f"encoding time (the pipeline adds {full_s / model['encode_seconds'] - 1:.0%}, "
              "start-up included)")
        # the cost of each further document: the run on half the documents has the same
        # start-up (interpreter, torch, loading the model, encoding the codebook), so the
        # differences between the two runs are what the other half costs, as it would per
        # document on a large corpus
        half = base / "half"
        half.mkdir()
        names = sorted(p.name for p in docs.iterdir())[:args.docs // 2]
        for name in names:
            shutil.copy(docs / name, half / name)
        half_s, _, halved = run_json(exitlens(project_copy(project, base, "p-half"), "analyze",
                                              str(half), "--json"))
        encode = model["encode_seconds"] - halved["embedding_model"]["encode_seconds"]
        marginal = (full_s - half_s) / encode
        print(f"analyze (ensemble), each further document: {marginal:.2f}x the model's own "
              f"encoding time (the pipeline adds {marginal - 1:.0%} at scale)")
        two_s, _ = run(exitlens(project_copy(project, base, "p2"), "analyze", str(docs),
                                "--workers", "2"))
        print(f"analyze (ensemble, --workers 2), end to end: {sentences / two_s:8.1f} "
              f"sentences/s ({full_s / two_s:.2f}x one process)")
        kw_project = base / "kw"
        subprocess.run([sys.executable, "-m", "exitlens", "init", str(kw_project)], check=True,
                       stdout=subprocess.DEVNULL)
        subprocess.run(exitlens(kw_project, "train", "--coders", "keyword.v1"), check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for workers in ("1", "2"):
            fresh = base / f"kw{workers}"
            shutil.copytree(kw_project, fresh)
            kw_s, _ = run(exitlens(fresh, "analyze", str(docs), "--coders", "keyword.v1",
                                   "--workers", workers))
            print(f"analyze --coders keyword.v1 --workers {workers}, end to end: "
                  f"{sentences / kw_s:8.0f} sentences/s ({sentences / kw_s / raw:.1f}x the "
                  "embedding baseline; includes start-up, import and storage)")
        for workers in ("1", "2"):
            staged = subprocess.run([sys.executable, __file__, "--stages-only", str(docs),
                                     str(kw_project / "models" / "keyword.v1.pkl"), workers],
                                    capture_output=True, text=True, check=True)
            stage_rate = float(staged.stdout.strip().splitlines()[-1])
            print(f"keyword-only analysis stages in memory, --workers {workers}: "
                  f"{stage_rate:8.0f} sentences/s ({stage_rate / raw:.0f}x the embedding "
                  "baseline)")
        for label, count in (("small", args.small), ("large", args.large)):
            folder = base / label
            make_documents(folder, count, 12, seed=count)
            target = base / f"p-{label}"
            subprocess.run([sys.executable, "-m", "exitlens", "init", str(target)], check=True,
                           stdout=subprocess.DEVNULL)
            subprocess.run(exitlens(target, "train", "--coders", "keyword.v1"), check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            seconds, peak = run(exitlens(target, "analyze", str(folder), "--coders",
                                         "keyword.v1"))
            print(f"keyword-only analyze of {count:>7} documents: {seconds:7.1f} s, "
                  f"peak {peak:.0f} MB")


if __name__ == "__main__":
    main()
