"""exitlens init | import | status."""

from __future__ import annotations

from pathlib import Path

import typer

from exitlens.cli.context import console, err_console, globals_of, print_json


def register(app: typer.Typer) -> None:
    app.command("init")(init)
    app.command("import")(import_)
    app.command("status")(status)


def init(
    ctx: typer.Context,
    folder: Path = typer.Argument(Path("."), help="Folder for the new project."),
    name: str | None = typer.Option(None, help="Project name (default: the folder's name)."),
    codebook: Path | None = typer.Option(None, help="Codebook YAML to start with (default: "
                                         "the ExitLens default codebook)."),
) -> None:
    """Create a project: a folder with exitlens.toml and an embedded SQLite store.

    Example: exitlens init my-study --name "IS defectors 2014-2016"
    """
    from exitlens.services.project import init_project

    g = globals_of(ctx)
    project = init_project(g.settings(), folder, name=name, db_url=g.db, codebook_path=codebook)
    console().print(f"Created project '{project.name}' in {project.root}")


def import_(
    ctx: typer.Context,
    paths: list[str] = typer.Argument(..., help="Files and folders (txt, md, html, pdf, docx, "
                                      "csv, tsv, jsonl)."),
    text_column: str | None = typer.Option(None, help="Column of a csv/jsonl table holding the "
                                           "text (default: text, body or content)."),
    column: list[str] = typer.Option([], "--column", help="Map a source field to a table "
                                     "column, e.g. --column outlet=newspaper (repeatable)."),
    encoding: str | None = typer.Option(None, help="Encoding of text files and tables "
                                        "(default: UTF-8, or as their byte-order mark says)."),
    max_file_mb: float | None = typer.Option(None, help="Refuse files larger than this "
                                             "(default: 25, or EXITLENS_MAX_FILE_MB)."),
    near_threshold: float = typer.Option(0.8, min=0.1, max=1.0, help="Estimated word-shingle "
                                         "similarity above which a source is a near-duplicate."),
    as_json: bool = typer.Option(False, "--json", help="Print the report as JSON."),
) -> None:
    """Import accounts from files, folders and tables, with provenance and duplicate checks.

    Exact duplicates are skipped, near-duplicates imported and flagged. A file with a problem
    is reported on one line and left out whole; the rest of the batch imports, and the command
    exits with status 1 so that scripts notice.

    Example: exitlens import examples/corpus articles.csv --column outlet=newspaper
    """
    from dataclasses import asdict

    from exitlens.ingest import ReadOptions
    from exitlens.services.imports import import_paths

    g = globals_of(ctx)
    settings = g.settings()
    options = ReadOptions(encoding=encoding, text_column=text_column,
                          columns=_parse_columns(column),
                          max_bytes=int((max_file_mb or settings.max_file_mb) * 2**20))
    with g.store() as store, _progress(enabled=not as_json) as (advance, set_total):
        report = import_paths(store, paths, actor=settings.actor(), options=options,
                              near_threshold=near_threshold, progress=advance,
                              on_total=set_total)
    if as_json:
        print_json({"counts": report.counts(), "added": report.added,
                    "duplicates": report.duplicates, "near_duplicates": report.near_duplicates,
                    "problems": [asdict(p) | {"message": str(p)} for p in report.problems]})
    else:
        _print_import(report)
    if report.errors:
        raise typer.Exit(1)


def _parse_columns(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        field, sep, col = item.partition("=")
        if not sep or not field or not col:
            raise typer.BadParameter(f"'{item}' should look like FIELD=COLUMN, "
                                     "e.g. outlet=newspaper", param_hint="--column")
        out[field.strip()] = col.strip()
    return out


class _progress:
    """A progress bar on the terminal (stderr) for long imports; silent elsewhere."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and err_console().is_terminal

    def __enter__(self):
        if not self.enabled:
            return (lambda _origin: None), (lambda _total: None)
        from rich.progress import Progress

        self.bar = Progress(console=err_console(), transient=True)
        self.bar.start()
        self.task = self.bar.add_task("importing", total=None)
        return ((lambda origin: self.bar.advance(self.task)),
                (lambda total: self.bar.update(self.task, total=total)))

    def __exit__(self, *exc: object) -> None:
        if self.enabled:
            self.bar.stop()


def _print_import(report) -> None:
    out, err = console(), err_console()
    for problem in report.problems:
        label = {"error": "[red]error[/red]", "warning": "[yellow]warning[/yellow]",
                 "skipped": "[dim]skipped[/dim]"}[problem.severity]
        err.print(f"{label} {problem}", markup=True, soft_wrap=True)
    for name, of in report.duplicates:
        out.print(f"duplicate: {name} is the same text as {of}; skipped", soft_wrap=True)
    for name, of, score in report.near_duplicates:
        out.print(f"near-duplicate: {name} resembles source {of} (similarity {score:.2f}); "
                  "imported and flagged", soft_wrap=True)
    c = report.counts()
    out.print(f"Imported {c['sources_added']} sources from {c['files_imported']} of "
              f"{c['files_seen']} files: {c['duplicates']} duplicates skipped, "
              f"{c['near_duplicates']} near-duplicates flagged, {c['errors']} files with errors.")


def status(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Show what the project holds: sources by language, medium and format, codebook, events.

    Example: exitlens status --json
    """
    from exitlens.services.status import project_status

    g = globals_of(ctx)
    project = g.open_project()
    with project.store() as store:
        info = project_status(store)
    info = {"project": project.name, "root": str(project.root), **info}
    if as_json:
        print_json(info)
        return
    out = console()
    c = info["counts"]
    book = info["codebook"]
    out.print(f"Project [bold]{info['project']}[/bold] ({info['root']})")
    out.print(f"Database: {info['database']}")
    out.print(f"Sources: {c['sources']} ({c['near_duplicates']} near-duplicates), from "
              f"{info['outlets']} outlets, published {info['published']['first'] or '?'} to "
              f"{info['published']['last'] or '?'}")
    for key, label in (("languages", "language"), ("media", "medium"), ("formats", "format")):
        parts = ", ".join(f"{k} {v}" for k, v in info[key].items()) or "none"
        out.print(f"  by {label}: {parts}")
    screened = info["screening"]
    out.print(f"Screened: {screened.get('True', 0)} describe someone leaving, "
              f"{screened.get('False', 0)} do not, {screened.get('unknown', 0)} not analysed")
    out.print(f"Cases: {c['cases']}   Codings: {c['codings']}   Memos: {c['memos']}   "
              f"Users: {c['users']}")
    if book:
        out.print(f"Codebook: {book['name']} ({book['key']} {book['version']})")
    out.print(f"Imports: {c['imports']}   Events in the audit log: {c['events']}")
