"""Gold files: JSON Lines of labelled documents (see examples/README.md for the format)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from exitlens.errors import SourceError
from exitlens.records import GoldCase, GoldDocument, LabelledSpan

GENDERS = ("female", "male", None)


def load_gold(path: Path) -> list[GoldDocument]:
    """Read and check a gold file; errors name the line and what is wrong."""
    origin = str(path)
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        raise SourceError(origin, "no such gold file; check the path") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SourceError(origin, f"cannot be read as UTF-8 text ({exc})") from None
    documents = []
    seen: set[str] = set()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
            document = _document(data)
        except json.JSONDecodeError as exc:
            raise SourceError(origin, f"not valid JSON ({exc.msg})", line=number) from None
        except (KeyError, TypeError, ValueError) as exc:
            raise SourceError(origin, f"not a gold document: {_reason(exc)}",
                              line=number) from None
        if document.source in seen:
            raise SourceError(origin, f"'{document.source}' is labelled twice", line=number)
        seen.add(document.source)
        documents.append(document)
    if not documents:
        raise SourceError(origin, "holds no gold documents")
    return documents


def _reason(exc: Exception) -> str:
    if isinstance(exc, KeyError):
        return f"the field {exc.args[0]!r} is missing"
    return str(exc)


def _spans(items: list[dict[str, Any]]) -> tuple[LabelledSpan, ...]:
    spans = []
    for item in items:
        for evidence in item.get("evidence", []):
            start, end = int(evidence["start"]), int(evidence["end"])
            if not 0 <= start < end:
                raise ValueError(f"evidence of {item['code']} has start {start}, end {end}")
            spans.append(LabelledSpan(start, end, str(item["code"])))
    return tuple(spans)


def _document(data: dict[str, Any]) -> GoldDocument:
    if not isinstance(data, dict):
        raise TypeError("each line must be a JSON object")
    cases = []
    for case in data.get("cases", []):
        gender = case.get("gender")
        if gender not in GENDERS:
            raise ValueError(f"gender {gender!r} must be female, male or null")
        country = case.get("country")
        if country is not None and not (isinstance(country, str) and len(country) == 2):
            raise ValueError(f"country {country!r} must be an ISO 3166-1 alpha-2 code or null")
        cases.append(GoldCase(label=str(case["label"]), gender=gender, country=country,
                              collective=bool(case.get("collective", False)),
                              codes=_spans(case.get("codes", [])),
                              context=_spans(case.get("context", [])),
                              group_left=case.get("group_left"),
                              exit_year=case.get("exit_year")))
    relevant = data["relevant"]
    if not isinstance(relevant, bool):
        raise ValueError("'relevant' must be true or false")
    return GoldDocument(source=str(data["source"]), relevant=relevant,
                        language=data.get("language"), cases=tuple(cases),
                        genre=data.get("genre"), notes=data.get("notes"))
