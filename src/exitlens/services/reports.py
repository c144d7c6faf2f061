"""`exitlens report` and `exitlens quotes`: findings rendered to files, each write logged."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from exitlens.aggregate.evidence import quote_table
from exitlens.aggregate.findings import Findings
from exitlens.errors import UsageError
from exitlens.report.document import report_content
from exitlens.report.quotes import quote_bank_table
from exitlens.services.findings import build_findings
from exitlens.storage import Store

REPORT_FORMATS = ("html", "pdf", "md")
QUOTE_FORMATS = ("html", "csv", "docx")


@dataclass
class Written:
    path: Path
    files: list[Path]
    summary: dict[str, Any]


def evidence_names(store: Store, found: Findings, *, attributed_only: bool = True
                   ) -> tuple[dict[int, str], dict[str, list[str]]]:
    """The texts of the sources the counted codings are in, and each case's restricted names
    and aliases by pseudonym, to be replaced by the pseudonym in quotes and never shown."""
    codings = found.codings[found.codings["case"].notna()] if attributed_only else \
        found.codings
    with store.session() as tx:
        texts = tx.source_texts([int(s) for s in codings["source_id"].unique()])
        identities = tx.case_identities([int(i) for i in found.cases["id"]])
    pseudonym = dict(zip(found.cases["id"], found.cases["case"], strict=True))
    names = {pseudonym[i]: [*who.get("names", []), *who.get("aliases", [])]
             for i, who in identities.items()}
    return texts, names


def evidence_quotes(store: Store, found: Findings) -> pd.DataFrame:
    """The quote table of the findings' codings attributed to cases."""
    texts, names = evidence_names(store, found)
    return quote_table(found, texts, names)


def _hint(store: Store, found: Findings) -> str | None:
    """What to do when nothing is counted because nobody has reviewed the suggestions."""
    if found.status != "accepted" or len(found.cases):
        return None
    with store.session() as tx:
        waiting = tx.coding_statuses().get("suggested", 0)
    if not waiting:
        return None
    return (f"no accepted codings yet: {waiting} machine suggestions await review; "
            "--status suggested counts them")


def people_agreement(store: Store) -> dict[str, Any] | None:
    """Agreement per source between the people who coded (two or more), with how far they
    were reconciled into a consensus; or None."""
    from exitlens.services.agreement import agreement

    with store.session() as tx:
        people = tx.human_coders()
        reconciled = tx.consensus_summary()
    if len(people) < 2:
        return None
    return {**agreement(store, unit="source", coders=people, bootstrap=500),
            "consensus": reconciled if reconciled["sources"] else None}


def latest_evaluation(store: Store) -> dict[str, Any] | None:
    with store.session() as tx:
        found = tx.events(action="model.evaluate", limit=1)
    if not found:
        return None
    stored: dict[str, Any] = found[0]["after"] or {}
    return {**stored, "at": found[0]["at"][:16].replace("T", " ")}


def write_report(store: Store, out: Path, *, fmt: str, status: str, project: str, actor: str,
                 progress: Callable[[str], None] | None = None) -> Written:
    """Compute the findings and write the report as ``fmt`` to ``out`` (Markdown puts its
    charts in a folder beside it)."""
    if fmt not in REPORT_FORMATS:
        raise UsageError(f"--format must be one of {', '.join(REPORT_FORMATS)}, not '{fmt}'")
    from exitlens.report.render import render_html, render_markdown, render_pdf

    found = build_findings(store, status, detail=True)
    if progress:
        progress(f"{len(found.individuals)} cases, {found.coding_total} codings counted")
    content = report_content(found, evidence_quotes(store, found), project=project,
                             evaluation=latest_evaluation(store),
                             agreement=people_agreement(store))
    files = [out]
    if fmt == "html":
        write_atomically(out, render_html(content).encode("utf-8"))
    elif fmt == "pdf":
        write_atomically(out, render_pdf(content))
    else:
        folder = f"{out.stem}_charts"
        text, charts = render_markdown(content, folder)
        for name, svg in charts.items():
            write_atomically(out.parent / name, svg.encode("utf-8"))
            files.append(out.parent / name)
        write_atomically(out, text.encode("utf-8"))
    return _logged(store, found, actor, "report.write", out, files, {
        "format": fmt, "status": status, "cases": len(found.individuals),
        "collective_cases": int(found.cases["collective"].sum()),
        "codings": found.coding_total})


def write_quote_bank(store: Store, out: Path, *, fmt: str, status: str, code: str | None,
                     per_code: int, project: str, actor: str) -> Written:
    """The quote bank for practitioners as ``fmt`` at ``out``."""
    if fmt not in QUOTE_FORMATS:
        raise UsageError(f"--format must be one of {', '.join(QUOTE_FORMATS)}, not '{fmt}'")
    found = build_findings(store, status, detail=True)
    if code is not None and code not in found.codebook.reason_ids:
        raise UsageError(f"--code '{code}' is not a reason of the active codebook; choose "
                         f"one of {', '.join(found.codebook.reason_ids)}")
    bank = quote_bank_table(found, evidence_quotes(store, found), code=code, per_code=per_code)
    from exitlens.report.quotebank import quote_bank_csv, quote_bank_docx, quote_bank_html

    render = {"html": quote_bank_html, "csv": quote_bank_csv, "docx": quote_bank_docx}[fmt]
    claims = [(c.claim, c.answered_by) for c in found.codebook.propaganda_claims]
    write_atomically(out, render(bank, project=project, status=status, claims=claims))
    return _logged(store, found, actor, "quotes.write", out, [out], {
        "format": fmt, "status": status, "quotes": len(bank), "code": code,
        "reasons": int(bank["code"].nunique()) if len(bank) else 0})


def _logged(store: Store, found: Findings, actor: str, action: str, out: Path,
            files: list[Path], summary: dict[str, Any]) -> Written:
    """Add the hint (if nothing was counted for want of review) and log the write."""
    hint = _hint(store, found)
    if hint:
        summary["hint"] = hint
    with store.session() as tx:
        tx.log_event(actor, action, "report", out.name, after={**summary, "path": str(out)})
    return Written(out, files, summary)


def write_atomically(path: Path, data: bytes) -> None:
    """Write whole or not at all: a temporary file beside the target, then a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
