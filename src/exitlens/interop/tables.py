"""Exports of the findings as tables for R, Stata, SPSS and pandas: cases, codings and the
case x code matrix, with documented, stable column names (see docs/exports.md).

Names are short snake_case identifiers (at most 32 characters, as Stata requires); yes/no
columns are 0/1 integers; missing values are empty. No restricted field is ever written, and
for cases with a high ``reprisal_risk`` dates are coarsened to the month.
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import pandas as pd

from exitlens.aggregate.findings import Findings

CASE_COLUMNS = (
    "case", "collective", "label", "gender", "birth_year", "age_band", "country_of_origin",
    "region", "subregion", "citizenship", "local_or_foreign", "group_left", "roles",
    "join_date", "join_date_precision", "exit_date", "exit_date_precision", "exit_year",
    "exit_type", "exit_route", "account_date", "account_year", "account_medium", "outlet",
    "current_status", "post_exit_stance", "reprisal_risk", "created_by", "sources",
    "n_sources")
CODING_COLUMNS = (
    "coding_id", "source_id", "source", "case", "code", "top_code", "kind", "start", "end",
    "text", "status", "coder", "coder_kind", "confidence", "salience", "outlet", "published",
    "language")
TABLES = ("cases", "codings", "case_code_matrix")
DATES = ("join_date", "exit_date", "account_date")


def export_frames(found: Findings, quotes: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The three tables. ``quotes`` is ``quote_table(..., attributed_only=False)``."""
    return {"cases": cases_frame(found), "codings": codings_frame(quotes),
            "case_code_matrix": matrix_frame(found)}


def cases_frame(found: Findings) -> pd.DataFrame:
    cases = found.cases.copy()
    risky = cases["reprisal_risk"].astype("string") == "high"
    for column in DATES:
        values = cases[column].astype("string")
        cases[column] = values.where(~risky, values.str[:7])
        precision = f"{column}_precision"
        if precision in cases:
            coarse = risky & values.str.len().gt(7).fillna(False)
            cases[precision] = cases[precision].where(~coarse, "month")
    cases["label"] = cases["label"].where(cases["collective"], None)
    cases["collective"] = cases["collective"].astype(int)
    linked = found.links.groupby("case_id")["source_id"]
    cases["sources"] = cases["id"].map(linked.agg(lambda ids: ";".join(map(str, ids))))
    cases["n_sources"] = cases["id"].map(linked.size()).fillna(0).astype(int)
    return cases.reindex(columns=list(CASE_COLUMNS)).reset_index(drop=True)


def codings_frame(quotes: pd.DataFrame) -> pd.DataFrame:
    frame = quotes.rename(columns={"quote_id": "coding_id", "top": "top_code"})
    return frame.reindex(columns=list(CODING_COLUMNS)).sort_values(
        ["source_id", "start", "coding_id"], kind="stable").reset_index(drop=True)


def matrix_frame(found: Findings) -> pd.DataFrame:
    """Every case in the sample (individual and collective) x reason codes, 0/1."""
    both = pd.concat([found.matrix, found.collective_matrix]).astype(int)
    collective = found.cases.set_index("case")["collective"].astype(int)
    out = both.reset_index()
    out.insert(1, "collective", out["case"].map(collective))
    out.columns.name = None
    return out


def write_csv(frames: Mapping[str, pd.DataFrame]) -> dict[str, bytes]:
    out = {}
    for name, frame in frames.items():
        buffer = io.StringIO()
        frame.to_csv(buffer, index=False)
        out[f"{name}.csv"] = buffer.getvalue().encode("utf-8")
    return out


def write_parquet(frames: Mapping[str, pd.DataFrame]) -> dict[str, bytes]:
    out = {}
    for name, frame in frames.items():
        buffer = io.BytesIO()
        _typed(frame).to_parquet(buffer, index=False)
        out[f"{name}.parquet"] = buffer.getvalue()
    return out


def write_xlsx(frames: Mapping[str, pd.DataFrame]) -> dict[str, bytes]:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as book:
        for name, frame in frames.items():
            frame.to_excel(book, sheet_name=name, index=False)
            sheet = book.sheets[name]
            sheet.freeze_panes = "B2"
    return {"exitlens-export.xlsx": buffer.getvalue()}


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """Object columns holding text as strings, so every Parquet column has one type."""
    out = frame.copy()
    for column in out.columns:
        if out[column].dtype == object:
            out[column] = out[column].astype("string")
    return out


WRITERS = {"csv": write_csv, "xlsx": write_xlsx, "parquet": write_parquet}
