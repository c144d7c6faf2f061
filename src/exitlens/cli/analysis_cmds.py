"""exitlens analyze | evaluate | train."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import typer

from exitlens.cli.context import console, err_console, globals_of, print_json, say

CODERS_HELP = ("Coders, comma-separated: one is used alone, several form an ensemble "
               "(default: keyword.v1,embedding.v1,classifier.v1; keyword.v1 alone is fast and "
               "needs no model).")
DEFAULT_CODERS = "keyword.v1,embedding.v1,classifier.v1"
PARSE_HELP = ("Let case detection use spaCy's parser and named entities (about as slow as the "
              "embedding model itself; no better on the example corpus).")


def register(app: typer.Typer) -> None:
    app.command("analyze")(analyze)
    app.command("evaluate")(evaluate)
    app.command("train")(train)


def _coders(value: str) -> list[str]:
    from exitlens.coding import coder_class

    names = [n.strip() for n in value.split(",") if n.strip()]
    for name in names:
        coder_class(name)
    return names


def analyze(
    ctx: typer.Context,
    paths: list[str] = typer.Argument(..., help="Files and folders to import and analyse."),
    jsonl: Path | None = typer.Option(None, "--jsonl", help="Write one JSON line per source "
                                      "to this file ('-' for standard output)."),
    coders: str = typer.Option(DEFAULT_CODERS, "--coders", help=CODERS_HELP),
    names: bool = typer.Option(False, "--names", help="Put the names the sources use in the "
                               "JSON lines instead of pseudonyms (logged in the audit log)."),
    text_column: str | None = typer.Option(None, help="Text column of csv/jsonl tables."),
    encoding: str | None = typer.Option(None, help="Encoding of text files and tables."),
    parse: bool = typer.Option(False, "--parse", help=PARSE_HELP),
    workers: int = typer.Option(1, "--workers", help="Processes to analyse with: 1 (the "
                                "default) runs in this process, n > 1 starts a local Dask "
                                "cluster of n processes, 0 one per core. Pays off on many "
                                "cores and large corpora, not on two."),
    scheduler: str | None = typer.Option(None, "--scheduler", help="Address of a running Dask "
                                         "scheduler (e.g. tcp://10.0.0.5:8786) to analyse "
                                         "on that cluster; its workers need ExitLens "
                                         "installed."),
    as_json: bool = typer.Option(False, "--json", help="Print the summary as JSON."),
) -> None:
    """Import accounts, then screen, code and attribute them; results are stored as suggestions.

    Each source is scored for relevance (does it describe someone leaving an extremist group?);
    relevant ones get cases (people or groups, with gender and country) and reason codes with
    evidence spans and confidences. Cases are pseudonymous in the output unless --names.

    Example: exitlens analyze examples/corpus --jsonl results.jsonl
    """
    from exitlens.ingest import ReadOptions
    from exitlens.services.analyze import analyze_paths

    g = globals_of(ctx)
    settings = g.settings()
    project = g.open_project()
    options = ReadOptions(encoding=encoding, text_column=text_column,
                          max_bytes=int(settings.max_file_mb * 2**20))
    target: Any = nullcontext(sys.stdout) if str(jsonl) == "-" else (
        jsonl.open("w", encoding="utf-8") if jsonl else nullcontext(None))
    with project.store() as store, target as handle:
        report = analyze_paths(store, project.root, paths, actor=settings.actor(),
                               options=options, coders=_coders(coders), jsonl=handle,
                               reveal_names=names, parse=parse, workers=workers,
                               scheduler=scheduler, progress=say)
    summary = report.summary()
    if as_json:
        print_json(summary)
    else:
        _print_summary(summary, report)
    if jsonl and str(jsonl) != "-":
        console().print(f"Wrote {jsonl}")
    if report.imported.errors:
        raise typer.Exit(1)


def _print_summary(summary: dict[str, Any], report: Any) -> None:
    out = console()
    for problem in report.imported.problems:
        err_console().print(f"{problem.severity}: {problem}", soft_wrap=True, markup=False)
    for origin, note in report.not_analysed:
        out.print(f"not analysed: {origin}: {note}", soft_wrap=True, markup=False)
    out.print(f"Analysed {summary['analysed']} of {summary['sources']} sources with "
              f"{summary['model']['coder']}: {summary['relevant']} describe someone leaving; "
              f"{summary['cases']} cases ({summary['collective_cases']} collective), "
              f"{summary['suggested_codings']} suggested codings.")
    if summary["cases_citing"]:
        out.print("Cases citing each reason:")
        for code, n in summary["cases_citing"].items():
            out.print(f"  {code:<22} {n}")
    seconds = ", ".join(f"{stage} {value:.1f} s" for stage, value in summary["seconds"].items())
    out.print(f"Ran {summary['ran_on']}; time: {seconds}.", soft_wrap=True, markup=False)
    if summary["embedding_model"]:
        used = summary["embedding_model"]
        out.print(f"Of the analysis time, the embedding model took {used['load_seconds']:.1f} s "
                  f"to load and {used['encode_seconds']:.1f} s to encode {used['sentences']} "
                  "sentences.", soft_wrap=True, markup=False)


def evaluate(
    ctx: typer.Context,
    gold: Path = typer.Option(..., "--gold", help="Gold file (JSON Lines, see "
                              "examples/README.md)."),
    paths: list[Path] = typer.Argument(None, help="Files or folders holding the gold file's "
                                       "sources (default: the 'corpus' folder beside it)."),
    coders: str = typer.Option(DEFAULT_CODERS, "--coders", help=CODERS_HELP),
    folds: int = typer.Option(5, min=2, help="Folds when cross-validating."),
    parse: bool = typer.Option(False, "--parse", help=PARSE_HELP),
    as_json: bool = typer.Option(False, "--json", help="Print the figures as JSON."),
) -> None:
    """Measure the machine against gold labels: per-code precision, recall, F1, prevalence and
    Krippendorff's alpha (per document and per case), relevance, gender and country accuracy.

    When the project's model was trained on these documents, it cross-validates so that no
    document is scored by a model trained on it.

    Example: exitlens evaluate --gold examples/gold.jsonl examples/corpus
    """
    from exitlens.codebook import load_default_codebook
    from exitlens.errors import ProjectError
    from exitlens.services.evaluation import evaluate as run
    from exitlens.services.evaluation import record_evaluation
    from exitlens.services.models import load_model, model_path

    g = globals_of(ctx)
    names = _coders(coders)
    codebook, model = load_default_codebook(), None
    try:
        project = g.open_project()
    except ProjectError:
        project = None
    if project is not None:
        from exitlens.services.codebooks import active_codebook

        with project.store() as store:
            codebook = active_codebook(store)
        path = model_path(project.root, names)
        model = load_model(path) if path.is_file() else None
    sources = list(paths or [gold.parent / "corpus"])
    result = run(codebook, gold, sources, coders=names, model=model, folds=folds, parse=parse,
                 progress=say)
    if project is not None:
        with project.store() as store:
            record_evaluation(store, result, g.settings().actor())
    if as_json:
        print_json(result)
    else:
        _print_evaluation(result)


def _fmt(value: float | None) -> str:
    return "   -" if value is None else f"{value:5.2f}"


def _print_evaluation(result: dict[str, Any]) -> None:
    from rich.table import Table

    out = console()
    rel, cases = result["relevance"], result["cases"]
    out.print(f"{result['documents']} documents, {result['mode']}, coders "
              f"{', '.join(result['coders'])}")
    out.print(f"Relevance: precision {_fmt(rel['precision'])}, recall {_fmt(rel['recall'])}, "
              f"F1 {_fmt(rel['f1'])}")
    table = Table("code", "prev", "P", "R", "F1", "alpha", "case P", "case R", "case F1",
                  "case alpha", box=None, pad_edge=False)
    for code, s in result["codes"].items():
        d, c = s["document"], s["case"]
        table.add_row(code, _fmt(d["prevalence"]), _fmt(d["precision"]), _fmt(d["recall"]),
                      _fmt(d["f1"]), _fmt(d["alpha"]), _fmt(c["precision"]),
                      _fmt(c["recall"]), _fmt(c["f1"]), _fmt(c["alpha"]))
    out.print(table)
    micro = result["narratives_micro"]
    out.print(f"Narratives micro-F1: per document {_fmt(micro['document']['f1'])}, per case "
              f"{_fmt(micro['case']['f1'])}")
    out.print(f"Cases: precision {_fmt(cases['precision'])}, recall {_fmt(cases['recall'])}; "
              f"over {cases['individual_pairs']} matched individual cases: gender accuracy "
              f"{_fmt(cases['gender_accuracy'])}, country accuracy "
              f"{_fmt(cases['country_accuracy'])}")
    out.print(f"Exit year accuracy {_fmt(cases['exit_year_accuracy'])} over "
              f"{cases['exit_year_pairs']} matched cases whose gold gives one")


def train(
    ctx: typer.Context,
    gold: list[Path] = typer.Option([], "--gold", help="Gold file(s) to train on; their "
                                    "sources are looked up in --corpus."),
    corpus: list[Path] = typer.Option([], "--corpus", help="Folder of each --gold file's "
                                      "sources (default: 'corpus' beside the gold file)."),
    coders: str = typer.Option(DEFAULT_CODERS, "--coders", help=CODERS_HELP),
    examples: bool = typer.Option(True, help="Also train on the bundled example corpus."),
) -> None:
    """Retrain the coders and the relevance screener on the project's accepted codings, gold
    files and the bundled example corpus; the model is saved in the project.

    Example: exitlens train --gold my-gold.jsonl --corpus my-sources/
    """
    from exitlens.services.codebooks import active_codebook
    from exitlens.services.models import model_path, save_model
    from exitlens.services.models import train as run

    g = globals_of(ctx)
    project = g.open_project()
    names = _coders(coders)
    pairs = [(corpus[i] if i < len(corpus) else path.parent / "corpus", path)
             for i, path in enumerate(gold)]
    with project.store() as store:
        model = run(active_codebook(store), coders=names, gold=pairs, store=store,
                    use_examples=examples, progress=say)
        path = model_path(project.root, names)
        save_model(model, path)
        with store.session() as tx:
            tx.log_event(g.settings().actor(), "model.train", "model", path.name,
                         after=model.describe())
    console().print(f"Trained {model.name} on {len(model.trained_on)} documents; saved "
                    f"{path}")
