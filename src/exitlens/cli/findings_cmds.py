"""exitlens report | quotes | export."""

from __future__ import annotations

from pathlib import Path

import typer

from exitlens.cli.context import console, err_console, globals_of, print_json, say

STATUS_HELP = ("Which codings count: 'accepted' (reviewed by a person; the default) or "
               "'suggested' (also the machine's suggestions above their thresholds).")


def register(app: typer.Typer) -> None:
    app.command("report")(report)
    app.command("quotes")(quotes)
    app.command("export")(export)


def _status(value: str) -> str:
    from exitlens.aggregate.findings import statuses_of

    statuses_of(value)
    return value


STATUS = typer.Option("accepted", "--status", help=STATUS_HELP, callback=_status)
JSON = typer.Option(False, "--json", help="Print what was written as JSON.")


def report(
    ctx: typer.Context,
    fmt: str = typer.Option("html", "--format", "-f", help="html (interactive page), pdf or "
                            "md (Markdown with its charts as SVG files beside it)."),
    status: str = STATUS,
    out: Path | None = typer.Option(None, "--out", "-o", help="File to write (default: "
                                    "reports/report.FORMAT in the project)."),
    as_json: bool = JSON,
) -> None:
    """Write the ICSR-style report: the sample, reasons per case with 95% intervals,
    crosstabs by gender, region, country, group and exit year, co-occurrence, a timeline,
    method and limitations. In HTML every count opens the quotes behind it.

    Example: exitlens report --format pdf --status suggested
    """
    from exitlens.services.reports import write_report

    g = globals_of(ctx)
    project = g.open_project()
    target = out or project.root / "reports" / f"report.{fmt}"
    with project.store() as store:
        written = write_report(store, target, fmt=fmt, status=status, project=project.name,
                               actor=g.settings().actor(), progress=say)
    _done(written, as_json, "Report")


def quotes(
    ctx: typer.Context,
    code: str | None = typer.Option(None, "--code", "-c", help="Only this reason (a top-level "
                                    "code id, e.g. quality_of_life)."),
    fmt: str = typer.Option("html", "--format", "-f", help="html, csv or docx."),
    status: str = STATUS,
    per_code: int = typer.Option(5, "--per-code", min=1, help="Quotes per reason, at most one "
                                 "per case."),
    out: Path | None = typer.Option(None, "--out", "-o", help="File to write (default: "
                                    "reports/quotes.FORMAT in the project)."),
    as_json: bool = JSON,
) -> None:
    """Write the quote bank: the strongest quotes for each reason, with outlet, date, language
    and pseudonym, the propaganda claims each answers, cases that warn others marked and
    cases that still endorse the group's violence left out.

    Example: exitlens quotes --code quality_of_life --format docx
    """
    from exitlens.services.reports import write_quote_bank

    g = globals_of(ctx)
    project = g.open_project()
    target = out or project.root / "reports" / f"quotes.{fmt}"
    with project.store() as store:
        written = write_quote_bank(store, target, fmt=fmt, status=status, code=code,
                                   per_code=per_code, project=project.name,
                                   actor=g.settings().actor())
    _done(written, as_json, "Quote bank")


def export(
    ctx: typer.Context,
    fmt: str = typer.Option("csv", "--format", "-f", help="csv (three files), xlsx (one "
                            "workbook, a sheet per table) or parquet (three files)."),
    status: str = STATUS,
    out: Path | None = typer.Option(None, "--out", "-o", help="Folder to write into (default: "
                                    "exports/ in the project)."),
    as_json: bool = JSON,
) -> None:
    """Export cases, codings (spans, text and provenance) and the case x code matrix for R,
    Stata, SPSS or pandas. Column names are stable and documented in docs/exports.md; no
    restricted field is exported.

    Example: exitlens export --format xlsx --out ~/study-tables
    """
    from exitlens.services.exports import export_tables

    g = globals_of(ctx)
    project = g.open_project()
    with project.store() as store:
        written = export_tables(store, out or project.root / "exports", fmt=fmt,
                                status=status, actor=g.settings().actor())
    _done(written, as_json, "Export")


def _done(written: object, as_json: bool, what: str) -> None:
    from exitlens.services.reports import Written

    assert isinstance(written, Written)
    if as_json:
        print_json({"path": str(written.path), "files": [str(f) for f in written.files],
                    **written.summary})
        return
    summary = ", ".join(f"{k} {v}" for k, v in written.summary.items()
                        if k not in ("files", "rows", "hint") and v is not None)
    console().print(f"{what} written: {written.path} ({summary})")
    for path in written.files[1:] if written.path.is_file() else written.files:
        console().print(f"  {path}")
    if "hint" in written.summary:
        err_console().print(f"note: {written.summary['hint']}", markup=False)
