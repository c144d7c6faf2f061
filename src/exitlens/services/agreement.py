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

from exitlens.aggregate.agreement import UNITS, agreement_table, presence_data, span_clusters
from exitlens.errors import UsageError
from exitlens.records import CONSENSUS
from exitlens.services.codebooks import active_codebook
from exitlens.services.samples import find_sample, hidden_from
from exitlens.services.users import User
from exitlens.storage import Store


def agreement(store: Store, *, unit: str = "source", coders: list[str] | None = None,
              codes: list[str] | None = None, overlap: float = 0.5,
              bootstrap: int = 1000, sample: str | None = None,
              user: User | None = None) -> dict[str, Any]:
    """The agreement table. With ``sample`` (a number or name), its sources only, its coders
    by default, and every assigned coder counts as having coded each of its sources (finding
    nothing there is a finding). For a ``user`` in an open blind round, that round's sources
    are left out."""
    if unit not in UNITS:
        raise UsageError(f"--unit must be one of {', '.join(UNITS)}, not '{unit}'")
    if not 0 < overlap <= 1:
        raise UsageError("--overlap is a share above 0 and at most 1")
    drawn = find_sample(store, sample) if sample is not None else None
    exclude = hidden_from(store, user) if user is not None else set()
    book = active_codebook(store)
    with store.session() as tx:
        table = tx.coding_table(["accepted", "suggested"])
        frame = pd.DataFrame.from_records(table.rows, columns=list(table.columns))
        if drawn:
            frame = frame[frame["source_id"].isin(drawn["sources"])]
        if exclude:
            frame = frame[~frame["source_id"].isin(exclude)]
            if drawn:
                drawn = {**drawn, "sources": [s for s in drawn["sources"] if s not in exclude]}
        wanted_texts = drawn["sources"] if drawn else frame["source_id"].unique().tolist()
        texts = tx.source_texts(wanted_texts) if unit == "segment" else {}
    frame = frame.assign(top=frame["code"].map(book.top_level_of))
    frame = frame[frame["top"].notna()]
    present = sorted(frame["coder"].unique())
    chosen = coders or (drawn["coders"] if drawn else
                        [c for c in present if c != CONSENSUS])
    unknown = sorted(set(chosen) - set(present) - set(drawn["coders"] if drawn else ()))
    if unknown:
        raise UsageError(f"no codings by {', '.join(unknown)}; coders here: "
                         f"{', '.join(present) or 'none'}")
    if len(chosen) < 2:
        raise UsageError("agreement needs two or more coders (--coders a,b)")
    frame = frame[frame["coder"].isin(chosen)]
    everyone = pd.DataFrame([(s, c) for s in drawn["sources"] for c in chosen] if drawn
                            else [], columns=["source_id", "coder"])
    wanted = codes or [c for c in (*book.reason_ids, *book.context_ids)
                       if c in set(frame["top"])]
    per_code, pooled = {}, []
    for code in wanted:
        units, coded = _units(frame, unit, code, texts, overlap, everyone)
        data = presence_data(coded, units, chosen, code)
        per_code[code] = agreement_table(data, chosen, bootstrap=bootstrap)
        pooled.append(data)
    overall = agreement_table(np.concatenate(pooled, axis=1), chosen, bootstrap=bootstrap) \
        if pooled else None
    return {"unit": unit, "coders": chosen, "overlap": overlap if unit == "span" else None,
            "sample": drawn["name"] if drawn else None,
            "codes": per_code, "overall": overall}


