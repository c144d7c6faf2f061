"""`exitlens export`: the findings' tables written as CSV, XLSX or Parquet, the write logged."""

from __future__ import annotations

from pathlib import Path

from exitlens.aggregate.evidence import quote_table
from exitlens.errors import UsageError
from exitlens.interop.tables import WRITERS, export_frames
from exitlens.services.findings import build_findings
from exitlens.services.reports import Written, evidence_names, write_atomically
from exitlens.storage import Store


def export_tables(store: Store, folder: Path, *, fmt: str, status: str, actor: str) -> Written:
    """Write cases, codings and the case x code matrix into ``folder``."""
    if fmt not in WRITERS:
        raise UsageError(f"--format must be one of {', '.join(WRITERS)}, not '{fmt}'")
    found = build_findings(store, status, detail=True)
    texts, names = evidence_names(store, found, attributed_only=False)
    frames = export_frames(found, quote_table(found, texts, names, attributed_only=False))
    files = []
    for name, data in WRITERS[fmt](frames).items():
        write_atomically(folder / name, data)
        files.append(folder / name)
    summary = {"format": fmt, "status": status, "files": [f.name for f in files],
               "rows": {name: len(frame) for name, frame in frames.items()}}
    with store.session() as tx:
        tx.log_event(actor, "export.tables", "export", str(folder), after=summary)
    return Written(folder, files, summary)
