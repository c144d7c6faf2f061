"""The report's content rendered as HTML (interactive, self-contained), PDF or Markdown."""

from __future__ import annotations

import json
from typing import Any

from markupsafe import Markup

from exitlens import __version__
from exitlens.errors import ExitLensError

APPENDIX_QUOTES = 5


def _environment(static: bool) -> Any:
    from jinja2 import Environment, PackageLoader

    env = Environment(loader=PackageLoader("exitlens.report", "templates"),
                      autoescape=lambda name: bool(name and name.endswith(".html.j2")),
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)

    def count(n: int, code: str, by: str, value: str) -> Markup:
        if static or not n:
            return Markup("{}").format(n)
        return Markup('<button type="button" class="n" data-code="{}" data-by="{}" '
                      'data-value="{}">{}</button>').format(code, by, value, n)

    env.filters["md"] = _markdown_cell
    env.globals.update(count=count, static=static, version=__version__,
                       appendix=APPENDIX_QUOTES)
    return env


def render_html(content: dict[str, Any], *, static: bool = False) -> str:
    """One self-contained page (styles, charts as SVG, evidence and script inline; nothing is
    fetched from the network). ``static`` leaves out the script and instead lists the first
    quotes of each reason in an appendix, as print needs."""
    evidence = json.dumps(content["evidence"], ensure_ascii=False, separators=(",", ":"))
    # inside <script>, "</" would end the element early
    evidence = evidence.replace("</", "<\\/")
    html: str = _environment(static).get_template("report.html.j2").render(
        c=content, evidence_json=evidence)
    return html


def render_pdf(content: dict[str, Any]) -> bytes:
    """The static HTML page typeset by WeasyPrint (A4, numbered pages)."""
    try:
        from weasyprint import HTML
    except OSError as exc:  # WeasyPrint loads Pango from the system when first imported
        raise ExitLensError(f"PDF needs the Pango library, which this system lacks ({exc}); "
                            "install it (Debian/Ubuntu: apt-get install libpango-1.0-0 "
                            "libpangoft2-1.0-0) or write --format html") from exc
    pdf: bytes = HTML(string=render_html(content, static=True)).write_pdf()
    return pdf


def render_markdown(content: dict[str, Any], chart_folder: str) -> tuple[str, dict[str, str]]:
    """The report as Markdown and its charts as SVG files, by name under ``chart_folder``."""
    charts: dict[str, str] = {}

    def chart(key: str, svg: str) -> str:
        if not svg:
            return ""
        name = f"{chart_folder}/{key}.svg"
        charts[name] = svg
        return f"![{key.replace('-', ' ')}]({name})"

    env = _environment(static=True)
    env.globals["chart"] = chart
    text: str = env.get_template("report.md.j2").render(c=content)
    return text, charts


def _markdown_cell(value: object) -> str:
    """Text safe inside a Markdown table cell or quote: one line, pipes and markup escaped."""
    text = " ".join(str(value).split())
    for char in "\\|*_`[]<>":
        text = text.replace(char, "\\" + char)
    return text
