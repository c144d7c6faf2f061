"""Bytes to text: BOM-aware, strict UTF-8 by default, with errors that say where and what to do."""

from __future__ import annotations

import codecs

from exitlens.errors import SourceError

BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
        (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
        (codecs.BOM_UTF16_BE, "utf-16"))


def decode_bytes(data: bytes, origin: str, encoding: str | None = None) -> str:
    """Decode a file's bytes; newlines become '\\n'."""
    if encoding is None:
        encoding = next((name for bom, name in BOMS if data.startswith(bom)), "utf-8")
        if encoding == "utf-8" and b"\x00" in data[:8192]:
            raise SourceError(origin, "looks like a binary file, not text; convert it to a "
                                      "supported format (txt, md, html, pdf, docx, csv, jsonl)")
    try:
        text = data.decode(encoding)
    except LookupError:
        raise SourceError(origin, f"unknown encoding '{encoding}'; use a name such as utf-8, "
                                  "cp1252 or latin-1") from None
    except UnicodeDecodeError as exc:
        line = data[:exc.start].count(b"\n") + 1
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        column = len(data[line_start:exc.start].decode(encoding, errors="replace")) + 1
        bad = data[exc.start:exc.start + 1].hex()
        raise SourceError(origin, f"not valid {encoding} (byte 0x{bad} at line {line}, column "
                                  f"{column}); save the file as UTF-8, or pass its encoding, "
                                  "e.g. --encoding cp1252", line=line) from None
    # An explicit --encoding utf-8 keeps a BOM; it would hide front matter and a first column.
    text = text.removeprefix("\ufeff")
    return text.replace("\r\n", "\n").replace("\r", "\n")
