"""What a project holds, in one call."""

from __future__ import annotations

from typing import Any

from exitlens.storage import Store


def project_status(store: Store) -> dict[str, Any]:
    with store.session() as tx:
        counts = tx.counts()
        first, last = tx.published_range()
        active = next((v for v in tx.codebook_versions() if v["active"]), None)
        return {"database": store.display_url, "counts": counts,
                "languages": tx.count_by("language"), "media": tx.count_by("medium"),
                "formats": tx.count_by("format"), "outlets": len(tx.count_by("outlet")),
                "screening": tx.count_by("relevant"),
                "published": {"first": first, "last": last},
                "codebook": active}
