"""Import accounts: read files and tables, skip exact duplicates, flag near-duplicates, store.

Files are written in chunks, each chunk one transaction, and a file's documents always share a
chunk: a file is imported whole or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from exitlens.errors import SourceError
from exitlens.ingest import ReadOptions, iter_inputs, read_file
from exitlens.ingest.dedupe import (
    estimated_jaccard,
    lsh_buckets,
    minhash_signature,
    signature_bytes,
    signature_from_bytes,
)
from exitlens.ingest.language import detect_languages
from exitlens.records import Document, Problem
from exitlens.storage import Store, StoreSession

CHUNK_DOCUMENTS = 500


@dataclass
class ImportReport:
    files_seen: int = 0
    files_imported: int = 0
    added: list[int] = field(default_factory=list)
    duplicates: list[tuple[str, str]] = field(default_factory=list)
    near_duplicates: list[tuple[str, int, float]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sources: list[tuple[str, str | None, int]] = field(default_factory=list)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def counts(self) -> dict[str, int]:
        return {"files_seen": self.files_seen, "files_imported": self.files_imported,
                "sources_added": len(self.added), "duplicates": len(self.duplicates),
                "near_duplicates": len(self.near_duplicates), "errors": len(self.errors),
                "warnings": sum(p.severity == "warning" for p in self.problems),
                "skipped": sum(p.severity == "skipped" for p in self.problems)}


@dataclass
class _Prepared:
    doc: Document
    sha256: str
    language: str | None = None
    confidence: float | None = None
    signature: Any = None
    buckets: list[tuple[int, int]] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.doc.origin} ({self.doc.locator})" if self.doc.locator else self.doc.origin


def import_paths(store: Store, paths: Sequence[str], *, actor: str, options: ReadOptions,
                 near_threshold: float = 0.8,
                 progress: Callable[[str], None] | None = None,
                 on_total: Callable[[int], None] | None = None) -> ImportReport:
    report = ImportReport()
    inputs = list(iter_inputs(paths))
    if on_total:
        on_total(sum(not isinstance(i, Problem) for i in inputs))
    with store.session() as tx:
        batch_id = tx.start_import(actor, {"paths": list(paths), "near_threshold": near_threshold,
                                           "encoding": options.encoding,
                                           "text_column": options.text_column,
                                           "columns": dict(options.columns)})
    pending: list[_Prepared] = []
    pending_files = 0
    for item in inputs:
        if isinstance(item, Problem):
            report.problems.append(item)
            continue
        origin, path = item
        report.files_seen += 1
        if progress:
            progress(origin)
        try:
            result = read_file(origin, path, options)
        except SourceError as exc:
            report.problems.append(Problem(exc.origin, exc.reason, "error", exc.line))
            continue
        report.problems.extend(result.problems)
        pending.extend(_Prepared(doc, doc.sha256) for doc in result.documents)
        pending_files += 1
        if len(pending) >= CHUNK_DOCUMENTS:
            _write_chunk(store, pending, batch_id, actor, near_threshold, report)
            report.files_imported += pending_files
            pending, pending_files = [], 0
    _write_chunk(store, pending, batch_id, actor, near_threshold, report)
    report.files_imported += pending_files
    with store.session() as tx:
        tx.finish_import(batch_id, report.counts())
        tx.log_event(actor, "import.finish", "import_batch", batch_id, after=report.counts())
    return report


def _analyse(fresh: list[_Prepared]) -> None:
    """Language and MinHash for the documents that will be written (duplicates skip this)."""
    undeclared = [item for item in fresh if not item.doc.language]
    for item, (language, confidence) in zip(
            undeclared, detect_languages([i.doc.text for i in undeclared]), strict=True):
        item.language, item.confidence = language, confidence
    for item in fresh:
        if item.doc.language:
            item.language = item.doc.language
        item.signature = minhash_signature(item.doc.text)
        item.buckets = lsh_buckets(item.signature)


def _write_chunk(store: Store, pending: list[_Prepared], batch_id: int, actor: str,
                 near_threshold: float, report: ImportReport) -> None:
    if not pending:
        return
    with store.session() as tx:
        existing = tx.source_ids_by_hash([p.sha256 for p in pending])
        fresh: list[_Prepared] = []
        first_seen: dict[str, _Prepared] = {}
        for item in pending:
            if item.sha256 in existing:
                report.duplicates.append((item.name, f"source {existing[item.sha256]}"))
            elif item.sha256 in first_seen:
                report.duplicates.append((item.name, first_seen[item.sha256].name))
            else:
                first_seen[item.sha256] = item
                fresh.append(item)
        _analyse(fresh)
        index = _stored_index(tx, fresh)
        ids = tx.add_sources([_row(item, batch_id) for item in fresh])
        links = []
        for item, source_id in zip(fresh, ids, strict=True):
            match = _nearest(item, index)
            for bucket in item.buckets:
                index.setdefault(bucket, []).append((source_id, item.signature))
            if match is not None and match[1] >= near_threshold:
                links.append((source_id, match[0], round(match[1], 3)))
                report.near_duplicates.append((item.name, match[0], round(match[1], 3)))
        tx.mark_near_duplicates(links)
        tx.log_events([{"actor": actor, "action": "source.add", "entity": "source",
                        "entity_id": str(sid), "before": None,
                        "after": {"origin": item.doc.origin, "locator": item.doc.locator,
                                  "sha256": item.sha256, "title": item.doc.title,
                                  "near_duplicate_of": next((of for s, of, _ in links
                                                             if s == sid), None)}}
                       for item, sid in zip(fresh, ids, strict=True)])
    report.added.extend(ids)
    new_ids = {item.sha256: sid for item, sid in zip(fresh, ids, strict=True)}
    report.sources.extend((item.doc.origin, item.doc.locator,
                           existing.get(item.sha256) or new_ids[item.sha256])
                          for item in pending)


Index = dict[tuple[int, int], list[tuple[int, Any]]]


def _stored_index(tx: StoreSession, fresh: list[_Prepared]) -> Index:
    """Stored sources sharing an LSH bucket with any fresh document, by bucket."""
    index: Index = {}
    for key, source_id, signature in tx.sources_in_buckets(
            sorted({b for item in fresh for b in item.buckets})):
        index.setdefault(key, []).append((source_id, signature_from_bytes(signature)))
    return index


def _nearest(item: _Prepared, index: Index) -> tuple[int, float] | None:
    """The most similar source that shares an LSH bucket with this one, and its similarity."""
    candidates = {sid: sig for bucket in item.buckets for sid, sig in index.get(bucket, ())}
    scores = [(sid, estimated_jaccard(item.signature, sig)) for sid, sig in candidates.items()]
    return max(scores, key=lambda pair: pair[1], default=None)


def _row(item: _Prepared, batch_id: int) -> dict[str, Any]:
    doc = item.doc
    return {"sha256": item.sha256, "text": doc.text, "title": doc.title, "url": doc.url,
            "outlet": doc.outlet, "author": doc.author, "published": doc.published,
            "language": item.language, "language_confidence": item.confidence,
            "medium": doc.medium, "origin": doc.origin, "locator": doc.locator,
            "format": doc.format, "chars": len(doc.text), "import_batch_id": batch_id,
            "minhash": signature_bytes(item.signature), "extra": doc.extra,
            "buckets": item.buckets}
