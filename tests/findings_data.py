"""A project whose accepted codings are the example corpus's gold labels, as if people had
coded every account by hand; and the same figures computed straight from the gold file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pandas as pd
from tests.conftest import CORPUS, EXAMPLES

from exitlens.codebook import default_codebook_text, parse_codebook
from exitlens.ingest import ReadOptions
from exitlens.services.imports import import_paths
from exitlens.services.project import store_codebook
from exitlens.storage import Store

GOLD = EXAMPLES / "gold.jsonl"


def gold_entries() -> list[dict[str, Any]]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def load_gold_as_accepted(store: Store) -> dict[str, int]:
    """Import the corpus and store each gold case with its codes as accepted human codings;
    returns the source id of each file name."""
    import_paths(store, [str(CORPUS)], actor="test", options=ReadOptions())
    with store.session() as tx:
        table = tx.source_table()
        ids = {Path(row[1]).name: row[0] for row in table.rows}
        version = tx.active_codebook()
        assert version is not None
        cases, spans = [], []
        for entry in gold_entries():
            for case in entry["cases"] if entry["relevant"] else []:
                cases.append({
                    "collective": case["collective"], "gender": case["gender"] or "unknown",
                    "country_of_origin": case["country"], "group_left": case.get("group_left"),
                    "exit_date": str(case["exit_year"]) if case.get("exit_year") else None,
                    "exit_date_precision": "year" if case.get("exit_year") else None,
                    "label": case["label"] if case["collective"] else None,
                    "created_by": "coder:gold", "source_id": ids[entry["source"]],
                    "identity": None if case["collective"] else {"names": [case["label"]]}})
                spans.append([(item["code"], item.get("salience"), evidence)
                              for item in (*case.get("codes", ()), *case.get("context", ()))
                              for evidence in item["evidence"]])
        made = tx.add_cases(cases)
        rows = [{"source_id": case["source_id"], "start": ev["start"], "end": ev["end"],
                 "code": code, "codebook_version_id": version[0], "case_id": case_id,
                 "coder": "gold", "coder_kind": "human", "status": "accepted",
                 "salience": salience}
                for case, (case_id, _), items in zip(cases, made, spans, strict=True)
                for code, salience, ev in items]
        tx.add_codings(rows)
    return ids


def gold_case_frame() -> pd.DataFrame:
    """One row per gold case of a relevant document, with the top-level reason codes it
    cites: computed from the gold file alone, without ExitLens."""
    rows = []
    for entry in gold_entries():
        if not entry["relevant"]:
            continue
        for case in entry["cases"]:
            rows.append({"collective": case["collective"], "gender": case["gender"] or "unknown",
                         "country": case["country"], "exit_year": case.get("exit_year"),
                         "group_left": case.get("group_left"),
                         "codes": {item["code"].split(".")[0] for item in case.get("codes", ())
                                   if item["evidence"]}})
    return pd.DataFrame(rows)


def new_store(url: str) -> Store:
    store = Store(url)
    store.ensure_schema()
    content = default_codebook_text()
    with store.session() as tx:
        store_codebook(tx, parse_codebook(content, file="default"), content, "test")
    return store
