"""The report's content as plain data (numbers, tables, chart SVGs, evidence) for templates."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pandas as pd

from exitlens.aggregate.findings import ICSR, Findings, sample_summary
from exitlens.aggregate.regions import country_name
from exitlens.aggregate.tables import UNKNOWN, attribute_values
from exitlens.report.charts import (
    chart_svg,
    cooccurrence_chart,
    heatmap_chart,
    share_chart,
    timeline_chart,
)

ATTRIBUTES = {"gender": "Gender", "region": "Region of origin (UN M49)",
              "country_of_origin": "Country of origin", "group_left": "Group left",
              "exit_year": "Year of exit"}
TEST_LABELS = {"chi-square": "χ²", "fisher": "Fisher", "fisher (Monte Carlo)": "Fisher MC"}
QUOTES_PER_CASE = 3
QUOTES_PER_CODE = 3000
TOP_ROWS = 20


def report_content(found: Findings, quotes: pd.DataFrame, *, project: str,
                   evaluation: dict[str, Any] | None = None,
                   agreement: dict[str, Any] | None = None, charts: bool = True
                   ) -> dict[str, Any]:
    """Everything the report shows. ``quotes`` is ``quote_table``'s output; ``evaluation`` the
    latest stored evaluation of the machine coders, if any; ``agreement`` the agreement
    between people who coded the same sources (``services.agreement``), if any."""
    sample = sample_summary(found)
    draw = chart_svg if charts else (lambda spec: "")
    counts = _named(found, found.counts)
    icsr = counts[counts["code"].isin(ICSR)]
    other = counts[~counts["code"].isin(ICSR)]
    return {
        "title": "Why they leave: reasons given in public accounts of leaving",
        "project": project,
        "generated": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "status": found.status,
        "basis": _basis(found.status),
        "summary": _summary(sample, icsr),
        "sample": sample,
        "sample_tables": _sample_tables(found, sample),
        "icsr": {"rows": _count_rows(icsr),
                 "chart": draw(share_chart(icsr, "The four ICSR narratives")) if len(icsr)
                 else ""},
        "other": {"rows": _count_rows(other),
                  "chart": draw(share_chart(other, "Other reasons")) if len(other) else ""},
        "crosstabs": [_crosstab(found, by, title, draw) for by, title in ATTRIBUTES.items()],
        "cooccurrence": _cooccurrence(found, draw),
        "timeline": _timeline(found, draw),
        "collective": _collective(found),
        "method": _method(found, evaluation) | {"agreement": _agreement(found, agreement)},
        "limitations": _limitations(found, sample),
        "evidence": _evidence(found, quotes),
    }


def _named(found: Findings, counts: pd.DataFrame) -> pd.DataFrame:
    return counts.assign(name=counts["code"].map(found.code_name),
                         definition=counts["code"].map(
                             lambda c: _first_sentence(found.codebook.find(c))))


def _first_sentence(spec: Any) -> str:
    text = " ".join(spec.definition.split()) if spec else ""
    return text.split(". ")[0].rstrip(".") + "." if text else ""


def _pct(x: float) -> str:
    return "–" if pd.isna(x) else f"{100 * x:.0f}%"


def _count_rows(counts: pd.DataFrame) -> list[dict[str, Any]]:
    return [{"code": r.code, "name": r.name, "definition": r.definition, "cases": int(r.cases),
             "n": int(r.n), "share": _pct(r.share),
             "interval": f"{_pct(r.ci_low)}–{_pct(r.ci_high)}" if r.n else "–"}
            for r in counts.itertuples(index=False)]


def _basis(status: str) -> str:
    if status == "accepted":
        return ("Counts rest on codings a person accepted. Machine suggestions nobody has "
                "reviewed are not counted.")
    return ("Counts include the machine's suggestions above each code's threshold as well as "
            "accepted codings; suggestions have not all been reviewed by a person, so treat "
            "the figures as provisional.")


def _summary(sample: dict[str, Any], icsr: pd.DataFrame) -> list[str]:
    n = sample["cases"]
    lines = [f"{n} individual cases from {sample['countries']} countries "
             f"({sample['women']} women), drawn from {sample['sources']} sources."]
    if sample["collective_cases"]:
        lines.append(f"{sample['collective_cases']} collective cases (groups of people who "
                     "left) are counted apart.")
    for r in icsr.sort_values("share", ascending=False).itertuples(index=False):
        if n:
            lines.append(f"{r.name}: cited by {r.cases} of {n} cases ({_pct(r.share)}; 95% "
                         f"interval {_pct(r.ci_low)}–{_pct(r.ci_high)}).")
    return lines


def _sample_tables(found: Findings, sample: dict[str, Any]) -> list[dict[str, Any]]:
    people = found.individuals
    countries = people["country_of_origin"].astype("string").map(
        lambda c: f"{country_name(c)} ({c})", na_action="ignore").fillna(UNKNOWN)
    regions = people["region"].astype("string").fillna(UNKNOWN)
    return [_tally("Countries of origin", countries.value_counts().to_dict()),
            _tally("Regions of origin (UN M49)", regions.value_counts().to_dict()),
            _tally("Groups left", sample["groups"]),
            _tally("Sources by medium", sample["media"]),
            _tally("Sources by outlet", sample["outlets"]),
            _tally("Sources by language", sample["languages"])]


def _tally(title: str, counts: dict[str, int]) -> dict[str, Any]:
    items = sorted(counts.items(), key=lambda kv: (kv[0] == UNKNOWN, -kv[1], kv[0]))
    shown = items[:TOP_ROWS]
    rest = items[TOP_ROWS:]
    rows = [{"value": k, "count": v} for k, v in shown]
    if rest:
        rows.append({"value": f"{len(rest)} more", "count": sum(v for _, v in rest)})
    return {"title": title, "rows": rows, "total": sum(counts.values())}


def _crosstab(found: Findings, by: str, title: str, draw: Any) -> dict[str, Any]:
    long = found.crosstabs[by]
    sizes = long.drop_duplicates("value").set_index("value")["n"]
    values = _order_values(by, sizes)
    shown = values[:TOP_ROWS]
    codes = [c for c in found.matrix.columns if found.matrix[c].any()]
    cells = long.set_index(["value", "code"])
    rows = []
    for value in shown:
        label = f"{country_name(value)} ({value})" if by == "country_of_origin" and \
            value != UNKNOWN else value
        row_cells = [{"code": code, "cases": int(cells.loc[(value, code), "cases"]),
                      "share": _pct(cells.loc[(value, code), "share"])} for code in codes]
        rows.append({"value": value, "label": label, "n": int(sizes[value]),
                     "cells": row_cells})
    tests = found.associations[by].set_index("code")
    chart = ""
    if by == "region" and len(shown) > 1:
        heat = long[long["value"].isin(shown) & long["code"].isin(codes)].assign(
            name=lambda d: d["code"].map(found.code_name))
        chart = draw(heatmap_chart(heat, "Share of cases citing each reason, by region",
                                   "region of origin"))
    return {"by": by, "title": title,
            "codes": [{"code": c, "name": found.code_name(c), "short": c.replace("_", " ")}
                      for c in codes],
            "rows": rows, "hidden": len(values) - len(shown),
            "tests": [_test_row(tests.loc[c]) for c in codes if c in tests.index],
            "chart": chart}


def _order_values(by: str, sizes: pd.Series) -> list[str]:
    known = [v for v in sizes.index if v != UNKNOWN]
    if by == "exit_year":
        known.sort()
    else:
        known.sort(key=lambda v: (-int(sizes[v]), v))
    return known + ([UNKNOWN] if UNKNOWN in sizes.index else [])


def _test_row(test: pd.Series) -> dict[str, Any]:
    p = test["p_value"]
    return {"test": TEST_LABELS.get(test["test"], "–"),
            "p": "–" if pd.isna(p) else ("< 0.001" if p < 0.001 else f"{p:.3f}"),
            "note": test["note"]}


def _cooccurrence(found: Findings, draw: Any) -> dict[str, Any]:
    co = found.cooccurrence
    codes = [c for c in co.columns if co.loc[c, c] > 0]
    co = co.loc[codes, codes]
    names = [found.code_name(c) for c in codes]
    long = pd.DataFrame([{"row": names[i], "column": names[j], "cases": int(co.iat[i, j])}
                         for i in range(len(codes)) for j in range(len(codes))])
    return {"codes": [{"code": c, "name": n} for c, n in zip(codes, names, strict=True)],
            "rows": [{"code": codes[i], "name": names[i],
                      "cells": [int(co.iat[i, j]) for j in range(len(codes))]}
                     for i in range(len(codes))],
            "chart": draw(cooccurrence_chart(long, "Cases citing both reasons"))
            if len(codes) > 1 else ""}


def _timeline(found: Findings, draw: Any) -> dict[str, Any]:
    people = found.individuals
    exits = people["exit_year"].dropna().astype(int).value_counts()
    accounts = people["account_year"].dropna().astype(int).value_counts()
    years = sorted(set(exits.index) | set(accounts.index))
    rows = [{"year": y, "exits": int(exits.get(y, 0)), "accounts": int(accounts.get(y, 0))}
            for y in years]
    yearly = pd.DataFrame([{"year": r["year"], "series": series, "cases": r[key]}
                           for r in rows for key, series in (("exits", "exits"),
                                                             ("accounts", "accounts"))])
    return {"rows": rows, "unknown_exit": int(people["exit_year"].isna().sum()),
            "chart": draw(timeline_chart(yearly, "Exits and accounts per year")) if rows
            else ""}


def _collective(found: Findings) -> dict[str, Any]:
    groups = found.cases[found.cases["collective"]]
    matrix = found.collective_matrix
    rows = [{"case": r.case, "label": r.label or "", "group_left": r.group_left or "",
             "country": r.country_of_origin or "",
             "codes": ", ".join(found.code_name(c) for c in matrix.columns
                                if matrix.at[r.case, c])}
            for r in groups.itertuples(index=False)]
    return {"rows": rows, "counts": _count_rows(_named(found, found.collective_counts))}


def _method(found: Findings, evaluation: dict[str, Any] | None) -> dict[str, Any]:
    book = found.codebook
    return {"codebook": {"id": book.id, "name": book.name, "version": book.version},
            "coders": found.coders.to_dict("records"), "evaluation": evaluation,
            "codes": [{"code": c, "name": found.code_name(c),
                       "kind": "reason" if c in book.reason_ids else "context"}
                      for c in (*book.reason_ids, *book.context_ids)]}


def _agreement(found: Findings, agreement: dict[str, Any] | None) -> dict[str, Any] | None:
    if not agreement:
        return None

    def fmt(value: float | None) -> str:
        return "–" if value is None else f"{value:.2f}"

    rows = []
    for code, r in [*agreement["codes"].items(), ("overall", agreement["overall"])]:
        interval = r["alpha_interval"]
        rows.append({"code": code, "name": found.code_name(code) if code != "overall"
                     else "All codes", "units": r["units"], "alpha": fmt(r["alpha"]),
                     "interval": f"{interval[0]:.2f}–{interval[1]:.2f}" if interval else "–",
                     "ac1": fmt(r["gwet_ac1"]), "agree": fmt(r["percent_agreement"])})
    return {"coders": agreement["coders"], "unit": agreement["unit"], "rows": rows,
            "consensus": agreement.get("consensus")}


def _limitations(found: Findings, sample: dict[str, Any]) -> list[str]:
    out = [
        "Public accounts are not a random sample: who speaks, who is asked and what outlets "
        "publish shape the sample. Intervals describe sampling error as if the cases were a "
        "random sample; they cannot correct for this selection.",
        "Reasons are the ones people gave in public, for an audience, sometimes while facing "
        "prosecution; they may differ from the reasons that moved them.",
        "A case cites a reason when at least one counted coding carries it; how strongly it "
        "weighed (salience) is not part of these counts.",
        "Collective cases (groups of people described together) are kept out of per-person "
        "counts and listed apart.",
    ]
    if sample["gender_unknown"] or sample["country_unknown"]:
        out.append(f"Gender is unknown for {sample['gender_unknown']} cases and country of "
                   f"origin for {sample['country_unknown']}; they appear as 'unknown' in the "
                   "crosstabs and are left out of the tests.")
    small = sum(int((t["small_cells"] > 0).sum()) for t in found.associations.values())
    if small:
        out.append(f"{small} tests of association had expected counts below 5; Fisher's exact "
                   "test was used for them, and small groups make every share uncertain.")
    if found.status == "suggested":
        out.append("Machine suggestions are counted; read the method section for how well the "
                   "machine agrees with people before relying on any single figure.")
    return out + list(found.notes)


def _evidence(found: Findings, quotes: pd.DataFrame) -> dict[str, Any]:
    """What the page needs to open the quotes behind any count: each case's attributes and,
    per code, up to ``QUOTES_PER_CASE`` quotes per case."""
    cases = {}
    values = {by: attribute_values(found.cases, by) for by in ATTRIBUTES}
    for case, collective in zip(found.cases["case"], found.cases["collective"], strict=True):
        cases[case] = {by: str(values[by][case]) for by in ATTRIBUTES} | {
            "collective": bool(collective)}
    by_code: dict[str, list[list[Any]]] = {}
    kept = quotes.sort_values(["top", "case", "start"]).groupby(["top", "case"]).head(
        QUOTES_PER_CASE)
    truncated = []
    for code, group in kept.groupby("top", sort=False):
        if len(group) > QUOTES_PER_CODE:
            truncated.append(str(code))
            group = group.head(QUOTES_PER_CODE)
        by_code[str(code)] = [[r.case, r.text, r.outlet or "", r.published or "", r.status]
                              for r in group.itertuples(index=False)]
    return {"cases": cases, "quotes": by_code, "truncated": truncated,
            "names": {c: found.code_name(c) for c in (*found.codebook.reason_ids,
                                                      *found.codebook.context_ids)}}
