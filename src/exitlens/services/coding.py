"""Coding by people: add, change, delete and undo codings; review machine suggestions.

Every action checks the user's role (``User.can``), runs in one transaction and writes the
audit log with the coding before and after, which is also what undo reads. Deciding on a
suggestion only succeeds while it is still a suggestion, so two coders deciding at once
cannot overwrite each other: the second is told it was decided already.
"""

from __future__ import annotations

from typing import Any

from exitlens.errors import ConflictError, PermissionDenied, UsageError
from exitlens.services.codebooks import active_codebook
from exitlens.services.samples import hidden_from
from exitlens.services.users import User
from exitlens.storage import Store, StoreSession

NEW_CASE = "new"
UNDOABLE = ("coding.add", "coding.update", "coding.delete")
CONTEXT = 300


def _guard_blind(store: Store, user: User, coding: dict[str, Any]) -> None:
    """In an open blind sample, a coder touches only their own codings."""
    if coding["coder"] != user.username and coding["source_id"] in hidden_from(store, user):
        raise PermissionDenied("this source is in a blind sample: you see and change only "
                               "your own codings until the round is closed")


def _check_code(store: Store, code: str) -> None:
    if active_codebook(store).find(code) is None:
        raise UsageError(f"'{code}' is not a code of the active codebook")


def _case_id(tx: StoreSession, case: str | None, source_id: int, user: User) -> int | None:
    if not case:
        return None
    if case == NEW_CASE:
        [(case_id, _)] = tx.add_cases([{"created_by": f"coder:{user.username}",
                                        "source_id": source_id}])
        tx.log_event(user.username, "case.add", "case", case_id, after={"source": source_id})
        return case_id
    case_id = tx.case_id_of(case)
    tx.link_case(case_id, source_id)
    return case_id


def add_coding(store: Store, user: User, *, source_id: int, start: int, end: int, code: str,
               case: str | None = None, salience: int | None = None,
               memo: str | None = None) -> dict[str, Any]:
    """Code ``start``..``end`` of a source; ``case`` is a pseudonym, "new" or None."""
    user.require("code")
    _check_code(store, code)
    _check_salience(salience)
    with store.session() as tx:
        return _insert(tx, user, source_id=source_id, start=start, end=end, code=code,
                       case=case, salience=salience, memo=memo)


def _insert(tx: StoreSession, user: User, *, source_id: int, start: int, end: int, code: str,
            case: str | None, salience: int | None = None,
            memo: str | None = None) -> dict[str, Any]:
    check_span(tx, source_id, start, end)
    found = tx.active_codebook()
    assert found is not None
    [coding_id] = tx.add_codings([{
        "source_id": source_id, "start": start, "end": end, "code": code,
        "codebook_version_id": found[0], "case_id": _case_id(tx, case, source_id, user),
        "coder": user.username, "coder_kind": "human", "user_id": user.id,
        "status": "accepted", "salience": salience, "memo": memo or None}])
    coding = tx.coding(coding_id)
    tx.log_event(user.username, "coding.add", "coding", coding_id, after=coding)
    return coding


def update_coding(store: Store, user: User, coding_id: int, **changes: Any) -> dict[str, Any]:
    """Change a coding's code, case, salience, memo or span."""
    user.require("code")
    allowed = {"code", "case", "salience", "memo", "start", "end"}
    unknown = set(changes) - allowed
    if unknown:
        raise UsageError(f"cannot change {', '.join(sorted(unknown))} of a coding")
    if "code" in changes:
        _check_code(store, changes["code"])
    _check_salience(changes.get("salience"))
    with store.session() as tx:
        before = tx.coding(coding_id)
        _guard_blind(store, user, before)
        values = {k: v for k, v in changes.items() if k != "case"}
        if "start" in values or "end" in values:
            check_span(tx, before["source_id"], values.get("start", before["start"]),
                        values.get("end", before["end"]))
        if "case" in changes:
            values["case_id"] = _case_id(tx, changes["case"], before["source_id"], user)
        if values.get("memo") == "":
            values["memo"] = None
        tx.update_coding(coding_id, values)
        after = tx.coding(coding_id)
        tx.log_event(user.username, "coding.update", "coding", coding_id, before=before,
                     after=after)
    return after


