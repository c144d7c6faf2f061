"""Read and write codebooks as YAML, with errors that name the line and the field."""

from __future__ import annotations

import json
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from exitlens.codebook.model import Codebook, CodeSpec
from exitlens.errors import CodebookError

Path_ = tuple[Any, ...]
DEFAULT_CODEBOOK = "default.yaml"


def default_codebook_text() -> str:
    return resources.files("exitlens.codebook").joinpath(DEFAULT_CODEBOOK).read_text("utf-8")


def load_default_codebook() -> Codebook:
    return parse_codebook(default_codebook_text(), file="exitlens/codebook/default.yaml")


def load_codebook_file(path: Path) -> tuple[Codebook, str]:
    """Parse a codebook file; returns the codebook and its text as read."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CodebookError("no such file; check the path", file=str(path)) from None
    except UnicodeDecodeError as exc:
        raise CodebookError(f"not UTF-8 text ({exc.reason} at byte {exc.start}); save it as "
                            "UTF-8", file=str(path)) from None
    except OSError as exc:
        raise CodebookError(f"cannot read it ({exc.strerror})", file=str(path)) from None
    return parse_codebook(text, file=str(path)), text


def parse_codebook(text: str, *, file: str = "<codebook>") -> Codebook:
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        raise CodebookError(f"not valid YAML: {exc.problem or exc.context}", file=file,
                            line=line) from None
    if root is None:
        raise CodebookError("the file is empty; start from `exitlens codebook export`",
                            file=file)
    lines: dict[Path_, int] = {}
    data = _to_python(root, (), lines, file, yaml.constructor.SafeConstructor())
    if not isinstance(data, dict):
        raise CodebookError("the top level must be a mapping (id, name, version, codes, ...)",
                            file=file, line=1)
    try:
        book = Codebook.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        # a misspelt key shows up as "missing" plus "unknown": the unknown one says more
        err = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
        loc = tuple(err["loc"])
        raise CodebookError(_explain(err), file=file, line=_line_of(loc, lines),
                            field=_dotted(loc)) from None
    _check_semantics(book, file, lines)
    return book


def _to_python(node: yaml.Node, path: Path_, lines: dict[Path_, int], file: str,
               constructor: yaml.constructor.SafeConstructor) -> Any:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if key in out:
                raise CodebookError(f"the key '{key}' appears twice", file=file,
                                    line=key_node.start_mark.line + 1)
            lines[(*path, key)] = key_node.start_mark.line + 1
            out[key] = _to_python(value_node, (*path, key), lines, file, constructor)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_to_python(item, (*path, i), lines, file, constructor)
                for i, item in enumerate(node.value)]
    return constructor.construct_object(node, deep=True)


def _line_of(loc: Path_, lines: dict[Path_, int]) -> int | None:
    for cut in range(len(loc), -1, -1):
        if loc[:cut] in lines:
            return lines[loc[:cut]]
    return None


def _dotted(loc: Iterable[Any]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _explain(err: Any) -> str:
    kind = err["type"]
    if kind == "missing":
        return "this field is required"
    if kind == "extra_forbidden":
        return "unknown field; check its spelling against `exitlens codebook export`"
    if kind == "string_pattern_mismatch":
        pattern = err.get("ctx", {}).get("pattern", "")
        if "#" in pattern:
            return "must be a colour like '#1f77b4'"
        return ("must be lower case letters, digits and underscores, with '.' between a parent "
                "id and a child id")
    return str(err["msg"])


def _check_semantics(book: Codebook, file: str, lines: dict[Path_, int]) -> None:
    seen: dict[str, Path_] = {}
    group_ids = {g.id for g in book.groups}

    def check(spec: CodeSpec, path: Path_, parent: str | None) -> None:
        where = {"file": file, "line": _line_of((*path, "id"), lines)}
        if spec.id in seen:
            raise CodebookError(f"the code id '{spec.id}' is used twice (also at line "
                                f"{_line_of(seen[spec.id], lines)}); ids must be unique",
                                field=_dotted((*path, "id")), **where)  # type: ignore[arg-type]
        seen[spec.id] = (*path, "id")
        if parent is not None and not spec.id.startswith(parent + "."):
            raise CodebookError(f"a child of '{parent}' must have an id starting with "
                                f"'{parent}.'", field=_dotted((*path, "id")),
                                **where)  # type: ignore[arg-type]
        if parent is None and "." in spec.id:
            raise CodebookError("a top-level id cannot contain '.'; put the code under "
                                "'children' of its parent", field=_dotted((*path, "id")),
                                **where)  # type: ignore[arg-type]
        if spec.group is not None and group_ids and spec.group not in group_ids:
            raise CodebookError(f"unknown group '{spec.group}'; declare it under 'groups' or "
                                f"use one of: {', '.join(sorted(group_ids))}",
                                field=_dotted((*path, "group")), file=file,
                                line=_line_of((*path, "group"), lines))
        for i, child in enumerate(spec.children):
            check(child, (*path, "children", i), spec.id)

    for key, specs in (("codes", book.codes), ("context_codes", book.context_codes)):
        for i, spec in enumerate(specs):
            check(spec, (key, i), None)
    for i, claim in enumerate(book.propaganda_claims):
        for j, code in enumerate(claim.answered_by):
            if code not in seen:
                path = ("propaganda_claims", i, "answered_by", j)
                raise CodebookError(f"'{code}' is not a code of this codebook", file=file,
                                    line=_line_of(path, lines), field=_dotted(path))


def codebook_to_data(book: Codebook) -> dict[str, Any]:
    return book.model_dump(mode="json", exclude_defaults=False)


def dump_codebook(book: Codebook, fmt: str = "yaml") -> str:
    data = codebook_to_data(book)
    if fmt == "json":
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if fmt == "yaml":
        return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=96)
    raise CodebookError(f"unknown export format '{fmt}'; use yaml or json")
