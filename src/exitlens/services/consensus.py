"""Reconciling coders: the units where the coders of a sample (or named coders) differ, side
by side with the text, and the team's decisions on them, stored as the coder "consensus".

A unit is a cluster of one top-level code's spans on one source that overlap by at least
``overlap`` of the shorter (as in ``exitlens agreement --unit span``). The coders asked on a
source are, in a sample, every assigned coder; otherwise those of the chosen coders who coded
it (two or more). The coders agree on a unit when each marked it, with the same cases and the
same codes; they differ on presence (someone did not mark it), on the case or on the code.

A decision is a coding by "consensus" with the deciding person (``decided_by``) and the time
(``created_at``), logged: accepted (the code is there: the span, code and case of the coding
taken) or rejected (it is not there). The first decision on a source also adopts the units its
coders agree on, so that a source's consensus is whole; from then on findings count only the
consensus on that source (``StoreSession.coding_table(counted=True)``), and the units still
open there count once decided.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from exitlens.aggregate.agreement import span_clusters
from exitlens.codebook import Codebook
from exitlens.errors import PermissionDenied, UsageError
from exitlens.records import CONSENSUS
from exitlens.services.codebooks import active_codebook
from exitlens.services.coding import check_span
from exitlens.services.samples import find_sample, hidden_from
from exitlens.services.users import User
from exitlens.storage import Store, StoreSession

STATES = ("open", "decided", "agreed", "all")
CONTEXT = 240


@dataclass(frozen=True)
class Scope:
    """Whose codings are reconciled, and where: a sample's coders on its sources, or chosen
    coders wherever two or more of them coded."""

    coders: tuple[str, ...]
    sources: frozenset[int] | None = None
    sample: str | None = None

    def asked(self, coded: set[str]) -> list[str]:
        """The coders a source's units ask: all of a sample's, else those who coded it."""
        return sorted(self.coders) if self.sources is not None \
            else sorted(coded & set(self.coders))

    def describe(self) -> dict[str, Any]:
        return {"sample": self.sample, "coders": list(self.coders)}


def scope_of(store: Store, *, sample: str | None = None,
             coders: list[str] | None = None) -> Scope:
    if sample:
        drawn = find_sample(store, sample)
        if drawn["blind"] and drawn["closed_at"] is None:
            raise UsageError(f"sample '{drawn['name']}' is a blind round still open: close it "
                             f"first (exitlens samples close {drawn['id']})")
        return Scope(tuple(sorted(set(coders or drawn["coders"]))),
                     frozenset(drawn["sources"]), drawn["name"])
    if not coders:
        with store.session() as tx:
            coders = tx.human_coders()
    if len(set(coders)) < 2:
        raise UsageError("reconciling needs two or more coders: name a sample, or the "
                         "coders (ana,bo)")
    if CONSENSUS in coders:
        raise UsageError("the consensus is what reconciling decides, not one of its coders")
    return Scope(tuple(sorted(set(coders))))


def units(store: Store, user: User, *, sample: str | None = None,
          coders: list[str] | None = None, code: str | None = None, state: str = "open",
          overlap: float = 0.5, limit: int | None = None, offset: int = 0) -> dict[str, Any]:
    """The units of the scope in ``state`` (open: coders differ and nobody decided; decided;
    agreed: not decided, coders agree; all), a page of them with their text, and counts."""
    user.require("read")
    if state not in STATES:
        raise UsageError(f"state must be one of {', '.join(STATES)}, not '{state}'")
    _check_overlap(overlap)
    scope = scope_of(store, sample=sample, coders=coders)
    hidden = hidden_from(store, user)
    book = active_codebook(store)
    with store.session() as tx:
        found = _units(tx, book, scope, hidden, overlap, code=code)
        counts = _counts(found)
        chosen = [u for u in found if state == "all" or _state(u) == state]
        page = chosen[offset:offset + limit if limit is not None else None]
        _add_text(tx, page)
    return {**scope.describe(), "state": state, "code": code, "overlap": overlap,
            "counts": counts, "total": len(chosen), "units": page}


def _counts(found: list[dict[str, Any]]) -> dict[str, int]:
    counts = {"units": len(found), "agreed": sum(not u["differ"] for u in found),
              "differ": sum(bool(u["differ"]) for u in found),
              "decided": sum(bool(u["decision"]) for u in found)}
    counts["open"] = sum(_state(u) == "open" for u in found)
    counts["to_adopt"] = sum(_state(u) == "agreed" for u in found)
    return counts


def _state(unit: dict[str, Any]) -> str:
    if unit["decision"]:
        return "decided"
    return "open" if unit["differ"] else "agreed"


def _check_overlap(overlap: float) -> None:
    if not 0 < overlap <= 1:
        raise UsageError("overlap is a share above 0 and at most 1")


def _units(tx: StoreSession, book: Codebook, scope: Scope, hidden: set[int],
           overlap: float, *, code: str | None = None, source_ids: list[int] | None = None
           ) -> list[dict[str, Any]]:
    wanted = source_ids if source_ids is not None else (
        sorted(scope.sources) if scope.sources is not None
        else tx.shared_sources(scope.coders))  # only sources two or more of them coded
    table = tx.coding_table(["accepted"], coders=list(scope.coders), source_ids=wanted)
    marks: dict[int, dict[str, list[dict[str, Any]]]] = {}
    for row in table.rows:
        c = dict(zip(table.columns, row, strict=True))
        top = book.top_level_of(c["code"])
        if top is None or c["source_id"] in hidden or (code is not None and top != code):
            continue
        marks.setdefault(c["source_id"], {}).setdefault(top, []).append(
            {"id": c["id"], "coder": c["coder"], "code": c["code"], "start": c["start"],
             "end": c["end"], "case_id": c["case_id"]})
    decisions = tx.decisions(list(marks))
    decided: dict[tuple[int, str], list[dict[str, Any]]] = {}
    for d in decisions:
        decided.setdefault((d["source_id"], book.top_level_of(d["code"]) or d["code"]),
                           []).append(d)
    found = []
    for source_id, by_top in sorted(marks.items()):
        asked = scope.asked({m["coder"] for spans in by_top.values() for m in spans})
        if len(asked) < 2:
            continue
        for top, spans in by_top.items():
            for members in span_clusters([(m["start"], m["end"]) for m in spans], overlap):
                unit = _unit(source_id, top, [spans[i] for i in members], asked)
                unit["decision"] = [d for d in decided.get((source_id, top), [])
                                    if d["start"] < unit["end"] and unit["start"] < d["end"]]
                found.append(unit)
    found.sort(key=lambda u: (u["source_id"], u["start"], u["code"]))
    return found


def _unit(source_id: int, top: str, marks: list[dict[str, Any]], asked: list[str]
          ) -> dict[str, Any]:
    by: dict[str, list[dict[str, Any]]] = {c: [] for c in asked}
    for m in marks:
        by[m["coder"]].append({k: v for k, v in m.items() if k != "coder"})
    start, end = min(m["start"] for m in marks), max(m["end"] for m in marks)
    differ = None
    if any(not v for v in by.values()):
        differ = "presence"
    elif len({frozenset(m["case_id"] for m in v) for v in by.values()}) > 1:
        differ = "case"
    elif len({frozenset(m["code"] for m in v) for v in by.values()}) > 1:
        differ = "code"
    return {"key": f"{source_id}:{top}:{start}:{end}", "source_id": source_id, "code": top,
            "start": start, "end": end, "marks": by, "differ": differ}


def _add_text(tx: StoreSession, page: list[dict[str, Any]]) -> None:
    """The page's units get their source's title, the text around, each mark's text and each
    case's pseudonym."""
    ids = sorted({u["source_id"] for u in page})
    case_ids = [m["case_id"] for u in page for v in u["marks"].values() for m in v
                if m["case_id"] is not None]
    texts = tx.source_texts(ids)
    sources = tx.source_table(ids)
    names = tx.pseudonyms(case_ids)
    titles = {row[0]: row[sources.columns.index("title")] for row in sources.rows}
    for u in page:
        text = texts[u["source_id"]]
        u["title"] = titles.get(u["source_id"])
        u["before"] = text[max(0, u["start"] - CONTEXT):u["start"]]
        u["text"] = text[u["start"]:u["end"]]
        u["after"] = text[u["end"]:u["end"] + CONTEXT]
        for marks in u["marks"].values():
            for m in marks:
                m["text"] = text[m["start"]:m["end"]]
                m["case"] = names.get(m["case_id"]) if m["case_id"] is not None else None


