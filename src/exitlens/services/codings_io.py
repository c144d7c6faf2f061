"""`exitlens codings import | export`: codings made in another tool or by hand, as CSV.

Columns: ``source`` (file name as imported, or id), ``start``, ``end``, ``code``, ``case``
(optional: a pseudonym of a stored case, or the coder's own name for a person, which becomes a
new pseudonymous case with that name in its restricted fields), ``salience`` and ``memo``
(optional). An import is all or nothing; errors name the line and the column.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

from exitlens.errors import NotFoundError, SourceError
from exitlens.services.codebooks import active_codebook
from exitlens.storage import Store, StoreSession

REQUIRED = ("source", "start", "end", "code")
EXPORT_COLUMNS = ("source", "source_id", "start", "end", "code", "case", "salience", "memo",
                  "coder", "coder_kind", "status", "confidence")


def import_codings(store: Store, path: Path, *, coder: str, actor: str) -> dict[str, int]:
    book = active_codebook(store)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(str(path), f"cannot be read as UTF-8 text ({exc})") from exc
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise SourceError(str(path), f"missing column(s) {', '.join(missing)}; the columns are "
                          "source, start, end, code, case, salience, memo", line=1)
    with store.session() as tx:
        table = tx.source_table()
        by_name: dict[str, int] = {}
        lengths: dict[int, int] = {}
        for row in table.rows:
            values = dict(zip(table.columns, row, strict=True))
            by_name.setdefault(Path(values["origin"]).name, values["id"])
            by_name.setdefault(str(values["id"]), values["id"])
        found = tx.active_codebook()
        assert found is not None
        cases: dict[tuple[int, str], int | None] = {}
        rows = []
        for number, line in enumerate(reader, start=2):
            rows.append(_row(tx, path, number, line, book, by_name, lengths, cases, coder,
                             found[0]))
        ids = tx.add_codings(rows)
        summary = {"codings": len(ids), "cases": len({v for v in cases.values() if v})}
        tx.log_event(actor, "codings.import", "coding", None,
                     after={"file": str(path), "coder": coder, **summary})
    return summary


def _row(tx: StoreSession, path: Path, number: int, line: dict[str, Any], book: Any,
         by_name: dict[str, int], lengths: dict[int, int],
         cases: dict[tuple[int, str], int | None], coder: str, version: int
         ) -> dict[str, Any]:
    def fail(column: str, reason: str) -> SourceError:
        return SourceError(str(path), f"column '{column}': {reason}", line=number)

    source = by_name.get(str(line.get("source") or "").strip())
    if source is None:
        raise fail("source", f"no imported source is named '{line.get('source')}'; import it "
                             "first or give its id")
    if source not in lengths:
        lengths[source] = len(tx.get_source(source).text)
    try:
        start, end = int(line["start"]), int(line["end"])
    except (TypeError, ValueError) as exc:
        raise fail("start/end", "whole numbers (character offsets from 0)") from exc
    if not 0 <= start < end <= lengths[source]:
        raise fail("start/end", f"{start}-{end} is not within the source (0-{lengths[source]})")
    code = str(line.get("code") or "").strip()
    if book.find(code) is None:
        raise fail("code", f"'{code}' is not a code of the active codebook")
    salience = str(line.get("salience") or "").strip()
    if salience and salience not in ("1", "2", "3"):
        raise fail("salience", "1, 2 or 3")
    name = str(line.get("case") or "").strip()
    if (source, name) not in cases:
        cases[(source, name)] = _case(tx, source, name, coder) if name else None
    return {"source_id": source, "start": start, "end": end, "code": code,
            "codebook_version_id": version, "case_id": cases[(source, name)],
            "coder": coder, "coder_kind": "human", "status": "accepted",
            "salience": int(salience) if salience else None,
            "memo": str(line.get("memo") or "").strip() or None}


def _case(tx: StoreSession, source: int, name: str, coder: str) -> int:
    try:
        case_id = tx.case_id_of(name)
    except NotFoundError:  # not a stored pseudonym: the coder's own name for a person
        [(case_id, _)] = tx.add_cases([{"created_by": f"coder:{coder}", "source_id": source,
                                        "identity": {"names": [name]}}])
        return case_id
    tx.link_case(case_id, source)
    return case_id


def export_codings(store: Store, *, coder: str | None = None) -> str:
    """Every coding (or one coder's) as CSV in the import's columns plus provenance."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(EXPORT_COLUMNS))
    writer.writeheader()
    with store.session() as tx:
        table = tx.source_table()
        names = {row[0]: Path(row[1]).name for row in table.rows}
        for source_id in sorted(names):
            for c in tx.codings_of_source(source_id):
                if coder and c["coder"] != coder:
                    continue
                writer.writerow({"source": names[source_id], "source_id": source_id,
                                 **{k: c.get(k) for k in EXPORT_COLUMNS
                                    if k not in ("source", "source_id")}})
    return out.getvalue()
