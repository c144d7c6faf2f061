"""Findings of the project: read its cases, codings and sources, then aggregate them."""

from __future__ import annotations

import pandas as pd

from exitlens.aggregate.findings import Findings, findings_from_frames, statuses_of
from exitlens.services.codebooks import active_codebook
from exitlens.storage import Store


def build_findings(store: Store, status: str = "accepted", *, detail: bool = False
                   ) -> Findings:
    """Read the project's cases and what its counted codings say of them, and compute every
    table of the findings; with ``detail``, also read each counted coding (for quotes and
    exports)."""
    statuses = statuses_of(status)
    codebook = active_codebook(store)
    with store.session() as tx:
        tables = {"cases": tx.case_table(), "links": tx.case_link_table(),
                  "sources": tx.source_table(), "pairs": tx.case_code_table(statuses)}
        if detail:
            tables["codings"] = tx.coding_table(statuses, counted=True)
    frames = {name: pd.DataFrame.from_records(t.rows, columns=list(t.columns))
              for name, t in tables.items()}
    return findings_from_frames(codebook, status, **frames)
