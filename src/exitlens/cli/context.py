"""What every command shares: global options, the project, and printing."""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from exitlens.services.project import Project
    from exitlens.settings import Settings
    from exitlens.storage import Store


@dataclass
class Globals:
    project: Path | None = None
    db: str | None = None

    def settings(self) -> Settings:
        from exitlens.settings import load_settings

        return load_settings()

    def open_project(self) -> Project:
        from exitlens.services.project import open_project

        return open_project(self.settings(), self.project, self.db)

    def store(self) -> Store:
        return self.open_project().store()


def globals_of(ctx: typer.Context) -> Globals:
    root = ctx.find_root()
    if not isinstance(root.obj, Globals):
        root.obj = Globals()
    return root.obj


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


def console() -> Any:
    from rich.console import Console

    return Console(highlight=False)


def err_console() -> Any:
    from rich.console import Console

    return Console(stderr=True, highlight=False)


def say(message: str) -> None:
    """Progress for people, dimmed on standard error (standard output stays for results)."""
    err_console().print(f"[dim]{message}[/dim]")
