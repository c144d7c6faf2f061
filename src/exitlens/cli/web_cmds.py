"""exitlens serve."""

from __future__ import annotations

import typer

from exitlens.cli.context import err_console, globals_of


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    ctx: typer.Context,
    host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on (0.0.0.0 for "
                             "every interface; put it behind an HTTPS proxy then)."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to listen on."),
    secure_cookies: str = typer.Option("auto", "--secure-cookies", help="auto (Secure when "
                                       "the request came over HTTPS, as the proxy's "
                                       "X-Forwarded-Proto says), always or never."),
) -> None:
    """Run the web app: sign in, browse and read sources with their coded spans.

    Example: exitlens serve --port 8080
    """
    import uvicorn

    from exitlens.errors import UsageError
    from exitlens.services.users import list_users
    from exitlens.web.app import create_app

    modes = {"auto": None, "always": True, "never": False}
    if secure_cookies not in modes:
        raise UsageError("--secure-cookies must be auto, always or never")
    project = globals_of(ctx).open_project()
    store = project.store()
    if not list_users(store):
        err_console().print("note: no accounts yet; add one with `exitlens users add NAME "
                            "--role admin`", markup=False)
    app = create_app(store, project=project.name, secure_cookies=modes[secure_cookies])
    err_console().print(f"ExitLens for {project.name} at http://{host}:{port}/", markup=False)
    try:
        uvicorn.run(app, host=host, port=port, proxy_headers=True, log_level="warning")
    finally:
        store.close()
