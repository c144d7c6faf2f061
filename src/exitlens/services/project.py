"""Projects: a folder with exitlens.toml and, by default, an embedded SQLite store."""

from __future__ import annotations

import hashlib
import tomllib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from exitlens.codebook import Codebook, default_codebook_text, load_codebook_file, parse_codebook
from exitlens.errors import ProjectError
from exitlens.settings import Settings
from exitlens.storage import Store, StoreSession, normalise_url, sqlite_url

CONFIG = "exitlens.toml"
DB_FILE = "exitlens.sqlite"


@dataclass(frozen=True)
class Project:
    root: Path
    name: str
    db_url: str

    def store(self) -> Store:
        store = Store(self.db_url)
        store.ensure_schema()
        return store


def find_project_root(start: Path) -> Path | None:
    for folder in (start.resolve(), *start.resolve().parents):
        if (folder / CONFIG).is_file():
            return folder
    return None


def open_project(settings: Settings, path: Path | None = None,
                 db_url: str | None = None) -> Project:
    """The project at ``path`` (or found from the working folder upwards)."""
    start = path or settings.project or Path.cwd()
    root = find_project_root(start)
    if root is None:
        raise ProjectError(f"no ExitLens project in {start} or the folders above it; create one "
                           "with `exitlens init DIR`, or point to one with --project DIR")
    try:
        config = tomllib.loads((root / CONFIG).read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ProjectError(f"{root / CONFIG} is not valid TOML ({exc}); fix or re-create "
                           "it") from None
    name = str(config.get("project", {}).get("name", root.name))
    configured = config.get("database", {}).get("url")
    url = db_url or settings.db_url or configured
    resolved = normalise_url(url) if url else sqlite_url(root / DB_FILE)
    return Project(root=root, name=name, db_url=resolved)


def init_project(settings: Settings, folder: Path, *, name: str | None = None,
                 db_url: str | None = None, codebook_path: Path | None = None) -> Project:
    """Create a project: the folder, its config, the store's schema and the first codebook."""
    if (folder / CONFIG).exists():
        raise ProjectError(f"{folder} is already an ExitLens project ({CONFIG} exists); use it, "
                           "or choose another folder")
    if codebook_path is not None:
        book, content = load_codebook_file(codebook_path)
    else:
        content = default_codebook_text()
        book = parse_codebook(content, file="default codebook")
    folder.mkdir(parents=True, exist_ok=True)
    url = db_url or settings.db_url
    project = Project(root=folder.resolve(), name=name or folder.resolve().name,
                      db_url=normalise_url(url) if url else sqlite_url(folder / DB_FILE))
    with project.store() as store, store.session() as tx:
        store_codebook(tx, book, content, settings.actor())
        tx.log_event(settings.actor(), "project.init", "project", project.name,
                     after={"name": project.name, "database": store.display_url})
    lines = ["# ExitLens project. Keep database passwords in EXITLENS_DB_URL, not here.",
             "[project]", f'name = "{_toml_escape(project.name)}"',
             f'created = "{datetime.now(UTC).isoformat(timespec="seconds")}"']
    if url:
        lines += ["", "[database]", f'url = "{_toml_escape(_without_password(url))}"']
    (folder / CONFIG).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return project


def store_codebook(tx: StoreSession, book: Codebook, content: str, actor: str,
                   activate: bool = True) -> int:
    codes = [{"code": c.id, "top": c.top, "parent": c.parent, "kind": c.kind, "name": c.name,
              "group": c.group, "colour": c.colour, "definition": c.definition,
              "position": c.position} for c in book.flat_codes()]
    version_id = tx.add_codebook_version(
        key=book.id, version=book.version, name=book.name, content=content,
        sha256=hashlib.sha256(content.encode()).hexdigest(), actor=actor, codes=codes,
        activate=activate)
    tx.log_event(actor, "codebook.add", "codebook_version", version_id,
                 after={"key": book.id, "version": book.version, "codes": len(codes),
                        "active": activate})
    return version_id


def _toml_escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace('"', '\\"')


def _without_password(url: str) -> str:
    if "://" in url and "@" in url.split("://", 1)[1]:
        scheme, rest = url.split("://", 1)
        creds, host = rest.split("@", 1)
        return f"{scheme}://{creds.split(':', 1)[0]}@{host}"
    return url
