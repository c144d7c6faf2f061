"""Readers: each format to Documents; each bad input to a SourceError saying where and what to do.

Every fixture is written here, into tmp_path. All texts are fictional.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from exitlens.errors import SourceError
from exitlens.ingest import FileResult, ReadOptions, iter_inputs, read_file
from exitlens.ingest.dedupe import estimated_jaccard, lsh_buckets, minhash_signature
from exitlens.ingest.language import detect_language
from exitlens.records import Problem

STORY = ("Fictional account. Mara joined the movement at nineteen and left it four years later, "
         "after a friend was hurt at a rally.")
OTHER = "Fictional account. Tomas walked away from the group when his daughter was born."
FRONT = """---
title: Leaving the Circle
outlet: Example Gazette
author: Jane Fictional
published: 2 August 2015
url: https://news.example.org/leaving-the-circle
medium: Interview
language: EN
interviewer: R. Example
---
"""
HTML = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Leaving the Circle | Example Gazette</title>
<meta name="author" content="Jane Fictional">
<meta property="og:title" content="Leaving the Circle">
<meta property="og:site_name" content="Example Gazette">
<link rel="canonical" href="https://news.example.org/leaving-the-circle">
</head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World Desk</a></li>
<li><a href="/sport">Sport Pages</a></li></ul></nav>
<article><p>Fictional account. Mara joined the movement at nineteen and left it four years
later, after a friend was hurt at a rally.</p></article>
<footer><p>Copyright Example Gazette, all rights reserved.</p></footer>
</body></html>"""
NAV_ONLY = """<html><head><title>Example Gazette</title></head><body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/about">About us</a></li></ul></nav>
<footer>Copyright 2020 Example Gazette</footer></body></html>"""


def read(path: Path, **options: Any) -> FileResult:
    return read_file(str(path), path, ReadOptions(**options))


def only_doc(path: Path, **options: Any):  # type: ignore[no-untyped-def]
    result = read(path, **options)
    assert result.problems == []
    assert len(result.documents) == 1
    return result.documents[0]


def make_pdf(path: Path, lines: tuple[str, ...] = (), title: str | None = None,
             encrypt: str | None = None) -> None:
    from reportlab.pdfgen import canvas

    pdf = canvas.Canvas(str(path), encrypt=encrypt)
    if title:
        pdf.setTitle(title)
    pdf.setAuthor("Jane Fictional")
    for number, line in enumerate(lines):
        pdf.drawString(72, 720 - 16 * number, line)
    if not lines:
        pdf.rect(72, 72, 200, 200, fill=1)  # a drawing, no text: like a scan
    pdf.showPage()
    pdf.save()


def make_docx(path: Path, paragraphs: tuple[str, ...], title: str, author: str) -> None:
    import docx

    document = docx.Document()
    for paragraph in paragraphs:
        document.add_paragraph(paragraph)
    document.add_paragraph("   ")
    document.core_properties.title = title
    document.core_properties.author = author
    document.save(str(path))


# --- every format reads ------------------------------------------------------------------------


def test_txt_without_front_matter(tmp_path: Path) -> None:
    path = tmp_path / "plain.txt"
    path.write_text(f"\n{STORY}\n\n", encoding="utf-8")
    doc = only_doc(path)
    assert (doc.text, doc.origin, doc.format) == (STORY, str(path), "txt")
    assert (doc.title, doc.published, doc.locator, doc.extra) == (None, None, None, {})


def test_txt_front_matter_fills_source_fields(tmp_path: Path) -> None:
    path = tmp_path / "fm.txt"
    path.write_text(FRONT + STORY + "\n", encoding="utf-8")
    doc = only_doc(path)
    assert doc.text == STORY
    assert doc.title == "Leaving the Circle"
    assert (doc.outlet, doc.author) == ("Example Gazette", "Jane Fictional")
    assert doc.published == "2015-08-02"
    assert doc.url == "https://news.example.org/leaving-the-circle"
    assert (doc.medium, doc.language) == ("interview", "en")
    assert doc.extra == {"interviewer": "R. Example"}


def test_markdown_keeps_its_markup(tmp_path: Path) -> None:
    path = tmp_path / "note.md"
    path.write_text(f"---\ntitle: A Note\n---\n# Leaving\n\n{STORY}\n", encoding="utf-8")
    doc = only_doc(path)
    assert (doc.format, doc.title, doc.text) == ("md", "A Note", f"# Leaving\n\n{STORY}")


