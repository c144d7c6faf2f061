"""`exitlens analyze`: import, screen, code and attribute, store suggestions, report.

Sources are analysed in batches read from the store, and each batch's results are written in
one transaction, so memory stays flat however many documents there are and an interruption
leaves whole batches.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import IO, Any

from exitlens.codebook import Codebook
from exitlens.coding.embedder import model_time
from exitlens.executors import InProcess, make_executor
from exitlens.ingest import ReadOptions
from exitlens.records import Analysis, AttributedHit, DetectedCase
from exitlens.services.codebooks import active_codebook
from exitlens.services.imports import ImportReport, import_paths
from exitlens.services.models import project_model
from exitlens.services.pipeline import Model, analyse_texts
from exitlens.storage import Store, StoreSession

BATCH = 64


@dataclass
class AnalyzeReport:
    imported: ImportReport
    model: dict[str, object] = field(default_factory=dict)
    analysed: int = 0
    relevant: int = 0
    not_analysed: list[tuple[str, str]] = field(default_factory=list)
    cases: int = 0
    collective: int = 0
    narratives: Counter[str] = field(default_factory=Counter)
    codings: int = 0
    executor: str = ""
    seconds: dict[str, float] = field(default_factory=dict)
    embedding_model: dict[str, float] = field(default_factory=dict)

    def clock(self, stage: str, since: float) -> float:
        """Add the time since ``since`` to ``stage``; returns now."""
        now = time.perf_counter()
        self.seconds[stage] = self.seconds.get(stage, 0.0) + now - since
        return now

    def summary(self) -> dict[str, Any]:
        return {"sources": len(self.imported.sources), "analysed": self.analysed,
                "relevant": self.relevant, "not_analysed": len(self.not_analysed),
                "cases": self.cases, "collective_cases": self.collective,
                "suggested_codings": self.codings,
                "cases_citing": dict(self.narratives.most_common()), "model": self.model,
                "ran_on": self.executor,
                "seconds": {k: round(v, 2) for k, v in self.seconds.items()},
                "embedding_model": self.embedding_model}


def analyze_paths(store: Store, root: Path, paths: Sequence[str], *, actor: str,
                  options: ReadOptions, coders: Sequence[str], jsonl: IO[str] | None = None,
                  reveal_names: bool = False, batch: int = BATCH, parse: bool = False,
                  workers: int | None = 1, scheduler: str | None = None,
                  progress: Callable[[str], None] | None = None) -> AnalyzeReport:
    """Import ``paths``, then analyse every source they hold in batches (on ``workers``
    processes, or the Dask cluster at ``scheduler``; see ``executors.make_executor``)."""
    started = time.perf_counter()
    imported = import_paths(store, paths, actor=actor, options=options)
    report = AnalyzeReport(imported)
    started = report.clock("import", started)
    codebook = active_codebook(store)
    model = project_model(root, codebook, coders, store, progress)
    report.model = model.describe()
    started = report.clock("model", started)
    with store.session() as tx:
        found = tx.active_codebook()
        version_id = found[0] if found else None
        trust = {code: state["state"] for code, state in tx.code_states().items()}
        if reveal_names:
            tx.log_event(actor, "export.names", "analysis", None,
                         after={"paths": list(paths), "reason": "analyze --names"})
    auto = {code for code, state in trust.items() if state == "auto"}

    def status_of(code: str) -> str:
        return "accepted" if codebook.top_level_of(code) in auto else "suggested"

    seen: set[int] = set()
    ordered = [(o, loc, sid) for o, loc, sid in imported.sources
               if not (sid in seen or seen.add(sid))]  # type: ignore[func-returns-value]
    chunks = list(_chunks(ordered, batch))
    executor = make_executor(workers, scheduler)
    report.executor = executor.description
    if not isinstance(executor, InProcess):
        started = report.clock("workers", started)

    def batches() -> Iterator[list[tuple[str, str, str | None, str | None]]]:
        for chunk in chunks:
            with store.session() as tx:
                sources = tx.sources_by_id([sid for _, _, sid in chunk])
            yield [(f"source:{s.id}", s.text, s.language, s.published) for s in sources]

    before = model_time()
    results = executor.map_ordered(partial(analyse_texts, parse=parse), model, batches())
    try:
        for chunk, analyses in zip(chunks, results, strict=True):
            started = report.clock("analysis", started)
            with store.session() as tx:
                pseudonyms = _store_analyses(tx, [sid for _, _, sid in chunk],
                                             _trusted(analyses, trust, codebook), model,
                                             version_id, actor, status_of)
            for (origin, locator, sid), analysis in zip(chunk, analyses, strict=True):
                _count(report, origin, analysis, codebook)
                if jsonl is not None:
                    jsonl.write(json.dumps(_jsonl_line(origin, locator, sid, analysis, codebook,
                                                       pseudonyms[sid], reveal_names),
                                           ensure_ascii=False) + "\n")
            started = report.clock("storage", started)
            if progress:
                progress(f"analysed {report.analysed} of {len(ordered)} sources")
    finally:
        executor.close()
    after = model_time()
    if after.sentences > before.sentences:  # the model ran in this process
        report.embedding_model = {"load_seconds": round(after.load - before.load, 2),
                                  "encode_seconds": round(after.encode - before.encode, 2),
                                  "sentences": after.sentences - before.sentences}
    return report


def _trusted(analyses: list[Analysis], trust: dict[str, str], codebook: Codebook
             ) -> list[Analysis]:
    """Follow the codes' states (``exitlens agreement --machine --apply``): hits of codes
    that are 'off' are dropped (those of 'auto' codes are stored as accepted)."""
    if "off" not in trust.values():
        return analyses
    return [replace(a, hits=tuple(
        item for item in a.hits
        if trust.get(codebook.top_level_of(item.hit.code) or "") != "off")) for a in analyses]


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _count(report: AnalyzeReport, origin: str, analysis: Analysis, codebook: Codebook) -> None:
    if not analysis.analysed:
        report.not_analysed.append((origin, analysis.note or ""))
        return
    report.analysed += 1
    if not analysis.relevant:
        return
    report.relevant += 1
    report.cases += len(analysis.cases)
    report.collective += sum(c.collective for c in analysis.cases)
    report.codings += len(analysis.hits)
    for case in analysis.cases:
        report.narratives.update(set(narratives_of(case.case, analysis.hits, codebook)))


def narratives_of(case: str, hits: Sequence[AttributedHit], codebook: Codebook
                  ) -> dict[str, list[AttributedHit]]:
    """The reason codes (top level, context codes left out) a case's hits carry."""
    reasons = set(codebook.reason_ids)
    out: dict[str, list[AttributedHit]] = {}
    for item in hits:
        top = codebook.top_level_of(item.hit.code)
        if item.case == case and top in reasons:
            out.setdefault(top, []).append(item)
    return out


