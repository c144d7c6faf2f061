"""Aggregation: the case x code matrix, counts with Wilson intervals, crosstabs, tests of
association and co-occurrence; checked against figures computed from the gold file alone."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from tests.findings_data import gold_case_frame, new_store

from exitlens.aggregate.findings import Findings, statuses_of
from exitlens.aggregate.regions import region_of, subregion_of
from exitlens.aggregate.tables import (
    association_table,
    crosstab_table,
    fisher_monte_carlo,
    wilson_interval,
)
from exitlens.errors import UsageError
from exitlens.services.findings import build_findings
from exitlens.storage import Store

REASONS = ("infighting", "brutality_sunni", "corruption", "quality_of_life", "other_brutality",
           "disillusion_ideology", "fear_danger", "mistreatment", "family_personal", "other")


@pytest.fixture(scope="module")
def expected() -> pd.DataFrame:
    return gold_case_frame()


def test_wilson_interval_matches_published_values() -> None:
    # Newcombe (1998), table I: 81/263 -> 0.2553 to 0.3662; 0/10 -> 0 to 0.2775
    low, high = wilson_interval([81, 0, 5], [263, 10, 10])
    assert np.allclose(low, [0.2553, 0.0, 0.2366], atol=5e-5)
    assert np.allclose(high, [0.3662, 0.2775, 0.7634], atol=5e-5)


def test_counts_equal_an_independent_computation_from_the_gold_file(
        found: Findings, expected: pd.DataFrame) -> None:
    people = expected[~expected["collective"]]
    counts = found.counts.set_index("code")
    assert set(counts.index) == set(REASONS)
    for code in REASONS:
        cited = int(people["codes"].map(lambda codes, c=code: c in codes).sum())
        assert counts.at[code, "cases"] == cited, code
        assert counts.at[code, "n"] == len(people)
        low, high = wilson_interval(cited, len(people))
        assert counts.at[code, "ci_low"] == pytest.approx(float(low))
        assert counts.at[code, "ci_high"] == pytest.approx(float(high))
    assert len(found.individuals) == len(people)
    assert int(found.cases["collective"].sum()) == int(expected["collective"].sum())
    groups = expected[expected["collective"]]
    collective = found.collective_counts.set_index("code")
    for code in REASONS:
        assert collective.at[code, "cases"] == int(
            groups["codes"].map(lambda codes, c=code: c in codes).sum())


def test_crosstabs_equal_an_independent_computation(found: Findings,
                                                    expected: pd.DataFrame) -> None:
    people = expected[~expected["collective"]].copy()
    for code in REASONS:
        people[code] = people["codes"].map(lambda codes, c=code: c in codes)
    by_gender = people.groupby("gender")[list(REASONS)].sum()
    table = found.crosstabs["gender"].set_index(["value", "code"])
    assert set(table.index.get_level_values("value")) == set(by_gender.index)
    for gender in by_gender.index:
        for code in REASONS:
            assert table.at[(gender, code), "cases"] == by_gender.at[gender, code]
            assert table.at[(gender, code), "n"] == int((people["gender"] == gender).sum())
    years = people.dropna(subset=["exit_year"]).astype({"exit_year": int})
    by_year = years.groupby("exit_year")["corruption"].sum()
    cross = found.crosstabs["exit_year"].set_index(["value", "code"])
    for year, n in by_year.items():
        assert cross.at[(str(year), "corruption"), "cases"] == n
    regions = people.assign(region=region_of(people["country"]).fillna("unknown"))
    by_region = regions.groupby("region")["quality_of_life"].sum()
    cross = found.crosstabs["region"].set_index(["value", "code"])
    for region, n in by_region.items():
        assert cross.at[(region, "quality_of_life"), "cases"] == n


def test_cooccurrence_counts_cases_citing_both(found: Findings, expected: pd.DataFrame) -> None:
    people = expected[~expected["collective"]]
    both = int(people["codes"].map(lambda c: {"corruption", "quality_of_life"} <= c).sum())
    assert found.cooccurrence.at["corruption", "quality_of_life"] == both
    assert found.cooccurrence.at["quality_of_life", "corruption"] == both
    assert found.cooccurrence.at["infighting", "infighting"] == int(
        people["codes"].map(lambda c: "infighting" in c).sum())


def test_association_uses_chi_square_or_fisher_with_the_caveat() -> None:
    cases = pd.DataFrame({"case": [f"c{i}" for i in range(60)],
                          "gender": ["female"] * 30 + ["male"] * 30})
    big = pd.DataFrame({"a": [True] * 20 + [False] * 10 + [True] * 8 + [False] * 22,
                        "rare": [True] * 2 + [False] * 58}, index=cases["case"])
    table = association_table(big, cases, "gender").set_index("code")
    chi2, p, _, _ = stats.chi2_contingency([[10, 20], [22, 8]], correction=False)
    assert table.at["a", "test"] == "chi-square"
    assert table.at["a", "p_value"] == pytest.approx(p)
    assert table.at["a", "statistic"] == pytest.approx(chi2)
    assert table.at["rare", "test"] == "fisher"
    assert table.at["rare", "p_value"] == pytest.approx(
        stats.fisher_exact([[28, 2], [30, 0]]).pvalue)
    assert "Fisher" in table.at["rare", "note"] and table.at["rare", "small_cells"] == 2


def test_fisher_beyond_two_by_two_is_seeded_and_agrees_with_exact_enumeration() -> None:
    from itertools import product

    table = np.array([[1, 0], [0, 1], [2, 0], [3, 2]])
    sizes, cited = table.sum(axis=1), int(table[:, 1].sum())
    # exact: enumerate every table with these margins and its hypergeometric probability
    def probability(yes: tuple[int, ...]) -> float:
        from math import comb

        return float(np.prod([comb(int(n), y) for n, y in zip(sizes, yes, strict=True)])
                     / comb(int(sizes.sum()), cited))

    tables = [y for y in product(*(range(int(n) + 1) for n in sizes)) if sum(y) == cited]
    observed = probability(tuple(table[:, 1]))
    exact = sum(probability(y) for y in tables if probability(y) <= observed + 1e-12)
    statistic, p = fisher_monte_carlo(table, seed=3, resamples=200_000)
    assert statistic == pytest.approx(observed)
    assert p == pytest.approx(exact, abs=0.005)
    assert fisher_monte_carlo(table, seed=1) == fisher_monte_carlo(table, seed=1)
    cases = pd.DataFrame({"case": list("abcdefghi"),
                          "country": ["FR", "DE", "IT", "IT", "ES", "ES", "ES", "ES", "ES"]})
    matrix = pd.DataFrame({"x": [False, True, False, False, False, False, False, True, True]},
                          index=cases["case"])
    test = association_table(matrix, cases, "country").iloc[0]
    assert test["test"] == "fisher (Monte Carlo)" and test["groups"] == 4
    assert test["p_value"] == fisher_monte_carlo(table)[1]


def test_unknown_values_are_left_out_of_tests_and_kept_in_crosstabs() -> None:
    cases = pd.DataFrame({"case": list("abcdefgh"),
                          "gender": ["female"] * 3 + ["male"] * 3 + [None, ""]})
    matrix = pd.DataFrame({"x": [True, True, True, False, False, False, True, True]},
                          index=cases["case"])
    cross = crosstab_table(matrix, cases, "gender").set_index("value")
    assert cross.loc["unknown", "cases"] == 2 and cross.loc["unknown", "n"] == 2
    test = association_table(matrix, cases, "gender").iloc[0]
    assert test["cases"] == 6 and test["groups"] == 2
    assert test["p_value"] == pytest.approx(stats.fisher_exact([[0, 3], [3, 0]]).pvalue)


def test_regions_follow_un_m49() -> None:
    codes = pd.Series(["SY", "fr", "NG", None, "ZZ", "AU"])
    assert list(region_of(codes).fillna("-")) == ["Asia", "Europe", "Africa", "-", "-",
                                                  "Oceania"]
    assert subregion_of(codes)[0] == "Western Asia"


def _tiny(store: Store) -> dict[str, int]:
    """Two sources, a person with a sub-code and a rejected coding, a collective case and a
    machine-made case with only a suggestion."""
    from exitlens.records import text_sha256

    texts = ["He left because the emir stole the salaries. They paid nothing for months.",
             "Dozens of fighters walked out after the purge; one man said he was hungry."]
    with store.session() as tx:
        version = tx.active_codebook()
        assert version is not None
        ids = tx.add_sources([{"sha256": text_sha256(t), "text": t, "origin": f"s{i}.txt",
                               "format": "txt", "chars": len(t), "outlet": "Test Wire",
                               "published": "2016-03-01", "medium": "news"}
                              for i, t in enumerate(texts)])
        made = tx.add_cases([
            {"gender": "male", "country_of_origin": "TN", "created_by": "coder:ana",
             "source_id": ids[0], "exit_date": "2016-02", "identity": {"names": ["Karim"]}},
            {"collective": True, "label": "dozens of fighters", "created_by": "coder:ana",
             "source_id": ids[1]},
            {"gender": "male", "created_by": "machine:ensemble", "source_id": ids[1]}])
        person, group, machine = (case_id for case_id, _ in made)

        def coding(source: int, case: int, code: str, status: str,
                   kind: str = "human") -> dict[str, object]:
            return {"source_id": source, "start": 0, "end": 20, "code": code,
                    "codebook_version_id": version[0], "case_id": case, "coder": "ana",
                    "coder_kind": kind, "status": status}

        tx.add_codings([coding(ids[0], person, "corruption", "accepted"),
                        coding(ids[0], person, "infighting", "rejected"),
                        coding(ids[0], person, "quality_of_life", "suggested", "machine"),
                        coding(ids[1], group, "infighting", "accepted"),
                        coding(ids[1], machine, "quality_of_life", "suggested", "machine")])
    return {"person": person, "group": group, "machine": machine}


def test_status_decides_which_codings_and_cases_count(db_url: str) -> None:
    with new_store(db_url) as store:
        _tiny(store)
        accepted = build_findings(store, "accepted")
        suggested = build_findings(store, "suggested")
    assert len(accepted.individuals) == 1
    assert accepted.matrix.iloc[0].to_dict() == {c: c == "corruption" for c in REASONS}
    assert accepted.collective_matrix.iloc[0]["infighting"]
    assert len(suggested.individuals) == 2
    cited = suggested.counts.set_index("code")["cases"]
    assert cited["quality_of_life"] == 2 and cited["infighting"] == 0
    assert suggested.cases.set_index("case").loc[suggested.matrix.index[0], "exit_year"] == 2016


def test_sub_codes_roll_up_and_unknown_codes_are_reported(db_url: str) -> None:
    with new_store(db_url) as store:
        ids = _tiny(store)
        with store.session() as tx:
            version = tx.active_codebook()
            assert version is not None
            source = tx.case_link_table().rows[0][1]
            tx.add_codings([
                {"source_id": source, "start": 0, "end": 5, "code": "corruption.racism",
                 "codebook_version_id": version[0], "case_id": ids["person"], "coder": "ana",
                 "coder_kind": "human", "status": "accepted"},
                {"source_id": source, "start": 0, "end": 5, "code": "retired_code",
                 "codebook_version_id": version[0], "case_id": ids["person"], "coder": "ana",
                 "coder_kind": "human", "status": "accepted"}])
        found = build_findings(store, "accepted", detail=True)
        brief = build_findings(store, "accepted")
    pd.testing.assert_frame_equal(found.counts, brief.counts)
    assert brief.codings.empty and brief.coders.empty and found.coding_total == 3
    assert "corruption.racism" in set(found.codings["code"])
    assert set(found.codings.loc[found.codings["code"] == "corruption.racism", "top"]) == {
        "corruption"}
    assert any("retired_code" in note for note in found.notes)
    assert brief.notes == found.notes


def test_a_bad_status_is_a_clear_error() -> None:
    with pytest.raises(UsageError, match="accepted, suggested"):
        statuses_of("approved")


def test_an_empty_project_gives_empty_tables(tmp_path: Path) -> None:
    with new_store(f"sqlite:///{tmp_path / 'e.sqlite'}") as store:
        found = build_findings(store, "accepted")
    assert len(found.matrix) == 0 and list(found.counts["cases"]) == [0] * len(REASONS)
