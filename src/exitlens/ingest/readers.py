"""Files and tables to Documents: txt, md, html, pdf, docx, csv/tsv, jsonl.

Each reader takes one file and returns its documents and row-level warnings, or raises
SourceError for a problem that stops the whole file (nothing of it is imported then).
"""

from __future__ import annotations

import csv
import io
import json
import os
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from exitlens.errors import SourceError
from exitlens.ingest.decode import decode_bytes
from exitlens.ingest.fields import build_document, find_column
from exitlens.records import SOURCE_FIELDS, Document, Problem

FORMATS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md", ".html": "html",
           ".htm": "html", ".pdf": "pdf", ".docx": "docx", ".csv": "csv", ".tsv": "csv",
           ".jsonl": "jsonl", ".ndjson": "jsonl"}
TABLE_FORMATS = ("csv", "jsonl")


@dataclass(frozen=True)
class ReadOptions:
    """How to read inputs. ``columns`` maps a source field to a column of a table."""

    encoding: str | None = None
    max_bytes: int = 25 * 1024 * 1024
    text_column: str | None = None
    columns: Mapping[str, str] = field(default_factory=dict)


@dataclass
class FileResult:
    origin: str
    documents: list[Document] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def iter_inputs(paths: Sequence[str]) -> Iterator[tuple[str, Path] | Problem]:
    """Files named, and the supported files inside folders named, in a stable order."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            for root, dirs, files in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if name.startswith("."):
                        continue
                    child = Path(root) / name
                    if child.suffix.lower() in FORMATS:
                        yield str(child), child
                    else:
                        yield Problem(str(child), f"skipped: '{child.suffix or name}' is not a "
                                      "supported format", severity="skipped")
        elif path.exists():
            yield given, path
        else:
            yield Problem(given, "no such file or folder; check the path")


def read_file(origin: str, path: Path, options: ReadOptions) -> FileResult:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise SourceError(origin, f"'{path.suffix or path.name}' is not a supported format; "
                                  "use txt, md, html, pdf, docx, csv, tsv or jsonl")
    size = _size(origin, path)
    if size > options.max_bytes:
        raise SourceError(origin, f"is {_size_text(size)}, over the "
                                  f"{_size_text(options.max_bytes)} limit; split it, or raise the "
                                  "limit with --max-file-mb")
    if size == 0:
        raise SourceError(origin, "is empty (0 bytes); check that it was saved completely, or "
                                  "leave it out")
    result = FileResult(origin)
    reader = READERS[fmt]
    for doc, row_warnings, line in reader(origin, path, options):
        result.problems.extend(Problem(origin, w, "warning", line) for w in row_warnings)
        if doc is not None:
            result.documents.append(doc)
    if not result.documents and not result.problems:
        raise SourceError(origin, "holds no rows or text to import; check that it was saved "
                                  "completely, or leave it out")
    return result


Row = tuple[Document | None, list[str], int | None]


def _size_text(size: int) -> str:
    return f"{size / 2**20:.1f} MB" if size >= 2**20 else f"{size:,} bytes"


def _size(origin: str, path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError as exc:
        raise SourceError(origin, f"cannot be read ({exc.strerror})") from None


def _read_bytes(origin: str, path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SourceError(origin, f"cannot be read ({exc.strerror or exc}); check its permissions"
                          ) from None


def _require_text(origin: str, text: str,
                  hint: str = " (only blank space); add the text, or leave the file out") -> str:
    text = text.strip()
    if not text:
        raise SourceError(origin, f"holds no text{hint}")
    return text


def split_front_matter(text: str, origin: str) -> tuple[dict[str, Any], str]:
    """YAML front matter between '---' lines at the very top, and the body (stripped)."""
    if not text.startswith("---\n"):
        return {}, text.strip()
    end = text.find("\n---\n", 3)
    if end == -1:
        end = text.find("\n...\n", 3)
    if end == -1:
        if text.rstrip().endswith("\n---"):
            end = len(text.rstrip()) - 4
        else:
            raise SourceError(origin, "front matter opened with '---' on line 1 is never "
                                      "closed; add a line '---' after it", line=1)
    try:
        meta = yaml.safe_load(text[4:end + 1]) or {}
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 2 if exc.problem_mark else 1
        raise SourceError(origin, f"front matter is not valid YAML ({exc.problem})",
                          line=line) from None
    if not isinstance(meta, dict):
        raise SourceError(origin, "front matter must be 'key: value' lines", line=2)
    return meta, text[end + 5:].strip()


def _read_plain(origin: str, path: Path, options: ReadOptions) -> Iterator[Row]:
    text = decode_bytes(_read_bytes(origin, path), origin, options.encoding)
    meta, body = split_front_matter(text, origin)
    fmt = FORMATS[path.suffix.lower()]
    doc, warns = build_document(_require_text(origin, body), origin, fmt, meta)
    yield doc, warns, None


def _read_html(origin: str, path: Path, options: ReadOptions) -> Iterator[Row]:
    import trafilatura

    data = _read_bytes(origin, path)
    html: bytes | str = data
    if options.encoding:
        html = decode_bytes(data, origin, options.encoding)
    extracted = trafilatura.bare_extraction(html, with_metadata=True, include_comments=False,
                                            include_tables=True, favor_precision=True)
    found: dict[str, Any] = {}
    if extracted is not None:
        found = extracted if isinstance(extracted, dict) else extracted.as_dict()
    text = _require_text(origin, found.get("text") or "",
                         ": no article text found in the page (menus and boilerplate are left "
                         "out); save the article itself, or paste it into a .txt file")
    meta = {"title": found.get("title"), "author": found.get("author"),
            "url": found.get("url"), "outlet": found.get("sitename"),
            "published": found.get("date"), "hostname": found.get("hostname"),
            "description": found.get("description")}
    doc, warns = build_document(text, origin, "html", meta)
    yield doc, warns, None


def _read_pdf(origin: str, path: Path, options: ReadOptions) -> Iterator[Row]:
    from pypdf import PdfReader

    data = _read_bytes(origin, path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted and not reader.decrypt(""):
                raise SourceError(origin, "is an encrypted PDF that needs a password; save an "
                                          "unprotected copy and import that")
            pages = [page.extract_text() or "" for page in reader.pages]
            info: Any = reader.metadata or {}
    except SourceError:
        raise
    except Exception as exc:  # pypdf raises many types on damaged files
        raise SourceError(origin, f"is not a readable PDF ({type(exc).__name__}: "
                                  f"{str(exc)[:120]}); it may be damaged or truncated") from None
    text = _require_text(origin, "\n\n".join(p.strip() for p in pages if p.strip()),
                         ": the PDF has no text layer (a scan?); run OCR on it first")
    meta = {"title": info.get("/Title"), "author": info.get("/Author"),
            "file_created": _pdf_date(info.get("/CreationDate")), "pages": len(pages)}
    doc, warns = build_document(text, origin, "pdf", meta)
    yield doc, warns, None


def _pdf_date(value: Any) -> str | None:
    text = str(value or "")
    if text.startswith("D:") and len(text) >= 10:
        return f"{text[2:6]}-{text[6:8]}-{text[8:10]}"
    return None


def _read_docx(origin: str, path: Path, options: ReadOptions) -> Iterator[Row]:
    import docx

    data = _read_bytes(origin, path)
    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises zip, XML and package errors alike
        raise SourceError(origin, f"is not a readable .docx ({type(exc).__name__}); it may be "
                                  "damaged, password-protected or an old .doc file: re-save it "
                                  "as .docx without a password") from None
    parts = [p.text.strip() for p in document.paragraphs if p.text.strip()]
    for table in document.tables:
        for row in table.rows:
            cells = [c.text.strip() for c in row.cells if c.text.strip()]
            if cells:
                parts.append(" | ".join(cells))
    text = _require_text(origin, "\n\n".join(parts))
    props = document.core_properties
    created = props.created.date().isoformat() if props.created else None
    meta = {"title": props.title, "author": props.author, "file_created": created}
    doc, warns = build_document(text, origin, "docx", meta)
    yield doc, warns, None


def _table_meta(row: Mapping[str, Any], text_key: str,
                options: ReadOptions) -> dict[str, Any]:
    # Mapped columns go first so they win over columns whose names are aliases of the same field.
    meta: dict[str, Any] = {fld: row.get(col) for fld, col in options.columns.items()}
    mapped = set(options.columns.values())
    for key, value in row.items():
        if key == text_key or key in mapped:
            continue
        meta[f"{key} (column)" if key in meta else key] = value
    return meta


def _check_columns(origin: str, columns: list[str], options: ReadOptions) -> str:
    text_key = find_column(columns, "text", options.text_column)
    if text_key is None:
        wanted = (f"column '{options.text_column}'" if options.text_column
                  else "text column (text, body, content, ...)")
        raise SourceError(origin, f"has no {wanted}; its columns are: "
                                  f"{', '.join(columns) or '(none)'}. Name the text column with "
                                  "--text-column", line=1)
    for fld, col in options.columns.items():
        if fld not in SOURCE_FIELDS:
            raise SourceError(origin, f"--column {fld}={col}: '{fld}' is not a source field; "
                                      f"use one of {', '.join(SOURCE_FIELDS)}")
        if col not in columns:
            raise SourceError(origin, f"--column {fld}={col}: there is no column '{col}'; its "
                                      f"columns are: {', '.join(columns)}", line=1)
    return text_key


def _read_csv(origin: str, path: Path, options: ReadOptions) -> Iterator[Row]:
    text = decode_bytes(_read_bytes(origin, path), origin, options.encoding)
    delimiter = "\t" if path.suffix.lower() == ".tsv" else _sniff_delimiter(text)
    csv.field_size_limit(max(options.max_bytes, 131072))
    # csv.reader, not DictReader: DictReader skips blank lines unseen and the line count drifts.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[Row] = []
    try:
        columns = next((values for values in reader if values), [])
        text_key = _check_columns(origin, columns, options)
        line = reader.line_num + 1
        for values in reader:
            if len(values) > len(columns):
                raise SourceError(origin, f"has {len(values)} fields where the header has "
                                          f"{len(columns)}; check quotes and delimiters on that "
                                          "row", line=line)
            if values:
                rows.append(_table_row(origin, "csv", dict(zip(columns, values, strict=False)),
                                       text_key, options, line))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise SourceError(origin, f"is not a readable CSV table ({exc})",
                          line=reader.line_num) from None
    yield from rows


def _sniff_delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in (",", ";", "\t", "|")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _table_row(origin: str, fmt: str, row: Mapping[str, Any], text_key: str,
               options: ReadOptions, line: int) -> Row:
    value = row.get(text_key)
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        return None, [f"row skipped: the '{text_key}' field is empty"], line
    doc, warns = build_document(text, origin, fmt, _table_meta(row, text_key, options),
                                locator=f"line {line}")
    return doc, warns, line


def _read_jsonl(origin: str, path: Path, options: ReadOptions) -> Iterator[Row]:
    text = decode_bytes(_read_bytes(origin, path), origin, options.encoding)
    rows: list[Row] = []
    text_key: str | None = None
    for number, raw in enumerate(text.split("\n"), start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise SourceError(origin, f"is not valid JSON ({exc.msg}, column {exc.colno}); each "
                                      "line must hold one JSON object", line=number) from None
        if not isinstance(obj, dict):
            raise SourceError(origin, f"holds a JSON {type(obj).__name__}, not an object; each "
                                      "line must be one {\"text\": ...} object", line=number)
        if text_key is None:
            text_key = _check_columns(origin, list(obj), options)
        rows.append(_table_row(origin, "jsonl", obj, text_key, options, number))
    yield from rows


READERS = {"txt": _read_plain, "md": _read_plain, "html": _read_html, "pdf": _read_pdf,
           "docx": _read_docx, "csv": _read_csv, "jsonl": _read_jsonl}
