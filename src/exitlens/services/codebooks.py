"""The project's codebook: the active version, adding a version, validating files."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from exitlens.codebook import Codebook, load_codebook_file, parse_codebook
from exitlens.errors import ProjectError
from exitlens.services.project import store_codebook
from exitlens.storage import Store


def active_codebook(store: Store) -> Codebook:
    with store.session() as tx:
        found = tx.active_codebook()
    if found is None:
        raise ProjectError("this project has no active codebook; add one with "
                           "`exitlens codebook load FILE`")
    return _parsed(found[1])


@lru_cache(maxsize=4)
def _parsed(content: str) -> Codebook:
    """Parsing takes tens of milliseconds; a codebook version's content never changes."""
    return parse_codebook(content, file="stored codebook")


def load_codebook(store: Store, path: Path, actor: str) -> tuple[Codebook, int]:
    """Validate a codebook file and make it the project's active codebook version."""
    book, content = load_codebook_file(path)
    with store.session() as tx:
        version_id = store_codebook(tx, book, content, actor)
    return book, version_id


def codebook_versions(store: Store) -> list[dict[str, Any]]:
    with store.session() as tx:
        return tx.codebook_versions()