def delete_coding(store: Store, user: User, coding_id: int) -> dict[str, Any]:
    user.require("code")
    with store.session() as tx:
        before = tx.coding(coding_id)
        _guard_blind(store, user, before)
        tx.delete_coding(coding_id)
        tx.log_event(user.username, "coding.delete", "coding", coding_id, before=before)
    return before


def undo(store: Store, user: User) -> dict[str, Any]:
    """Take back this user's last add, change or delete of a coding that is not undone yet."""
    user.require("code")
    with store.session() as tx:
        undone = {int(e["after"]["event"]) for e in tx.events(action="coding.undo", limit=500)
                  if e["actor"] == user.username and e["after"]}
        last = next((e for e in tx.events(entity="coding", limit=500)
                     if e["actor"] == user.username and e["action"] in UNDOABLE
                     and e["id"] not in undone), None)
        if last is None:
            raise UsageError("nothing of yours to undo")
        coding_id = int(last["entity_id"])
        if last["action"] == "coding.add":
            tx.delete_coding(coding_id)
        elif last["action"] == "coding.update":
            keep = ("code", "case_id", "salience", "memo", "start", "end", "status")
            tx.update_coding(coding_id, {k: last["before"][k] for k in keep})
        else:
            row = {k: last["before"][k] for k in (
                "source_id", "start", "end", "code", "case_id", "coder", "coder_kind",
                "user_id", "confidence", "status", "salience", "memo", "codebook_version_id")}
            [coding_id] = tx.add_codings([row])
        tx.log_event(user.username, "coding.undo", "coding", coding_id,
                     after={"event": last["id"], "undid": last["action"]})
    return {"undid": last["action"], "coding": coding_id}


def review_queue(store: Store, user: User, *, limit: int = 20, offset: int = 0,
                 code: str | None = None) -> tuple[list[dict[str, Any]], int]:
    """Machine suggestions, least certain first, each with its evidence and the text around."""
    user.require("read")
    hidden = hidden_from(store, user)
    with store.session() as tx:
        items, total = tx.review_queue(limit=limit, offset=offset, code=code,
                                       hidden=sorted(hidden))
        texts = tx.source_texts([i["source_id"] for i in items])
    for item in items:
        text = texts[item["source_id"]]
        item["evidence"] = text[item["start"]:item["end"]]
        item["before"] = text[max(0, item["start"] - CONTEXT):item["start"]]
        item["after"] = text[item["end"]:item["end"] + CONTEXT]
    return items, total


def decide(store: Store, user: User, coding_id: int, decision: str, *,
           code: str | None = None, case: str | None = None, start: int | None = None,
           end: int | None = None) -> dict[str, Any]:
    """Accept, reject or correct a machine suggestion. A correction rejects the suggestion
    and adds the person's own coding in its place."""
    user.require("code")
    if decision not in ("accept", "reject", "correct"):
        raise UsageError("decision must be accept, reject or correct")
    if code is not None:
        _check_code(store, code)
    with store.session() as tx:
        before = tx.coding(coding_id)
        _guard_blind(store, user, before)
        status = "accepted" if decision == "accept" else "rejected"
        if not tx.update_coding(coding_id, {"status": status, "user_id": user.id},
                                status="suggested"):
            raise ConflictError(f"coding {coding_id} was already decided ({before['status']}); "
                                "reload the queue")
        after = tx.coding(coding_id)
        tx.log_event(user.username, f"coding.{decision}", "coding", coding_id, before=before,
                     after=after)
        if decision != "correct":
            return after
        return _insert(tx, user, source_id=before["source_id"],
                       start=before["start"] if start is None else start,
                       end=before["end"] if end is None else end,
                       code=code or before["code"],
                       case=case if case is not None else before["case"])


def check_span(tx: StoreSession, source_id: int, start: int | None, end: int | None) -> None:
    """A span within the source's text, start before end (NotFoundError for no source)."""
    length = len(tx.get_source(source_id).text)
    if start is None or end is None or not 0 <= start < end <= length:
        raise UsageError(f"the span {start}-{end} is not within source {source_id} "
                         f"(0-{length}, start before end)")


def _check_salience(salience: int | None) -> None:
    if salience is not None and salience not in (1, 2, 3):
        raise UsageError("salience is 1 (mentioned), 2 (important) or 3 (decisive)")
