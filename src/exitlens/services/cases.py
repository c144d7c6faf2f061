"""Case records: read, edit attributes (DOMAIN.md section 5), restricted identity, merge.

Coders and admins edit attributes; only admins read or change the restricted identity (names,
aliases, exact places, photos), and each such read or change is logged without the values.
Merging two cases that are one person moves the codings and sources of one onto the other.
"""

from __future__ import annotations

import re
from typing import Any

from exitlens.aggregate.regions import is_country
from exitlens.errors import UsageError
from exitlens.records import MEDIA
from exitlens.services.samples import hidden_from
from exitlens.services.users import User
from exitlens.storage import Store

CHOICES = {
    "gender": ("female", "male", "unknown", "not_applicable"),
    "local_or_foreign": ("local", "foreign", "unknown", "not_applicable"),
    "exit_type": ("defected", "escaped", "captured", "surrendered", "repatriated", "unknown"),
    "account_medium": MEDIA,
    "reprisal_risk": ("low", "medium", "high", "unknown"),
}
TEXTS = {"label": 300, "age_band": 20, "group_left": 200, "roles": 2000, "exit_route": 2000,
         "current_status": 100, "post_exit_stance": 100, "notes": 10_000}
DATES = ("join_date", "exit_date", "account_date")
COUNTRIES = ("country_of_origin", "citizenship")
IDENTITY = ("names", "aliases", "exact_places", "photo_refs", "notes")
EDITABLE = ("label", "gender", "birth_year", "age_band", "country_of_origin", "citizenship",
            "local_or_foreign", "group_left", "roles", "join_date", "exit_date", "exit_type",
            "exit_route", "account_date", "account_medium", "current_status",
            "post_exit_stance", "reprisal_risk", "notes")
DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
PRECISION = {4: "year", 7: "month", 10: "day"}


def get_case(store: Store, user: User, pseudonym: str) -> dict[str, Any]:
    user.require("read")
    hidden = hidden_from(store, user)
    with store.session() as tx:
        case = tx.case(pseudonym)
        case["codings"] = [c for c in tx.codings_of_cases([case["id"]])
                           if c["source_id"] not in hidden or c["coder"] == user.username]
    return case


def case_identity(store: Store, user: User, pseudonym: str) -> dict[str, Any]:
    """The restricted fields: admins only, and the read is logged."""
    user.require("admin")
    with store.session() as tx:
        case = tx.case(pseudonym)
        identity = tx.identity(case["id"])
        tx.log_event(user.username, "case.read_identity", "case", pseudonym)
    return identity


def update_case(store: Store, user: User, pseudonym: str, changes: dict[str, Any]
                ) -> dict[str, Any]:
    """Change unrestricted attributes; values are checked and empty text means unknown."""
    user.require("code")
    values = {key: _checked(key, value) for key, value in changes.items()}
    for key in ("join_date", "exit_date"):  # the account date has no precision column
        if key in values:
            values[f"{key}_precision"] = PRECISION[len(values[key])] if values[key] else None
    with store.session() as tx:
        before = tx.case(pseudonym)
        tx.update_case(before["id"], values)
        after = tx.case(pseudonym)
        tx.log_event(user.username, "case.update", "case", pseudonym,
                     before={k: before[k] for k in values}, after=values)
    return after


def update_identity(store: Store, user: User, pseudonym: str, changes: dict[str, Any]
                    ) -> None:
    user.require("admin")
    unknown = set(changes) - set(IDENTITY)
    if unknown:
        raise UsageError(f"not a restricted field: {', '.join(sorted(unknown))}")
    values = {k: (v if k == "notes" else [str(x).strip() for x in v or () if str(x).strip()])
              for k, v in changes.items()}
    with store.session() as tx:
        case = tx.case(pseudonym)
        tx.set_identity(case["id"], values)
        tx.log_event(user.username, "case.update_identity", "case", pseudonym,
                     after={"fields": sorted(values)})


def merge_cases(store: Store, user: User, keep: str, gone: str) -> dict[str, Any]:
    """``gone`` turns out to be the same person as ``keep``: its codings, sources and
    identity move to ``keep`` and ``gone`` is deleted."""
    user.require("code")
    if keep == gone:
        raise UsageError("a case cannot be merged with itself")
    with store.session() as tx:
        kept, lost = tx.case(keep), tx.case(gone)
        moved = tx.merge_cases(kept["id"], lost["id"])
        tx.log_event(user.username, "case.merge", "case", keep,
                     before={"merged": gone, "attributes": {k: v for k, v in lost.items()
                                                            if k != "id"}},
                     after={"codings_moved": moved["codings"]})
        return tx.case(keep)


def _checked(key: str, value: Any) -> Any:
    if key == "collective":
        if not isinstance(value, bool):
            raise UsageError("collective is true or false")
        return value
    if key == "birth_year":
        if value in (None, ""):
            return None
        if not isinstance(value, int) or not 1900 <= value <= 2030:
            raise UsageError("birth_year is a year between 1900 and 2030")
        return value
    if not (value is None or isinstance(value, str)):
        raise UsageError(f"{key} is text")
    text = (value or "").strip() or None
    if key in CHOICES:
        if text is not None and text not in CHOICES[key]:
            raise UsageError(f"{key} is one of {', '.join(CHOICES[key])}")
        return text if key != "gender" else (text or "unknown")
    if key in COUNTRIES:
        if text is not None and not is_country(text.upper()):
            raise UsageError(f"{key} is an ISO 3166-1 alpha-2 code such as FR, not '{text}'")
        return text.upper() if text else None
    if key in DATES:
        if text is not None and not DATE.match(text):
            raise UsageError(f"{key} is YYYY, YYYY-MM or YYYY-MM-DD, not '{text}'")
        return text
    if key in TEXTS:
        if text is not None and len(text) > TEXTS[key]:
            raise UsageError(f"{key} is at most {TEXTS[key]} characters")
        return text
    raise UsageError(f"'{key}' is not an attribute a case can be given here")
