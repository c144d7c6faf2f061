"""exitlens codebook show | validate | export | load | versions."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from exitlens.cli.context import console, globals_of, print_json

app = typer.Typer(help="Inspect, check and change the codebook.\n\n"
                       "Example: exitlens codebook show", no_args_is_help=True)

FILE_HELP = "A codebook YAML file (default: the project's active codebook)."


def _book(ctx: typer.Context, file: Path | None):
    if file is not None:
        from exitlens.codebook import load_codebook_file

        return load_codebook_file(file)[0]
    from exitlens.services.codebooks import active_codebook

    with globals_of(ctx).store() as store:
        return active_codebook(store)


@app.command("show")
def show(
    ctx: typer.Context,
    file: Path | None = typer.Option(None, "--file", help=FILE_HELP),
    code: str | None = typer.Option(None, help="Show one code in full: definition, rules, "
                                    "examples."),
) -> None:
    """Show the codes as a tree, or one code in full.

    Example: exitlens codebook show --code corruption
    """
    from rich.table import Table

    book = _book(ctx, file)
    out = console()
    if code is not None:
        spec = book.find(code)
        if spec is None:
            from exitlens.errors import NotFoundError

            raise NotFoundError(f"there is no code '{code}' in {book.id} {book.version}; see "
                                "`exitlens codebook show`")
        out.print(f"[bold]{spec.id}[/bold]: {spec.name}")
        out.print(spec.definition, markup=False)
        for title, items in (("Include", spec.include), ("Exclude", spec.exclude),
                             ("Examples", spec.examples)):
            if items:
                out.print(f"\n[bold]{title}[/bold]")
                for item in items:
                    out.print(f"  - {item}", markup=False)
        for child in spec.children:
            out.print(f"\n  [bold]{child.id}[/bold]: {child.name}")
        return
    out.print(f"[bold]{book.name}[/bold] ({book.id} {book.version})")
    table = Table("code", "name", "kind", "group", box=None, pad_edge=False)
    for flat in book.flat_codes():
        table.add_row("  " * flat.depth + flat.id, flat.name, flat.kind, flat.group or "")
    out.print(table)


@app.command("validate")
def validate(
    file: Path = typer.Argument(..., help="The codebook YAML file to check."),
) -> None:
    """Check a codebook file; errors name the line and the field.

    Example: exitlens codebook validate my-codebook.yaml
    """
    from exitlens.codebook import load_codebook_file

    book, _ = load_codebook_file(file)
    flat = book.flat_codes()
    console().print(f"{file}: valid: {book.id} {book.version}, {len(book.codes)} reason codes, "
                    f"{len(book.context_codes)} context codes, {len(flat)} codes in all.")


@app.command("export")
def export(
    ctx: typer.Context,
    fmt: str = typer.Option("yaml", "--format", help="yaml or json."),
    output: Path | None = typer.Option(None, "--output", "-o", help="File to write (default: "
                                       "standard output)."),
    file: Path | None = typer.Option(None, "--file", help=FILE_HELP),
) -> None:
    """Write the codebook as YAML or JSON, e.g. to start your own.

    Example: exitlens codebook export --format yaml -o my-codebook.yaml
    """
    from exitlens.codebook import dump_codebook

    text = dump_codebook(_book(ctx, file), fmt)
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        console().print(f"Wrote {output}")


@app.command("load")
def load(
    ctx: typer.Context,
    file: Path = typer.Argument(..., help="The codebook YAML file."),
) -> None:
    """Make a codebook file the project's active codebook (stored as a new version).

    Example: exitlens codebook load my-codebook.yaml
    """
    from exitlens.services.codebooks import load_codebook

    g = globals_of(ctx)
    with g.store() as store:
        book, version_id = load_codebook(store, file, g.settings().actor())
    console().print(f"Active codebook: {book.id} {book.version} (stored version {version_id}).")


@app.command("versions")
def versions(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """List the codebook versions stored in the project.

    Example: exitlens codebook versions
    """
    from exitlens.services.codebooks import codebook_versions

    with globals_of(ctx).store() as store:
        rows = codebook_versions(store)
    if as_json:
        print_json(rows)
        return
    for row in rows:
        mark = "*" if row["active"] else " "
        console().print(f"{mark} {row['id']}: {row['key']} {row['version']} ({row['name']}), "
                        f"added {row['created_at'][:19]} by {row['created_by']}")
