"""Fill in and check the character offsets of the example corpus's gold labels.

Writers give each evidence span as its exact text; this script finds it in the source text as
ExitLens imports it (front matter removed, body stripped) and writes ``examples/gold.jsonl``
with ``start`` and ``end`` (Unicode code points, end exclusive). Run it after editing labels:

    .venv/bin/python examples/build_gold.py            # from gold.jsonl (and gold-draft/*.json)
    .venv/bin/python examples/build_gold.py --check    # verify only; exit 1 on any problem
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from exitlens.ingest import ReadOptions, read_file

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
GOLD = HERE / "gold.jsonl"
DRAFTS = HERE / "gold-draft"


def source_text(name: str) -> str:
    result = read_file(name, CORPUS / name, ReadOptions())
    [document] = result.documents
    return document.text


def resolve_span(text: str, span: Any, where: str) -> dict[str, Any]:
    quote = span if isinstance(span, str) else span["text"]
    if isinstance(span, dict) and "start" in span:
        if text[span["start"]:span["end"]] != quote:
            raise ValueError(f"{where}: offsets {span['start']}-{span['end']} do not hold "
                             f"{quote[:60]!r}")
        return {"start": span["start"], "end": span["end"], "text": quote}
    count = text.count(quote)
    if count != 1:
        raise ValueError(f"{where}: {quote[:60]!r} occurs {count} times; it must occur once")
    start = text.index(quote)
    return {"start": start, "end": start + len(quote), "text": quote}


def resolve_entry(entry: dict[str, Any]) -> dict[str, Any]:
    text = source_text(entry["source"])
    for c, case in enumerate(entry.get("cases", [])):
        for key in ("codes", "context"):
            for item in case.get(key, []):
                where = f"{entry['source']} case {c} {item['code']}"
                item["evidence"] = [resolve_span(text, s, where) for s in item["evidence"]]
    return entry


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify only, write nothing")
    parser.add_argument("--dir", type=Path, default=HERE,
                        help="folder with corpus/ and gold.jsonl (default: examples/)")
    args = parser.parse_args()
    global CORPUS, GOLD, DRAFTS
    CORPUS, GOLD, DRAFTS = args.dir / "corpus", args.dir / "gold.jsonl", args.dir / "gold-draft"
    entries: dict[str, dict[str, Any]] = {}
    if GOLD.exists():
        for line in GOLD.read_text(encoding="utf-8").splitlines():
            if line.strip():
                entry = json.loads(line)
                entries[entry["source"]] = entry
    if DRAFTS.is_dir():
        for path in sorted(DRAFTS.glob("*.json")):
            entry = json.loads(path.read_text(encoding="utf-8"))
            entries[entry["source"]] = entry
    problems = []
    resolved = []
    for name in sorted(entries):
        try:
            resolved.append(resolve_entry(entries[name]))
        except (ValueError, KeyError, FileNotFoundError) as exc:
            problems.append(str(exc))
    missing = sorted({p.name for p in CORPUS.iterdir()} - set(entries))
    problems += [f"{name}: has no gold entry" for name in missing]
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        return 1
    if not args.check:
        GOLD.write_text("".join(json.dumps(e, ensure_ascii=False) + "\n" for e in resolved),
                        encoding="utf-8")
        print(f"wrote {GOLD} ({len(resolved)} documents)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
