"""Evidence: the text of counted codings, with restricted names replaced by pseudonyms."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

import pandas as pd

from exitlens.aggregate.findings import Findings

QUOTE_COLUMNS = ("quote_id", "case", "code", "top", "kind", "text", "source_id", "source",
                 "outlet", "published", "language", "medium", "start", "end", "status",
                 "coder", "coder_kind", "confidence", "salience")
MAX_QUOTE = 600


def quote_table(found: Findings, texts: Mapping[int, str],
                names: Mapping[str, Sequence[str]], *, attributed_only: bool = True
                ) -> pd.DataFrame:
    """Each counted coding attributed to a case (or every counted coding), with its text.

    ``names`` maps a case's pseudonym to its restricted names and aliases: wherever one of a
    source's cases is named in a quote from that source, the name becomes ``[pseudonym]``, so
    quotes never carry what the restricted fields hold. Dates are coarsened to the month for
    cases whose ``reprisal_risk`` is high.
    """
    if "case" not in found.codings:
        raise ValueError("quote_table needs findings read with their codings (detail)")
    codings = found.codings[found.codings["case"].notna()] if attributed_only else \
        found.codings
    meta = found.sources.set_index("id")
    risky = set(found.cases.loc[found.cases["reprisal_risk"].astype("string") == "high", "case"])
    redactions = _redactions(found, names)
    rows = []
    for coding in codings.itertuples(index=False):
        text = texts.get(coding.source_id)
        if text is None or coding.source_id not in meta.index:
            continue
        source = meta.loc[coding.source_id]
        published = source["published"] if isinstance(source["published"], str) else None
        case = None if pd.isna(coding.case) else coding.case
        if published and case in risky:
            published = published[:7]
        rows.append({
            "quote_id": int(coding.id), "case": case, "code": coding.code,
            "top": coding.top, "kind": coding.kind,
            "text": redact(_clip(text[coding.start:coding.end]),
                           redactions.get(coding.source_id, ())),
            "source_id": int(coding.source_id), "source": source["origin"],
            "outlet": source["outlet"], "published": published,
            "language": source["language"], "medium": source["medium"],
            "start": int(coding.start), "end": int(coding.end), "status": coding.status,
            "coder": coding.coder, "coder_kind": coding.coder_kind,
            "confidence": coding.confidence, "salience": coding.salience})
    return pd.DataFrame(rows, columns=list(QUOTE_COLUMNS))


def _redactions(found: Findings, names: Mapping[str, Sequence[str]]
                ) -> dict[int, list[tuple[re.Pattern[str], str]]]:
    out: dict[int, list[tuple[re.Pattern[str], str]]] = {}
    pseudonyms = dict(zip(found.cases["id"], found.cases["case"], strict=True))
    sources: dict[str, list[int]] = {}
    for case_id, source_id in zip(found.links["case_id"], found.links["source_id"],
                                  strict=True):
        sources.setdefault(pseudonyms[case_id], []).append(int(source_id))
    for case, source_ids in sources.items():
        for name in sorted(names.get(case, ()), key=len, reverse=True):
            name = name.strip()
            if len(name) < 3:
                continue
            pattern = re.compile(r"(?<!\w)" + re.escape(name).replace(r"\ ", r"\s+") + r"(?!\w)",
                                 re.IGNORECASE)
            for source_id in source_ids:
                out.setdefault(source_id, []).append((pattern, f"[{case}]"))
    return out


def redact(text: str, redactions: Sequence[tuple[re.Pattern[str], str]]) -> str:
    for pattern, replacement in redactions:
        text = pattern.sub(replacement, text)
    return text


def _clip(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    if len(text) <= MAX_QUOTE:
        return text
    cut = text[:MAX_QUOTE].rsplit(" ", 1)[0]
    return cut + " […]"
