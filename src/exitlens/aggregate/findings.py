"""Findings: a project's cases and counted codings as frames, and the tables built on them.

Which codings count is the ``status`` basis: ``accepted`` counts accepted codings only (the
default, what a publication should rest on); ``suggested`` also counts the machine's
suggestions, which ``analyze`` stores only above each code's threshold. Rejected codings never
count. A case is in the sample when a person made it, or when at least one counted coding is
attributed to it (a case the machine proposed and nobody confirmed is left out of an
``accepted`` report). Collective cases are counted apart from individuals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from exitlens.aggregate.regions import region_of, subregion_of
from exitlens.aggregate.tables import (
    association_table,
    case_code_table,
    code_counts_table,
    cooccurrence_table,
    crosstab_table,
)
from exitlens.codebook import Codebook
from exitlens.errors import UsageError

STATUSES = {"accepted": ("accepted",), "suggested": ("accepted", "suggested")}
CROSSTABS = ("gender", "region", "country_of_origin", "group_left", "exit_year")
ICSR = ("infighting", "brutality_sunni", "corruption", "quality_of_life")


@dataclass
class Findings:
    codebook: Codebook
    status: str
    cases: pd.DataFrame
    """Cases in the sample, one row each, unrestricted fields and derived columns."""
    links: pd.DataFrame
    """Which source each case of the sample is described in: ``case_id``, ``source_id``."""
    sources: pd.DataFrame
    """Sources holding at least one case of the sample (metadata, no text)."""
    pairs: pd.DataFrame
    """Each case and each code it carries in a counted coding: ``case_id``, ``case``,
    ``code``, ``top`` (its top-level code) and ``kind`` (reason or context)."""
    matrix: pd.DataFrame
    """Individual cases x reason codes: does the case cite the code?"""
    collective_matrix: pd.DataFrame
    context_matrix: pd.DataFrame
    """All sampled cases x context codes."""
    counts: pd.DataFrame
    collective_counts: pd.DataFrame
    codings: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Each counted coding (spans, provenance), when read with ``detail``; else empty."""
    coders: pd.DataFrame = field(default_factory=pd.DataFrame)
    """Counted codings per coder, coder kind and status (with ``detail``; else empty)."""
    crosstabs: dict[str, pd.DataFrame] = field(default_factory=dict)
    associations: dict[str, pd.DataFrame] = field(default_factory=dict)
    cooccurrence: pd.DataFrame = field(default_factory=pd.DataFrame)
    notes: list[str] = field(default_factory=list)

    @property
    def individuals(self) -> pd.DataFrame:
        return self.cases[~self.cases["collective"]]

    @property
    def coding_total(self) -> int:
        """Counted codings (read with ``detail``; else 0)."""
        return len(self.codings)

    def code_name(self, code: str) -> str:
        spec = self.codebook.find(code)
        return spec.name if spec else code


def statuses_of(status: str) -> tuple[str, ...]:
    if status not in STATUSES:
        raise UsageError(f"--status must be one of {', '.join(STATUSES)}, not '{status}'")
    return STATUSES[status]


def findings_from_frames(codebook: Codebook, status: str, *, cases: pd.DataFrame,
                         links: pd.DataFrame, sources: pd.DataFrame, pairs: pd.DataFrame,
                         codings: pd.DataFrame | None = None) -> Findings:
    """The tables of the findings from frames of the store's columns: ``cases`` (case
    columns), ``links`` (case_id, source_id), ``sources`` (source metadata), ``pairs``
    (distinct case_id and code of counted codings) and, optionally, ``codings`` (each
    counted coding)."""
    notes: list[str] = []
    tops = _tops(codebook, pairs if codings is None else codings, notes)
    pairs = _roll_up(codebook, pairs, tops)
    cited = pairs["case_id"].unique()
    by_person = ~cases["created_by"].astype(str).str.startswith("machine:")
    cases = cases[by_person | cases["id"].isin(cited)]
    links = links[links["case_id"].isin(cases["id"])]
    cases = _derive(cases.copy(), links, sources)
    pseudonyms = pd.Series(cases["case"].to_numpy(), index=cases["id"].to_numpy())
    pairs = pairs[pairs["case_id"].isin(cases["id"])]
    pairs = pairs.assign(case=pairs["case_id"].map(pseudonyms))
    if codings is not None:
        codings = _roll_up(codebook, codings, tops)
        codings = codings[codings["case_id"].isna() | codings["case_id"].isin(cases["id"])]
        codings = codings.assign(case=codings["case_id"].map(pseudonyms).astype("string"))
    reasons = list(codebook.reason_ids)
    individuals = cases[~cases["collective"]]
    matrix = case_code_table(individuals, pairs, reasons)
    collective = case_code_table(cases[cases["collective"]], pairs, reasons)
    coders = pd.DataFrame() if codings is None else codings.groupby(
        ["coder", "coder_kind", "status"]).size().rename("codings").reset_index().sort_values(
        "codings", ascending=False, kind="stable")
    found = Findings(
        codebook=codebook, status=status, cases=cases.reset_index(drop=True),
        links=links.reset_index(drop=True),
        sources=sources[sources["id"].isin(links["source_id"])].reset_index(drop=True),
        pairs=pairs.reset_index(drop=True), coders=coders.reset_index(drop=True),
        matrix=matrix, collective_matrix=collective,
        context_matrix=case_code_table(cases, pairs, list(codebook.context_ids)),
        counts=code_counts_table(matrix), collective_counts=code_counts_table(collective),
        codings=pd.DataFrame() if codings is None else codings.reset_index(drop=True),
        cooccurrence=cooccurrence_table(matrix), notes=notes)
    for by in CROSSTABS:
        found.crosstabs[by] = crosstab_table(matrix, individuals, by)
        found.associations[by] = association_table(matrix, individuals, by)
    return found


