"""The project's codebook: the active version, adding a version, validating files."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from exitlens.codebook import Codebook, load_codebook_file, parse_codebook
from exitlens.errors import ProjectError, UsageError
from exitlens.services.project import store_codebook
from exitlens.services.users import User
from exitlens.storage import Store


def active_codebook(store: Store) -> Codebook:
    with store.session() as tx:
        found = tx.active_codebook()
    if found is None:
        raise ProjectError("this project has no active codebook; add one with "
                           "`exitlens codebook load FILE`")
    return _parsed(found[1])


@lru_cache(maxsize=4)
def _parsed(content: str) -> Codebook:
    """Parsing takes tens of milliseconds; a codebook version's content never changes."""
    return parse_codebook(content, file="stored codebook")


def load_codebook(store: Store, path: Path, actor: str) -> tuple[Codebook, int]:
    """Validate a codebook file and make it the project's active codebook version."""
    book, content = load_codebook_file(path)
    with store.session() as tx:
        version_id = store_codebook(tx, book, content, actor)
    return book, version_id


def codebook_versions(store: Store) -> list[dict[str, Any]]:
    with store.session() as tx:
        return tx.codebook_versions()


EDITS = ("add", "rename", "move", "merge")


def edit_codebook(store: Store, user: User, operation: str, args: dict[str, Any]
                  ) -> dict[str, Any]:
    """Change the active codebook as a new version (admins only): ``add`` a code (``id``,
    ``name``, ``definition``, optional ``parent``, ``kind`` for a new top-level code),
    ``rename`` it (``code``, ``name``), ``move`` a sub-code under another ``parent``, or
    ``merge`` a ``code`` into another (``into``). Codings follow moved and merged codes, in the
    same transaction."""
    user.require("admin", "only admins change the codebook")
    if operation not in EDITS:
        raise UsageError(f"operation must be one of {', '.join(EDITS)}")
    book = active_codebook(store)
    data = book.model_dump(mode="json")
    renames = _apply(book, data, operation, args)
    for claim in data.get("propaganda_claims", []):  # claims name top-level codes only
        claim["answered_by"] = list(dict.fromkeys(
            renames.get(code, (code, False))[0] for code in claim["answered_by"]))
    with store.session() as tx:
        taken = {v["version"] for v in tx.codebook_versions() if v["key"] == book.id}
    data["version"] = _next_version(book.version, taken)
    content = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    new_book = parse_codebook(content, file="edited codebook")
    with store.session() as tx:
        version_id = store_codebook(tx, new_book, content, user.username)
        moved = {old: tx.recode(old, new, keep_tail=tail)
                 for old, (new, tail) in renames.items()}
        tx.log_event(user.username, f"codebook.{operation}", "codebook_version", version_id,
                     before={"version": book.version},
                     after={"version": new_book.version, **args, "codings_moved": moved})
    return {"version": new_book.version, "codings_moved": moved}


def _apply(book: Codebook, data: dict[str, Any], operation: str, args: dict[str, Any]
           ) -> dict[str, tuple[str, bool]]:
    """Edit ``data`` (the codebook as plain data) in place; returns, for each code whose
    codings must follow, its new id and whether its sub-codes keep their own tails (a move)
    or fold into the new code (a merge)."""
    def need(key: str) -> str:
        value = str(args.get(key) or "").strip()
        if not value:
            raise UsageError(f"{operation} needs '{key}'")
        return value

    def node(code: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
        """The list holding the code, and the code."""
        stack = [data["codes"], data["context_codes"]]
        while stack:
            items = stack.pop()
            for item in items:
                if item["id"] == code:
                    return items, item
                stack.append(item["children"])
        raise UsageError(f"'{code}' is not a code of the active codebook")

    if operation == "rename":
        node(need("code"))[1]["name"] = need("name")
        return {}
    if operation == "add":
        parent = str(args.get("parent") or "").strip()
        new_id = f"{parent}.{need('id')}" if parent else need("id")
        if book.find(new_id) is not None:
            raise UsageError(f"there is already a code '{new_id}'")
        spec = {"id": new_id, "name": need("name"), "definition": need("definition"),
                "children": []}
        if parent:
            node(parent)[1]["children"].append(spec)
        else:
            kind = str(args.get("kind") or "reason")
            if kind not in ("reason", "context"):
                raise UsageError("kind is reason or context")
            spec["group"] = args.get("group") or ("context" if kind == "context" else "other")
            data["codes" if kind == "reason" else "context_codes"].append(spec)
        return {}
    code = need("code")
    holder, spec = node(code)
    if operation == "move":
        parent = need("parent")
        if "." not in code:
            raise UsageError("only sub-codes move; top-level ids are a stable contract")
        if parent == code or parent.startswith(code + "."):
            raise UsageError("a code cannot move under itself")
        if book.top_level_of(parent) != book.top_level_of(code) and \
                (parent in book.context_ids) != (book.top_level_of(code) in book.context_ids):
            raise UsageError("a reason code cannot move under a context code, nor back")
        new_id = f"{parent}.{code.rsplit('.', 1)[1]}"
        if book.find(new_id) is not None:
            raise UsageError(f"there is already a code '{new_id}'")
        holder.remove(spec)
        _reprefix(spec, code, new_id)
        node(parent)[1]["children"].append(spec)
        return {code: (new_id, True)}
    into = need("into")
    if into == code or into.startswith(code + "."):
        raise UsageError("a code cannot merge into itself or its own sub-code")
    kinds = {c: (book.top_level_of(c) in book.context_ids) for c in (code, into)}
    if book.find(into) is None:
        raise UsageError(f"'{into}' is not a code of the active codebook")
    if kinds[code] != kinds[into]:
        raise UsageError("a reason code cannot merge into a context code, nor back")
    holder.remove(spec)
    target = node(into)[1]
    target["examples"] = [*target.get("examples", []), *spec.get("examples", [])]
    target["patterns"] = [*target.get("patterns", []), *spec.get("patterns", [])]
    return {code: (into, False)}


def _reprefix(spec: dict[str, Any], old: str, new: str) -> None:
    spec["id"] = new + spec["id"][len(old):]
    for child in spec["children"]:
        _reprefix(child, old, new)


def _next_version(version: str, taken: set[str]) -> str:
    parts = version.split(".")
    if len(parts) == 3 and all(p.isdigit() for p in parts):
        major, minor, patch = map(int, parts)
        while True:
            patch += 1
            candidate = f"{major}.{minor}.{patch}"
            if candidate not in taken:
                return candidate
    n = 1
    while f"{version}-edit{n}" in taken:
        n += 1
    return f"{version}-edit{n}"