def test_html_article_without_menu_or_footer(tmp_path: Path) -> None:
    path = tmp_path / "page.html"
    path.write_text(HTML, encoding="utf-8")
    doc = only_doc(path)
    assert "Mara joined the movement at nineteen" in doc.text
    for boilerplate in ("Home", "World Desk", "Sport Pages", "Copyright"):
        assert boilerplate not in doc.text
    assert (doc.format, doc.title, doc.author) == ("html", "Leaving the Circle", "Jane Fictional")
    assert doc.url == "https://news.example.org/leaving-the-circle"
    assert doc.outlet == "Example Gazette"


def test_pdf_text_and_title(tmp_path: Path) -> None:
    path = tmp_path / "report.pdf"
    make_pdf(path, ("Fictional account. Mara left the movement.", "She now trains teachers."),
             title="Leaving the Circle")
    doc = only_doc(path)
    assert "Mara left the movement." in doc.text and "She now trains teachers." in doc.text
    assert (doc.format, doc.title, doc.author) == ("pdf", "Leaving the Circle", "Jane Fictional")
    assert doc.extra["pages"] == 1 and doc.published is None
    assert doc.extra["file_created"][:2] == "20"


def test_docx_paragraphs_and_core_properties(tmp_path: Path) -> None:
    path = tmp_path / "memo.docx"
    make_docx(path, ("Fictional account. Lena left the group.", "She works with families."),
              title="Lena's Exit", author="A. Writer")
    doc = only_doc(path)
    assert doc.text == "Fictional account. Lena left the group.\n\nShe works with families."
    assert (doc.format, doc.title, doc.author) == ("docx", "Lena's Exit", "A. Writer")
    assert doc.published is None and len(doc.extra["file_created"]) == 10


