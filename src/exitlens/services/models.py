"""Trained models: where they live, how they are trained, loaded and described.

A project keeps its models in ``<project>/models/`` (one per set of coders, e.g.
``keyword.v1+embedding.v1+classifier.v1.pkl``) with a JSON description beside each.
Without one, ExitLens trains on the bundled example corpus (and the project's accepted
codings) the first time it is needed, and saves the result.
"""

from __future__ import annotations

import json
import pickle
from collections.abc import Callable, Sequence
from pathlib import Path

import exitlens
from exitlens.codebook import Codebook
from exitlens.coding.ensemble import DEFAULT_MEMBERS
from exitlens.errors import ExitLensError, ProjectError
from exitlens.ingest import ReadOptions, read_file
from exitlens.ingest.gold import load_gold
from exitlens.records import LabelledSpan, TrainingDocument
from exitlens.services.pipeline import Model, prepare, train_model
from exitlens.storage import Store

MODEL_FORMAT = 4


def bundled_examples() -> tuple[Path, Path] | None:
    """The example corpus and gold file shipped with the source tree, if present."""
    root = Path(exitlens.__file__).resolve().parents[2] / "examples"
    corpus, gold = root / "corpus", root / "gold.jsonl"
    return (corpus, gold) if corpus.is_dir() and gold.is_file() else None


def gold_training(gold_path: Path, corpus: Path) -> list[TrainingDocument]:
    """Training documents from a gold file whose sources are files under ``corpus``."""
    out = []
    for entry in load_gold(gold_path):
        path = corpus / entry.source
        if not path.is_file():
            raise ExitLensError(f"{gold_path}: the source '{entry.source}' is not in {corpus}; "
                                "pass the folder that holds the gold file's sources")
        [document] = read_file(entry.source, path, ReadOptions()).documents
        spans = tuple(s for case in entry.cases for s in (*case.codes, *case.context))
        out.append(TrainingDocument(prepare(entry.source, document.text,
                                            entry.language or document.language),
                                    spans, entry.relevant))
    return out


def project_training(store: Store) -> list[TrainingDocument]:
    """Sources with accepted codings, as relevant training documents."""
    with store.session() as tx:
        codings = tx.accepted_codings()
        by_source: dict[int, list[LabelledSpan]] = {}
        for c in codings:
            by_source.setdefault(c["source_id"], []).append(
                LabelledSpan(c["start"], c["end"], c["code"]))
        sources = tx.sources_by_id(sorted(by_source))
    return [TrainingDocument(prepare(f"source:{s.id}", s.text, s.language),
                             tuple(by_source[s.id]), True) for s in sources]


def model_path(root: Path, coders: Sequence[str]) -> Path:
    """One saved model per set of coders, e.g. models/keyword.v1+embedding.v1.pkl."""
    return root / "models" / ("+".join(coders) + ".pkl")


def save_model(model: Model, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    with temporary.open("wb") as handle:
        pickle.dump({"format": MODEL_FORMAT, "model": model}, handle)
    temporary.replace(path)
    path.with_suffix(".json").write_text(json.dumps(model.describe(), indent=2) + "\n",
                                         encoding="utf-8")


def load_model(path: Path) -> Model:
    try:
        with path.open("rb") as handle:
            payload = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError) as exc:
        raise ProjectError(f"{path}: the saved model cannot be read ({exc}); retrain it with "
                           "`exitlens train`") from None
    if not isinstance(payload, dict) or payload.get("format") != MODEL_FORMAT:
        raise ProjectError(f"{path}: saved by another ExitLens version; retrain it with "
                           "`exitlens train`")
    model: Model = payload["model"]
    return model


def train(codebook: Codebook, *, coders: Sequence[str] = DEFAULT_MEMBERS,
          gold: Sequence[tuple[Path, Path]] = (), store: Store | None = None,
          use_examples: bool = True,
          progress: Callable[[str], None] | None = None) -> Model:
    """Train on gold files, the bundled examples and the project's accepted codings."""
    training: list[TrainingDocument] = []
    sources = list(gold)
    if use_examples and (examples := bundled_examples()) is not None:
        sources.append(examples)
    for corpus, gold_path in sources:
        if progress:
            progress(f"reading {gold_path}")
        training += gold_training(gold_path, corpus)
    if store is not None:
        training += project_training(store)
    if not training:
        raise ExitLensError("nothing to train on: give a gold file and its corpus (--gold FILE "
                            "--corpus DIR), or accept codings in the project first")
    if progress:
        progress(f"training {', '.join(coders)} on {len(training)} documents")
    return train_model(codebook, training, coders)


def project_model(root: Path, codebook: Codebook, coders: Sequence[str], store: Store,
                  progress: Callable[[str], None] | None = None) -> Model:
    """The project's saved model when it fits the request, else a newly trained one."""
    path = model_path(root, coders)
    if path.is_file():
        try:
            model = load_model(path)
        except ProjectError:
            if progress:
                progress(f"{path.name} was saved by another ExitLens version or cannot be "
                         "read: training a new one")
        else:
            if model.coders == tuple(coders) and model.codebook == codebook:
                return model
    model = train(codebook, coders=coders, store=store, progress=progress)
    save_model(model, path)
    return model
