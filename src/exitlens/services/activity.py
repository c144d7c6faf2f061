"""The audit log for administrators: who changed what, when."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from exitlens.services.users import User
from exitlens.storage import Store


def list_events(store: Store, user: User, *, actor: str | None = None,
                action: str | None = None, entity: str | None = None,
                entity_id: str | None = None, since: datetime | None = None,
                limit: int = 100, offset: int = 0) -> tuple[list[dict[str, Any]], int]:
    user.require("admin", "only admins read the activity log")
    with store.session() as tx:
        return tx.find_events(actor=actor, action=action, entity=entity, entity_id=entity_id,
                              since=since, limit=limit, offset=offset)
