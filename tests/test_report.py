"""`exitlens report`, `quotes` and `export`: every section present, the same numbers in HTML,
PDF and Markdown as in the findings, quotes vetted and protected, exports with stable columns."""

from __future__ import annotations

import csv
import os
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest
from lxml import html as lxml_html
from tests.conftest import CORPUS
from tests.findings_data import new_store

from exitlens.aggregate.findings import Findings
from exitlens.interop.tables import CASE_COLUMNS, CODING_COLUMNS
from exitlens.records import text_sha256
from exitlens.services.exports import export_tables
from exitlens.services.reports import write_quote_bank, write_report
from exitlens.storage import Store

SECTIONS = ("summary", "sample", "icsr", "other", "crosstabs", "cooccurrence", "timeline",
            "collective", "method", "limitations")
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def _required(what: str) -> bool:
    return bool(os.environ.get("CI") or os.environ.get(f"EXITLENS_REQUIRE_{what}"))


@pytest.fixture(scope="module")
def html_report(gold_store: Store, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.html"
    write_report(gold_store, out, fmt="html", status="accepted", project="gold", actor="test")
    return out


def _rows(page: lxml_html.HtmlElement, section: str) -> dict[str, list[str]]:
    out = {}
    for row in page.xpath(f'//section[@id="{section}"]//table[@class="counts"]/tbody/tr'):
        cells = [" ".join(c.text_content().split()) for c in row.xpath("./td")]
        out[row.get("data-code")] = cells
    return out


def test_html_report_has_every_section_and_the_findings_numbers(html_report: Path,
                                                                found: Findings) -> None:
    page = lxml_html.fromstring(html_report.read_text(encoding="utf-8"))
    for section in SECTIONS:
        assert page.xpath(f'//section[@id="{section}"]'), section
    rows = {**_rows(page, "icsr"), **_rows(page, "other")}
    counts = found.counts.set_index("code")
    assert set(rows) == set(counts.index)
    for code, cells in rows.items():
        assert cells[0] == str(counts.at[code, "cases"])
        assert cells[1] == str(counts.at[code, "n"])
        assert cells[2] == f"{100 * counts.at[code, 'share']:.0f}%"
    assert len(page.xpath("//figure[@class='chart']/svg")) >= 5
    buttons = page.xpath("//button[@class='n']")
    assert len(buttons) > 100 and all(b.get("data-value") is not None for b in buttons)


def test_html_report_carries_no_restricted_field(html_report: Path, found: Findings) -> None:
    text = html_report.read_text(encoding="utf-8")
    named = [label for label in found.cases.loc[~found.cases["collective"], "label"]
             if isinstance(label, str)]
    assert not named  # labels of persons live in the restricted identity only
    assert "Abu Hamza (pseudonym)" not in text
    pseudonyms = set(found.individuals["case"])
    assert len(pseudonyms & set(re.findall(r"C-[0-9A-F]{6}", text))) > 50


def test_pdf_holds_the_same_tables(gold_store: Store, found: Findings, tmp_path: Path) -> None:
    try:
        import weasyprint  # noqa: F401
    except OSError as exc:  # the Pango library is missing
        if _required("PDF"):
            raise
        pytest.skip(f"WeasyPrint cannot load here: {exc}")
    from pypdf import PdfReader

    out = tmp_path / "report.pdf"
    write_report(gold_store, out, fmt="pdf", status="accepted", project="gold", actor="test")
    text = " ".join(" ".join(page.extract_text() or "" for page in PdfReader(out).pages)
                    .split())
    for heading in ("Summary", "The sample", "The four ICSR narratives", "Other reasons",
                    "Who cites what", "Reasons together", "Timeline", "Collective cases",
                    "Method", "Limitations", "Evidence"):
        assert heading in text, heading
    for row in found.counts.itertuples(index=False):
        assert f"{row.cases} {row.n} {100 * row.share:.0f}%" in text, row.code


def test_pdf_without_pango_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins
    import sys

    from exitlens.errors import ExitLensError
    from exitlens.report.render import render_pdf

    real_import = builtins.__import__

    def no_pango(name: str, *args: object, **kwargs: object) -> object:
        if name == "weasyprint":
            raise OSError("cannot load library 'libpango-1.0-0'")
        return real_import(name, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.delitem(sys.modules, "weasyprint", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_pango)
    with pytest.raises(ExitLensError, match=r"PDF needs the Pango library.*--format html"):
        render_pdf({})


def test_markdown_report_writes_its_charts_beside_it(gold_store: Store, found: Findings,
                                                     tmp_path: Path) -> None:
    out = tmp_path / "out" / "findings.md"
    written = write_report(gold_store, out, fmt="md", status="accepted", project="gold",
                           actor="test")
    text = out.read_text(encoding="utf-8")
    charts = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text)
    assert len(charts) >= 5 and all((out.parent / c).read_text().startswith("<svg")
                                    for c in charts)
    assert set(written.files[1:]) == {out.parent / c for c in charts}
    quality = found.counts.set_index("code").loc["quality_of_life"]
    row = f"| {int(quality['cases'])} | {int(quality['n'])} | {100 * quality['share']:.0f}% |"
    assert row in text


def test_report_opens_in_chromium_and_every_count_opens_its_quotes(
        html_report: Path, found: Findings, tmp_path: Path) -> None:
    if not Path(CHROMIUM).exists():
        if _required("BROWSER"):
            pytest.fail(f"{CHROMIUM} is required here (apt-get install chromium)")
        pytest.skip(f"no {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        errors: list[str] = []
        page.on("pageerror", lambda e: errors.append(str(e)))
        page.goto(html_report.as_uri())
        for section in SECTIONS:
            assert page.locator(f"section#{section} h2").is_visible(), section
        page.screenshot(path=str(tmp_path / "report.png"), full_page=True)
        button = page.locator('#icsr tr[data-code="corruption"] button.n')
        button.click()
        dialog = page.locator("dialog#quotes")
        assert dialog.is_visible()
        cited = int(found.counts.set_index("code").at["corruption", "cases"])
        assert f"{cited} cases counted" in page.locator("#quotes-note").inner_text()
        quotes = page.locator("#quotes-list blockquote")
        assert quotes.count() >= cited
        page.screenshot(path=str(tmp_path / "quotes.png"))
        page.keyboard.press("Escape")
        assert not dialog.is_visible()
        page.locator('table.crosstab[data-by="gender"] button.n[data-value="female"]'
                     '[data-code="quality_of_life"]').click()
        note = page.locator("#quotes-note").inner_text()
        women = found.crosstabs["gender"].set_index(["value", "code"]).at[
            ("female", "quality_of_life"), "cases"]
        assert note.startswith(f"{women} cases counted") and f"from {women} of them" in note
        browser.close()
    assert not errors
    assert (tmp_path / "report.png").stat().st_size > 100_000


def test_quote_bank_picks_vetted_quotes_and_carries_their_context(
        gold_store: Store, found: Findings, tmp_path: Path) -> None:
    out = tmp_path / "quotes.csv"
    written = write_quote_bank(gold_store, out, fmt="csv", status="accepted", code=None,
                               per_code=4, project="gold", actor="test")
    bank = pd.read_csv(out)
    assert written.summary["quotes"] == len(bank) > 20
    assert (bank.groupby("code").size() <= 4).all()
    assert not bank.duplicated(["code", "pseudonym"]).any()
    supports = set(found.context_matrix.index[found.context_matrix["stance_still_supports"]])
    warns = set(found.context_matrix.index[found.context_matrix["warning_to_others"]])
    assert supports and not set(bank["pseudonym"]) & supports
    assert set(bank.loc[bank["warning_to_others"], "pseudonym"]) <= warns
    qol = bank[bank["code"] == "quality_of_life"]
    assert qol["claims_answered"].str.contains("A functioning state").all()
    assert bank["outlet"].notna().all() and bank["language"].eq("en").all()


def test_quote_bank_for_one_code_as_html_and_docx(gold_store: Store, tmp_path: Path) -> None:
    from docx import Document

    write_quote_bank(gold_store, tmp_path / "q.html", fmt="html", status="accepted",
                     code="infighting", per_code=3, project="gold", actor="test")
    page = lxml_html.fromstring((tmp_path / "q.html").read_text(encoding="utf-8"))
    assert [s.get("id") for s in page.xpath("//section")] == ["infighting"]
    assert len(page.xpath("//blockquote")) == 3
    write_quote_bank(gold_store, tmp_path / "q.docx", fmt="docx", status="accepted",
                     code=None, per_code=2, project="gold", actor="test")
    doc = Document(str(tmp_path / "q.docx"))
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert "Infighting instead of the declared enemy" in headings and len(headings) >= 8


def test_an_empty_accepted_report_says_how_to_count_suggestions(tmp_path: Path) -> None:
    with _named_store(f"sqlite:///{tmp_path / 's.sqlite'}", status="suggested") as store:
        written = write_report(store, tmp_path / "r.md", fmt="md", status="accepted",
                               project="s", actor="test")
        assert written.summary["cases"] == 0
        assert "1 machine suggestions await review" in written.summary["hint"]
        written = write_report(store, tmp_path / "r.md", fmt="md", status="suggested",
                               project="s", actor="test")
        assert written.summary["cases"] == 1 and "hint" not in written.summary


def _named_store(url: str, status: str = "accepted") -> Store:
    store = new_store(url)
    text = ("Karim Haddad, 31, left in 2016. 'Karim, you are a fool,' the emir told him. "
            "He says the emir kept the salaries for himself.")
    with store.session() as tx:
        version = tx.active_codebook()
        assert version is not None
        [sid] = tx.add_sources([{"sha256": text_sha256(text), "text": text, "origin": "k.txt",
                                 "format": "txt", "chars": len(text), "outlet": "Test Wire",
                                 "published": "2017-05-09", "medium": "news"}])
        maker = "coder:ana" if status == "accepted" else "machine:ensemble"
        [(case_id, _)] = tx.add_cases([{"gender": "male", "created_by": maker,
                                        "source_id": sid, "reprisal_risk": "high",
                                        "exit_date": "2016-04-12", "exit_date_precision": "day",
                                        "identity": {"names": ["Karim Haddad"],
                                                     "aliases": ["Karim"]}}])
        tx.add_codings([{"source_id": sid, "start": 0, "end": len(text), "code": "corruption",
                         "codebook_version_id": version[0], "case_id": case_id,
                         "coder": "ana", "coder_kind": "human", "status": status}])
    return store


def test_quotes_and_exports_replace_restricted_names_and_coarsen_risky_dates(
        tmp_path: Path) -> None:
    with _named_store(f"sqlite:///{tmp_path / 'k.sqlite'}") as store:
        write_report(store, tmp_path / "r.html", fmt="html", status="accepted", project="k",
                     actor="test")
        write_quote_bank(store, tmp_path / "q.csv", fmt="csv", status="accepted", code=None,
                         per_code=5, project="k", actor="test")
        export_tables(store, tmp_path / "x", fmt="csv", status="accepted", actor="test")
    quote = pd.read_csv(tmp_path / "q.csv").iloc[0]
    assert "Karim" not in quote["text"] and quote["text"].count(f"[{quote['pseudonym']}]") == 2
    assert quote["published"] == "2017-05"
    for path in [tmp_path / "r.html", tmp_path / "q.csv", *(tmp_path / "x").iterdir()]:
        assert "Karim" not in path.read_text(encoding="utf-8"), path.name
    case = pd.read_csv(tmp_path / "x" / "cases.csv").iloc[0]
    assert case["exit_date"] == "2016-04" and case["exit_date_precision"] == "month"


def test_exports_have_the_documented_columns_in_every_format(gold_store: Store,
                                                             found: Findings,
                                                             tmp_path: Path) -> None:
    export_tables(gold_store, tmp_path / "csv", fmt="csv", status="accepted", actor="test")
    export_tables(gold_store, tmp_path / "pq", fmt="parquet", status="accepted", actor="test")
    export_tables(gold_store, tmp_path / "xl", fmt="xlsx", status="accepted", actor="test")
    with (tmp_path / "csv" / "cases.csv").open(encoding="utf-8") as f:
        assert tuple(next(csv.reader(f))) == CASE_COLUMNS
    sheets = pd.read_excel(tmp_path / "xl" / "exitlens-export.xlsx", sheet_name=None)
    assert set(sheets) == {"cases", "codings", "case_code_matrix"}
    for name in sheets:
        from_csv = pd.read_csv(tmp_path / "csv" / f"{name}.csv")
        from_parquet = pd.read_parquet(tmp_path / "pq" / f"{name}.parquet")
        assert list(from_csv.columns) == list(from_parquet.columns) == list(sheets[name].columns)
        assert len(from_csv) == len(from_parquet) == len(sheets[name])
    codings = pd.read_parquet(tmp_path / "pq" / "codings.parquet")
    assert tuple(codings.columns) == CODING_COLUMNS and len(codings) == found.coding_total
    matrix = pd.read_csv(tmp_path / "csv" / "case_code_matrix.csv").set_index("case")
    people = matrix[matrix["collective"] == 0].drop(columns="collective")
    assert people.sum().to_dict() == found.counts.set_index("code")["cases"].to_dict()
    assert len(matrix) == len(found.cases)


def test_reports_quotes_and_exports_are_logged(gold_store: Store, tmp_path: Path) -> None:
    export_tables(gold_store, tmp_path, fmt="csv", status="accepted", actor="ana")
    with gold_store.session() as tx:
        [event] = tx.events(action="export.tables", limit=1)
    assert event["actor"] == "ana" and event["after"]["rows"]["cases"] > 300


def test_cli_report_quotes_and_export(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    project = tmp_path / "p"
    assert cli("init", str(project)).code == 0
    shutil.copy(CORPUS / "003-keeper-defects-to-city-rivals.txt", tmp_path / "one.txt")
    assert cli("-p", str(project), "import", str(tmp_path / "one.txt")).code == 0
    result = cli("-p", str(project), "report", "--json")
    assert result.code == 0, result.err
    assert (project / "reports" / "report.html").is_file()
    assert '"cases": 0' in result.out and '"hint"' not in result.out
    bad = cli("-p", str(project), "report", "--status", "approved")
    assert bad.code != 0 and "accepted, suggested" in bad.err and "Traceback" not in bad.err
    bad = cli("-p", str(project), "quotes", "--code", "nonsense")
    assert bad.code == 1 and "not a reason of the active codebook" in bad.err
    bad = cli("-p", str(project), "export", "--format", "sav")
    assert bad.code == 1 and "csv, xlsx, parquet" in bad.err
    result = cli("-p", str(project), "export", "--format", "xlsx", "--out", str(tmp_path / "x"))
    assert result.code == 0 and (tmp_path / "x" / "exitlens-export.xlsx").is_file()
    report = (project / "reports" / "report.html").read_text(encoding="utf-8")
    assert "No evaluation of the machine coders is stored" in report
