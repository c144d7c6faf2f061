"""The example corpus and its gold labels: what the issue asks of them, and exact offsets."""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from typing import Any

from tests.conftest import CORPUS, EXAMPLES

from exitlens.codebook import load_default_codebook
from exitlens.ingest import ReadOptions, read_file


@cache
def gold() -> list[dict[str, Any]]:
    lines = (EXAMPLES / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@cache
def imported_text(name: str) -> str:
    [document] = read_file(name, CORPUS / name, ReadOptions()).documents
    return document.text


def cases() -> list[dict[str, Any]]:
    return [case for entry in gold() for case in entry["cases"]]


def test_every_document_has_one_gold_entry_and_is_marked_fictional() -> None:
    names = sorted(p.name for p in CORPUS.iterdir())
    assert sorted(e["source"] for e in gold()) == names
    assert len(names) >= 60
    for name in names:
        result = read_file(name, CORPUS / name, ReadOptions())
        assert not result.problems, name
        assert result.documents[0].extra.get("fictional") is True, name


def test_the_mix_the_issue_asks_for() -> None:
    relevant = [e for e in gold() if e["relevant"]]
    assert len(relevant) >= 45 and len(gold()) - len(relevant) >= 15
    assert all(e["cases"] for e in relevant)
    assert all(not e["cases"] for e in gold() if not e["relevant"])
    people = [c for c in cases() if not c["collective"]]
    assert {"female", "male"} <= {c["gender"] for c in people}
    assert sum(c["gender"] == "female" for c in people) >= 10
    assert len({c["country"] for c in cases() if c["country"]}) >= 15
    assert sum(c["collective"] for c in cases()) >= 3
    assert sum(len(e["cases"]) > 1 for e in relevant) >= 4
    assert sum(e["language"] in ("fr", "de") for e in gold()) >= 5
    assert len({e["genre"] for e in gold()}) >= 6
    groups = " ".join(str(c.get("group_left")) for c in cases()).lower()
    for group in ("islamic state", "shabaab", "boko haram", "qaeda"):
        assert group in groups


def test_lengths_span_short_notes_to_long_features() -> None:
    words = [len(imported_text(e["source"]).split()) for e in gold()]
    assert min(words) >= 100 and max(words) <= 2100
    assert sum(w < 200 for w in words) >= 4 and sum(w > 1200 for w in words) >= 4


def test_every_evidence_span_matches_the_imported_text() -> None:
    book = load_default_codebook()
    spans = 0
    for entry in gold():
        text = imported_text(entry["source"])
        for case in entry["cases"]:
            assert case["gender"] in ("female", "male", None)
            assert case["country"] is None or (len(case["country"]) == 2
                                               and case["country"].isupper())
            for item in case["codes"]:
                assert item["code"] in book.reason_ids, item["code"]
                assert item["code"] != "other" or item.get("memo")
            for item in case.get("context", []):
                assert item["code"] in book.context_ids, item["code"]
            for item in case["codes"] + case.get("context", []):
                assert item["evidence"], (entry["source"], item["code"])
                for span in item["evidence"]:
                    assert text[span["start"]:span["end"]] == span["text"]
                    spans += 1
    assert spans >= 300


def test_every_reason_code_occurs_in_the_gold() -> None:
    counts = Counter(item["code"] for case in cases() for item in case["codes"])
    assert set(counts) == set(load_default_codebook().reason_ids)
    for code in ("infighting", "brutality_sunni", "corruption", "quality_of_life"):
        assert counts[code] >= 15, code


def test_the_held_out_set_is_labelled_and_separate() -> None:
    folder = EXAMPLES / "heldout"
    entries = [json.loads(line) for line in
               (folder / "gold.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()]
    assert sorted(e["source"] for e in entries) == sorted(p.name for p in
                                                          (folder / "corpus").iterdir())
    assert sum(e["relevant"] for e in entries) >= 20 and len(entries) >= 30
    for entry in entries:
        [document] = read_file(entry["source"], folder / "corpus" / entry["source"],
                               ReadOptions()).documents
        assert document.extra.get("fictional") is True
        for case in entry["cases"]:
            for item in case["codes"] + case.get("context", []):
                for span in item["evidence"]:
                    assert document.text[span["start"]:span["end"]] == span["text"]
    training = {p.read_text(encoding="utf-8") for p in CORPUS.iterdir()}
    assert not training & {p.read_text(encoding="utf-8") for p in (folder / "corpus").iterdir()}
