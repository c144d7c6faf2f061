"""Reading stored sources."""

from __future__ import annotations

from exitlens.records import Source
from exitlens.storage import Store


def list_sources(store: Store, *, language: str | None = None, medium: str | None = None,
                 limit: int = 50, offset: int = 0) -> tuple[list[Source], int]:
    with store.session() as tx:
        return tx.list_sources(language=language, medium=medium, limit=limit, offset=offset)


def get_source(store: Store, source_id: int) -> Source:
    with store.session() as tx:
        return tx.get_source(source_id)
