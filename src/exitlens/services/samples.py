"""Samples for double coding: drawn at random or stratified by a source attribute, with a seed,
and assigned to coders. While a blind sample is open, each of its coders sees, on its sources,
only their own codings: not the other coders', not the machine's suggestions.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from exitlens.errors import NotFoundError, UsageError
from exitlens.services.users import User
from exitlens.storage import Store

STRATA = ("language", "medium", "outlet", "relevant")


def draw_sample(store: Store, user: User, *, name: str, size: int, coders: list[str],
                blind: bool = True, seed: int = 0, stratify: str | None = None
                ) -> dict[str, Any]:
    """Draw ``size`` sources (not those screened out) and assign them to ``coders``."""
    user.require("admin", "only admins draw samples")
    if stratify is not None and stratify not in STRATA:
        raise UsageError(f"--stratify is one of {', '.join(STRATA)}")
    if len(set(coders)) < 2:
        raise UsageError("assign two or more coders (--coders ana,bo)")
    with store.session() as tx:
        known = {u["username"] for u in tx.users() if u["active"]}
        missing = sorted(set(coders) - known)
        if missing:
            raise UsageError(f"no active account for {', '.join(missing)}; add it with "
                             "`exitlens users add`")
        table = tx.source_table()
        rows = [dict(zip(table.columns, r, strict=True)) for r in table.rows]
    pool = [r for r in rows if r["relevant"] is not False]
    if not 0 < size <= len(pool):
        raise UsageError(f"--size must be between 1 and {len(pool)} (the sources not "
                         "screened out)")
    chosen = _draw(pool, size, seed, stratify)
    with store.session() as tx:
        sample_id = tx.add_sample(name=name, blind=blind, seed=seed, stratify=stratify,
                                  created_by=user.username, source_ids=chosen,
                                  coders=sorted(set(coders)))
        tx.log_event(user.username, "sample.draw", "sample", sample_id,
                     after={"name": name, "size": size, "coders": sorted(set(coders)),
                            "blind": blind, "seed": seed, "stratify": stratify})
    return {"id": sample_id, "name": name, "sources": chosen, "coders": sorted(set(coders))}


def _draw(pool: list[dict[str, Any]], size: int, seed: int, stratify: str | None) -> list[int]:
    rng = np.random.default_rng(seed)
    if stratify is None:
        picked = rng.choice(len(pool), size=size, replace=False)
        return sorted(int(pool[i]["id"]) for i in picked)
    groups: dict[str, list[int]] = {}
    for row in pool:
        groups.setdefault(str(row[stratify]), []).append(int(row["id"]))
    # proportional allocation, remainders to the largest fractions
    exact = {g: size * len(ids) / len(pool) for g, ids in groups.items()}
    counts = {g: int(v) for g, v in exact.items()}
    for g in sorted(exact, key=lambda g: (exact[g] - counts[g], g), reverse=True):
        if sum(counts.values()) >= size:
            break
        counts[g] += 1
    chosen: list[int] = []
    for g in sorted(groups):
        ids = groups[g]
        chosen += [ids[i] for i in rng.choice(len(ids), size=min(counts[g], len(ids)),
                                              replace=False)]
    return sorted(chosen)


def list_samples(store: Store) -> list[dict[str, Any]]:
    with store.session() as tx:
        return tx.samples()


def find_sample(store: Store, key: str | int) -> dict[str, Any]:
    """A sample by number or name, with its sources and coders."""
    for sample in list_samples(store):
        if str(sample["id"]) == str(key) or sample["name"] == key:
            return sample
    raise NotFoundError(f"there is no sample '{key}'; see `exitlens samples list`")


def close_sample(store: Store, user: User, sample_id: int) -> None:
    """End a round: its coders see each other's codings (and the machine's) again."""
    user.require("admin", "only admins close samples")
    with store.session() as tx:
        if not tx.close_sample(sample_id):
            raise UsageError(f"there is no open sample {sample_id}; see `exitlens samples list`")
        tx.log_event(user.username, "sample.close", "sample", sample_id)


def hidden_from(store: Store, user: User) -> set[int]:
    """Sources on which this user may see only their own codings (open blind samples)."""
    if user.can("admin"):
        return set()
    with store.session() as tx:
        return tx.blind_sources(user.username)


def visible(codings: list[dict[str, Any]], user: User, blind: bool) -> list[dict[str, Any]]:
    """On a blind source, only the user's own codings."""
    return [c for c in codings if c["coder"] == user.username] if blind else codings