def test_csv_finds_body_column_and_counts_lines_across_quoted_newlines(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text('id,headline,body,newspaper,date\n'
                    f'1,First,"{STORY}\nSecond line of the same field.\nThird line.",Gazette,'
                    '2015-08-02\n'
                    f'2,Second,{OTHER},Courier,2016\n'
                    '\n'
                    f'3,Third,"{OTHER} Again.",,\n', encoding="utf-8")
    result = read(path)
    assert result.problems == []
    docs = result.documents
    assert [d.locator for d in docs] == ["line 2", "line 5", "line 7"]
    assert docs[0].text == f"{STORY}\nSecond line of the same field.\nThird line."
    assert (docs[0].title, docs[0].outlet, docs[0].published) == ("First", "Gazette", "2015-08-02")
    assert (docs[1].text, docs[1].outlet, docs[1].published) == (OTHER, "Courier", "2016")
    assert (docs[2].outlet, docs[2].extra) == (None, {"id": "3"})
    assert all(d.format == "csv" and d.origin == str(path) for d in docs)


def test_csv_semicolons_and_an_explicit_column_beats_an_alias(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(f"text;source;newspaper\n{STORY};Wire Service;Example Gazette\n",
                    encoding="utf-8")
    doc = only_doc(path, columns={"outlet": "newspaper"})
    assert (doc.text, doc.outlet) == (STORY, "Example Gazette")
    assert doc.extra == {"source": "Wire Service"}


def test_csv_text_column_option(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(f"id,story,notes\n7,{OTHER},checked\n", encoding="utf-8")
    doc = only_doc(path, text_column="story")
    assert (doc.text, doc.extra) == (OTHER, {"id": "7", "notes": "checked"})


def test_tsv(tmp_path: Path) -> None:
    path = tmp_path / "rows.tsv"
    path.write_text(f"content\ttitle\n{STORY}\tA, B; C\n", encoding="utf-8")
    doc = only_doc(path)
    assert (doc.text, doc.title, doc.format, doc.locator) == (STORY, "A, B; C", "csv", "line 2")


def test_jsonl_locators_are_file_lines(tmp_path: Path) -> None:
    path = tmp_path / "rows.jsonl"
    first_row = {"text": STORY, "author": "Jane Fictional", "tags": ["exit"]}
    path.write_text(f"{json.dumps(first_row)}\n\n"
                    f"{json.dumps({'text': OTHER, 'published': '2015-08'})}\n", encoding="utf-8")
    result = read(path)
    assert result.problems == []
    first, second = result.documents
    assert (first.locator, first.author, first.extra) == ("line 1", "Jane Fictional",
                                                          {"tags": ["exit"]})
    assert (second.locator, second.text, second.published) == ("line 3", OTHER, "2015-08")


def test_encodings_utf16_bom_and_explicit_encoding(tmp_path: Path) -> None:
    path = tmp_path / "utf16.txt"
    path.write_bytes((FRONT + "Zoë a quitté le groupe. Fictional.").encode("utf-16"))
    doc = only_doc(path)
    assert (doc.title, doc.text) == ("Leaving the Circle", "Zoë a quitté le groupe. Fictional.")
    path = tmp_path / "cp1252.txt"
    path.write_bytes("Fictional account.\nZoë left; café talk.".encode("cp1252"))
    assert only_doc(path, encoding="cp1252").text == "Fictional account.\nZoë left; café talk."
    path = tmp_path / "bom.csv"
    path.write_bytes(f"body,title\n{OTHER},T\n".encode("utf-8-sig"))
    assert only_doc(path, encoding="utf-8").title == "T"


# --- dates, media and skipped rows -------------------------------------------------------------


@pytest.mark.parametrize(("published", "expected"), [
    ("2 August 2015", "2015-08-02"), ("2015-08", "2015-08"), ("2015-08-02", "2015-08-02"),
    ("August 2, 2015", "2015-08-02"), ("2015", "2015")])
def test_published_dates_normalised(tmp_path: Path, published: str, expected: str) -> None:
    path = tmp_path / "dated.txt"
    path.write_text(f"---\npublished: '{published}'\n---\n{STORY}\n", encoding="utf-8")
    assert only_doc(path).published == expected


def test_unreadable_date_and_unknown_medium_are_warnings(tmp_path: Path) -> None:
    path = tmp_path / "odd.txt"
    path.write_text(f"---\npublished: sometime in spring\nmedium: carrier pigeon\n---\n"
                    f"{STORY}\n", encoding="utf-8")
    result = read(path)
    (doc,) = result.documents
    assert (doc.published, doc.medium) == (None, "other")
    assert doc.extra == {"published_raw": "sometime in spring", "medium_raw": "carrier pigeon"}
    assert [p.severity for p in result.problems] == ["warning", "warning"]
    assert all(p.origin == str(path) for p in result.problems)
    assert "'sometime in spring' is not a date" in result.problems[0].reason
    assert "medium 'carrier pigeon'" in result.problems[1].reason


@pytest.mark.parametrize(("given", "stored"), [("Magazine", "news"), ("broadcast", "news"),
                                                ("podcast", "radio"), ("social", "social_media"),
                                                ("TV", "video_transcript")])
def test_everyday_media_names_map_to_the_vocabulary(tmp_path: Path, given: str,
                                                     stored: str) -> None:
    path = tmp_path / "m.txt"
    path.write_text(f"---\nmedium: {given}\n---\n{STORY}\n", encoding="utf-8")
    result = read(path)
    assert result.documents[0].medium == stored and not result.problems


def test_csv_row_with_empty_text_is_skipped_with_warning(tmp_path: Path) -> None:
    path = tmp_path / "rows.csv"
    path.write_text(f"id,body\n1,{OTHER}\n2,   \n3,{OTHER} Again.\n", encoding="utf-8")
    result = read(path)
    assert [d.text for d in result.documents] == [OTHER, f"{OTHER} Again."]
    assert [d.locator for d in result.documents] == ["line 2", "line 4"]
    (problem,) = result.problems
    assert (problem.severity, problem.line, problem.origin) == ("warning", 3, str(path))
    assert "'body' field is empty" in problem.reason


# --- bad inputs --------------------------------------------------------------------------------


def truncated_pdf(path: Path) -> None:
    make_pdf(path, (STORY[:60],), title="Cut short")
    data = path.read_bytes()
    path.write_bytes(data[:len(data) // 2])


def scanned_pdf(path: Path) -> None:
    make_pdf(path)


def encrypted_pdf(path: Path) -> None:
    make_pdf(path, (STORY[:60],), encrypt="secret")


Content = bytes | str | Callable[[Path], None]
BAD_INPUTS: list[tuple[str, str, Content, dict[str, Any], int | None, tuple[str, ...]]] = [
    ("empty", "a.txt", b"", {}, None, ("is empty (0 bytes)", "saved completely")),
    ("blank", "a.txt", " \n\t\n\n", {}, None, ("holds no text", "add the text")),
    ("blank-after-front-matter", "a.md", "---\ntitle: T\n---\n\n", {}, None,
     ("holds no text", "add the text")),
    ("random-pdf", "a.pdf", random.Random(7).randbytes(3000), {}, None,
     ("not a readable PDF", "damaged or truncated")),
    ("truncated-pdf", "a.pdf", truncated_pdf, {}, None, ("not a readable PDF", "truncated")),
    ("encrypted-pdf", "a.pdf", encrypted_pdf, {}, None,
     ("needs a password", "unprotected copy")),
    ("scanned-pdf", "a.pdf", scanned_pdf, {}, None, ("no text layer", "OCR")),
    ("corrupt-docx", "a.docx", b"PK\x03\x04 not really a zip archive", {}, None,
     ("not a readable .docx", "re-save it as .docx")),
    ("cp1252-in-utf8", "a.txt", "Fictional account.\nNoël ".encode() + "café".encode("cp1252"),
     {}, 2, ("byte 0xe9 at line 2, column 9", "--encoding cp1252")),
    ("unknown-encoding", "a.txt", STORY, {"encoding": "klingon-8"}, None,
     ("unknown encoding 'klingon-8'", "utf-8")),
    ("binary-as-txt", "a.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", {}, None,
     ("binary file", "convert it")),
    ("csv-no-text-column", "a.csv", "id,headline\n1,Fictional\n", {}, 1,
     ("columns are: id, headline", "--text-column")),
    ("jsonl-no-text-column", "a.jsonl", '{"id": 1, "headline": "Fictional"}\n', {}, 1,
     ("columns are: id, headline", "--text-column")),
    ("csv-text-column-missing", "a.csv", f"id,body\n1,{OTHER}\n", {"text_column": "story"}, 1,
     ("no column 'story'", "columns are: id, body", "--text-column")),
    ("column-missing", "a.csv", f"id,body\n1,{OTHER}\n", {"columns": {"outlet": "paper"}}, 1,
     ("no column 'paper'", "columns are: id, body")),
    ("column-unknown-field", "a.csv", f"id,body\n1,{OTHER}\n", {"columns": {"colour": "id"}},
     None, ("'colour' is not a source field", "use one of title, url")),
    ("csv-too-many-fields", "a.csv", f"id,body\n1,{OTHER}\n2,{OTHER},extra\n", {}, 3,
     ("has 3 fields where the header has 2", "check quotes")),
    ("csv-header-only", "a.csv", "id,body\n", {}, None, ("holds no rows", "saved completely")),
    ("jsonl-bad-json", "a.jsonl", f'{{"text": "{STORY}"}}\n{{"text": "{OTHER}"}}\n{{"text": }}\n',
     {}, 3, ("not valid JSON", "one JSON object")),
    ("jsonl-list", "a.jsonl", f'{{"text": "{STORY}"}}\n["a", "b"]\n', {}, 2,
     ("JSON list, not an object", '{"text": ...}')),
    ("too-big", "a.txt", STORY * 20, {"max_bytes": 1000}, None,
     ("over the 1,000 bytes limit", "--max-file-mb")),
    ("unsupported", "a.rtf", STORY, {}, None, ("'.rtf' is not a supported format", "use txt")),
    ("front-matter-unclosed", "a.txt", f"---\ntitle: T\n{STORY}\n", {}, 1,
     ("never closed", "add a line '---'")),
    ("front-matter-bad-yaml", "a.txt", f"---\ntitle: T\nauthor: a: b\n---\n{STORY}\n", {}, 3,
     ("front matter is not valid YAML",)),
    ("front-matter-list", "a.txt", f"---\n- a\n- b\n---\n{STORY}\n", {}, 2,
     ("'key: value' lines",)),
    ("html-no-article", "a.html", NAV_ONLY, {}, None,
     ("no article text found", "paste it into a .txt file")),
]


@pytest.mark.parametrize(("name", "content", "options", "line", "fragments"),
                         [case[1:] for case in BAD_INPUTS], ids=[case[0] for case in BAD_INPUTS])
def test_bad_input_names_file_line_and_remedy(tmp_path: Path, name: str, content: Content,
                                              options: dict[str, Any], line: int | None,
                                              fragments: tuple[str, ...]) -> None:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        content(path)
    with pytest.raises(SourceError) as caught:
        read(path, **options)
    error = caught.value
    where = f"{path}:{line}: " if line is not None else f"{path}: "
    assert str(error).startswith(where)
    assert (error.origin, error.line) == (str(path), line)
    for fragment in fragments:
        assert fragment in str(error)


@pytest.mark.parametrize("name", ["a.txt", "a.pdf", "a.docx", "a.csv"])
def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> None:
    path = tmp_path / name
    path.write_bytes(b"Fictional.")

    def refuse(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    with pytest.raises(SourceError) as caught:
        read(path)
    assert str(caught.value) == (f"{path}: cannot be read (Permission denied); "
                                 "check its permissions")


# --- iter_inputs -------------------------------------------------------------------------------


def test_iter_inputs_walks_folders_in_order_and_reports_the_rest(tmp_path: Path) -> None:
    root = tmp_path / "in"
    for relative in ("b.txt", "a.md", ".hidden.txt", "notes.rtf", "zeta/c.csv", "alpha/d.jsonl",
                     "alpha/deeper/e.HTML", ".git/f.txt"):
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(STORY, encoding="utf-8")
    single = tmp_path / "single.pdf"
    single.write_bytes(b"%PDF")
    missing = str(tmp_path / "missing.txt")
    got = list(iter_inputs([str(root), str(single), missing]))
    assert got == [
        (str(root / "a.md"), root / "a.md"),
        (str(root / "b.txt"), root / "b.txt"),
        Problem(str(root / "notes.rtf"), "skipped: '.rtf' is not a supported format",
                severity="skipped"),
        (str(root / "alpha/d.jsonl"), root / "alpha/d.jsonl"),
        (str(root / "alpha/deeper/e.HTML"), root / "alpha/deeper/e.HTML"),
        (str(root / "zeta/c.csv"), root / "zeta/c.csv"),
        (str(single), single),
        Problem(missing, "no such file or folder; check the path"),
    ]
    assert got[-1].severity == "error"  # type: ignore[union-attr]


# --- language and near-duplicates --------------------------------------------------------------


@pytest.mark.parametrize(("text", "code"), [
    ("This is a fictional account of a young man who left a violent group after his brother "
     "was arrested, and who now speaks to pupils about the years he lost.", "en"),
    ("Ceci est un récit fictif. Une jeune femme a quitté le groupe extrémiste après la "
     "naissance de sa fille et travaille aujourd'hui avec des familles.", "fr"),
    ("Dies ist ein erfundener Bericht. Ein junger Mann hat die extremistische Gruppe verlassen, "
     "nachdem sein Bruder verhaftet wurde, und spricht heute mit Schülern.", "de")])
def test_detect_language(text: str, code: str) -> None:
    found, confidence = detect_language(text)
    assert found == code
    assert confidence is not None and 0.5 < confidence <= 1.0


@pytest.mark.parametrize("text", ["", "   ", "Fictional.", "short text here"])
def test_detect_language_too_short(text: str) -> None:
    assert detect_language(text) == (None, None)


def fictional_words(seed: int, count: int) -> list[str]:
    vocabulary = ["he", "she", "they", "left", "joined", "group", "movement", "years", "after",
                  "friend", "brother", "town", "rally", "police", "mother", "school", "work",
                  "letter", "night", "border", "camp", "leader", "money", "fear", "trust", "home",
                  "family", "prison", "court", "road", "winter", "summer", "village", "city",
                  "promise", "silence", "story", "threat", "help", "teacher", "youth", "life"]
    rng = random.Random(seed)
    return ["Fictional", "account."] + [rng.choice(vocabulary) for _ in range(count - 2)]


def test_near_duplicate_signatures() -> None:
    words = fictional_words(1, 300)
    edited = list(words)
    for position in (40, 150, 260):
        edited[position] = "EDITED"
    edited.insert(200, "also")
    original, copy = minhash_signature(" ".join(words)), minhash_signature(" ".join(edited))
    unrelated = minhash_signature(" ".join(fictional_words(2, 300)))
    assert len(original) == 128
    assert estimated_jaccard(original, copy) >= 0.8
    assert set(lsh_buckets(original)) & set(lsh_buckets(copy))
    assert estimated_jaccard(original, unrelated) < 0.3
    assert estimated_jaccard(original, original) == 1.0
