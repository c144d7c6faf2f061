"""exitlens users add | list | set-role | disable | enable."""

from __future__ import annotations

import sys

import typer

from exitlens.cli.context import console, globals_of, print_json

app = typer.Typer(help="Accounts for the web app (roles: admin, coder, viewer).\n\n"
                       "Example: exitlens users add ana --role coder", no_args_is_help=True)


@app.command("add")
def add(
    ctx: typer.Context,
    username: str = typer.Argument(..., help="Sign-in name (lower case, e.g. 'ana')."),
    role: str = typer.Option("coder", "--role", help="admin, coder or viewer."),
    display_name: str | None = typer.Option(None, "--name", help="Name shown in the app."),
    password_stdin: bool = typer.Option(False, "--password-stdin", help="Read the password "
                                        "from standard input instead of asking."),
) -> None:
    """Add an account; the password is asked twice (at least 10 characters) and stored as an
    argon2 hash.

    Example: exitlens users add ana --role coder --name "Ana R."
    """
    from exitlens.services.users import add_user

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    g = globals_of(ctx)
    with g.store() as store:
        user = add_user(store, username, password, role, actor=g.settings().actor(),
                        display_name=display_name)
    console().print(f"Added {user.username} ({user.role}).")


@app.command("list")
def list_(ctx: typer.Context,
          as_json: bool = typer.Option(False, "--json", help="Print as JSON.")) -> None:
    """List accounts with their roles and whether they are active.

    Example: exitlens users list
    """
    from exitlens.services.users import list_users

    with globals_of(ctx).store() as store:
        users = list_users(store)
    if as_json:
        print_json(users)
        return
    for u in users:
        state = "" if u["active"] else "  (disabled)"
        console().print(f"{u['username']:<20} {u['role']:<7} {u['display_name'] or ''}{state}")
    if not users:
        console().print("No accounts yet; add one with `exitlens users add NAME --role admin`.")


@app.command("set-role")
def set_role(ctx: typer.Context,
             username: str = typer.Argument(..., help="The account."),
             role: str = typer.Argument(..., help="admin, coder or viewer.")) -> None:
    """Change an account's role.

    Example: exitlens users set-role ana admin
    """
    from exitlens.services.users import set_role as run

    g = globals_of(ctx)
    with g.store() as store:
        run(store, username, role, actor=g.settings().actor())
    console().print(f"{username} is now {role}.")


@app.command("disable")
def disable(ctx: typer.Context,
            username: str = typer.Argument(..., help="The account.")) -> None:
    """Disable an account: it can no longer sign in and its open sessions end.

    Example: exitlens users disable ana
    """
    _set_active(ctx, username, False)


@app.command("enable")
def enable(ctx: typer.Context,
           username: str = typer.Argument(..., help="The account.")) -> None:
    """Enable a disabled account again.

    Example: exitlens users enable ana
    """
    _set_active(ctx, username, True)


def _set_active(ctx: typer.Context, username: str, active: bool) -> None:
    from exitlens.services.users import set_active

    g = globals_of(ctx)
    with g.store() as store:
        set_active(store, username, active, actor=g.settings().actor())
    console().print(f"{username} is {'enabled' if active else 'disabled'}.")
