"""exitlens sources list | show."""

from __future__ import annotations

import dataclasses

import typer

from exitlens.cli.context import console, globals_of, print_json

app = typer.Typer(help="List and read the imported accounts.\n\nExample: exitlens sources list",
                  no_args_is_help=True)


@app.command("list")
def list_(
    ctx: typer.Context,
    language: str | None = typer.Option(None, help="Only this language (ISO 639-1, e.g. fr)."),
    medium: str | None = typer.Option(None, help="Only this medium, e.g. news or court."),
    limit: int = typer.Option(50, min=1, help="How many to show."),
    offset: int = typer.Option(0, min=0, help="How many to skip (for paging)."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON (without texts)."),
) -> None:
    """List sources with their id, language, date, outlet and title.

    Example: exitlens sources list --language fr --limit 20
    """
    from rich.table import Table

    from exitlens.services.sources import list_sources

    with globals_of(ctx).store() as store:
        sources, total = list_sources(store, language=language, medium=medium, limit=limit,
                                      offset=offset)
    if as_json:
        print_json({"total": total, "sources": [
            {k: v for k, v in dataclasses.asdict(s).items() if k != "text"} | {"chars": len(s.text)}
            for s in sources]})
        return
    table = Table(box=None, pad_edge=False)
    for name in ("id", "lang", "published", "medium", "outlet", "title / origin", "chars",
                 "dup of", "relevance"):
        table.add_column(name, no_wrap=True, overflow="ellipsis",
                         max_width=48 if name == "title / origin" else 24)
    for s in sources:
        table.add_row(str(s.id), s.language or "?", s.published or "", s.medium or "",
                      s.outlet or "", s.title or s.origin, str(len(s.text)),
                      str(s.near_duplicate_of or ""),
                      "" if s.relevance is None else f"{s.relevance:.2f}")
    out = console()
    out.print(table)
    out.print(f"{len(sources)} of {total} sources shown (offset {offset}).")


@app.command("show")
def show(
    ctx: typer.Context,
    source_id: int = typer.Argument(..., help="The source's id (see `exitlens sources list`)."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """Show one source: its provenance and metadata, then its text.

    Example: exitlens sources show 12
    """
    from exitlens.services.sources import get_source, source_codings

    with globals_of(ctx).store() as store:
        source = get_source(store, source_id)
        codings = source_codings(store, source_id)
    if as_json:
        print_json(dataclasses.asdict(source) | {"codings": [
            c | {"text": source.text[c["start"]:c["end"]]} for c in codings]})
        return
    out = console()
    for key in ("id", "title", "outlet", "author", "published", "medium", "url", "language",
                "origin", "locator", "format", "sha256", "imported_at", "near_duplicate_of",
                "relevance", "relevant", "analysis_note"):
        value = getattr(source, key)
        if value not in (None, ""):
            out.print(f"[bold]{key}[/bold]: {value}", soft_wrap=True)
    for key, value in source.extra.items():
        out.print(f"[bold]{key}[/bold]: {value}", soft_wrap=True)
    out.print()
    out.print(source.text, markup=False, highlight=False, soft_wrap=True)
    if codings:
        out.print(f"\n[bold]Codings[/bold] ({len(codings)})")
        for c in codings:
            confidence = "" if c["confidence"] is None else f" {c['confidence']:.2f}"
            excerpt = source.text[c["start"]:c["end"]].replace("\n", " ")
            out.print(f"  {c['start']}-{c['end']} {c['code']} [{c['status']}{confidence}, "
                      f"{c['coder']}] case {c['case'] or '-'}: {excerpt[:90]}",
                      markup=False, soft_wrap=True)
