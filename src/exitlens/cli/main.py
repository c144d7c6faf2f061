"""The `exitlens` command."""

from __future__ import annotations

import sys
from pathlib import Path

import typer

from exitlens import __version__
from exitlens.cli import (
    analysis_cmds,
    cases_cmds,
    codebook_cmds,
    findings_cmds,
    project_cmds,
    sources_cmds,
    team_cmds,
    users_cmds,
    web_cmds,
)
from exitlens.cli.context import Globals
from exitlens.errors import ExitLensError

app = typer.Typer(
    name="exitlens",
    help="ExitLens: code public accounts of people who left violent extremist groups.\n\n"
         "Example: exitlens init my-study && cd my-study && exitlens import ~/accounts",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"exitlens {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    project: Path | None = typer.Option(
        None, "--project", "-p", help="Project folder (default: found from the working folder "
        "upwards, or EXITLENS_PROJECT).", show_default=False),
    db: str | None = typer.Option(
        None, "--db", help="Database URL, e.g. postgresql://user@host:5432/name (default: the "
        "project's SQLite file, or EXITLENS_DB_URL).", show_default=False),
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    ctx.obj = Globals(project=project, db=db)


project_cmds.register(app)
analysis_cmds.register(app)
findings_cmds.register(app)
web_cmds.register(app)
team_cmds.register(app)
app.add_typer(sources_cmds.app, name="sources")
app.add_typer(codebook_cmds.app, name="codebook")
app.add_typer(cases_cmds.app, name="cases")
app.add_typer(users_cmds.app, name="users")


def run(argv: list[str] | None = None) -> None:
    """Entry point: run the app; an ExitLensError becomes one line on stderr and status 1."""
    try:
        app(args=argv, prog_name="exitlens")
    except ExitLensError as exc:
        sys.stderr.write(f"error: {exc}\n")
        sys.exit(1)
    except KeyboardInterrupt:
        sys.stderr.write("interrupted\n")
        sys.exit(130)