def _units(frame: pd.DataFrame, unit: str, code: str, texts: dict[int, str],
           overlap: float, everyone: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """(unit, coder) pairs a coder coded, and (unit, coder, top) of each coding;
    ``everyone`` holds (source_id, coder) pairs coded even without a coding (a sample)."""
    coded = pd.concat([frame[["source_id", "coder"]], everyone]).drop_duplicates() \
        if len(everyone) else frame[["source_id", "coder"]].drop_duplicates()
    if unit == "source":
        return (coded.assign(unit=coded["source_id"].astype(str))[["unit", "coder"]],
                frame.assign(unit=frame["source_id"].astype(str))[["unit", "coder", "top"]])
    if unit == "case":
        keyed = frame[frame["case_id"].notna()].assign(
            unit=lambda f: f["case_id"].astype(int).astype(str))
        return keyed[["unit", "coder"]].drop_duplicates(), keyed[["unit", "coder", "top"]]
    asked = coded.groupby("source_id")["coder"].unique().to_dict()
    keyed = (_segments(frame, texts, asked) if unit == "segment"
             else _spans(frame, code, overlap, asked))
    return keyed[["unit", "coder"]].drop_duplicates(), keyed[["unit", "coder", "top"]]


def _segments(frame: pd.DataFrame, texts: dict[int, str], asked: dict[Any, Any]
              ) -> pd.DataFrame:
    from exitlens.segment import segment_document

    rows: list[tuple[str, Any, str | None]] = []
    by_source = dict(iter(frame.groupby("source_id")))
    for source_id, coders in asked.items():
        segments = segment_document(str(source_id), texts[int(source_id)], None).segments
        for coder in coders:  # every sentence of a source the coder coded
            rows += [(f"{source_id}:{s.index}", coder, None) for s in segments]
        if source_id not in by_source:
            continue
        for c in by_source[source_id].itertuples(index=False):
            rows += [(f"{source_id}:{s.index}", c.coder, c.top) for s in segments
                     if s.start < c.end and c.start < s.end]
    return pd.DataFrame(rows, columns=["unit", "coder", "top"])


def _spans(frame: pd.DataFrame, code: str, overlap: float, asked: dict[Any, Any]
           ) -> pd.DataFrame:
    """Clusters of this code's spans that overlap enough, per source; every coder who coded
    the source is asked about each cluster."""
    rows: list[tuple[str, Any, str | None]] = []
    for source_id, group in frame.groupby("source_id"):
        spans = group[group["top"] == code]
        clusters = span_clusters(list(zip(spans["start"], spans["end"], strict=True)), overlap)
        for n, members in enumerate(clusters):
            unit = f"{source_id}:{n}"
            rows += [(unit, coder, None) for coder in asked[source_id]]
            rows += [(unit, coder, code) for coder in spans["coder"].iloc[members]]
    return pd.DataFrame(rows, columns=["unit", "coder", "top"])


AUTO, SUGGEST = 0.80, 0.667


def trust_state(alpha: float | None) -> str:
    """DOMAIN.md section 7: automatic at 0.80 and above, suggestion from 0.667, else off."""
    if alpha is None or alpha < SUGGEST:
        return "off"
    return "auto" if alpha >= AUTO else "suggest"


def machine_trust(store: Store, user: User, *, reference: str = CONSENSUS,
                  apply: bool = False) -> dict[str, Any]:
    """Each machine coder as one more coder against ``reference`` (the consensus, or a
    person), per source the reference coded, per code: alpha and the state the rule gives.
    With ``apply`` (admins), the best machine coder's states become the codes' states, which
    ``analyze`` follows. For a user in an open blind round, that round's sources are left
    out."""
    if apply:
        user.require("admin", "only admins set how far the machine is trusted")
    exclude = hidden_from(store, user)  # none for admins, who alone apply
    book = active_codebook(store)
    with store.session() as tx:
        table = tx.coding_table(["accepted", "suggested", "rejected"])
    frame = pd.DataFrame.from_records(table.rows, columns=list(table.columns))
    frame = frame.assign(top=frame["code"].map(book.top_level_of))
    frame = frame[frame["top"].notna()]
    if exclude:
        frame = frame[~frame["source_id"].isin(exclude)]
    people = frame[(frame["coder"] == reference) & (frame["status"] == "accepted")]
    if people.empty:
        raise UsageError(f"no accepted codings by '{reference}' to compare the machine with; "
                         "name the reference with --reference")
    # a source the reference decided on counts, even where it decided a code is absent
    sources = set(frame.loc[(frame["coder"] == reference) & (frame["coder_kind"] == "human"),
                            "source_id"])
    machines = sorted(frame.loc[frame["coder_kind"] == "machine", "coder"].unique())
    if not machines:
        raise UsageError("no machine codings to compare; run exitlens analyze first")
    rows = []
    coded, units = {}, {}
    for machine in machines:  # the same units and codings serve every code
        chosen = frame[frame["source_id"].isin(sources) & (
            (frame["coder"] == reference) & (frame["status"] == "accepted")
            | (frame["coder"] == machine))]
        coded[machine] = chosen.assign(unit=chosen["source_id"].astype(str))
        units[machine] = pd.DataFrame([(str(s), c) for s in sources
                                       for c in (reference, machine)], columns=["unit", "coder"])
    for code in (*book.reason_ids, *book.context_ids):
        for machine in machines:
            data = presence_data(coded[machine], units[machine], [reference, machine], code)
            stats = agreement_table(data, [reference, machine], bootstrap=0)
            rows.append({"code": code, "machine": machine, "units": stats["units"],
                         "alpha": stats["alpha"], "gwet_ac1": stats["gwet_ac1"],
                         "state": trust_state(stats["alpha"])})
    best: dict[str, dict[str, Any]] = {}
    for row in rows:
        current = best.get(row["code"])
        if current is None or (row["alpha"] or -1) > (current["alpha"] or -1):
            best[row["code"]] = row
    if apply:
        with store.session() as tx:
            tx.set_code_states([{"code": r["code"], "state": r["state"], "alpha": r["alpha"],
                                 "machine": r["machine"], "reference": reference,
                                 "units": r["units"], "decided_by": user.username}
                                for r in best.values()])
            tx.log_event(user.username, "codebook.trust", "code_states", None,
                         after={r["code"]: r["state"] for r in best.values()})
    return {"reference": reference, "sources": len(sources), "rows": rows,
            "states": {code: r["state"] for code, r in best.items()}, "applied": apply}


def code_states(store: Store) -> dict[str, dict[str, Any]]:
    with store.session() as tx:
        return tx.code_states()
