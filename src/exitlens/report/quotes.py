"""The quote bank: the strongest evidence quotes per reason, for practitioners."""

from __future__ import annotations

import pandas as pd

from exitlens.aggregate.findings import Findings


def quote_bank_table(found: Findings, quotes: pd.DataFrame, *, code: str | None = None,
                     per_code: int = 5) -> pd.DataFrame:
    """For each reason (or only ``code``), the strongest quotes, one per case: accepted before
    suggested, then by salience, confidence and a readable length. Cases that still endorse
    the group's violence (context code ``stance_still_supports``) are left out; cases with an
    explicit ``warning_to_others`` are marked. Each quote carries the propaganda claims its
    reason answers."""
    context = found.context_matrix
    supports = _flagged(context, "stance_still_supports")
    warns = _flagged(context, "warning_to_others")
    reasons = [code] if code else list(found.codebook.reason_ids)
    picked = quotes[(quotes["kind"] == "reason") & quotes["top"].isin(reasons)
                    & ~quotes["case"].isin(supports)].copy()
    length = picked["text"].str.len()
    picked["_rank"] = list(zip((picked["status"] == "accepted").astype(int),
                               pd.to_numeric(picked["salience"]).fillna(0),
                               pd.to_numeric(picked["confidence"]).fillna(1.0),
                               -(length - 220).abs(), strict=True))
    picked = picked.sort_values("_rank", ascending=False, kind="stable")
    picked = picked.drop_duplicates(["top", "case"]).groupby("top", sort=False).head(per_code)
    claims = _claims(found)
    picked["warning_to_others"] = picked["case"].isin(warns)
    picked["claims_answered"] = picked["top"].map(lambda c: "; ".join(claims.get(c, [])))
    picked["reason"] = picked["top"].map(found.code_name)
    order = {c: i for i, c in enumerate(reasons)}
    picked = picked.sort_values(["top"], key=lambda s: s.map(order), kind="stable")
    return picked[["top", "reason", "case", "text", "outlet", "published", "language",
                   "medium", "source", "warning_to_others", "claims_answered", "status",
                   "confidence", "salience", "quote_id"]].rename(
        columns={"top": "code", "case": "pseudonym"}).reset_index(drop=True)


def _flagged(context: pd.DataFrame, code: str) -> set[str]:
    if code not in context.columns:
        return set()
    return set(context.index[context[code]])


def _claims(found: Findings) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for claim in found.codebook.propaganda_claims:
        for code in claim.answered_by:
            out.setdefault(code, []).append(claim.claim)
    return out
