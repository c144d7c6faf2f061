"""The quote bank as a page, a table or a Word document, for practitioners."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, datetime

import pandas as pd

from exitlens import __version__

CSV_COLUMNS = ("code", "reason", "pseudonym", "text", "outlet", "published", "language",
               "medium", "source", "warning_to_others", "claims_answered", "status",
               "confidence", "salience", "quote_id")
Claims = Sequence[tuple[str, Sequence[str]]]


def _sections(bank: pd.DataFrame) -> list[tuple[str, str, list[dict[str, object]]]]:
    return [(str(code), str(group["reason"].iloc[0]), group.to_dict("records"))
            for code, group in bank.groupby("code", sort=False)]


def _heading(project: str, status: str) -> tuple[str, str]:
    basis = ("accepted codings only" if status == "accepted" else
             "accepted codings and unreviewed machine suggestions: vet every quote before use")
    return (f"Quote bank · {project}",
            f"Generated {datetime.now(UTC):%Y-%m-%d} by ExitLens {__version__} from {basis}. "
            "Quotes are attributed to the outlet and the case's pseudonym; people who still "
            "endorse the group's violence are left out.")


def quote_bank_html(bank: pd.DataFrame, *, project: str, status: str, claims: Claims) -> bytes:
    from jinja2 import Environment, PackageLoader

    env = Environment(loader=PackageLoader("exitlens.report", "templates"), autoescape=True,
                      trim_blocks=True, lstrip_blocks=True)
    title, intro = _heading(project, status)
    html = env.get_template("quotes.html.j2").render(
        title=title, intro=intro, sections=_sections(bank), claims=claims)
    return html.encode("utf-8")


def quote_bank_csv(bank: pd.DataFrame, *, project: str, status: str, claims: Claims) -> bytes:
    out = io.StringIO()
    bank.reindex(columns=list(CSV_COLUMNS)).to_csv(out, index=False)
    return out.getvalue().encode("utf-8")


def quote_bank_docx(bank: pd.DataFrame, *, project: str, status: str, claims: Claims) -> bytes:
    from docx import Document
    from docx.shared import Pt

    title, intro = _heading(project, status)
    doc = Document()
    doc.add_heading(title, level=0)
    doc.add_paragraph(intro)
    for _, reason, quotes in _sections(bank):
        doc.add_heading(reason, level=1)
        answered = quotes[0]["claims_answered"]
        if answered:
            doc.add_paragraph().add_run(f"Answers the claims: {answered}.").italic = True
        for q in quotes:
            quote = doc.add_paragraph(style="Intense Quote")
            quote.add_run(str(q["text"]))
            meta = doc.add_paragraph()
            when = f", {q['published']}" if q["published"] else ""
            note = " · warns others" if q["warning_to_others"] else ""
            vetted = "" if q["status"] == "accepted" else " · machine suggestion, not vetted"
            run = meta.add_run(f"{q['pseudonym']} · {q['outlet'] or 'unknown outlet'}{when} · "
                               f"{q['language'] or 'unknown language'}{note}{vetted}")
            run.font.size = Pt(9)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
