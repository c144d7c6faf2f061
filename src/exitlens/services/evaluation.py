"""`exitlens evaluate`: machine against gold labels, per code and per case attribute (gender,
country, exit year).

When the model was trained on the gold documents themselves (as with the bundled examples),
the documents are split into folds and each fold is analysed by a model trained on the other
folds only, so no document is scored by a model that saw it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from exitlens.aggregate.metrics import Scores, binary_scores, presence_alpha
from exitlens.cases import align_cases, case_scores
from exitlens.codebook import Codebook
from exitlens.errors import ExitLensError
from exitlens.ingest import FORMATS, ReadOptions, read_file
from exitlens.ingest.gold import load_gold
from exitlens.records import Analysis, GoldDocument, TrainingDocument
from exitlens.services.analyze import narratives_of
from exitlens.services.pipeline import Model, analyse_batch, prepare, text_key, train_model
from exitlens.storage import Store

ICSR = ("infighting", "brutality_sunni", "corruption", "quality_of_life")


def gold_documents(gold_path: Path, paths: Sequence[Path]) -> list[tuple[GoldDocument,
                                                                        TrainingDocument]]:
    """The gold entries with their texts, found by file name under the given paths."""
    files: dict[str, Path] = {}
    for path in paths:
        candidates = [path] if path.is_file() else sorted(p for p in path.rglob("*")
                                                          if p.suffix.lower() in FORMATS)
        for candidate in candidates:
            files.setdefault(candidate.name, candidate)
    out = []
    for entry in load_gold(gold_path):
        found = files.get(entry.source)
        if found is None:
            raise ExitLensError(f"{gold_path}: no file named '{entry.source}' under "
                                f"{', '.join(map(str, paths))}; pass the folder that holds "
                                "the gold file's sources")
        [document] = read_file(str(found), found, ReadOptions()).documents
        spans = tuple(s for case in entry.cases for s in (*case.codes, *case.context))
        prepared = prepare(entry.source, document.text, entry.language or document.language,
                           document.published)
        out.append((entry, TrainingDocument(prepared, spans, entry.relevant)))
    return out


def _folds(items: list[tuple[GoldDocument, TrainingDocument]], k: int, seed: int
           ) -> list[list[int]]:
    """Folds stratified by relevance."""
    rng = np.random.RandomState(seed)
    folds: list[list[int]] = [[] for _ in range(k)]
    for flag in (True, False):
        idx = [i for i, (g, _) in enumerate(items) if g.relevant == flag]
        for n, i in enumerate(rng.permutation(idx).tolist()):
            folds[n % k].append(i)
    return folds


def evaluate(codebook: Codebook, gold_path: Path, paths: Sequence[Path], *,
             coders: Sequence[str], model: Model | None = None, folds: int = 5, seed: int = 7,
             parse: bool = False,
             progress: Callable[[str], None] | None = None) -> dict[str, Any]:
    items = gold_documents(gold_path, paths)
    seen_in_training = model is not None and any(
        text_key(t.document.text) in model.trained_on for _, t in items)
    analyses: list[Analysis | None] = [None] * len(items)
    if model is None or seen_in_training:
        mode = f"{folds}-fold cross-validation"
        for n, fold in enumerate(_folds(items, folds, seed), start=1):
            if progress:
                progress(f"fold {n} of {folds}: training on {len(items) - len(fold)} documents")
            held = set(fold)
            fold_model = train_model(codebook, [t for i, (_, t) in enumerate(items)
                                                if i not in held], coders)
            for i, analysis in zip(fold, analyse_batch(fold_model, [items[i][1].document
                                                                     for i in fold],
                                                       parse=parse),
                                   strict=True):
                analyses[i] = analysis
    else:
        mode = "trained model"
        for i, analysis in enumerate(analyse_batch(model, [t.document for _, t in items],
                                                   parse=parse)):
            analyses[i] = analysis
    done = [a for a in analyses if a is not None]
    return {"gold": str(gold_path), "documents": len(items), "mode": mode,
            "coders": list(coders), **score(codebook, [g for g, _ in items], done)}


def record_evaluation(store: Store, result: dict[str, Any], actor: str) -> None:
    """Keep the evaluation in the project's audit log, where the report's method section
    finds the latest one (per-document figures for each reason code)."""
    def fmt(value: float | None) -> str:
        return "–" if value is None else f"{value:.2f}"

    codes = [{"code": code, **{k: fmt(figures["document"][k])
                               for k in ("precision", "recall", "f1", "alpha", "prevalence")}}
             for code, figures in result["codes"].items()]
    summary = {"gold": Path(result["gold"]).name, "documents": result["documents"],
               "mode": result["mode"], "cross_validated": "cross-validation" in result["mode"],
               "coders": result["coders"], "codes": codes,
               "relevance_f1": fmt(result["relevance"]["f1"]),
               "micro_f1": fmt(result["narratives_micro"]["document"]["f1"])}
    with store.session() as tx:
        tx.log_event(actor, "model.evaluate", "model", ",".join(result["coders"]),
                     after=summary)


def _rates(s: Scores) -> dict[str, Any]:
    return {"precision": s.precision, "recall": s.recall, "f1": s.f1,
            "prevalence": s.prevalence, "tp": s.tp, "fp": s.fp, "fn": s.fn}


def score(codebook: Codebook, gold: Sequence[GoldDocument], analyses: Sequence[Analysis]
          ) -> dict[str, Any]:
    reasons = list(codebook.reason_ids)
    relevance = binary_scores([g.relevant for g in gold], [a.relevant for a in analyses])
    doc_truth = {c: [] for c in reasons}  # type: dict[str, list[bool]]
    doc_pred = {c: [] for c in reasons}  # type: dict[str, list[bool]]
    case_truth = {c: [] for c in reasons}  # type: dict[str, list[bool]]
    case_pred = {c: [] for c in reasons}  # type: dict[str, list[bool]]
    detected = []
    for g, a in zip(gold, analyses, strict=True):
        gold_codes = [{codebook.top_level_of(s.code) for s in case.codes} for case in g.cases]
        found = {codebook.top_level_of(h.hit.code) for h in a.hits} if a.relevant else set()
        cases = list(a.cases) if a.relevant else []
        detected += [c.__class__(**{**_fields(c), "key": g.source}) for c in cases]
        case_codes = [set(narratives_of(c.case, a.hits, codebook)) for c in cases]
        pairs = align_cases(cases, list(g.cases))
        for code in reasons:
            doc_truth[code].append(any(code in s for s in gold_codes))
            doc_pred[code].append(code in found)
            for i, j in pairs:
                case_truth[code].append(j is not None and code in gold_codes[j])
                case_pred[code].append(i is not None and code in case_codes[i])
    per_code = {}
    for code in reasons:
        doc = binary_scores(doc_truth[code], doc_pred[code])
        case = binary_scores(case_truth[code], case_pred[code])
        per_code[code] = {"document": {**_rates(doc), "alpha": presence_alpha(
                              doc_truth[code], doc_pred[code])},
                          "case": {**_rates(case), "alpha": presence_alpha(
                              case_truth[code], case_pred[code])}}
    micro_doc = binary_scores(_flat(doc_truth), _flat(doc_pred))
    micro_case = binary_scores(_flat(case_truth), _flat(case_pred))
    found_cases = case_scores(detected, list(gold))
    return {"relevance": _rates(relevance) | {"accuracy": relevance.accuracy},
            "not_analysed": sum(not a.analysed for a in analyses),
            "codes": per_code,
            "narratives_micro": {"document": _rates(micro_doc), "case": _rates(micro_case)},
            "icsr_alpha": {c: {"document": per_code[c]["document"]["alpha"],
                               "case": per_code[c]["case"]["alpha"]} for c in ICSR},
            "cases": found_cases.as_dict()}


def _flat(values: dict[str, list[bool]]) -> list[bool]:
    return [v for items in values.values() for v in items]


def _fields(case: Any) -> dict[str, Any]:
    return {name: getattr(case, name) for name in case.__slots__}