def _tops(codebook: Codebook, codings: pd.DataFrame, notes: list[str]
          ) -> dict[str, str | None]:
    """Each code's top-level code; codes the codebook does not hold are noted, not counted."""
    tops = {code: codebook.top_level_of(code) for code in codings["code"].unique()}
    missing = sorted(code for code, top in tops.items() if top is None)
    if missing:
        notes.append(f"Codings with codes the active codebook does not hold "
                     f"({', '.join(missing[:5])}) are not counted.")
    return tops


def _roll_up(codebook: Codebook, frame: pd.DataFrame, tops: dict[str, str | None]
             ) -> pd.DataFrame:
    kinds = {code: "reason" for code in codebook.reason_ids} | {
        code: "context" for code in codebook.context_ids}
    top = frame["code"].map(tops)
    frame = frame[top.notna()]
    top = top[top.notna()]
    return frame.assign(top=top, kind=top.map(kinds),
                        case_id=frame["case_id"].astype("Int64"))


def _derive(cases: pd.DataFrame, links: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Exit year, account date, medium and outlet (from the case, else its earliest source),
    regions."""
    meta = links.merge(sources[["id", "published", "medium", "outlet"]], left_on="source_id",
                       right_on="id", how="left").sort_values(
        ["case_id", "published", "source_id"], na_position="last", kind="stable")
    first = meta.drop_duplicates("case_id").set_index("case_id")
    ids = cases["id"]
    cases["exit_year"] = pd.to_numeric(cases["exit_date"].astype("string").str[:4],
                                       errors="coerce").astype("Int64")
    cases["account_date"] = cases["account_date"].where(
        cases["account_date"].notna(), ids.map(first["published"]))
    cases["account_year"] = pd.to_numeric(cases["account_date"].astype("string").str[:4],
                                          errors="coerce").astype("Int64")
    cases["account_medium"] = cases["account_medium"].where(
        cases["account_medium"].notna(), ids.map(first["medium"]))
    cases["outlet"] = ids.map(first["outlet"])
    cases["region"] = region_of(cases["country_of_origin"])
    cases["subregion"] = subregion_of(cases["country_of_origin"])
    cases["collective"] = cases["collective"].astype(bool)
    return cases.rename(columns={"pseudonym": "case"})


def sample_summary(found: Findings) -> dict[str, Any]:
    """The sample in numbers: cases, women, countries, period, sources by medium and outlet."""
    people = found.individuals
    known = people[people["gender"].isin(["female", "male"])]
    years = people["exit_year"].dropna()
    dates = found.cases["account_date"].dropna().astype(str)
    return {
        "cases": len(people), "collective_cases": int(found.cases["collective"].sum()),
        "women": int((people["gender"] == "female").sum()),
        "men": int((people["gender"] == "male").sum()),
        "gender_unknown": len(people) - len(known),
        "countries": int(people["country_of_origin"].dropna().nunique()),
        "country_unknown": int(people["country_of_origin"].isna().sum()),
        "exit_years": (int(years.min()), int(years.max())) if len(years) else None,
        "accounts": (dates.min(), dates.max()) if len(dates) else None,
        "sources": len(found.sources),
        "media": _counts(found.sources["medium"]),
        "outlets": _counts(found.sources["outlet"]),
        "languages": _counts(found.sources["language"]),
        "groups": _counts(people["group_left"]),
        "codings": found.coding_total,
    }


def _counts(column: pd.Series) -> dict[str, int]:
    values = column.astype("string").fillna("unknown")
    return {str(k): int(v) for k, v in values.value_counts().items()}
