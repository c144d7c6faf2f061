"""Findings of the project: read its cases, codings and sources, then aggregate them."""

from __future__ import annotations

import pandas as pd

from exitlens.aggregate.findings import Findings, findings_from_frames, statuses_of
from exitlens.services.codebooks import active_codebook
from exitlens.storage import Store


def build_findings(store: Store, status: str = "accepted") -> Findings:
    """Read the project's cases and codings and compute every table of the findings."""
    statuses = statuses_of(status)
    codebook = active_codebook(store)
    with store.session() as tx:
        cases = pd.DataFrame(tx.case_columns())
        codings = pd.DataFrame(tx.coding_columns(statuses))
        sources = pd.DataFrame(tx.source_columns())
    return findings_from_frames(codebook, status, cases, codings, sources)