def _store_analyses(tx: StoreSession, source_ids: list[int], analyses: list[Analysis],
                    model: Model, version_id: int | None, actor: str,
                    status_of: Callable[[str], str]) -> dict[int, dict[str, str]]:
    """Replace earlier machine results for these sources with the new ones, in bulk; returns
    each source's case pseudonyms by case key."""
    removed = tx.clear_machine_results(source_ids)
    tx.set_relevance([{"id": sid, "relevance": a.relevance,
                       "relevant": a.relevant if a.analysed else None,
                       "analysis_model": model.name, "analysis_note": a.note}
                      for sid, a in zip(source_ids, analyses, strict=True)])
    machine = f"machine:{model.name}"
    wanted = [(sid, case) for sid, a in zip(source_ids, analyses, strict=True)
              for case in a.cases]
    made = tx.add_cases([{"collective": case.collective, "gender": case.gender or "unknown",
                          "country_of_origin": case.country, "group_left": case.group_left,
                          "exit_date": str(case.exit_year) if case.exit_year else None,
                          "exit_date_precision": "year" if case.exit_year else None,
                          "label": case.label if case.collective else None,
                          "created_by": machine, "source_id": sid,
                          "identity": None if case.collective else {"names": [case.label]}}
                         for sid, case in wanted])
    case_ids: dict[tuple[int, str], int] = {}
    pseudonyms: dict[int, dict[str, str]] = {sid: {} for sid in source_ids}
    for (sid, case), (case_id, pseudonym) in zip(wanted, made, strict=True):
        case_ids[(sid, case.case)] = case_id
        pseudonyms[sid][case.case] = pseudonym
    rows = [{"source_id": sid, "start": item.hit.start, "end": item.hit.end,
             "code": item.hit.code, "codebook_version_id": version_id,
             "case_id": case_ids.get((sid, item.case)) if item.case else None,
             "coder": item.hit.coder, "coder_kind": "machine",
             "confidence": item.hit.confidence,
             "status": status_of(item.hit.code),
             "memo": item.hit.rationale}
            for sid, a in zip(source_ids, analyses, strict=True) for item in a.hits]
    if version_id is not None:
        tx.add_codings(rows)
    coded = {sid: len(a.hits) for sid, a in zip(source_ids, analyses, strict=True)}
    tx.log_events([{"actor": actor, "action": "source.analyse", "entity": "source",
                    "entity_id": str(sid),
                    "before": removed[sid] if any(removed[sid].values()) else None,
                    "after": {"model": model.name, "relevance": a.relevance,
                              "relevant": a.relevant, "cases": len(a.cases),
                              "codings": coded[sid], "note": a.note}}
                   for sid, a in zip(source_ids, analyses, strict=True)])
    return pseudonyms


def _jsonl_line(origin: str, locator: str | None, source_id: int, analysis: Analysis,
                codebook: Codebook, pseudonyms: dict[str, str],
                reveal_names: bool) -> dict[str, Any]:
    line: dict[str, Any] = {"source": origin}
    if locator:
        line["locator"] = locator
    line.update({"source_id": source_id, "language": analysis.language,
                 "relevant": analysis.relevant, "relevance": analysis.relevance,
                 "analysed": analysis.analysed})
    if analysis.note:
        line["note"] = analysis.note
    line["cases"] = [_case_json(case, analysis.hits, codebook, pseudonyms, reveal_names)
                     for case in (analysis.cases if analysis.relevant else ())]
    return line


def _case_json(case: DetectedCase, hits: Sequence[AttributedHit], codebook: Codebook,
               pseudonyms: dict[str, str], reveal_names: bool) -> dict[str, Any]:
    label = case.label if (reveal_names or case.collective) else pseudonyms.get(case.case,
                                                                                  case.case)
    narratives = []
    for code, items in sorted(narratives_of(case.case, hits, codebook).items()):
        narratives.append({
            "code": code,
            "confidence": round(max(i.hit.confidence for i in items), 4),
            "evidence": [{"start": i.hit.start, "end": i.hit.end, "text": i.hit.evidence}
                         for i in sorted(items, key=lambda i: i.hit.start)]})
    context = sorted({codebook.top_level_of(i.hit.code) or i.hit.code for i in hits
                      if i.case == case.case and
                      codebook.top_level_of(i.hit.code) in codebook.context_ids})
    return {"label": label, "pseudonym": pseudonyms.get(case.case), "collective": case.collective,
            "gender": case.gender, "country": case.country, "group_left": case.group_left,
            "exit_year": case.exit_year, "narratives": narratives, "context": context}
