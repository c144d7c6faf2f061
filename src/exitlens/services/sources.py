"""Reading stored sources."""

from __future__ import annotations

from typing import Any

from exitlens.records import Source
from exitlens.storage import Store


def list_sources(store: Store, *, language: str | None = None, medium: str | None = None,
                 limit: int = 50, offset: int = 0) -> tuple[list[Source], int]:
    with store.session() as tx:
        return tx.list_sources(language=language, medium=medium, limit=limit, offset=offset)


def get_source(store: Store, source_id: int) -> Source:
    with store.session() as tx:
        return tx.get_source(source_id)


def source_codings(store: Store, source_id: int) -> list[dict[str, Any]]:
    with store.session() as tx:
        tx.get_source(source_id)
        return tx.codings_of_source(source_id)


def list_cases(store: Store, *, limit: int = 100, offset: int = 0
               ) -> tuple[list[dict[str, Any]], int]:
    with store.session() as tx:
        return tx.list_cases(limit=limit, offset=offset)


def browse_sources(store: Store, **filters: Any) -> tuple[list[dict[str, Any]], int]:
    """Sources for a list page: see ``StoreSession.browse_sources`` for the filters."""
    with store.session() as tx:
        return tx.browse_sources(**filters)


def source_cases(store: Store, source_id: int) -> list[dict[str, Any]]:
    """The cases linked to a source: pseudonyms and unrestricted attributes."""
    with store.session() as tx:
        return [{k: v for k, v in c.items() if k != "id"}
                for c in tx.cases_of_source(source_id)]
