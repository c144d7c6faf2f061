"""`exitlens agreement`: how far coders agree, per code and overall, on units the user picks.

Units: ``source`` (each source a coder coded), ``case`` (each case a coder's codings are
attributed to), ``segment`` (each sentence of a source a coder coded, uncoded sentences
counting as absence) or ``span`` (clusters of the coders' spans of a code that overlap by at
least ``overlap`` of the shorter; text nobody coded is no unit). A coder who coded a unit but
not with a code gives that code's absence there; a coder who did not code the unit gives
nothing (missing data).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from exitlens.aggregate.agreement import UNITS, agreement_table, presence_data
from exitlens.errors import UsageError
from exitlens.services.codebooks import active_codebook
from exitlens.storage import Store


def agreement(store: Store, *, unit: str = "source", coders: list[str] | None = None,
              codes: list[str] | None = None, overlap: float = 0.5,
              bootstrap: int = 1000) -> dict[str, Any]:
    if unit not in UNITS:
        raise UsageError(f"--unit must be one of {', '.join(UNITS)}, not '{unit}'")
    if not 0 < overlap <= 1:
        raise UsageError("--overlap is a share above 0 and at most 1")
    book = active_codebook(store)
    with store.session() as tx:
        table = tx.coding_table(["accepted", "suggested"])
        frame = pd.DataFrame.from_records(table.rows, columns=list(table.columns))
        texts = tx.source_texts(frame["source_id"].unique().tolist()) if unit == "segment" \
            else {}
    frame = frame.assign(top=frame["code"].map(book.top_level_of))
    frame = frame[frame["top"].notna()]
    present = sorted(frame["coder"].unique())
    chosen = coders or present
    unknown = sorted(set(chosen) - set(present))
    if unknown:
        raise UsageError(f"no codings by {', '.join(unknown)}; coders here: "
                         f"{', '.join(present) or 'none'}")
    if len(chosen) < 2:
        raise UsageError("agreement needs two or more coders (--coders a,b)")
    frame = frame[frame["coder"].isin(chosen)]
    wanted = codes or [c for c in (*book.reason_ids, *book.context_ids)
                       if c in set(frame["top"])]
    per_code, pooled = {}, []
    for code in wanted:
        units, coded = _units(frame, unit, code, texts, overlap)
        data = presence_data(coded, units, chosen, code)
        per_code[code] = agreement_table(data, chosen, bootstrap=bootstrap)
        pooled.append(data)
    overall = agreement_table(np.concatenate(pooled, axis=1), chosen, bootstrap=bootstrap) \
        if pooled else None
    return {"unit": unit, "coders": chosen, "overlap": overlap if unit == "span" else None,
            "codes": per_code, "overall": overall}


def _units(frame: pd.DataFrame, unit: str, code: str, texts: dict[int, str],
           overlap: float) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(unit, coder) pairs a coder coded, and (unit, coder, top) of each coding."""
    if unit == "source":
        keyed = frame.assign(unit=frame["source_id"].astype(str))
    elif unit == "case":
        keyed = frame[frame["case_id"].notna()].assign(
            unit=lambda f: f["case_id"].astype(int).astype(str))
    elif unit == "segment":
        keyed = _segments(frame, texts)
    else:
        keyed = _spans(frame, code, overlap)
    return keyed[["unit", "coder"]].drop_duplicates(), keyed[["unit", "coder", "top"]]


def _segments(frame: pd.DataFrame, texts: dict[int, str]) -> pd.DataFrame:
    from exitlens.segment import segment_document

    rows: list[tuple[str, Any, str | None]] = []
    for source_id, group in frame.groupby("source_id"):
        segments = segment_document(str(source_id), texts[int(source_id)], None).segments
        for coder in group["coder"].unique():  # every sentence of a source the coder coded
            rows += [(f"{source_id}:{s.index}", coder, None) for s in segments]
        for c in group.itertuples(index=False):
            rows += [(f"{source_id}:{s.index}", c.coder, c.top) for s in segments
                     if s.start < c.end and c.start < s.end]
    return pd.DataFrame(rows, columns=["unit", "coder", "top"])


def _spans(frame: pd.DataFrame, code: str, overlap: float) -> pd.DataFrame:
    """Clusters of this code's spans that overlap enough, per source; every coder who coded
    the source is asked about each cluster."""
    rows: list[tuple[str, Any, str | None]] = []
    for source_id, group in frame.groupby("source_id"):
        spans = group[group["top"] == code].sort_values("start")
        clusters: list[list[Any]] = []
        for c in spans.itertuples(index=False):
            home = next((k for k in clusters if _overlaps(k[0], (c.start, c.end), overlap)),
                        None)
            if home is None:
                clusters.append([(c.start, c.end), c])
            else:
                home.append(c)
        for n, cluster in enumerate(clusters):
            unit = f"{source_id}:{n}"
            rows += [(unit, coder, None) for coder in group["coder"].unique()]
            rows += [(unit, c.coder, code) for c in cluster[1:]]
    return pd.DataFrame(rows, columns=["unit", "coder", "top"])


def _overlaps(a: tuple[int, int], b: tuple[int, int], share: float) -> bool:
    common = min(a[1], b[1]) - max(a[0], b[0])
    return common > 0 and common >= share * min(a[1] - a[0], b[1] - b[0])
