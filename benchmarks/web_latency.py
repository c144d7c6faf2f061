"""Benchmark: latency of the web app's reader and review pages on a large project.

Generates a SQLite project of fictional sources (default 10,000) and codings (default 200,000:
machine suggestions and accepted codings), serves it with `exitlens serve` in its own process,
and loads it from a second process on loopback with concurrent signed-in clients. Prints
p50/p95/p99 per page and the ratio against a baseline measured in the same run: the same
server answering for its stylesheet, the floor of any request. Aim: p95 under 200 ms.

    .venv/bin/python benchmarks/web_latency.py [--sources 10000] [--codings 200000]
        [--requests 400] [--clients 4] [--project DIR]
"""

from __future__ import annotations

import argparse
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

PASSWORD = "benchmark password"
SENTENCES = [
    "He said the commanders kept the best houses for themselves.",
    "The salaries stopped in the second winter and there was no fuel.",
    "She described the purge of the brigades as the moment she stopped believing.",
    "They executed a shepherd in the square for smoking, and the village watched.",
    "His mother called every week and begged him to come home.",
    "The reporter notes that the account could not be independently verified.",
    "He was locked in a cell for three weeks after asking to leave.",
    "The fighters from abroad were paid twice as much as the local men.",
]


def generate(project: Path, sources: int, codings: int) -> None:
    from exitlens.records import text_sha256
    from exitlens.services.project import init_project
    from exitlens.services.users import add_user
    from exitlens.settings import load_settings

    rng = random.Random(7)
    created = init_project(load_settings(), project, name="latency benchmark (fictional)")
    store = created.store()
    add_user(store, "bench", PASSWORD, "coder", actor="bench")
    codes = ["infighting", "brutality_sunni", "corruption.self_enrichment", "quality_of_life",
             "mistreatment", "family_personal", "fear_danger", "barrier_reprisal"]
    per_source = max(1, codings // sources)
    with store.session() as tx:
        version = tx.active_codebook()
        assert version is not None
    for first in range(0, sources, 1000):
        with store.session() as tx:
            texts = [f"Fictional benchmark account {i}. " + " ".join(
                rng.choice(SENTENCES) for _ in range(30)) for i in range(first, min(
                    sources, first + 1000))]
            ids = tx.add_sources([{"sha256": text_sha256(t), "text": t,
                                   "origin": f"bench/{first + n}.txt", "format": "txt",
                                   "chars": len(t), "title": f"Account {first + n}",
                                   "language": "en", "relevant": True, "relevance": 0.9}
                                  for n, t in enumerate(texts)])
            cases = tx.add_cases([{"created_by": "machine:bench", "source_id": sid}
                                  for sid in ids])
            rows = []
            for sid, text, (case_id, _) in zip(ids, texts, cases, strict=True):
                for _ in range(per_source):
                    start = rng.randrange(0, len(text) - 120)
                    machine = rng.random() < 0.5
                    rows.append({"source_id": sid, "start": start,
                                 "end": start + rng.randrange(40, 120),
                                 "code": rng.choice(codes),
                                 "codebook_version_id": version[0], "case_id": case_id,
                                 "coder": "ensemble.v1" if machine else "bench",
                                 "coder_kind": "machine" if machine else "human",
                                 "confidence": rng.random() if machine else None,
                                 "status": "suggested" if machine else "accepted"})
            tx.add_codings(rows)
    store.close()


def serve(project: Path, port: int) -> subprocess.Popen[bytes]:
    exitlens = Path(sys.executable).with_name("exitlens")
    process = subprocess.Popen([str(exitlens), "-p", str(project), "serve", "--port",
                                str(port)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    for _ in range(200):
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return process
        time.sleep(0.1)
    process.kill()
    raise SystemExit("the server did not start")


def load(base: str, paths: list[str], clients: int) -> list[float]:
    """Latencies (ms) of GETs of ``paths`` by ``clients`` signed-in clients at once."""
    import httpx

    def client() -> httpx.Client:
        c = httpx.Client(base_url=base, follow_redirects=False, timeout=30)
        page = c.get("/login")
        token = re.search(r'name="csrf" value="([^"]+)"', page.text)
        assert token
        signed = c.post("/login", data={"username": "bench", "password": PASSWORD,
                                        "csrf": token.group(1)})
        assert signed.status_code == 303, signed.text
        return c

    pool = [client() for _ in range(clients)]

    def get(item: tuple[int, str]) -> float:
        n, path = item
        started = time.perf_counter()
        response = pool[n % clients].get(path)
        elapsed = (time.perf_counter() - started) * 1000
        assert response.status_code == 200, (path, response.status_code)
        return elapsed

    with ThreadPoolExecutor(clients) as executor:
        return list(executor.map(get, enumerate(paths)))


def report(name: str, latencies: list[float], baseline: float | None = None) -> float:
    cuts = statistics.quantiles(latencies, n=100)
    p95 = cuts[94]
    ratio = f", {p95 / baseline:.1f}x the baseline's p95" if baseline else ""
    print(f"{name:<28} p50 {cuts[49]:7.1f} ms  p95 {p95:7.1f} ms  p99 {cuts[98]:7.1f} ms"
          f"  ({len(latencies)} requests{ratio})")
    return p95


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sources", type=int, default=10_000)
    parser.add_argument("--codings", type=int, default=200_000)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--project", type=Path, help="Reuse (or create) this project.")
    args = parser.parse_args()
    project = args.project or Path(tempfile.mkdtemp(prefix="exitlens-web-")) / "p"
    if not (project / "exitlens.toml").exists():
        started = time.perf_counter()
        generate(project, args.sources, args.codings)
        print(f"generated {args.sources:,} sources and {args.codings:,} codings in "
              f"{time.perf_counter() - started:.0f} s ({project})")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    os.environ.setdefault("EXITLENS_ACTOR", "bench")
    server = serve(project, port)
    base = f"http://127.0.0.1:{port}"
    rng = random.Random(11)
    try:
        load(base, ["/static/app.css"] * 20, args.clients)  # warm up
        baseline = report("baseline: stylesheet", load(base, ["/static/app.css"] *
                                                       args.requests, args.clients))
        readers = [f"/sources/{rng.randrange(1, args.sources + 1)}"
                   for _ in range(args.requests)]
        reviews = [f"/review?page={rng.randrange(1, 50)}" for _ in range(args.requests)]
        lists = [f"/sources?page={rng.randrange(1, args.sources // 50)}"
                 for _ in range(args.requests)]
        report("reader /sources/ID", load(base, readers, args.clients), baseline)
        report("review queue /review", load(base, reviews, args.clients), baseline)
        report("source list /sources", load(base, lists, args.clients), baseline)
    finally:
        server.terminate()
        server.wait(timeout=10)
    print("aim: p95 under 200 ms for the reader and review pages")


if __name__ == "__main__":
    main()