def decide(store: Store, user: User, *, source_id: int, code: str, start: int, end: int,
           take: int | None = None, absent: bool = False, memo: str | None = None,
           sample: str | None = None, coders: list[str] | None = None,
           overlap: float = 0.5) -> dict[str, Any]:
    """Decide the unit of ``code`` at ``start``..``end`` of a source: there, as the coding
    ``take`` marks it, or ``absent``. Replaces an earlier decision on the unit."""
    user.require("code", "only coders and admins decide the consensus")
    if (take is None) == (not absent):
        raise UsageError("decide with either the coding to take, or absent")
    _check_overlap(overlap)
    if source_id in hidden_from(store, user):
        raise PermissionDenied("this source is in a blind sample still open")
    scope = scope_of(store, sample=sample, coders=coders)
    book = active_codebook(store)
    if book.top_level_of(code) != code:
        raise UsageError(f"'{code}' is not a top-level code of the active codebook")
    if scope.sources is not None and source_id not in scope.sources:
        raise UsageError(f"source {source_id} is not in sample '{scope.sample}'")
    with store.session() as tx:
        check_span(tx, source_id, start, end)
        if take is not None:
            taken = tx.coding(take)
            if (taken["source_id"] != source_id or taken["coder"] not in scope.coders
                    or taken["status"] != "accepted"
                    or book.top_level_of(taken["code"]) != code):
                raise UsageError(f"coding {take} is not a coder's {code} on source "
                                 f"{source_id}; reload the page")
            row = {"start": taken["start"], "end": taken["end"], "code": taken["code"],
                   "case_id": taken["case_id"], "status": "accepted"}
        else:
            row = {"start": start, "end": end, "code": code, "case_id": None,
                   "status": "rejected"}
        before = tx.decisions([source_id])
        adopted = [] if before else _adopt(tx, book, user, scope, overlap, set(), [source_id])
        replaced = [d for d in before if book.top_level_of(d["code"]) == code
                    and d["start"] < end and start < d["end"]]
        for d in replaced:
            tx.delete_coding(d["id"])
        [coding_id] = _insert(tx, user, [{**row, "source_id": source_id,
                                          "memo": memo or None}])
        after = tx.coding(coding_id)
        tx.log_event(user.username, "consensus.decide", "coding", coding_id,
                     before={"replaced": replaced} if replaced else None, after=after)
    return {**after, "replaced": len(replaced), "adopted": len(adopted)}


