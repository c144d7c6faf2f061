"""exitlens cases list."""

from __future__ import annotations

import typer

from exitlens.cli.context import console, globals_of, print_json

app = typer.Typer(help="The cases (persons, or collective cases) the project holds.\n\n"
                       "Example: exitlens cases list", no_args_is_help=True)


@app.command("list")
def list_(
    ctx: typer.Context,
    limit: int = typer.Option(100, min=1, help="How many to show."),
    offset: int = typer.Option(0, min=0, help="How many to skip (for paging)."),
    as_json: bool = typer.Option(False, "--json", help="Print as JSON."),
) -> None:
    """List cases by pseudonym with gender, country, group left, sources and the codes they
    cite (accepted or suggested). Names and exact places are restricted and never listed.

    Example: exitlens cases list --json
    """
    from rich.table import Table

    from exitlens.services.sources import list_cases

    with globals_of(ctx).store() as store:
        cases, total = list_cases(store, limit=limit, offset=offset)
    if as_json:
        print_json({"total": total, "cases": cases})
        return
    table = Table(box=None, pad_edge=False)
    for name in ("case", "kind", "gender", "country", "group left", "sources", "codes"):
        table.add_column(name, overflow="fold")
    for c in cases:
        codes = ", ".join(f"{code}{'' if status == 'accepted' else '?'}"
                          for code, status in sorted(c["codes"].items()))
        table.add_row(c["pseudonym"], "collective" if c["collective"] else "person",
                      c["gender"], c["country_of_origin"] or "", c["group_left"] or "",
                      ", ".join(map(str, c["sources"])), codes)
    out = console()
    out.print(table)
    out.print(f"{len(cases)} of {total} cases shown; '?' marks codes only suggested by the "
              "machine.")
