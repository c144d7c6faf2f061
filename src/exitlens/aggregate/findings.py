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
    codings: pd.DataFrame
    """Counted codings attributed to cases in the sample (and unattributed ones: case NA)."""
    sources: pd.DataFrame
    """Sources holding at least one case of the sample."""
    matrix: pd.DataFrame
    """Individual cases x reason codes: does the case cite the code?"""
    collective_matrix: pd.DataFrame
    context_matrix: pd.DataFrame
    """All sampled cases x context codes."""
    counts: pd.DataFrame
    collective_counts: pd.DataFrame
    crosstabs: dict[str, pd.DataFrame] = field(default_factory=dict)
    associations: dict[str, pd.DataFrame] = field(default_factory=dict)
    cooccurrence: pd.DataFrame = field(default_factory=pd.DataFrame)
    notes: list[str] = field(default_factory=list)

    @property
    def individuals(self) -> pd.DataFrame:
        return self.cases[~self.cases["collective"]]

    def code_name(self, code: str) -> str:
        spec = self.codebook.find(code)
        return spec.name if spec else code


def statuses_of(status: str) -> tuple[str, ...]:
    if status not in STATUSES:
        raise UsageError(f"--status must be one of {', '.join(STATUSES)}, not '{status}'")
    return STATUSES[status]


def findings_from_frames(codebook: Codebook, status: str, cases: pd.DataFrame,
                         codings: pd.DataFrame, sources: pd.DataFrame) -> Findings:
    """The tables of the findings from frames of the store's columns (see the store's
    ``case_columns``, ``coding_columns`` and ``source_columns``)."""
    notes: list[str] = []
    codings = _roll_up(codebook, codings, notes)
    pseudonyms = pd.Series(cases["pseudonym"].to_numpy(), index=cases["id"].to_numpy())
    codings["case"] = codings["case_id"].map(pseudonyms).astype("string")
    cited = set(codings["case_id"].dropna().astype(int))
    by_person = ~cases["created_by"].astype(str).str.startswith("machine:")
    cases = cases[by_person | cases["id"].isin(cited)].copy()
    cases = _derive(cases, sources)
    codings = codings[codings["case_id"].isna() | codings["case_id"].isin(cases["id"])]
    reasons = list(codebook.reason_ids)
    individuals = cases[~cases["collective"]]
    matrix = case_code_table(individuals, codings, reasons)
    collective = case_code_table(cases[cases["collective"]], codings, reasons)
    linked = {s for ids in cases["source_ids"] for s in ids}
    found = Findings(
        codebook=codebook, status=status, cases=cases.reset_index(drop=True),
        codings=codings.reset_index(drop=True),
        sources=sources[sources["id"].isin(linked)].reset_index(drop=True),
        matrix=matrix, collective_matrix=collective,
        context_matrix=case_code_table(cases, codings, list(codebook.context_ids)),
        counts=code_counts_table(matrix), collective_counts=code_counts_table(collective),
        cooccurrence=cooccurrence_table(matrix), notes=notes)
    for by in CROSSTABS:
        found.crosstabs[by] = crosstab_table(matrix, individuals, by)
        found.associations[by] = association_table(matrix, individuals, by)
    return found


def _roll_up(codebook: Codebook, codings: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    if codings.empty:
        codings = pd.DataFrame(columns=["id", "source_id", "case_id", "code", "start", "end",
                                        "status", "confidence", "salience", "coder",
                                        "coder_kind"])
    tops = {code: codebook.top_level_of(code) for code in codings["code"].unique()}
    codings = codings.assign(top=codings["code"].map(tops))
    unknown = codings["top"].isna()
    if unknown.any():
        missing = sorted(codings.loc[unknown, "code"].unique())
        notes.append(f"{int(unknown.sum())} codings carry codes the active codebook does not "
                     f"hold ({', '.join(missing[:5])}) and are not counted")
    kinds = {code: "reason" for code in codebook.reason_ids} | {
        code: "context" for code in codebook.context_ids}
    codings = codings[~unknown]
    return codings.assign(kind=codings["top"].map(kinds),
                          case_id=codings["case_id"].astype("Int64"))


def _derive(cases: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Exit year, account date and medium (from the case, else its sources), regions."""
    meta = sources.set_index("id")
    first = cases["source_ids"].map(lambda ids: ids[0] if ids else None)
    published = cases["source_ids"].map(
        lambda ids: min((p for p in meta["published"].reindex(ids) if isinstance(p, str)),
                        default=None))
    cases["exit_year"] = pd.to_numeric(cases["exit_date"].astype("string").str[:4],
                                       errors="coerce").astype("Int64")
    cases["account_date"] = cases["account_date"].where(cases["account_date"].notna(),
                                                        published)
    cases["account_year"] = pd.to_numeric(cases["account_date"].astype("string").str[:4],
                                          errors="coerce").astype("Int64")
    cases["account_medium"] = cases["account_medium"].where(
        cases["account_medium"].notna(), first.map(meta["medium"]) if len(meta) else None)
    cases["outlet"] = first.map(meta["outlet"]) if len(meta) else None
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
        "codings": len(found.codings),
    }


def _counts(column: pd.Series) -> dict[str, int]:
    values = column.astype("string").fillna("unknown")
    return {str(k): int(v) for k, v in values.value_counts().items()}