def adopt(store: Store, user: User, *, sample: str | None = None,
          coders: list[str] | None = None, overlap: float = 0.5) -> dict[str, Any]:
    """Take every unit the coders agree on, and nobody decided, into the consensus."""
    user.require("code", "only coders and admins decide the consensus")
    _check_overlap(overlap)
    scope = scope_of(store, sample=sample, coders=coders)
    hidden = hidden_from(store, user)
    book = active_codebook(store)
    with store.session() as tx:
        ids = _adopt(tx, book, user, scope, overlap, hidden)
        if ids:
            tx.log_event(user.username, "consensus.adopt", "coding", None,
                         after={"codings": ids, **scope.describe()})
    return {"adopted": len(ids), **scope.describe()}


def _adopt(tx: StoreSession, book: Codebook, user: User, scope: Scope, overlap: float,
           hidden: set[int], source_ids: list[int] | None = None) -> list[int]:
    agreed = [u for u in _units(tx, book, scope, hidden, overlap, source_ids=source_ids)
              if _state(u) == "agreed"]
    rows = []
    for u in agreed:
        marks = [m for v in u["marks"].values() for m in v]
        rows.append({"source_id": u["source_id"], "start": u["start"], "end": u["end"],
                     "code": marks[0]["code"], "case_id": marks[0]["case_id"],
                     "status": "accepted",
                     "memo": f"agreed by {', '.join(sorted(u['marks']))}"})
    return _insert(tx, user, rows)


def _insert(tx: StoreSession, user: User, rows: list[dict[str, Any]]) -> list[int]:
    found = tx.active_codebook()
    assert found is not None
    return tx.add_codings([{
        **r, "codebook_version_id": found[0], "coder": CONSENSUS,
        "coder_kind": "human", "user_id": user.id or None, "decided_by": user.username}
        for r in rows])


def withdraw(store: Store, user: User, coding_id: int) -> dict[str, Any]:
    """Take a consensus decision back; the unit is open (or agreed) again."""
    user.require("code", "only coders and admins decide the consensus")
    with store.session() as tx:
        before = tx.coding(coding_id)
        if before["coder"] != CONSENSUS:
            raise UsageError(f"coding {coding_id} is not a consensus decision")
        if before["source_id"] in hidden_from(store, user):
            raise PermissionDenied("this source is in a blind sample still open")
        tx.delete_coding(coding_id)
        tx.log_event(user.username, "consensus.withdraw", "coding", coding_id, before=before)
    return before
